"""The block that holds a notice on a page of no known CMS: where the prose is.

Prose is the text of blocks that read as sentences (they hold sentence punctuation),
outside links. From the page body down, the walk enters the child that holds most of
its parent's prose while that child holds at least ``_MAJORITY`` of it, and stops above
the paragraphs themselves: the notice's container keeps its salutation, 落款 and
attachment lines, which carry no sentence punctuation.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from .dom import BLOCK_TAGS
from .textutil import CJK

_SENTENCE = re.compile(r"[，。；！？,;!?]")
_WORD = re.compile(rf"[{CJK}A-Za-z]")
_BLOCKS = BLOCK_TAGS | {"td", "th"}
_MAJORITY = 0.8


def find_prose_block(root: HtmlElement) -> HtmlElement | None:
    """The element holding the page's running text, or None when there is no prose."""
    total, own = _prose_weights(root)
    node = root
    if not total.get(node):
        return None
    while True:
        best = max(node, key=lambda child: total.get(child, 0), default=None)
        if best is None or total.get(best, 0) < _MAJORITY * total[node] or own.get(best):
            return node
        node = best


def _prose_weights(root: HtmlElement) -> tuple[dict[HtmlElement, int], dict[HtmlElement, int]]:
    """Prose words under each element, and prose words in each block's own text."""
    total: dict[HtmlElement, int] = {}
    own: dict[HtmlElement, int] = {}
    sums = [0]
    texts: list[list[str]] = [[]]  # text of the innermost open block, outside links
    depth = 0  # how many links enclose the current point
    for event, element in etree.iterwalk(root, events=("start", "end")):
        is_block = element.tag in _BLOCKS
        is_link = element.tag == "a"
        if event == "start":
            depth += is_link
            sums.append(0)
            if is_block:
                texts.append([])
            if element.text and not depth:
                texts[-1].append(element.text)
            continue
        depth -= is_link
        weight = sums.pop()
        if is_block:
            own[element] = _weight("".join(texts.pop()))
            weight += own[element]
        total[element] = weight
        sums[-1] += weight
        if element.tail and element is not root and not depth:
            texts[-1].append(element.tail)
    return total, own


def _weight(text: str) -> int:
    return len(_WORD.findall(text)) if _SENTENCE.search(text) else 0
