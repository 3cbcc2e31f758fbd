"""What the web pages, feeds and API read: notices by filter, their badges, reposts, latest
versions, source health, runs and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from monitor.config import Config
from monitor.daemon.overview import SourceStatus, source_statuses
from storage import search
from storage.models import CrawlRun, Delivery, Event, Notice, NoticeVersion
from storage.models import Source as SourceRow
from storage.states import NoticeStatus

NOTICE_EVENTS = ("new", "changed", "withdrawn", "duplicate")  # event kinds a notice can carry


@dataclass(frozen=True)
class NoticeFilter:
    """What ``/``, the feeds and ``/api/notices`` are narrowed to."""

    source: str | None = None
    tag: str | None = None
    tag_sources: tuple[str, ...] = ()  # the sources carrying ``tag``
    events: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    query: str = ""  # as typed
    terms: tuple[str, ...] = ()  # the query's words in 简体

    @property
    def grouped(self) -> bool:
        """Reposts are shown under their first copy unless one source or tag is chosen."""
        return not (self.source or self.tag)


@dataclass(frozen=True)
class NoticePage:
    notices: Sequence[Notice]
    page: int
    size: int
    has_next: bool
    total: int | None  # None for a search (not counted)


def _filtered(query, session: Session, f: NoticeFilter, *, in_order: bool = False):
    """``query`` narrowed to ``f``. ``in_order``: for a page in list order, where a tag's
    sources are better found walking the publish-date index than gathered and sorted."""
    if f.source:
        query = query.where(Notice.source_id == f.source)
    if f.tag:
        source = Notice.source_id.concat("") if in_order else Notice.source_id  # no index
        query = query.where(source.in_(f.tag_sources))
    if f.grouped:
        query = query.where(Notice.duplicate_of_id.is_(None))
    if f.events:
        query = query.where(
            exists().where(
                Event.notice_id == Notice.id, Event.kind.in_(f.events), Event.silent.is_(False)
            )
        )
    if f.since:
        query = query.where(_on_or_after(f.since))
    if f.until:
        query = query.where(~_on_or_after(date.fromordinal(f.until.toordinal() + 1)))
    if f.terms:
        dialect = session.get_bind().dialect.name
        query = query.where(Notice.id.in_(search.matching_ids(dialect, f.terms)))
    return query


def _on_or_after(day: date):
    """Published on or after ``day``; an undated notice by the day it was first seen."""
    first_seen = Notice.first_seen >= datetime.combine(day, time.min)
    return or_(Notice.published >= day, and_(Notice.published.is_(None), first_seen))


def notice_page(session: Session, f: NoticeFilter, page: int, size: int) -> NoticePage:
    """One page of notices, newest first (publish date, then first seen)."""
    published = Notice.published.desc()
    if session.get_bind().dialect.name != "sqlite":  # SQLite puts NULLs last in DESC already,
        published = published.nulls_last()  # and uses ix_notices_listing only without NULLS LAST
    query = _filtered(select(Notice), session, f, in_order=True).order_by(
        published, Notice.first_seen.desc(), Notice.id.desc()
    )
    rows = session.scalars(query.offset((page - 1) * size).limit(size + 1)).all()
    total = None
    if not f.terms:
        total = session.scalar(_filtered(select(func.count(Notice.id)), session, f)) or 0
    return NoticePage(rows[:size], page, size, len(rows) > size, total)


def badges(session: Session, notices: Sequence[Notice]) -> dict[int, list[str]]:
    """Per notice: the kinds of alerting events it had (NEW, CHANGED …), and WITHDRAWN."""
    ids = [n.id for n in notices]
    kinds: dict[int, set[str]] = {i: set() for i in ids}
    if ids:
        rows = session.execute(
            select(Event.notice_id, Event.kind)
            .where(Event.notice_id.in_(ids), Event.silent.is_(False))
            .distinct()
        )
        for notice_id, kind in rows.tuples():
            if notice_id is not None:
                kinds[notice_id].add(kind)
    for notice in notices:
        if notice.status == NoticeStatus.WITHDRAWN:
            kinds[notice.id].add("withdrawn")
    return {i: [k for k in NOTICE_EVENTS if k in found] for i, found in kinds.items()}


def reposts(session: Session, notices: Sequence[Notice]) -> dict[int, list[Notice]]:
    """Per notice: the copies other sources published (stored as duplicates of it)."""
    ids = [n.id for n in notices]
    found: dict[int, list[Notice]] = {i: [] for i in ids}
    if ids:
        rows = session.scalars(select(Notice).where(Notice.duplicate_of_id.in_(ids))).all()
        for row in sorted(rows, key=lambda n: (n.first_seen, n.id)):
            if row.duplicate_of_id is not None:
                found[row.duplicate_of_id].append(row)
    return found


def originals(session: Session, notices: Sequence[Notice]) -> dict[int, Notice]:
    """The first copies of the notices that are reposts, by their id."""
    ids = {n.duplicate_of_id for n in notices if n.duplicate_of_id is not None}
    if not ids:
        return {}
    return {n.id: n for n in session.scalars(select(Notice).where(Notice.id.in_(ids)))}


def latest_versions(session: Session, notices: Sequence[Notice]) -> dict[int, NoticeVersion]:
    ids = [n.id for n in notices]
    if not ids:
        return {}
    newest = (
        select(func.max(NoticeVersion.id))
        .where(NoticeVersion.notice_id.in_(ids))
        .group_by(NoticeVersion.notice_id)
    )
    rows = session.scalars(select(NoticeVersion).where(NoticeVersion.id.in_(newest)))
    return {v.notice_id: v for v in rows}


def source_names(session: Session, config: Config) -> dict[str, str]:
    """Source id → name: the config's, then the stored ones of sources since removed."""
    names = dict(session.execute(select(SourceRow.id, SourceRow.name)).tuples().all())
    return names | {s.id: s.name for s in config.sources}


def notice_events(session: Session, notice_id: int) -> Sequence[Event]:
    return session.scalars(
        select(Event).where(Event.notice_id == notice_id).order_by(Event.created_at, Event.id)
    ).all()


@dataclass(frozen=True)
class SourceHealth:
    status: SourceStatus
    last_new: datetime | None  # when its newest notice was first seen


def source_health(session: Session, config: Config) -> list[SourceHealth]:
    latest = (  # per source: one look into ix_notices_source_first_seen
        select(func.max(Notice.first_seen))
        .where(Notice.source_id == SourceRow.id)
        .scalar_subquery()
    )
    newest = dict(session.execute(select(SourceRow.id, latest)).tuples().all())
    return [SourceHealth(s, newest.get(s.source.id)) for s in source_statuses(session, config)]


def recent_runs(session: Session, source_id: str, limit: int = 30) -> Sequence[CrawlRun]:
    return session.scalars(
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id)
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    ).all()


def recent_deliveries(
    session: Session, status: str | None, page: int, size: int
) -> tuple[Sequence[Delivery], bool]:
    """The outbox, newest first; whether there is a next page."""
    query = select(Delivery).order_by(Delivery.id.desc())
    if status:
        query = query.where(Delivery.status == status)
    rows = session.scalars(query.offset((page - 1) * size).limit(size + 1)).all()
    return rows[:size], len(rows) > size


def delivery_events(session: Session, deliveries: Sequence[Delivery]) -> dict[int, Event]:
    ids = {d.event_id for d in deliveries if d.event_id is not None}
    if not ids:
        return {}
    return {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(ids)))}
