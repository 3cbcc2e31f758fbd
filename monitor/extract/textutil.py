"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Character-class body matching CJK ideographs (use inside ``[...]``)."""

_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CJK_CHAR = re.compile(f"[{CJK}]")
_WORD_CHAR = re.compile(f"[{CJK}A-Za-z]")


def normalize_space(text: str) -> str:
    """Collapse every kind of space (NBSP, full-width, tabs) to one ASCII space; strip."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def squash(text: str) -> str:
    """Remove all whitespace, for comparisons that ignore layout."""
    return _SPACES.sub("", _INVISIBLE.sub("", text))


def has_cjk(text: str) -> bool:
    """True when the text holds at least one CJK ideograph."""
    return _CJK_CHAR.search(text) is not None


def count_words(text: str) -> int:
    """CJK characters plus Latin letters: what a reader reads, not digits or punctuation."""
    return len(_WORD_CHAR.findall(text))
