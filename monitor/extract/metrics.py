"""Quality measures for extraction, shared by the benchmark and the tests.

Body similarity is a character F1 over the texts with all whitespace removed, using the
longest common subsequence (LCS): precision = LCS/len(pred), recall = LCS/len(gold).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textutil import CJK, normalize_space, squash

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_LEFTOVER = re.compile(rf"[{CJK}][(（][^)）]{{0,20}}[{_TONE_MARKS}][^)）]{{0,20}}[)）]")
"""A parenthesised, tone-marked pinyin annotation right after a CJK character."""
SPAM_PHRASES = (
    "人成", "国产精品", "精品国产", "亚洲精品", "中文字幕", "无码", "看片", "好紧", "好湿",
    "秋霞", "一区二区", "久久国产",
)  # fmt: skip
"""Phrases of injected SEO spam that never occur in an education notice."""


@dataclass(frozen=True)
class BodyScore:
    """Character precision, recall and F1 of one predicted body against the gold body."""

    precision: float
    recall: float
    f1: float


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence, bit-parallel (O(len(a)·len(b)/64))."""
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return 0
    masks: dict[str, int] = {}
    for index, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << index)
    full = (1 << len(a)) - 1
    row = full  # a one bit marks a column where the LCS did not grow yet
    for char in b:
        matched = row & masks.get(char, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(a) - row.bit_count()


def body_score(predicted: str, gold: str) -> BodyScore:
    """Character precision/recall/F1 of two texts, ignoring all whitespace."""
    pred, ref = squash(predicted), squash(gold)
    if not pred and not ref:
        return BodyScore(1.0, 1.0, 1.0)
    if not pred or not ref:
        return BodyScore(0.0, 0.0, 0.0)
    common = lcs_length(pred, ref)
    precision, recall = common / len(pred), common / len(ref)
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return BodyScore(precision, recall, f1)


def same_title(predicted: str | None, gold: str | None) -> bool:
    """Exact title match after normalising spaces."""
    return normalize_space(predicted or "") == normalize_space(gold or "")


def leftovers(text: str) -> list[str]:
    """Pinyin annotations and spam phrases that should not survive cleaning."""
    found = PINYIN_LEFTOVER.findall(text)
    found += [phrase for phrase in SPAM_PHRASES if phrase in text]
    return found
