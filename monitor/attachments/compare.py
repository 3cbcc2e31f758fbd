"""Which files of a notice changed between two versions, and how (for CHANGED events).

A file is the same attachment when it keeps its link or its name; it changed
when its content hash did. The same bytes under another URL is no change.
For files with text, the change is told with the sentence-level diff of bodies.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.diff import text_changes
from storage.models import AttachmentFile


def _counterpart(entry: dict, others: Sequence[dict]) -> dict | None:
    for key in ("url", "name"):
        for other in others:
            if other.get(key) and other.get(key) == entry.get(key):
                return other
    return None


def file_changes(session: Session, old: Sequence[dict], new: Sequence[dict]) -> dict:
    """``attachments_added`` / ``_removed`` / ``_changed`` between two versions' file lists."""
    added = [a for a in new if _counterpart(a, old) is None]
    removed = [a for a in old if _counterpart(a, new) is None]
    changed = []
    for entry in new:
        before = _counterpart(entry, old)
        if before and before.get("sha256") and entry.get("sha256") not in (None, before["sha256"]):
            changed.append(_changed(session, before, entry))
    return {
        "attachments_added": added,
        "attachments_removed": removed,
        "attachments_changed": changed,
    }


def _changed(session: Session, before: dict, after: dict) -> dict:
    texts = dict(
        session.execute(
            select(AttachmentFile.sha256, AttachmentFile.text).where(
                AttachmentFile.sha256.in_([before["sha256"], after["sha256"]])
            )
        ).all()
    )
    old, new = texts.get(before["sha256"], ""), texts.get(after["sha256"], "")
    summary = [{"removed": c.removed, "added": c.added} for c in text_changes(old, new)]
    return {"name": after.get("name"), "url": after.get("url"), "summary": summary}
