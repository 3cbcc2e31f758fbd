"""Two versions of a notice side by side: sentences kept, removed and added (as
``notices diff`` splits them, ``monitor.diff.sentences``), and within a rewritten
sentence the characters that changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from monitor.diff import sentences

Segment = tuple[str, bool]  # (text, changed)
CONTEXT = 1  # unchanged sentences shown around a change


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "changed", "removed", "added", "skipped"
    old: list[Segment]
    new: list[Segment]
    skipped: int = 0  # unchanged sentences not shown ("skipped" rows)


def _char_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    old_parts: list[Segment] = []
    new_parts: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            old_parts.append((old[i1:i2], tag != "equal"))
        if j2 > j1:
            new_parts.append((new[j1:j2], tag != "equal"))
    return old_parts, new_parts


def diff_rows(old_text: str, new_text: str) -> list[DiffRow]:
    """The rows of a side-by-side diff, long unchanged stretches folded."""
    old_s, new_s = sentences(old_text), sentences(new_text)
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old_s, new_s, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("same", [(s, False)], [(s, False)]) for s in old_s[i1:i2])
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for old, new in zip(old_s[i1:i2], new_s[j1:j2], strict=True):
                rows.append(DiffRow("changed", *_char_segments(old, new)))
        else:
            rows.extend(DiffRow("removed", [(s, True)], []) for s in old_s[i1:i2])
            rows.extend(DiffRow("added", [], [(s, True)]) for s in new_s[j1:j2])
    return _fold(rows)


def _fold(rows: list[DiffRow]) -> list[DiffRow]:
    """Unchanged rows further than ``CONTEXT`` from a change become one "skipped" row."""
    near = {
        i + offset
        for i, row in enumerate(rows)
        if row.kind != "same"
        for offset in range(-CONTEXT, CONTEXT + 1)
    }
    folded: list[DiffRow] = []
    for i, row in enumerate(rows):
        if row.kind != "same" or i in near:
            folded.append(row)
        elif folded and folded[-1].kind == "skipped":
            folded[-1] = DiffRow("skipped", [], [], folded[-1].skipped + 1)
        else:
            folded.append(DiffRow("skipped", [], [], 1))
    return folded
