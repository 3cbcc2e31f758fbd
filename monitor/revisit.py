"""Which known notices a crawl re-checks for edits (conditional GET, so a 304 costs little).

Recent notices are re-checked with a backoff: a notice just stored (new or
edited) is re-checked on the next crawl; once found unchanged it waits
``[crawl] revisit_first``, then twice as long after each further unchanged
check, up to ``revisit_max``; an edit or a new title in its list row starts
over. Older notices are re-checked every ``revisit_old_days``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, true, update
from sqlalchemy.orm import Session

from monitor.config import CrawlSettings, Source
from spiders.items import KnownNotice, ListEntry
from storage.models import Notice

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
    session: Session, source: Source, crawl: CrawlSettings, now: datetime
) -> list[KnownNotice]:
    """Recent notices (published or first seen within ``revisit_days``) whose wait is over;
    older ones when not checked for ``revisit_old_days``; notices that went missing once, to
    confirm."""
    recent = now - timedelta(days=source.revisit_days)
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
    rows = session.execute(
        select(Notice.url, Notice.etag, Notice.last_modified)
        .where(Notice.source_id == source.id, Notice.status == "active", due)
        .order_by(Notice.last_checked.asc().nulls_first())
        .limit(MAX_RECHECKS)
    )
    return [KnownNotice(url, etag, modified, recheck=True) for url, etag, modified in rows]


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
