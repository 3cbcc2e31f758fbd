"""Attachments as the commands show them: kind, size, pages/rows, how they read, text."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.attachments.reader import read_file
from monitor.config import AttachmentSettings
from storage.models import AttachmentFile, NoticeAttachment

if TYPE_CHECKING:  # the views import this module: trafilatura is not loaded for them
    from monitor.extract import Attachment

FIRST_LINES = 3


@dataclass
class FileReport:
    number: int
    name: str
    url: str
    kind: str
    size: int | None = None
    status: str | None = None  # text, scanned, listing, unreadable; None: not downloaded
    pages: int | None = None
    rows: int | None = None
    note: str | None = None  # why it could not be downloaded or read
    sha256: str | None = None
    text: str = ""

    def as_dict(self, *, with_text: bool = True) -> dict:
        data = asdict(self)
        if not with_text:
            data["first_lines"] = first_lines(self.text)
            del data["text"]
        return data


def first_lines(text: str, count: int = FIRST_LINES) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][:count]


def stored_files(session: Session, notice_id: int, listed: Sequence[dict]) -> list[FileReport]:
    """The files the notice's latest version lists, with what was read from them."""
    rows = {
        row.url: row
        for row in session.scalars(
            select(NoticeAttachment).where(NoticeAttachment.notice_id == notice_id)
        )
    }
    shas = [a.get("sha256") for a in listed if a.get("sha256")]
    contents = {
        f.sha256: f
        for f in session.scalars(select(AttachmentFile).where(AttachmentFile.sha256.in_(shas)))
    }
    reports = []
    for number, entry in enumerate(listed, 1):
        report = FileReport(number, entry["name"], entry["url"], entry["kind"])
        content = contents.get(entry.get("sha256") or "")
        if content is not None:
            report.size, report.status, report.note = content.size, content.status, content.note
            report.pages, report.rows = content.pages, content.rows
            report.sha256, report.text = content.sha256, content.text
        row = rows.get(entry["url"])
        if row is not None and row.error:
            report.note = f"download failed {row.attempts}×: {row.error}"
        reports.append(report)
    return reports


def fetched_files(
    attachments: Sequence[Attachment],
    settings: AttachmentSettings,
    download: Callable[[str, int], bytes],
) -> list[FileReport]:
    """Download (``download(url, max_bytes)``) and read each attachment of one page."""
    reports = []
    for number, attachment in enumerate(attachments, 1):
        report = FileReport(number, attachment.name, attachment.url, attachment.kind)
        reports.append(report)
        if attachment.kind not in settings.kinds:
            report.note = "not fetched: its kind is not in [attachments] kinds"
            continue
        try:
            data = download(attachment.url, settings.max_bytes + 1)
        except Exception as exc:  # the command reports each file, whatever broke
            report.note = f"cannot download it: {exc}"
            continue
        if len(data) > settings.max_bytes:
            report.note = "larger than [attachments] max_bytes: not read"
            continue
        read = read_file(data, attachment.kind, settings)
        report.size, report.sha256 = len(data), hashlib.sha256(data).hexdigest()
        report.status, report.note, report.text = read.status, read.note, read.text
        report.pages, report.rows = read.pages, read.rows
    return reports


def describe(report: FileReport) -> list[str]:
    """``附件2 名称.xlsx (xlsx, 12 KB, 40 行)`` and its first lines, or why there are none."""
    facts = [report.kind]
    if report.size is not None:
        facts.append(_size(report.size))
    if report.pages:
        facts.append(f"{report.pages} 页")
    if report.rows:
        facts.append(f"{report.rows} 行")
    if report.status and report.status != "text":
        facts.append(report.status)
    lines = [f"附件{report.number} {report.name} ({', '.join(facts)}) <{report.url}>"]
    if report.note:
        lines.append(f"    ! {report.note}")
    lines += [f"    {line}" for line in first_lines(report.text)]
    return lines


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
