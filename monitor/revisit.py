"""Which known notices a crawl re-checks for edits (conditional GET, so a 304 costs little).

Recent notices are re-checked with a backoff: a notice just stored (new or
edited) is re-checked on the next crawl; once found unchanged it waits
``[crawl] revisit_first``, then twice as long after each further unchanged
check, up to ``revisit_max``; an edit or a new title in its list row starts
over. Older notices are re-checked every ``revisit_old_days``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, true, update
from sqlalchemy.orm import Session

from monitor.config import CrawlSettings, Source
from spiders.items import KnownNotice, ListEntry
from storage.models import Notice
from storage.queries import first_of_each

MAX_RECHECKS = 200
EARLY = 0.9
"""A wait counts as over a little early, so that a wait of one crawl interval is not missed by
the seconds between a crawl's start and the moment the page was checked."""


def _waited(now: datetime, first: float, longest: float) -> ColumnElement[bool]:
    """Notices never found unchanged, and those last checked longer ago than their wait:
    ``first`` × 2^(quiet_checks - 1), at most ``longest`` (one term per doubling, so that
    every database can compare it)."""
    if first <= 0:
        return true()
    terms = [Notice.quiet_checks == 0]
    wait, quiet = first, 1
    while wait < longest:
        since = now - timedelta(seconds=wait * EARLY)
        terms.append(and_(Notice.quiet_checks == quiet, Notice.last_checked < since))
        wait, quiet = wait * 2, quiet + 1
    since = now - timedelta(seconds=longest * EARLY)
    terms.append(and_(Notice.quiet_checks >= quiet, Notice.last_checked < since))
    return or_(*terms)


def revisit_targets(
    session: Session, sources: Sequence[Source], crawl: CrawlSettings, now: datetime
) -> dict[str, list[KnownNotice]]:
    """Each source's notices to re-check (at most ``MAX_RECHECKS`` a source, least recently
    checked first): recent ones (published or first seen within ``revisit_days``) whose
    wait is over; older ones when not checked for ``revisit_old_days``; notices that went
    missing once, to confirm. One statement per distinct ``revisit_days``."""
    by_days: dict[int, list[str]] = {}
    for source in sources:
        by_days.setdefault(source.revisit_days, []).append(source.id)
    found: dict[str, list[KnownNotice]] = {}
    for days, source_ids in by_days.items():
        for source_id, url, etag, modified in _due_rows(session, source_ids, days, crawl, now):
            found.setdefault(source_id, []).append(KnownNotice(url, etag, modified, recheck=True))
    return found


def _due_rows(
    session: Session, source_ids: list[str], days: int, crawl: CrawlSettings, now: datetime
):
    recent = now - timedelta(days=days)
    stale_check = now - timedelta(days=crawl.revisit_old_days)
    is_recent = or_(
        Notice.published >= recent.date(),
        and_(Notice.published.is_(None), Notice.first_seen >= recent),
    )
    due = or_(
        and_(is_recent, _waited(now, crawl.revisit_first, crawl.revisit_max)),
        Notice.last_checked.is_(None),
        Notice.last_checked < stale_check,
        Notice.missing_checks > 0,
    )
    return session.execute(
        first_of_each(
            (Notice.source_id, Notice.url, Notice.etag, Notice.last_modified),
            Notice.source_id,
            (Notice.last_checked.asc().nulls_first(),),
            (Notice.source_id.in_(source_ids), Notice.status == "active", due),
            MAX_RECHECKS,
        )
    )


def restart_retitled(session: Session, entries: Iterable[ListEntry]) -> None:
    """Known notices whose list row now shows another title: re-checked on the next crawl."""
    titles = {entry.url: entry.title for entry in entries if entry.title}
    if not titles:
        return
    rows = session.execute(
        select(Notice.id, Notice.url, Notice.list_title).where(Notice.url.in_(titles))
    )
    for notice_id, url, stored in rows.all():
        if stored is not None and stored != titles[url]:
            session.execute(
                update(Notice)
                .where(Notice.id == notice_id)
                .values(list_title=titles[url], quiet_checks=0, last_checked=None)
            )
