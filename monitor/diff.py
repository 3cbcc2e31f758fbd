"""Diffs for unspaced Chinese text: by sentence, then by character within a sentence."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
SNIPPET_CHARS = 80


@dataclass(frozen=True)
class Change:
    removed: str
    added: str


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _char_change(old: str, new: str) -> Change:
    """The differing middle of two similar sentences, with a little context."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    opcodes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not opcodes:
        return Change("", "")
    start_old, start_new = opcodes[0][1], opcodes[0][3]
    end_old, end_new = opcodes[-1][2], opcodes[-1][4]
    context = 8
    return Change(
        old[max(0, start_old - context) : end_old + context][:SNIPPET_CHARS],
        new[max(0, start_new - context) : end_new + context][:SNIPPET_CHARS],
    )


def text_changes(old: str, new: str, limit: int = 5) -> list[Change]:
    """At most ``limit`` removed → added snippets turning ``old`` into ``new``."""
    old_s, new_s = sentences(old), sentences(new)
    matcher = difflib.SequenceMatcher(None, old_s, new_s, autojunk=False)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = "".join(old_s[i1:i2]), "".join(new_s[j1:j2])
        if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1:
            changes.append(_char_change(removed, added))
        else:
            changes.append(Change(removed[:SNIPPET_CHARS], added[:SNIPPET_CHARS]))
        if len(changes) == limit:
            break
    return changes


def unified(old: str, new: str, old_label: str, new_label: str) -> str:
    """A readable sentence-per-line unified diff."""
    lines = difflib.unified_diff(sentences(old), sentences(new), old_label, new_label, lineterm="")
    return "\n".join(lines)
