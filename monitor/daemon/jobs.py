"""The daemon's scheduled jobs, and keeping the persistent job store in line with the config.

The job store keeps references to :func:`crawl` and :func:`digest` and their
arguments, not objects: the running daemon gives them what they use with :func:`bind`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import obj_to_ref
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import AlertMode, Config
from monitor.cron import crontab_trigger
from monitor.daemon.dispatch import Dispatcher
from monitor.daemon.schedule import (
    batch_wait,
    describe,
    period,
    source_trigger,
    spread,
    within_active_hours,
)
from monitor.notify.digest import queue_due_digests
from storage.db import utcnow
from storage.models import ScheduledJob

log = logging.getLogger(f"noticewatch.{__name__}")
CRAWLS = "crawls"  # the executor of crawl jobs (they only hand the source to the Dispatcher)
DIGESTS = "default"
RETRY_STORE = 2.0  # seconds between attempts to read the job store while the database is away


@dataclass(frozen=True)
class JobContext:
    """What the jobs of the running daemon use."""

    config: Config
    timezone: ZoneInfo
    sessions: sessionmaker[Session]
    dispatcher: Dispatcher
    wake_notifier: Callable[[], None]  # the notifier child sends what was queued


_context: JobContext | None = None


def bind(context: JobContext | None) -> None:
    """Give the jobs of this process their context (None when the daemon stops)."""
    global _context
    _context = context


def _bound() -> JobContext:
    if _context is None:
        raise RuntimeError("no daemon is running in this process")
    return _context


def crawl(source_id: str) -> None:
    """Job: a crawl of the source is due (not outside its active hours): hand it to a slot."""
    context = _bound()
    source = context.config.source(source_id)
    now = datetime.now(context.timezone)
    hours = source.active_hours
    if hours and not within_active_hours(hours, now):
        log.debug("%s: outside active hours %s-%s, skipped", source_id, *hours)
        return
    gather = 0.0
    if context.dispatcher.batch > 1:
        gather = batch_wait(source, context.timezone, context.config.daemon.batch_wait, now)
    context.dispatcher.submit(source_id, gather)


def prune(_name: str) -> None:
    """Job: drop history older than the ``[storage] keep_*`` settings, in small batches."""
    from storage.retention import prune as prune_history

    context = _bound()
    try:
        prune_history(context.sessions, context.config.retention)  # logs what it pruned
    except Exception as exc:  # the next day tries again
        log.error("prune: %s: %s", type(exc).__name__, exc)


def digest(cron: str) -> None:
    """Job: queue the digests that are due (digest-mode subscriptions with this ``digest_cron``)."""
    context = _bound()
    try:
        queued = queue_due_digests(context.sessions, context.config, utcnow())
    except Exception as exc:  # what is due stays due: the next run queues it
        log.error("digest %s: %s: %s", cron, type(exc).__name__, exc)
        return
    if queued:
        context.wake_notifier()


class _JobStore(SQLAlchemyJobStore):
    """The job store in the database, remembering since when reading it fails."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.failing_since: float | None = None  # monotonic time of the first failure

    def get_due_jobs(self, now):
        try:
            jobs = super().get_due_jobs(now)
        except Exception:
            self.failing_since = self.failing_since or time.monotonic()
            raise
        self.failing_since = None
        return jobs


class Scheduler(BackgroundScheduler):
    """A scheduler that survives a database outage and stops cleanly.

    APScheduler 3 lets an error from the job store (updating a job after it
    ran) end its thread, after which nothing is ever scheduled again; here such
    a pass is retried every ``RETRY_STORE`` seconds, and :attr:`failing_since`
    tells the daemon how long it has not been able to schedule. It also makes
    no pass after ``shutdown()`` (APScheduler would submit due jobs to executors
    already shut down).
    """

    _failed_pass_since: float | None = None

    @property
    def failing_since(self) -> float | None:
        """Monotonic time since which the scheduler cannot read or update its jobs, or None."""
        store = self._jobstores.get("default")
        times = [self._failed_pass_since, getattr(store, "failing_since", None)]
        return min((t for t in times if t is not None), default=None)

    @property
    def alive(self) -> bool:
        thread = getattr(self, "_thread", None)
        return thread is not None and thread.is_alive()

    def _process_jobs(self):
        if self.state == STATE_STOPPED:
            return None
        try:
            wait = super()._process_jobs()
        except Exception as exc:
            if self._failed_pass_since is None:
                log.error("scheduler: %s: %s (retrying)", type(exc).__name__, exc)
                self._failed_pass_since = time.monotonic()
            return RETRY_STORE
        self._failed_pass_since = None
        return wait


