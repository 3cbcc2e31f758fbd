"""Which known notices a crawl re-checks for edits (conditional GET, so a 304 costs little)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from monitor.config import Source
from spiders.items import KnownNotice
from storage.models import Notice

MAX_RECHECKS = 200


def revisit_targets(
    session: Session, source: Source, old_every_days: int, now: datetime
) -> list[KnownNotice]:
    """Recent notices (published or first seen within ``revisit_days``) every crawl; older ones
    when not checked for ``old_every_days``; notices that went missing once, to confirm."""
    recent = now - timedelta(days=source.revisit_days)
    stale_check = now - timedelta(days=old_every_days)
    is_recent = or_(
        Notice.published >= recent.date(),
        and_(Notice.published.is_(None), Notice.first_seen >= recent),
    )
    due = or_(
        is_recent,
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
