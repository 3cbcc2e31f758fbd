"""Publication dates that pages state as schema.org JSON-LD (``datePublished``)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from lxml.html import HtmlElement

_ARTICLE_TYPES = ("article", "posting", "report", "webpage")


def jsonld_published(tree: HtmlElement) -> str | None:
    """The ``datePublished`` of the page's JSON-LD, an article-like object's first."""
    found: list[tuple[bool, str]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
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