def build_scheduler(engine: Engine, timezone: ZoneInfo) -> Scheduler:
    """A scheduler whose jobs live in the database; one run per job at a time, missed runs coalesced."""
    return Scheduler(
        jobstores={"default": _JobStore(engine=engine, tablename=ScheduledJob.__tablename__)},
        executors={CRAWLS: ThreadPoolExecutor(2), DIGESTS: ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        jobstore_retry_interval=RETRY_STORE,
        timezone=timezone,
    )


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[str], None]
    arg: str
    trigger: BaseTrigger
    executor: str
    new_runs_at_start: bool = True  # else a new job first runs at its trigger's next time

    @property
    def name(self) -> str:
        return self.id.replace(":", " ", 1)


def wanted_jobs(config: Config, timezone: ZoneInfo) -> list[JobSpec]:
    """One crawl job per enabled source, one digest job per distinct ``digest_cron``.

    Cron lines were checked when the config was loaded.
    """
    specs: list[JobSpec] = []
    for source in config.sources:
        if source.enabled:
            trigger = source_trigger(source, timezone)
            specs.append(JobSpec(f"crawl:{source.id}", crawl, source.id, trigger, CRAWLS))
    digests: dict[str, BaseTrigger] = {}
    for subscription in config.subscriptions:
        if subscription.mode == AlertMode.DIGEST and subscription.digest_cron not in digests:
            digests[subscription.digest_cron] = crontab_trigger(subscription.digest_cron, timezone)
    specs += [
        JobSpec(f"digest:{cron}", digest, cron, trigger, DIGESTS, new_runs_at_start=False)
        for cron, trigger in digests.items()
    ]
    daily = IntervalTrigger(days=1, timezone=timezone)
    specs.append(JobSpec("prune:daily", prune, "daily", daily, DIGESTS, new_runs_at_start=False))
    return specs


def _unchanged(job, spec: JobSpec) -> bool:
    return (job.func_ref, tuple(job.args), job.executor, describe(job.trigger)) == (
        obj_to_ref(spec.func),
        (spec.arg,),
        spec.executor,
        describe(spec.trigger),
    )


def install_jobs(scheduler: BaseScheduler, specs: list[JobSpec], now: datetime) -> None:
    """Make the job store hold exactly ``specs``.

    An unchanged job keeps its next run time; a run missed while no daemon ran
    is made once (coalesced). Missed, new and changed jobs start spread out
    rather than all at once.
    """
    existing = {job.id: job for job in scheduler.get_jobs()}
    for job_id in existing.keys() - {spec.id for spec in specs}:
        scheduler.remove_job(job_id)
        log.info("schedule: %s removed (no longer in the config)", job_id)
    kept, due, later = 0, [], []
    for spec in specs:
        job = existing.get(spec.id)
        planned = job.next_run_time if job is not None and _unchanged(job, spec) else None
        if planned is not None and planned > now:
            kept += 1
        elif planned is None and not spec.new_runs_at_start:
            later.append(spec)
        else:
            due.append((planned or now, spec))
    due.sort(key=lambda pair: pair[0])
    starts = spread(
        [spec.id for _, spec in due], [period(spec.trigger, now) for _, spec in due], now
    )
    last = max(starts.values(), default=now)
    starts |= {spec.id: spec.trigger.get_next_fire_time(None, now) for spec in later}
    for spec in [*(spec for _, spec in due), *later]:
        scheduler.add_job(
            spec.func,
            spec.trigger,
            args=(spec.arg,),
            id=spec.id,
            name=spec.name,
            executor=spec.executor,
            next_run_time=starts[spec.id],
            replace_existing=True,
        )
    log.info(
        "schedule: %d jobs; %d keep their next run; %d start within %.0f s",
        len(specs),
        kept,
        len(due),
        (last - now).total_seconds(),
    )
