"""A notice's files in the database: which to download, contents kept once, failures as work.

Contents are ``attachment_files`` rows keyed by sha256 (text, pages/rows, how it
read), written once whoever links them; with ``[attachments] store`` a
directory, the bytes are kept there as ``<sha256>.<kind>``. ``notice_attachments``
holds what each notice links now: validators for conditional GETs, and for a
file that failed to download, the error, attempts and when to try again
(the backoff of :mod:`monitor.pending`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from monitor.attachments.formats import FileText
from monitor.attachments.reader import read_file
from monitor.config import AttachmentSettings, CrawlSettings
from monitor.extract import Attachment, ExtractedNotice
from monitor.pending import retry_delay
from monitor.simplified import to_simplified
from spiders.items import FetchedFile, FileWanted, KnownNotice
from storage.models import AttachmentFile, Notice, NoticeAttachment
from storage.queries import latest_version


@dataclass(frozen=True)
class FileOutcome:
    """One attachment after downloading and reading: its content's hash, or why not."""

    url: str
    name: str
    kind: str
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None  # the download failed: pending work
    size: int = 0
    read: FileText | None = None  # a content not stored yet
    body: bytes | None = None  # kept only to write it to the store directory

    @property
    def problem(self) -> str | None:
        """Why this file did not give its text, for the run's problems."""
        if self.error:
            return self.error
        if self.read and self.read.status == "unreadable":
            return self.read.note
        return None


def wanted(
    session: Session,
    notice_url: str,
    attachments: Sequence[Attachment],
    settings: AttachmentSettings,
) -> tuple[FileWanted, ...]:
    """The attachments of the notice at ``notice_url`` to download, with what is known of them."""
    chosen = [a for a in attachments if a.kind in settings.kinds][: settings.per_notice]
    if not chosen:
        return ()
    known = {
        row.url: row
        for row in session.scalars(
            select(NoticeAttachment)
            .join(Notice, Notice.id == NoticeAttachment.notice_id)
            .where(Notice.url == notice_url, NoticeAttachment.sha256.is_not(None))
        )
    }
    return tuple(
        FileWanted(
            a.url,
            a.name,
            a.kind,
            known[a.url].etag if a.url in known else None,
            known[a.url].last_modified if a.url in known else None,
        )
        for a in chosen
    )


def read_all(
    session: Session,
    fetched: Iterable[FetchedFile],
    attachments: Sequence[Attachment],
    settings: AttachmentSettings,
) -> tuple[FileOutcome, ...]:
    """Hash each downloaded file and read the contents not stored yet (each in a child)."""
    by_url = {a.url: a for a in attachments}
    outcomes = []
    for file in fetched:
        attachment = by_url.get(file.url) or Attachment(file.url, file.url, "file")
        base = FileOutcome(file.url, attachment.name, attachment.kind)
        if file.error or (file.body is None and not file.not_modified):
            outcomes.append(replace(base, error=file.error or "no answer"))
            continue
        base = replace(base, etag=file.etag, last_modified=file.last_modified)
        if file.body is None:
            outcomes.append(replace(base, not_modified=True))
            continue
        digest = hashlib.sha256(file.body).hexdigest()
        known = session.get(AttachmentFile, digest) is not None
        outcomes.append(
            replace(
                base,
                sha256=digest,
                size=len(file.body),
                read=None if known else read_file(file.body, attachment.kind, settings),
                body=file.body if settings.store != "db" and not known else None,
            )
        )
    return tuple(outcomes)


def contents(
    session: Session,
    notice_url: str,
    outcomes: Sequence[FileOutcome],
    settings: AttachmentSettings,
    now: datetime,
) -> dict[str, str]:
    """Store new contents; ``{url: sha256}`` of the notice's files as they are now.

    A 304, or a failed download of a file read before, keeps the content last read
    from that URL: a download failure is not a change.
    """
    before = {
        url: sha
        for url, sha in session.execute(
            select(NoticeAttachment.url, NoticeAttachment.sha256)
            .join(Notice, Notice.id == NoticeAttachment.notice_id)
            .where(Notice.url == notice_url)
        ).tuples()
        if sha
    }
    found: dict[str, str] = {}
    for outcome in outcomes:
        if outcome.sha256:
            found[outcome.url] = outcome.sha256
            if outcome.read is not None:
                _add_content(session, outcome, settings, now)
        elif outcome.url in before:
            found[outcome.url] = before[outcome.url]
    return found


