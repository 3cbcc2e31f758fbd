"""Blocks made of links: menus, side-column and related lists, link farms, reaction rows.

Density is measured in words (CJK characters and Latin letters): dates, numbers, bullets
and separators weigh nothing, so a dated list of links is as dense as an undated one.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from .attachments import canonical_kind
from .dom import walk_text
from .textutil import count_words

_BLOCKS = frozenset({
    "div", "ul", "ol", "dl", "table", "tbody", "tr", "td", "p", "section", "aside", "nav",
    "header", "footer", "form", "center",
})  # fmt: skip
_MIN_LINKS = 3
_LINK_SHARE = 0.7  # of a block's words inside links
_MAX_SHARE = 0.4  # never drop a block holding this share of the page's words


@dataclass(slots=True)
class _Count:
    """Words, words inside links, links, and links to files under one element."""

    words: int = 0
    link_words: int = 0
    links: int = 0
    files: int = 0

    def add(self, other: _Count) -> None:
        self.words += other.words
        self.link_words += other.link_words
        self.links += other.links
        self.files += other.files

    def add_text(self, text: str | None, in_link: bool) -> None:
        words = count_words(text) if text else 0
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
            if count is None:  # a comment or processing instruction
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
    """Word and link counts of every element under ``root`` (one pass)."""
    counts: dict[HtmlElement, _Count] = {}
    stack = [_Count()]
    for entering, element, text, in_link in walk_text(root):
        if entering:
            stack.append(_Count())
            stack[-1].add_text(text, in_link)
            continue
        count = stack.pop()
        href = element.get("href") if element.tag == "a" else None
        if href is not None:
            count.links += 1
            count.files += canonical_kind(href) is not None
        counts[element] = count
        stack[-1].add(count)
        stack[-1].add_text(text, in_link)
    return counts
