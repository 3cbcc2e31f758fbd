"""The pending set: notice links seen on a list page and not stored yet.

A notice is done only when it is stored. Until then its link is kept here
(with its list title and date) and fetched again on every crawl of its source,
whatever the list page answers: the first retry on the very next crawl, later
ones after ``pending_retry_delay`` doubling, until it is stored or has failed
``give_up_after`` times. Plain functions on a session, called by the Recorder
inside its own transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from spiders.items import ListEntry
from storage.models import Notice, PendingLink
from storage.queries import first_of_each
from storage.upsert import insert_ignore

MAX_RETRIES_PER_CRAWL = 200
MAX_DELAY = timedelta(days=1)


def retry_delay(attempts: int, first_delay: float) -> timedelta:
    """How long after its ``attempts``-th failure a link is tried again (0 after the first)."""
    if attempts <= 1:
        return timedelta(0)
    return min(timedelta(seconds=first_delay * 2 ** (attempts - 2)), MAX_DELAY)


def remember(
    session: Session, source_id: str, entries: Iterable[ListEntry], now: datetime, *, baseline: bool
) -> int:
    """Add the entries that are neither stored nor pending; returns how many were added."""
    candidates = {entry.url: entry for entry in entries if not entry.is_file}
    if not candidates:
        return 0
    stored = set(session.scalars(select(Notice.url).where(Notice.url.in_(candidates))))
    added = 0
    for url, entry in candidates.items():
        if url in stored:
            continue
        row = {
            "source_id": source_id,
            "url": url,
            "list_title": entry.title,
            "list_date": entry.date_text,
            "first_seen": now,
            "baseline": baseline,
            "attempts": 0,
            "next_attempt_at": now,
        }
        if insert_ignore(session, PendingLink, row, ["url"]) is not None:
            added += 1
    return added


def due(session: Session, source_ids: Sequence[str], now: datetime) -> dict[str, list[ListEntry]]:
    """Each source's pending links to fetch in this crawl, oldest first (at most
    ``MAX_RETRIES_PER_CRAWL`` a source), for many sources in one statement."""
    rows = session.execute(
        first_of_each(
            (PendingLink.source_id, PendingLink.url, PendingLink.list_title, PendingLink.list_date),
            PendingLink.source_id,
            (PendingLink.first_seen, PendingLink.id),
            (
                PendingLink.source_id.in_(source_ids),
                PendingLink.gave_up_at.is_(None),
                or_(PendingLink.next_attempt_at.is_(None), PendingLink.next_attempt_at <= now),
            ),
            MAX_RETRIES_PER_CRAWL,
        )
    )
    found: dict[str, list[ListEntry]] = {}
    for source_id, url, title, date_text in rows:
        found.setdefault(source_id, []).append(ListEntry(url, title, date_text))
    return found


def lookup(session: Session, urls: Iterable[str], now: datetime) -> dict[str, bool]:
    """Which of ``urls`` are pending: url -> due for a fetch now (False once given up)."""
    rows = session.execute(
        select(PendingLink.url, PendingLink.next_attempt_at, PendingLink.gave_up_at).where(
            PendingLink.url.in_(list(urls))
        )
    )
    return {
        url: gave_up is None and (next_at is None or next_at <= now)
        for url, next_at, gave_up in rows
    }


def find(session: Session, url: str) -> PendingLink | None:
    return session.scalars(select(PendingLink).where(PendingLink.url == url)).one_or_none()


def resolve(session: Session, url: str) -> bool | None:
    """The link's notice is being stored: drop it from the set (undone if the transaction
    rolls back). Returns whether it was first seen in the silent baseline; None if not pending."""
    return session.execute(
        delete(PendingLink)
        .where(PendingLink.url == url)
        .returning(PendingLink.baseline)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def record_failure(
    session: Session,
    url: str,
    error: str,
    now: datetime,
    *,
    give_up_after: int,
    first_delay: float,
) -> PendingLink | None:
    """Count a failed fetch of a pending link; returns its row (``gave_up_at`` set when this
    failure gives it up), or None when the URL is not pending or already given up."""
    row = find(session, url)
    if row is None or row.gave_up_at is not None:
        return None
    row.attempts += 1
    row.last_error = error[:500]
    row.next_attempt_at = now + retry_delay(row.attempts, first_delay)
    if row.attempts >= give_up_after:
        row.gave_up_at = now
    return row


def listed(session: Session, source_id: str | None = None) -> list[PendingLink]:
    """Every pending link (given-up ones included), newest first."""
    query = select(PendingLink).order_by(PendingLink.first_seen.desc(), PendingLink.id.desc())
    if source_id:
        query = query.where(PendingLink.source_id == source_id)
    return list(session.scalars(query))
