"""Parsing a page once and reading text and metadata out of the tree."""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from spiders.html_tree import parse_document

from .textutil import normalize_space

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "title", "tr", "ul",
))  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML into a document tree (an empty document if nothing parses)."""
    text = _CONTROL_CHARS.sub("", _XML_DECLARATION.sub("", text, count=1))
    try:
        return parse_document(text)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")


def render_lines(root: HtmlElement) -> list[str]:
    """The visible text under ``root``: one line per block element, spaces normalised.

    Inline elements (span, a, font …) join their text; table cells are separated by a
    space; ``<br>`` and block elements start new lines. Comments must be stripped first.
    """
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag in BLOCK_TAGS or tag == "br":
                parts.append("\n")
            elif tag in _CELL_TAGS:
                parts.append(" ")
            if element.text:
                parts.append(element.text)
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if element is not root and element.tail:
                parts.append(element.tail)
    return [line for line in map(normalize_space, "".join(parts).split("\n")) if line]


def walk_text(root: HtmlElement) -> Iterator[tuple[bool, HtmlElement, str | None, bool]]:
    """One pass over ``root``: ``(entering, element, text, in_link)`` at each start and end.

    Entering yields the element's leading text, leaving yields its tail (text that belongs
    to the parent; never the root's). ``in_link`` tells whether that text sits inside an
    ``<a href>``. Comments must be stripped first.
    """
    depth = 0  # links around the current point
    for event, element in etree.iterwalk(root, events=("start", "end")):
        is_link = element.tag == "a" and element.get("href") is not None
        if event == "start":
            depth += is_link
            yield True, element, element.text, depth > 0
        else:
            depth -= is_link
            yield False, element, element.tail if element is not root else None, depth > 0


def element_text(element: HtmlElement) -> str:
    """All text under an element as one normalised line."""
    return normalize_space(" ".join(render_lines(element)))


def meta_map(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents keyed by lower-cased name, property or itemprop (first wins)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        key = meta.get("name") or meta.get("property") or meta.get("itemprop")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), normalize_space(content))
    return found


def class_and_id(element: HtmlElement) -> str:
    """The element's class and id attributes, lower-cased, space separated."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower()
