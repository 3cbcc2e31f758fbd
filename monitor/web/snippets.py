"""Highlighted snippets of search hits: where a 简体 query matched, shown in the notice's
own script when the 简体 copy lines up with it character for character."""

from __future__ import annotations

from collections.abc import Sequence

Segment = tuple[str, bool]  # (text, matched)

SNIPPET_CHARS = 120
LEAD_CHARS = 30  # shown before the first match


def _spans(simple: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``terms`` occur in ``simple`` (ignoring ASCII case), merged and sorted."""
    lowered = simple.lower()
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle, start = term.lower(), 0
        while needle and (found := lowered.find(needle, start)) >= 0:
            spans.append((found, found + len(needle)))
            start = found + len(needle)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(original: str, simple: str, terms: Sequence[str]) -> list[Segment]:
    """The whole of ``original`` with the matches of ``terms`` marked."""
    return _segments(original, simple, terms, 0, len(simple))


def snippet(original: str, simple: str, terms: Sequence[str]) -> list[Segment]:
    """About ``SNIPPET_CHARS`` characters around the first match (the start when none)."""
    spans = _spans(simple, terms)
    start = max(0, spans[0][0] - LEAD_CHARS) if spans else 0
    end = min(len(simple), start + SNIPPET_CHARS)
    segments = _segments(original, simple, terms, start, end)
    if start > 0:
        segments.insert(0, ("…", False))
    if end < len(simple):
        segments.append(("…", False))
    return segments


def _segments(
    original: str, simple: str, terms: Sequence[str], start: int, end: int
) -> list[Segment]:
    shown = original if len(original) == len(simple) else simple
    segments: list[Segment] = []
    at = start
    for span_start, span_end in _spans(simple, terms):
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > at:
            segments.append((shown[at:span_start], False))
        segments.append((shown[span_start:span_end], True))
        at = span_end
    if at < end:
        segments.append((shown[at:end], False))
    return [(text.replace("\n", " "), matched) for text, matched in segments]
