"""Publication dates that pages state in markup rather than in words: schema.org
``datePublished`` (JSON-LD or microdata), ``<time datetime>``, and the creation time a
WeChat article page (``#js_content``) keeps in a script for its script to print."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from lxml import etree
from lxml.html import HtmlElement

_ARTICLE_TYPES = ("article", "posting", "report", "webpage")
_MICRODATA = etree.XPath("//body//*[@itemprop='datePublished'][@datetime or @content]")
_TIMES = etree.XPath("//body//time[@datetime]")
_WECHAT_CREATED = re.compile(r'\bvar\s+ct\s*=\s*"(\d{9,10})"')  # Unix seconds
_WECHAT_BODY = etree.XPath("//*[@id='js_content']")
_WRITTEN_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def stated_published(tree: HtmlElement) -> str | None:
    """The page's ``datePublished`` (JSON-LD, else a microdata element's value), else a
    WeChat article's creation time."""
    found = _jsonld_published(tree)
    if found:
        return found
    for element in _MICRODATA(tree):
        value = (element.get("datetime") or element.get("content") or "").strip()
        if value:
            return value
    return _wechat_created(tree)


def _wechat_created(tree: HtmlElement) -> str | None:
    """A WeChat article's ``var ct = "<Unix seconds>"`` as an ISO stamp (its visible date
    line is empty until the script runs)."""
    if not _WECHAT_BODY(tree):
        return None
    for script in tree.iter("script"):
        found = _WECHAT_CREATED.search(script.text or "")
        if found:
            return datetime.fromtimestamp(int(found[1]), UTC).isoformat()
    return None


def time_stamps(tree: HtmlElement) -> list[str]:
    """The ``datetime`` of every ``<time>`` in the body, in page order (call before the
    page is cleaned: a byline's ``<time>`` may sit in a block that cleaning drops)."""
    return [
        value.strip() for value in (t.get("datetime") or "" for t in _TIMES(tree)) if value.strip()
    ]


def _jsonld_published(tree: HtmlElement) -> str | None:
    """The ``datePublished`` of the page's JSON-LD, an article-like object's first."""
    found: list[tuple[bool, str]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)  # raw newlines in strings
        except ValueError:
            written = _WRITTEN_DATE.search(script.text or "")  # broken JSON: the field alone
            if written:
                found.append((False, written[1]))
            continue
        for item in _objects(data):
            value = item.get("datePublished")
            if isinstance(value, str) and value.strip():
                found.append((_is_article(item), value.strip()))
    ranked = sorted(found, key=lambda item: not item[0])  # article-like objects first
    return ranked[0][1] if ranked else None


def _objects(data: object) -> Iterator[dict]:
    """Every JSON object in the document, ``@graph`` members and nested lists included."""
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, list | dict):
                yield from _objects(value)


def _is_article(item: dict) -> bool:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(n, str) and any(t in n.lower() for t in _ARTICLE_TYPES) for n in names)
