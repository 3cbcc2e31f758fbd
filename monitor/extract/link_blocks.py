"""Blocks made of links: menus, side-column and related lists, link farms, reaction rows.

Density is measured in words (CJK characters and Latin letters): dates, numbers, bullets
and separators weigh nothing, so a dated list of links is as dense as an undated one.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from .attachments import canonical_kind
from .textutil import CJK

_WORD = re.compile(rf"[{CJK}A-Za-z]")
_BLOCKS = frozenset({
    "div", "ul", "ol", "dl", "table", "tbody", "tr", "td", "p", "section", "aside", "nav",
    "header", "footer", "form", "center",
})  # fmt: skip
_MIN_LINKS = 3
_LINK_SHARE = 0.7  # of a block's words inside links
_MAX_SHARE = 0.4  # never drop a block holding this share of the page's words


class _Count:
    """Words, words inside links, links, and links to files under one element."""

    __slots__ = ("files", "link_words", "links", "words")

    def __init__(self) -> None:
        self.words = self.link_words = self.links = self.files = 0

    def add(self, other: _Count) -> None:
        self.words += other.words
        self.link_words += other.link_words
        self.links += other.links
        self.files += other.files

    def add_text(self, text: str | None, in_link: bool) -> None:
        if text:
            words = len(_WORD.findall(text))
            self.words += words
            self.link_words += words if in_link else 0


def drop_link_blocks(root: HtmlElement) -> None:
    """Drop the outermost blocks whose words are mostly link text (at least three links).

    Blocks that link to a file (an attachment list) stay, and so does any block holding a
    large share of the page's words.
    """
    counts = _count(root)
    total = counts[root].words
    doomed: list[HtmlElement] = []
    pending = [root]
    while pending:
        for child in pending.pop():
            count = counts.get(child)
            if count is None:
                continue
            if child.tag in _BLOCKS and _is_link_block(count, total):
                doomed.append(child)
            else:
                pending.append(child)
    for element in doomed:
        element.drop_tree()


def _is_link_block(count: _Count, total: int) -> bool:
    return (
        count.links >= _MIN_LINKS
        and not count.files
        and count.link_words >= _LINK_SHARE * count.words
        and count.words < _MAX_SHARE * total
    )


def _count(root: HtmlElement) -> dict[HtmlElement, _Count]:
    """Word counts of every element under ``root`` (one pass)."""
    counts: dict[HtmlElement, _Count] = {}
    stack = [_Count()]
    depth = 0  # how many links enclose the current point
    for event, element in etree.iterwalk(root, events=("start", "end")):
        is_link = element.tag == "a" and bool(element.get("href"))
        if event == "start":
            depth += is_link
            stack.append(_Count())
            stack[-1].add_text(element.text, depth > 0)
            continue
        count = stack.pop()
        if is_link:
            depth -= 1
            count.links += 1
            count.files += canonical_kind(element.get("href", "")) is not None
        counts[element] = count
        stack[-1].add(count)
        if element is not root:
            stack[-1].add_text(element.tail, depth > 0)
    return counts
