"""The block that holds a notice on a page of no known CMS: where the prose is.

Prose is the text of blocks that read as sentences (they hold sentence punctuation),
outside links. From the page body down, the walk enters the child that holds most of
its parent's prose while that child holds at least ``_MAJORITY`` of it (just over half
is enough for the column that also shows the notice's title: a side column with a
paragraph of its own then stays out), and stops above the paragraphs themselves: the
notice's container keeps its salutation, 落款 and attachment lines, which carry no
sentence punctuation.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .dom import BLOCK_TAGS, walk_text
from .textutil import count_words, squash

_SENTENCE = re.compile(r"[，。；！？,;!?]")
_BLOCKS = BLOCK_TAGS | {"td", "th"}
_MAJORITY = 0.8
_TITLED_MAJORITY = 0.5


def find_prose_block(root: HtmlElement, title: str = "") -> HtmlElement | None:
    """The element holding the page's running text, or None when there is no prose."""
    total, own = _prose_weights(root)
    node = root
    if not total.get(node):
        return None
    title_key = squash(title)
    while True:
        best = max(node, key=lambda child: total.get(child, 0), default=None)
        if best is None or own.get(best):
            return node
        share = total.get(best, 0) / total[node]
        if share < _MAJORITY and not (
            share > _TITLED_MAJORITY and title_key and title_key in squash(best.text_content())
        ):
            return node
        node = best


def _prose_weights(root: HtmlElement) -> tuple[dict[HtmlElement, int], dict[HtmlElement, int]]:
    """Prose words under each element, and prose words in each block's own text."""
    total: dict[HtmlElement, int] = {}
    own: dict[HtmlElement, int] = {}
    sums = [0]
    texts: list[list[str]] = [[]]  # text of the innermost open block, outside links
    for entering, element, text, in_link in walk_text(root):
        is_block = element.tag in _BLOCKS
        if entering:
            sums.append(0)
            if is_block:
                texts.append([])
        else:
            weight = sums.pop()
            if is_block:
                own[element] = _weight("".join(texts.pop()))
                weight += own[element]
            total[element] = weight
            sums[-1] += weight
        if text and not in_link:
            texts[-1].append(text)
    return total, own


def _weight(text: str) -> int:
    return count_words(text) if _SENTENCE.search(text) else 0
