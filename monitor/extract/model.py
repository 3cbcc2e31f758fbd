"""The records extraction returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Attachment:
    """A file linked from a notice."""

    name: str
    url: str
    kind: str  # file type: pdf, doc, docx, xls, xlsx, wps, ofd, zip, rar, ...


@dataclass
class ExtractedNotice:
    """The clean fields of one notice page."""

    title: str
    published: date | None
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    published_at: datetime | None = None  # Asia/Shanghai, only when the page gives a time
    issuer: str | None = None
    doc_number: str | None = None
    title_simple: str = ""
    text_simple: str = ""
    encoding: str = "utf-8"
