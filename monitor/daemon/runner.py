"""The daemon's life: wait for the lease, schedule, renew, stop cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.schedulers.base import STATE_RUNNING, STATE_STOPPED
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from monitor.config import Config, ConfigError
from monitor.daemon import jobs
from monitor.daemon.launcher import Launcher
from monitor.daemon.lease import Lease
from monitor.daemon.metrics import render_metrics
from monitor.daemon.overview import last_run_id
from monitor.daemon.pump import OutboxPump
from monitor.daemon.status_http import StatusServer
from storage.db import open_database, utcnow
from storage.models import CrawlRun

log = logging.getLogger("monitor.daemon")
WAIT_RETRY = 1.0  # seconds between attempts to take a lease another daemon holds


def config_timezone(config: Config) -> ZoneInfo:
    try:
        return ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{config.path}: timezone: unknown time zone {config.timezone!r}"
        ) from None


class Daemon:
    """One scheduling daemon on one database; ``run()`` returns the exit code."""

    def __init__(
        self, config: Config, launcher: Launcher, *, max_crawls: int = 2, lease_ttl: float = 30.0
    ) -> None:
        self.config = config
        self.timezone = config_timezone(config)
        try:
            self.specs = jobs.wanted_jobs(config, self.timezone)
        except ValueError as exc:
            raise ConfigError(f"{config.path}: {exc}") from None
        try:
            self.status = (
                StatusServer(config.status_bind, self.health, self.metrics)
                if config.status_bind
                else None
            )
        except ValueError as exc:
            raise ConfigError(f"{config.path}: daemon.status_bind: {exc}") from None
        self.sessions = open_database(config.storage_url)
        self.lease = Lease(self.sessions, lease_ttl)
        self.launcher = launcher
        self.pump = OutboxPump(self.sessions, config)
        self.scheduler = jobs.build_scheduler(self.sessions.kw["bind"], self.timezone, max_crawls)
        self.stopping = threading.Event()
        self.since_run_id = 0

    # -- status ------------------------------------------------------------
    def health(self) -> tuple[bool, str]:
        if self.lease.expires_at is None:
            return False, "waiting for the scheduler lease (another daemon holds it)"
        if self.scheduler.state != STATE_RUNNING or self.stopping.is_set():
            return False, "stopping"
        return True, f"ok: scheduling as {self.lease.holder}"

    def metrics(self) -> str:
        with self.sessions() as session:
            return render_metrics(
                session,
                self.config,
                leader=self.lease.expires_at is not None,
                since_run_id=self.since_run_id,
            )

    # -- life --------------------------------------------------------------
    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        if self.status:
            self.status.start()
        try:
            if not self._wait_for_lease():
                return 0
            self._start()
            return self._hold_lease()
        finally:
            self._shutdown()

    def _on_signal(self, signum: int, _frame) -> None:
        if not self.stopping.is_set():
            log.info("%s: stopping", signal.Signals(signum).name)
        self.stopping.set()

    def _wait_for_lease(self) -> bool:
        told = False
        while not self.stopping.is_set():
            if self.lease.acquire():
                log.info("scheduler lease taken as %s", self.lease.holder)
                return True
            if not told:
                holder = self.lease.current()
                log.warning(
                    "another daemon (%s) schedules this database; waiting to take over",
                    holder.holder if holder else "?",
                )
                told = True
            self.stopping.wait(WAIT_RETRY)
        return False

    def _start(self) -> None:
        with self.sessions.begin() as session:
            unfinished = CrawlRun.finished_at.is_(None)
            if self.config.queue_url:  # crawls run on the workers: only those none can still finish
                unfinished &= CrawlRun.started_at < utcnow() - timedelta(
                    seconds=self.launcher.timeout
                )
            interrupted = session.execute(
                update(CrawlRun)
                .where(unfinished)
                .values(outcome="interrupted", finished_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount
            self.since_run_id = last_run_id(session)
        if interrupted:
            log.info(
                "%d crawl runs left unfinished by a stopped daemon marked interrupted", interrupted
            )
        jobs.bind(
            jobs.JobContext(self.config, self.timezone, self.sessions, self.launcher, self.pump)
        )
        self.pump.start()
        self.scheduler.start(paused=True)
        jobs.install_jobs(self.scheduler, self.specs, datetime.now(self.timezone))
        self.scheduler.resume()

    def _hold_lease(self) -> int:
        """Renew the lease until stopped; 1 if it is lost (another daemon may schedule now)."""
        renew_every = self.lease.ttl.total_seconds() / 3
        while not self.stopping.wait(renew_every):
            held_until = self.lease.expires_at
            try:
                if self.lease.acquire():
                    continue
                log.error(
                    "scheduler lease lost to %s: stopping",
                    getattr(self.lease.current(), "holder", "?"),
                )
                return 1
            except SQLAlchemyError as exc:
                log.warning("cannot renew the scheduler lease: %s", str(exc).splitlines()[0])
                if held_until is None or utcnow() >= held_until:
                    log.error(
                        "scheduler lease expired while the database was unreachable: stopping"
                    )
                    return 1
        return 0

    def _shutdown(self) -> None:
        if self.scheduler.state != STATE_STOPPED:
            self.scheduler.shutdown(wait=False)
        self.launcher.stop()
        self.pump.stop()
        jobs.bind(None)
        if self.lease.expires_at is not None:
            try:
                self.lease.release()
            except SQLAlchemyError as exc:  # it expires by itself
                log.warning("cannot release the scheduler lease: %s", str(exc).splitlines()[0])
        if self.status:
            self.status.stop()
        log.info("stopped")
