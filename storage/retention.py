"""Retention: prune old crawl runs, events, deliveries and surplus notice versions.

Rows go in small batches, each its own short transaction, so a crawl or a
daemon writing to the same SQLite file waits at most one batch. Every write
statement repeats its rule, so a row that changed since it was picked (an
alert retried, a new run started) is left alone. What always stays: notices,
each notice's latest version, each source's latest (and latest finished) run,
unfinished runs, alerts not sent yet (``pending``/``digest`` rows, the rows
collected into a digest still ``pending``) and their events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased, sessionmaker

from storage.db import rows_affected, utcnow
from storage.models import CrawlRun, Delivery, Event, NoticeVersion
from storage.states import FINAL, UNSENT, DeliveryStatus

log = logging.getLogger(f"noticewatch.{__name__}")

TABLES = ("crawl_runs", "events", "deliveries", "notice_versions")


class RetentionPolicy(Protocol):
    """What :func:`prune` reads: ``monitor.config.Retention`` or any object with these."""

    @property
    def keep_runs_days(self) -> int: ...
    @property
    def keep_events_days(self) -> int: ...
    @property
    def keep_deliveries_days(self) -> int: ...
    @property
    def keep_versions(self) -> int | None: ...


@dataclass
class PruneReport:
    """Rows deleted (or, for a dry run, that would be) per table."""

    crawl_runs: int = 0
    events: int = 0
    deliveries: int = 0
    notice_versions: int = 0
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        return {table: getattr(self, table) for table in TABLES}


def prune(
    sessions: sessionmaker[Session],
    policy: RetentionPolicy,
    now: datetime | None = None,
    *,
    batch: int = 500,
    dry_run: bool = False,
) -> PruneReport:
    """Apply ``policy`` as of ``now`` (naive UTC, default: now); ``dry_run`` only counts."""
    _check(policy, batch)
    limits = _Limits.of(policy, now or utcnow())
    report = _count_all(sessions, limits) if dry_run else _delete_all(sessions, limits, batch)
    log.info("retention%s: %s", " (dry run)" if dry_run else "", report.counts())
    return report


@dataclass(frozen=True)
class _Limits:
    """The policy as cut-off times (naive UTC)."""

    runs_before: datetime
    events_before: datetime
    deliveries_before: datetime
    keep_versions: int | None

    @classmethod
    def of(cls, policy: RetentionPolicy, now: datetime) -> _Limits:
        return cls(
            runs_before=now - timedelta(days=policy.keep_runs_days),
            events_before=now - timedelta(days=policy.keep_events_days),
            deliveries_before=now - timedelta(days=policy.keep_deliveries_days),
            keep_versions=policy.keep_versions,
        )


def _delete_all(sessions: sessionmaker[Session], limits: _Limits, batch: int) -> PruneReport:
    """Deliveries, then events (with their remaining deliveries), runs, versions."""
    report = PruneReport()
    report.deliveries = _batches(sessions, batch, _delivery_batch(limits.deliveries_before))
    report.events, attached = _prune_events(sessions, batch, limits.events_before)
    report.deliveries += attached
    report.crawl_runs = _batches(sessions, batch, _run_batch(limits.runs_before))
    if limits.keep_versions is not None:
        report.notice_versions = _batches(sessions, batch, _version_batch(limits.keep_versions))
    return report


def _check(policy: RetentionPolicy, batch: int) -> None:
    days = (policy.keep_runs_days, policy.keep_events_days, policy.keep_deliveries_days)
    if any(day < 1 for day in days):
        raise ValueError("retention days must be at least 1")
    if policy.keep_versions is not None and policy.keep_versions < 1:
        raise ValueError("keep_versions must be at least 1 (the latest version is always kept)")
    if batch < 1:
        raise ValueError("batch must be at least 1")


# -- rules -----------------------------------------------------------------------------------


def _done(before: datetime, row: type[Delivery]) -> ColumnElement[bool]:
    """``row`` is older than ``before``, sent or failed, and nothing recent was collected into it."""
    child = aliased(Delivery)
    recent_child = exists().where(child.digest_id == row.id, child.created_at >= before)
    return and_(row.created_at < before, row.status.in_(FINAL), ~recent_child)


def _delivery_expired(before: datetime) -> ColumnElement[bool]:
    """Deliveries to prune: done ones, and digested ones whose digest row goes too."""
    digest = aliased(Delivery)
    digest_goes = exists().where(digest.id == Delivery.digest_id, _done(before, digest))
    digested = and_(
        Delivery.status == DeliveryStatus.DIGESTED,
        Delivery.created_at < before,
        or_(Delivery.digest_id.is_(None), digest_goes),
    )
    return or_(_done(before, Delivery), digested)


def _unsent(row: type[Delivery]) -> ColumnElement[bool]:
    """``row`` is an alert not sent yet: waiting, or collected into a digest still waiting."""
    parent = aliased(Delivery)
    digest_waiting = exists().where(
        parent.id == row.digest_id, parent.status == DeliveryStatus.PENDING
    )
    return or_(row.status.in_(UNSENT), and_(row.status == DeliveryStatus.DIGESTED, digest_waiting))


def _event_expired(before: datetime) -> ColumnElement[bool]:
    """Events older than ``before`` with no alert still to send."""
    row = aliased(Delivery)
    return and_(Event.created_at < before, ~exists().where(row.event_id == Event.id, _unsent(row)))


def _latest_runs() -> CompoundSelect:
    """Each source's latest run and latest finished run (ids)."""
    run = aliased(CrawlRun)
    latest = select(func.max(run.id)).group_by(run.source_id)
    finished = latest.where(run.finished_at.is_not(None))
    return latest.union(finished)


