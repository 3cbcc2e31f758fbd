"""The daemon's life: wait for the lease, schedule, renew, stop cleanly on SIGTERM/SIGINT.

While it holds the lease it also watches itself: if the scheduler cannot read
its jobs (the database is away) or the launcher cannot reach its queue for
longer than the lease lasts, it gives the lease up and exits 1, so that a
supervisor restarts it; it never holds the lease while nothing runs.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING

from apscheduler.schedulers.base import STATE_RUNNING, STATE_STOPPED
from sqlalchemy.exc import SQLAlchemyError

from monitor.config import Config, ConfigError
from monitor.daemon import jobs
from monitor.daemon.dispatch import Dispatcher
from monitor.daemon.launcher import Launcher
from monitor.daemon.lease import Lease
from monitor.daemon.metrics import render_metrics
from monitor.daemon.notifier import Notifier
from monitor.daemon.orphans import release_orphans
from monitor.daemon.overview import last_run_id
from monitor.daemon.status_http import StatusServer
from storage.db import open_database

if TYPE_CHECKING:
    from monitor.web.server import WebThread

log = logging.getLogger("noticewatch.monitor.daemon")
WAIT_RETRY = 1.0  # seconds between attempts to take a lease another daemon holds


def _web_thread(config: Config) -> WebThread | None:
    """The web UI beside the daemon when ``[web] bind`` is set (read-only, see ``monitor.web``)."""
    if not config.web.bind:
        return None
    from monitor.web.auth import bind_problem
    from monitor.web.server import WebThread  # Starlette and uvicorn only when asked for

    if problem := bind_problem(config.web.bind, config.web):
        raise ConfigError(f"{config.path}: {problem}")
    return WebThread(config, config.web.bind)


class Daemon:
    """One scheduling daemon on one database; ``run()`` returns the exit code."""

    def __init__(
        self,
        config: Config,
        launcher: Launcher,
        *,
        verbosity: int = 0,
    ) -> None:
        self.config = config
        self.timezone = config.zone
        self.specs = jobs.wanted_jobs(config, self.timezone)
        try:
            self.status = (
                StatusServer(config.daemon.status_bind, self.health, self.metrics)
                if config.daemon.status_bind
                else None
            )
        except ValueError as exc:
            raise ConfigError(f"{config.path}: daemon.status_bind: {exc}") from None
        self.web = _web_thread(config)
        self.sessions = open_database(config.storage_url)
        self.lease = Lease(self.sessions, config.daemon.lease_ttl)
        self.launcher = launcher
        self.notifier = Notifier(config.path.resolve(), verbosity)
        batch = 1 if config.queue.url else config.daemon.batch  # queued crawls go one by one
        enabled = sum(source.enabled for source in config.sources)
        self.dispatcher = Dispatcher(
            self._launch, self.sessions, config.daemon.max_crawls, batch, enabled
        )
        self.scheduler = jobs.build_scheduler(self.sessions.kw["bind"], self.timezone)
        self.stopping = threading.Event()
        self.since_run_id = 0

    def _launch(self, source_ids: list[str]) -> None:
        self.launcher.launch(source_ids)
        self.notifier.wake()

    # -- status ------------------------------------------------------------
    def health(self) -> tuple[bool, str]:
        if self.lease.expires_at is None:
            return False, "waiting for the scheduler lease (another daemon holds it)"
        if self.scheduler.state != STATE_RUNNING or self.stopping.is_set():
            return False, "stopping"
        trouble = self._trouble()
        if trouble:
            return False, trouble
        return True, f"ok: scheduling as {self.lease.holder}"

    def _trouble(self) -> str | None:
        """Why crawls cannot be scheduled or launched right now, or None."""
        if not self.scheduler.alive:
            return "not scheduling: the scheduler thread has ended"
        since = self.scheduler.failing_since
        if since is not None:
            return (
                f"not scheduling: the database is unreachable for {time.monotonic() - since:.0f} s"
            )
        since = self.dispatcher.failing_since
        if since is not None:
            return f"not launching: the crawl queue is unreachable for {time.monotonic() - since:.0f} s"
        return None

    def metrics(self) -> str:
        with self.sessions() as session:
            return render_metrics(
                session,
                self.config,
                leader=self.lease.expires_at is not None,
                since_run_id=self.since_run_id,
                behind=self.dispatcher.behind,
            )

    # -- life --------------------------------------------------------------
    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        if self.status:
            self.status.start()
        if self.web:
            self.web.start()
        try:
            if not self._wait_for_lease():
                return 0
            self._start()
            return self._hold_lease()
        finally:
            self._shutdown()

    def _on_signal(self, signum: int, _frame) -> None:
        self.dispatcher.halt()
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

    def _release_orphans(self) -> None:
        release_orphans(self.sessions, self.launcher.timeout if self.config.queue.url else None)

    def _start(self) -> None:
        self._release_orphans()
        with self.sessions() as session:
            self.since_run_id = last_run_id(session)
        jobs.bind(
            jobs.JobContext(
                self.config, self.timezone, self.sessions, self.dispatcher, self.notifier.wake
            )
        )
        self.notifier.start()
        self.dispatcher.start()
        self.scheduler.start(paused=True)
        jobs.install_jobs(self.scheduler, self.specs, datetime.now(self.timezone))
        self.scheduler.resume()

    def _hold_lease(self) -> int:
        """Renew the lease until stopped; 1 if it is lost, or nothing could run for a lease time."""
        ttl = self.lease.ttl.total_seconds()
        renew_every = ttl / 3
        lease_ok_at = time.monotonic()
        while not self.stopping.wait(renew_every):
            try:
                self.launcher.check()
                self.dispatcher.failing_since = None
            except Exception as exc:  # any failure to reach the queue
                self.dispatcher.failing_since = self.dispatcher.failing_since or time.monotonic()
                log.warning("cannot reach the crawl queue: %s", str(exc).splitlines()[0])
            trouble = self._trouble()
            since = self.scheduler.failing_since or self.dispatcher.failing_since
            if not self.scheduler.alive or (since is not None and time.monotonic() - since > ttl):
                log.error("%s: giving up the scheduler lease and exiting", trouble)
                return 1
            try:
                if not self.lease.acquire():
                    log.error(
                        "scheduler lease lost to %s: stopping",
                        getattr(self.lease.current(), "holder", "?"),
                    )
                    return 1
                lease_ok_at = time.monotonic()
                self._release_orphans()
            except SQLAlchemyError as exc:
                log.warning("cannot renew the scheduler lease: %s", str(exc).splitlines()[0])
                if time.monotonic() - lease_ok_at >= ttl:
                    log.error(
                        "scheduler lease expired while the database was unreachable: stopping"
                    )
                    return 1
        return 0

    def _shutdown(self) -> None:
        self.dispatcher.stop()
        if self.scheduler.state != STATE_STOPPED:
            self.scheduler.shutdown(wait=False)
        self.launcher.stop()
        self.notifier.stop()
        jobs.bind(None)
        if self.lease.expires_at is not None:
            try:
                self._release_orphans()  # the crawls stopped above end interrupted
                self.lease.release()
            except SQLAlchemyError as exc:  # it expires by itself
                log.warning("cannot release the scheduler lease: %s", str(exc).splitlines()[0])
        if self.status:
            self.status.stop()
        if self.web:
            self.web.stop()
        log.info("stopped")
