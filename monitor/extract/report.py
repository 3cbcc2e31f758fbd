"""Presenting an extracted notice: as JSON-ready data and as terminal text."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import ExtractedNotice


def notice_as_dict(notice: ExtractedNotice) -> dict[str, Any]:
    """The notice as plain JSON-serialisable data (dates as ISO-8601 strings)."""
    data = asdict(notice)
    data["published"] = notice.published.isoformat() if notice.published else None
    data["published_at"] = notice.published_at.isoformat() if notice.published_at else None
    return data


def format_notice(notice: ExtractedNotice) -> str:
    """A human-readable rendering for a terminal: header fields, body, attachments."""
    when = notice.published_at or notice.published
    fields = [
        ("日期", f"{when:%Y-%m-%d %H:%M}" if notice.published_at else when),
        ("来源", notice.issuer),
        ("文号", notice.doc_number),
        ("编码", notice.encoding),
    ]
    lines = [notice.title or "(无标题)", "=" * 40]
    lines += [f"{label}：{value}" for label, value in fields if value]
    lines += ["", notice.text or "(正文为空)"]
    if notice.attachments:
        lines += ["", f"附件（{len(notice.attachments)}）："]
        lines += [f"  [{a.kind}] {a.name}  {a.url}" for a in notice.attachments]
    return "\n".join(lines)
