"""Traditional → Simplified normalisation (OpenCC ``t2s``).

Conversion is slow-ish (a few ms per thousand characters), and most pages are already in
Simplified script. So the characters that some ``t2s`` dictionary entry changes are
collected once, and text holding none of them is returned as it is: every match OpenCC
could make in such text maps to itself, so the result is the same.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import opencc

_T2S_DICTIONARIES = ("TSPhrases.txt", "TSCharacters.txt")  # as listed in opencc's t2s.json


@cache
def _converter() -> opencc.OpenCC:
    """The t2s converter, built once on first use."""
    return opencc.OpenCC("t2s")


@cache
def _changed_characters() -> frozenset[str] | None:
    """Characters that some t2s entry rewrites; None when the dictionaries can't be read."""
    changed: set[str] = set()
    try:
        for name in _T2S_DICTIONARIES:
            text = files("opencc").joinpath("dictionary", name).read_text(encoding="utf-8")
            for line in text.splitlines():
                key, _, values = line.partition("\t")
                changed.update(_differing(key, values.split()))
    except OSError:
        return None
    return frozenset(changed)


def _differing(key: str, values: list[str]) -> set[str]:
    """Characters of ``key`` that any of its replacement candidates changes."""
    differing: set[str] = set()
    for value in values:
        if len(value) != len(key):
            return set(key)
        differing.update(k for k, v in zip(key, value, strict=True) if k != v)
    return differing


def to_simplified(text: str) -> str:
    """``text`` in Simplified Chinese script."""
    changed = _changed_characters()
    if not text or (changed is not None and changed.isdisjoint(text)):
        return text
    return _converter().convert(text)
