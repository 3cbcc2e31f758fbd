"""Subscription keywords in a notice's files: in which file, with a short snippet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SNIPPET_CHARS = 60


@dataclass(frozen=True)
class FoundIn:
    file: str
    snippet: str


def find_in_files(
    keywords: Iterable[str], files: Iterable[tuple[str, str]], normalised
) -> FoundIn | None:
    """The first of ``files`` (name, 简体 text) holding one of ``keywords``, with a snippet."""
    wanted = [normalised(k) for k in keywords]
    for name, text in files:
        folded = normalised(text)
        for keyword in wanted:
            at = folded.find(keyword)
            if at >= 0:
                return FoundIn(name, _snippet(text, at, len(keyword)))
    return None


def _snippet(text: str, at: int, length: int) -> str:
    half = (SNIPPET_CHARS - length) // 2
    start, end = max(0, at - half), at + length + half
    flat = " ".join(text[start:end].split())
    return f"{'…' if start else ''}{flat}{'…' if end < len(text) else ''}"