def _add_content(
    session: Session, outcome: FileOutcome, settings: AttachmentSettings, now: datetime
) -> None:
    read = outcome.read
    assert read is not None and outcome.sha256 is not None
    path = None
    if outcome.body is not None:
        directory = Path(settings.store)
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{outcome.sha256}.{outcome.kind}"
        if not target.exists():
            partial = target.with_suffix(".part")
            partial.write_bytes(outcome.body)
            partial.replace(target)
        path = str(target)
    if session.get(AttachmentFile, outcome.sha256) is not None:
        return  # (another writer storing it at the same moment fails this transaction: retried)
    session.add(
        AttachmentFile(
            sha256=outcome.sha256,
            kind=outcome.kind,
            size=outcome.size,
            status=read.status,
            note=read.note,
            text=read.text,
            text_simple=to_simplified(read.text),
            pages=read.pages,
            rows=read.rows,
            path=path,
            first_seen=now,
        )
    )
    session.flush()


def remember(
    session: Session,
    notice_id: int,
    attachments: Sequence[Attachment],
    outcomes: Sequence[FileOutcome],
    found: dict[str, str],
    now: datetime,
    crawl: CrawlSettings,
) -> None:
    """The notice's attachment rows as the page lists them now, with validators and failures."""
    rows = {
        row.url: row
        for row in session.scalars(
            select(NoticeAttachment).where(NoticeAttachment.notice_id == notice_id)
        )
    }
    current = {a.url for a in attachments}
    gone = [url for url in rows if url not in current]
    if gone:
        session.execute(
            delete(NoticeAttachment).where(
                NoticeAttachment.notice_id == notice_id, NoticeAttachment.url.in_(gone)
            )
        )
    by_url = {o.url: o for o in outcomes}
    for position, attachment in enumerate(attachments):
        row = rows.get(attachment.url)
        if row is None:
            row = NoticeAttachment(notice_id=notice_id, url=attachment.url, attempts=0)
            session.add(row)
        row.position, row.name, row.kind = position, attachment.name, attachment.kind
        row.sha256 = found.get(attachment.url)
        outcome = by_url.get(attachment.url)
        if outcome is None:
            continue
        if outcome.error:
            row.attempts = (row.attempts or 0) + 1
            row.error = outcome.error[:500]
            row.next_attempt_at = now + retry_delay(row.attempts, crawl.pending_retry_delay)
            row.gave_up_at = now if row.attempts >= crawl.give_up_after else None
            continue
        row.error, row.attempts, row.next_attempt_at, row.gave_up_at = None, 0, None, None
        row.fetched_at = now
        if outcome.etag or outcome.last_modified:
            row.etag, row.last_modified = outcome.etag, outcome.last_modified


def due(session: Session, source_ids: Sequence[str], now: datetime) -> dict[str, list[KnownNotice]]:
    """Each source's notices with a file whose download failed and is due again: they are
    read again (unconditionally) with their attachments."""
    rows = session.execute(
        select(Notice.source_id, Notice.url)
        .join(NoticeAttachment, NoticeAttachment.notice_id == Notice.id)
        .where(
            Notice.source_id.in_(source_ids),
            NoticeAttachment.error.is_not(None),
            NoticeAttachment.gave_up_at.is_(None),
            NoticeAttachment.next_attempt_at <= now,
        )
        .distinct()
    )
    found: dict[str, list[KnownNotice]] = {}
    for source_id, url in rows:
        found.setdefault(source_id, []).append(KnownNotice(url, recheck=True))
    return found


def files_of(
    session: Session, version_attachments: Sequence[dict]
) -> list[tuple[dict, AttachmentFile]]:
    """``(attachment entry, its content)`` for a version's files that were read."""
    shas = [a["sha256"] for a in version_attachments if a.get("sha256")]
    if not shas:
        return []
    stored = {
        f.sha256: f
        for f in session.scalars(select(AttachmentFile).where(AttachmentFile.sha256.in_(shas)))
    }
    return [(a, stored[a["sha256"]]) for a in version_attachments if a.get("sha256") in stored]


def stored_notice(session: Session, url: str) -> ExtractedNotice | None:
    """The notice at ``url`` as its latest version holds it: what an unchanged (304) page
    says, so its files can be checked again without reading the page."""
    notice_id = session.scalar(select(Notice.id).where(Notice.url == url))
    version = latest_version(session, notice_id) if notice_id is not None else None
    if version is None:
        return None
    return ExtractedNotice(
        title=version.title,
        published=version.published,
        text=version.text,
        attachments=[Attachment(a["name"], a["url"], a["kind"]) for a in version.attachments],
        issuer=version.issuer,
        doc_number=version.doc_number,
        title_simple=version.title_simple,
        text_simple=version.text_simple,
    )