def _run_expired(before: datetime) -> ColumnElement[bool]:
    return and_(
        CrawlRun.started_at < before,
        CrawlRun.finished_at.is_not(None),
        CrawlRun.id.not_in(_latest_runs()),
    )


def _version_surplus(keep: int) -> ColumnElement[bool]:
    """Versions with at least ``keep`` newer versions of the same notice (never the latest)."""
    newer = aliased(NoticeVersion)
    count = (
        select(func.count())
        .where(newer.notice_id == NoticeVersion.notice_id, newer.number > NoticeVersion.number)
        .scalar_subquery()
    )
    return count >= keep


# -- batches ---------------------------------------------------------------------------------

Batch = Callable[[Session, int, int], tuple[int, int | None]]
"""``(session, after_id, size) -> (rows deleted, last id looked at or None when done)``."""


def _batches(sessions: sessionmaker[Session], size: int, step: Batch) -> int:
    """Run ``step`` batch after batch, each in its own transaction, in id order."""
    total, after = 0, 0
    while True:
        with sessions.begin() as session:
            deleted, last = step(session, after, size)
        total += deleted
        if last is None:
            return total
        after = last


def _pick(session: Session, column, rule: ColumnElement[bool], after: int, size: int) -> list:
    query = select(column).where(column > after, rule).order_by(column).limit(size)
    return list(session.scalars(query))


def _deleted(session: Session, statement) -> int:
    return rows_affected(session.execute(statement.execution_options(synchronize_session=False)))


def _delivery_batch(before: datetime) -> Batch:
    rule = _delivery_expired(before)

    def step(session: Session, after: int, size: int) -> tuple[int, int | None]:
        ids = _pick(session, Delivery.id, rule, after, size)
        if not ids:
            return 0, None
        picked = Delivery.id.in_(ids) & rule
        child = aliased(Delivery)
        childless = ~exists().where(child.digest_id == Delivery.id)
        # digested rows first, then the digest rows they pointed at
        count = _deleted(session, delete(Delivery).where(picked, Delivery.digest_id.is_not(None)))
        count += _deleted(session, delete(Delivery).where(picked, childless))
        return count, ids[-1]

    return step


def _prune_events(sessions: sessionmaker[Session], size: int, before: datetime) -> tuple[int, int]:
    """Delete expired events with their deliveries; returns (events, deliveries) deleted."""
    attached = 0
    rule = _event_expired(before)

    def step(session: Session, after: int, size: int) -> tuple[int, int | None]:
        nonlocal attached
        ids = _pick(session, Event.id, rule, after, size)
        if not ids:
            return 0, None
        going = select(Event.id).where(Event.id.in_(ids), rule)
        attached += _deleted(
            session,
            delete(Delivery).where(Delivery.event_id.in_(going), Delivery.status.not_in(UNSENT)),
        )
        row = aliased(Delivery)
        unreferenced = ~exists().where(row.event_id == Event.id)
        deleted = _deleted(session, delete(Event).where(Event.id.in_(ids), rule, unreferenced))
        return deleted, ids[-1]

    return _batches(sessions, size, step), attached


def _detaching_batch(column, rule: ColumnElement[bool], reference) -> Batch:
    """Delete rows matching ``rule``; events still pointing at them get ``reference`` NULL."""

    def step(session: Session, after: int, size: int) -> tuple[int, int | None]:
        ids = _pick(session, column, rule, after, size)
        if not ids:
            return 0, None
        going = select(column).where(column.in_(ids), rule)
        session.execute(
            update(Event)
            .where(reference.in_(going))
            .values({reference.key: None})
            .execution_options(synchronize_session=False)
        )
        return _deleted(session, delete(column.class_).where(column.in_(ids), rule)), ids[-1]

    return step


def _run_batch(before: datetime) -> Batch:
    return _detaching_batch(CrawlRun.id, _run_expired(before), Event.crawl_run_id)


def _version_batch(keep: int) -> Batch:
    return _detaching_batch(NoticeVersion.id, _version_surplus(keep), Event.version_id)


# -- dry run ---------------------------------------------------------------------------------


def _count(session: Session, column, rule: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count(column)).where(rule)) or 0


def _count_all(sessions: sessionmaker[Session], limits: _Limits) -> PruneReport:
    """What :func:`_delete_all` would delete, counted without writing."""
    report = PruneReport(dry_run=True)
    going_events = _event_expired(limits.events_before)
    attached = and_(
        Delivery.event_id.in_(select(Event.id).where(going_events)),
        Delivery.status.not_in(UNSENT),
    )
    with sessions() as session:
        expired = _delivery_expired(limits.deliveries_before)
        report.deliveries = _count(session, Delivery.id, or_(expired, attached))
        report.events = _count(session, Event.id, going_events)
        report.crawl_runs = _count(session, CrawlRun.id, _run_expired(limits.runs_before))
        if limits.keep_versions is not None:
            surplus = _version_surplus(limits.keep_versions)
            report.notice_versions = _count(session, NoticeVersion.id, surplus)
    return report
