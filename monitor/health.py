"""Classify a crawl run: ok, or why the source did not work this time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.events import EventKind
from spiders.items import FetchProblem, ProblemKind
from storage.db import utcnow
from storage.models import CrawlRun, Event, Notice, PendingLink
from storage.models import Source as SourceRow
from storage.states import NOT_JUDGED, RunOutcome

NOTICE_UNREACHABLE = "notice_unreachable"  # a new notice's page failed give_up_after times


class RunFacts(Protocol):
    list_pages: int
    list_not_modified: bool
    entries: dict
    details: int
    extract_failures: int
    problems: list[FetchProblem]
    stopped: bool


_KIND_OUTCOME = {
    ProblemKind.NETWORK: RunOutcome.NETWORK_ERROR,
    ProblemKind.HTTP: RunOutcome.HTTP_ERROR,
    ProblemKind.BLOCKED: RunOutcome.BLOCKED,
    ProblemKind.CONFIG: RunOutcome.CONFIG_ERROR,
    ProblemKind.NEEDS: RunOutcome.LAYOUT_DRIFT,
}


def classify_run(run: RunFacts) -> tuple[RunOutcome, str | None]:
    """``(outcome, error)`` for a finished crawl of one source."""
    if run.stopped:
        return RunOutcome.INTERRUPTED, "the crawl was stopped before it ended"
    if run.list_pages == 0 and not run.problems:
        return RunOutcome.INTERRUPTED, "the crawl ended before the list page answered"
    storage = [p for p in run.problems if p.kind == ProblemKind.STORAGE]
    if storage:
        return (
            RunOutcome.STORAGE_ERROR,
            f"{len(storage)} pages not stored; first: {storage[0].message}",
        )
    list_problems = [p for p in run.problems if p.is_list]
    if list_problems and run.list_pages == 0:
        first = list_problems[0]
        outcome = _KIND_OUTCOME.get(first.kind, RunOutcome.LAYOUT_DRIFT)
        return outcome, f"list page {first.url}: {first.message}"
    if run.list_not_modified:
        return RunOutcome.OK, None
    if run.list_pages and not run.entries:
        needs = [p.message for p in run.problems if p.kind == ProblemKind.NEEDS]
        hint = f"; {needs[0]}" if needs else ""
        return RunOutcome.LAYOUT_DRIFT, f"the list page answered but yields no notice links{hint}"
    if run.details >= 3 and run.extract_failures * 2 > run.details:
        return (
            RunOutcome.LAYOUT_DRIFT,
            f"extraction failed on {run.extract_failures} of {run.details} pages",
        )
    blocked = [p for p in run.problems if p.kind == ProblemKind.BLOCKED]
    if blocked and len(blocked) * 2 > max(run.details, 1):
        return RunOutcome.BLOCKED, f"{blocked[0].url}: {blocked[0].message}"
    return RunOutcome.OK, None


def health_events(source: SourceRow, run: CrawlRun, threshold: int) -> list[Event]:
    """Update the source's failure streak; ``source_error`` once at the threshold, ``source_recovered`` after."""
    if run.outcome in NOT_JUDGED:
        return []
    if run.outcome == RunOutcome.OK:
        events = (
            [_health_event(EventKind.SOURCE_RECOVERED, source, run)]
            if source.error_reported
            else []
        )
        source.consecutive_failures, source.failing_since, source.error_reported = 0, None, False
        return events
    source.consecutive_failures += 1
    source.failing_since = source.failing_since or run.started_at
    if source.error_reported or source.consecutive_failures < threshold:
        return []
    source.error_reported = True
    return [_health_event(EventKind.SOURCE_ERROR, source, run)]


def _health_event(kind: EventKind, source: SourceRow, run: CrawlRun) -> Event:
    return Event(
        kind=kind,
        source_id=source.id,
        crawl_run_id=run.id,
        created_at=run.finished_at or run.started_at,
        details={
            "outcome": run.outcome,
            "error": run.error,
            "failures": source.consecutive_failures,
            "failing_since": source.failing_since.isoformat() if source.failing_since else None,
        },
    )


def unreachable_event(row: PendingLink, run_id: int | None) -> Event:
    """The ``source_error`` alert for one notice whose page could not be fetched, given up."""
    return Event(
        kind=EventKind.SOURCE_ERROR,
        source_id=row.source_id,
        crawl_run_id=run_id,
        created_at=row.gave_up_at or utcnow(),
        details={
            "outcome": NOTICE_UNREACHABLE,
            "url": row.url,
            "title": row.list_title,
            "failures": row.attempts,
            "failing_since": row.first_seen.isoformat(),
            "error": f"{row.list_title or row.url}: {row.url}: {row.last_error}",
        },
    )


def stale_error(
    session: Session, source_id: str, stale_days: int | None, now: datetime
) -> str | None:
    """Why the source is stale (its newest notice was first seen over ``stale_days`` ago), or None."""
    if not stale_days:
        return None
    newest = session.scalar(
        select(func.max(Notice.first_seen)).where(Notice.source_id == source_id)
    )
    if newest is None or now - newest < timedelta(days=stale_days):
        return None
    return f"no new notice for {(now - newest).days} days (stale_days = {stale_days})"
