"""Read-side queries used by the CLI, feeds and status views."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, Notice, NoticeVersion


def list_notices(
    session: Session,
    *,
    source_id: str | None = None,
    since: date | None = None,
    limit: int = 50,
) -> Sequence[Notice]:
    """Newest first (by publish date, then first seen)."""
    query = _notices_of(select(Notice), source_id, since)
    query = query.order_by(Notice.published.desc().nulls_last(), Notice.first_seen.desc()).limit(
        limit
    )
    return session.scalars(query).all()


def count_notices(
    session: Session, *, source_id: str | None = None, since: date | None = None
) -> int:
    """How many notices :func:`list_notices` would list with no limit."""
    query = _notices_of(select(func.count()).select_from(Notice), source_id, since)
    return session.scalar(query) or 0


def _notices_of(query: Select, source_id: str | None, since: date | None) -> Select:
    """``query`` narrowed to one source and to notices published (or, undated, first seen)
    since a day."""
    if source_id:
        query = query.where(Notice.source_id == source_id)
    if since:
        first_seen_since = Notice.first_seen >= datetime.combine(since, datetime.min.time())
        query = query.where(
            or_(Notice.published >= since, and_(Notice.published.is_(None), first_seen_since))
        )
    return query


def latest_version(session: Session, notice_id: int) -> NoticeVersion | None:
    return session.scalars(
        select(NoticeVersion)
        .where(NoticeVersion.notice_id == notice_id)
        .order_by(NoticeVersion.number.desc())
        .limit(1)
    ).first()


def duplicates_of(session: Session, notice_id: int) -> Sequence[Notice]:
    return session.scalars(
        select(Notice).where(Notice.duplicate_of_id == notice_id).order_by(Notice.first_seen)
    ).all()


def last_runs(session: Session) -> dict[str, CrawlRun]:
    """The latest crawl run of every source."""
    latest = (
        select(CrawlRun.source_id, func.max(CrawlRun.id).label("id"))
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    runs = session.scalars(select(CrawlRun).join(latest, CrawlRun.id == latest.c.id)).all()
    return {run.source_id: run for run in runs}


def notice_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Notice.source_id, func.count()).group_by(Notice.source_id))
    return {key: count for key, count in rows}


def first_of_each(
    columns: Sequence[Any], group: Any, order: Sequence[Any], where: Sequence[Any], most: int
) -> Select:
    """``columns`` of at most ``most`` rows per value of ``group`` (the first by ``order``),
    in one statement: a crawl asks this of hundreds of sources at once."""
    rank = func.row_number().over(partition_by=group, order_by=order).label("rank")
    ranked = select(*columns, rank).where(*where).subquery()
    return (
        select(*(ranked.c[column.key] for column in columns))
        .where(ranked.c.rank <= most)
        .order_by(ranked.c[group.key], ranked.c.rank)
    )
