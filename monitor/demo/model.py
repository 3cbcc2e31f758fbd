"""The notice record a mock site serves."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

BEIJING_OFFSET = timedelta(hours=8)


@dataclass
class MockNotice:
    """One notice on a mock site.

    ``published`` and ``modified`` are naive Beijing (Asia/Shanghai) times.
    ``paragraphs`` is the clean body, the last ``signoff`` of them being the
    落款 (issuing office, date). ``views`` is the volatile read counter.
    ``pinyin`` ("ruby" or "flat") asks the big5 style to annotate the body.
    """

    id: int
    title: str
    published: datetime
    paragraphs: list[str]
    attachments: list[tuple[str, str]] = field(default_factory=list)
    issuer: str | None = None
    doc_number: str | None = None
    pinned: bool = False
    views: int = 0
    removed: bool = False
    signoff: int = 0
    author: str | None = None
    pinyin: str | None = None
    truncated: bool = False
    modified: datetime | None = None

    @property
    def body(self) -> str:
        """The expected clean body text: paragraphs joined by newlines."""
        return "\n".join(self.paragraphs)

    @property
    def last_modified(self) -> datetime:
        """When the content last changed (Beijing time)."""
        return self.modified or self.published

    @property
    def etag(self) -> str:
        """A quoted entity tag derived from the content, never the counter."""
        parts = [
            self.title,
            self.published.isoformat(),
            *self.paragraphs,
            *(f"{name}\x1f{filename}" for name, filename in self.attachments),
            self.doc_number or "",
            self.issuer or "",
            f"truncated={self.truncated}",
        ]
        digest = hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]
        return f'"{digest}"'


def beijing_to_utc(moment: datetime) -> datetime:
    """Naive Beijing time to an aware UTC datetime."""
    return (moment - BEIJING_OFFSET).replace(tzinfo=UTC)


def beijing_now() -> datetime:
    """The current naive Beijing time, to the second."""
    return (datetime.now(UTC) + BEIJING_OFFSET).replace(tzinfo=None, microsecond=0)
