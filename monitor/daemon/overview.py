"""What the daemon is doing, read from the database: for ``noticewatch status`` and ``/metrics``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.config import Config, Source
from monitor.daemon.lease import LEASE_NAME
from storage.models import CrawlRun, Delivery, PendingLink, ScheduledJob, SchedulerLock
from storage.models import Source as SourceRow
from storage.queries import last_runs, notice_counts
from storage.states import DeliveryStatus


@dataclass(frozen=True)
class SourceStatus:
    source: Source
    last_run: CrawlRun | None
    next_run: datetime | None  # aware UTC
    notices: int
    consecutive_failures: int
    due_since: datetime | None = None  # naive UTC: a due crawl waits for a slot since then
    pending: int = 0  # notice links not stored yet, still retried
    given_up: int = 0  # notice links given up after give_up_after failures


def next_runs(session: Session) -> dict[str, datetime]:
    """Next scheduled crawl per source id, from the daemon's job store."""
    rows = session.execute(
        select(ScheduledJob.id, ScheduledJob.next_run_time).where(ScheduledJob.id.like("crawl:%"))
    )
    return {
        job_id.removeprefix("crawl:"): datetime.fromtimestamp(timestamp, UTC)
        for job_id, timestamp in rows
        if timestamp is not None
    }


def source_statuses(session: Session, config: Config) -> list[SourceStatus]:
    """One line of facts per configured source."""
    runs, counts, upcoming = last_runs(session), notice_counts(session), next_runs(session)
    rows = {
        row.id: row
        for row in session.execute(
            select(SourceRow.id, SourceRow.consecutive_failures, SourceRow.due_since)
        )
    }
    waiting, given_up = pending_by_source(session)
    return [
        SourceStatus(
            source=source,
            last_run=runs.get(source.id),
            next_run=upcoming.get(source.id) if source.enabled else None,
            notices=counts.get(source.id, 0),
            consecutive_failures=rows[source.id].consecutive_failures if source.id in rows else 0,
            due_since=rows[source.id].due_since if source.id in rows else None,
            pending=waiting.get(source.id, 0),
            given_up=given_up.get(source.id, 0),
        )
        for source in config.sources
    ]


def pending_by_source(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """Pending notice links per source: (still retried, given up)."""
    retried = PendingLink.gave_up_at.is_(None)
    rows = session.execute(
        select(PendingLink.source_id, retried, func.count()).group_by(
            PendingLink.source_id, retried
        )
    )
    waiting: dict[str, int] = {}
    given_up: dict[str, int] = {}
    for source_id, is_retried, count in rows:
        (waiting if is_retried else given_up)[source_id] = count
    return waiting, given_up


def pending_deliveries(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING)
        )
        or 0
    )


def lease_holder(session: Session) -> SchedulerLock | None:
    """The scheduler lease row, if any daemon holds or held it."""
    return session.get(SchedulerLock, LEASE_NAME)


def crawl_outcomes(session: Session, after_run_id: int) -> dict[str, int]:
    """Finished crawl runs with an id above ``after_run_id``, counted by outcome."""
    rows = session.execute(
        select(CrawlRun.outcome, func.count())
        .where(CrawlRun.id > after_run_id, CrawlRun.finished_at.is_not(None))
        .group_by(CrawlRun.outcome)
    )
    return {key: count for key, count in rows}


def last_run_id(session: Session) -> int:
    return session.scalar(select(func.max(CrawlRun.id))) or 0
