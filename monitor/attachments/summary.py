"""A notice whose page says nothing but "详见附件" is summarised from its attachment."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from monitor.attachments.store import files_of

_POINTER = re.compile(
    r"(具体)?(内容|詳情|详情)?(请|請)?(详见|詳見|见|見|查看|下载|下載)(附件|附檔)\S{0,12}"
)
_ATTACHMENT_LINE = re.compile(r"^\s*(附件|附檔)\s*\d*\s*[:：.、]")
_NOISE = re.compile(r"[\s\W_]+")


def defers_to_attachments(text: str, names: Sequence[str] = ()) -> bool:
    """The page body is empty, or only points at its attachments (and lists them)."""
    lines = [
        line
        for line in text.splitlines()
        if not _ATTACHMENT_LINE.match(line) and line.strip() not in names
    ]
    rest = _POINTER.sub("", "\n".join(lines))
    return not _NOISE.sub("", rest)


def attachment_summary(session: Session, text: str, attachments: Sequence[dict]) -> str | None:
    """The text of the first readable attachment, when the body defers to its attachments."""
    if not defers_to_attachments(text, [a.get("name") or "" for a in attachments]):
        return None
    return next(
        (file.text for _, file in files_of(session, attachments) if file.text.strip()), None
    )
