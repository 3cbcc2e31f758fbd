"""Due crawls wait here for a free slot: one crawl per source at a time, oldest first.

The scheduler's crawl jobs only hand a source over (:meth:`Dispatcher.submit`),
so they end at once and APScheduler never piles up job instances. ``slots``
threads launch the waiting crawls. A source that has to wait is recorded
(``sources.due_since``, for ``noticewatch status``), counted in
:attr:`Dispatcher.behind` (the ``noticewatch_crawls_behind`` gauge) and warned
about once per source per hour.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage.db import utcnow
from storage.models import Source as SourceRow

log = logging.getLogger(f"noticewatch.{__name__}")
WARN_EVERY = 3600.0  # seconds between two "falling behind" warnings for one source
LAUNCH_ERROR_EVERY = 60.0  # seconds between two log lines about launches that keep failing


class LaunchError(Exception):
    """The launcher could not start the crawl (its queue is unreachable …)."""


class Dispatcher:
    def __init__(
        self,
        launch: Callable[[str], None],
        sessions: sessionmaker[Session],
        slots: int,
    ) -> None:
        self.launch = launch
        self.sessions = sessions
        self.slots = slots
        self.failing_since: float | None = None  # monotonic time of the first failed launch
        self._launch_error_logged_at = 0.0  # failed launches are logged once a minute
        self._waiting: OrderedDict[str, float] = OrderedDict()  # source id -> due since
        self._running: set[str] = set()
        self._warned: dict[str, float] = {}
        self._marked: set[str] = set()  # sources whose wait is recorded in the database
        self._cond = threading.Condition()
        self._stopping = False
        self._threads = [
            threading.Thread(target=self._work, name=f"crawl-slot-{n}", daemon=True)
            for n in range(slots)
        ]

    @property
    def behind(self) -> int:
        """Due crawls waiting for a slot."""
        with self._cond:
            return len(self._waiting)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def submit(self, source_id: str) -> None:
        """A crawl of ``source_id`` is due: queue it unless it is already waiting or running."""
        with self._cond:
            if self._stopping or source_id in self._waiting:
                return
            if source_id in self._running:
                self._warn(source_id, "its previous crawl still runs")
                return
            self._waiting[source_id] = time.monotonic()
            busy = len(self._running) >= self.slots
            if busy:
                self._marked.add(source_id)
            self._cond.notify()
        if busy:
            self._warn(source_id, f"all {self.slots} crawl slots are busy")
            self._mark_due(source_id, due=True)

    def halt(self) -> None:
        """Launch nothing more (safe to call from a signal handler's thread)."""
        self._stopping = True

    def stop(self) -> None:
        """Launch nothing more and forget waiting crawls (they are due again at the next start)."""
        with self._cond:
            self._stopping = True
            marked = list(self._marked)
            self._waiting.clear()
            self._marked.clear()
            self._cond.notify_all()
        for source_id in marked:
            self._mark_due(source_id, due=False)

    # -- slots ---------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                source_id, _ = self._waiting.popitem(last=False)
                self._running.add(source_id)
                marked = source_id in self._marked
                self._marked.discard(source_id)
            try:
                if marked:
                    self._mark_due(source_id, due=False)
                self._launch(source_id)
            finally:
                with self._cond:
                    self._running.discard(source_id)

    def _launch(self, source_id: str) -> None:
        try:
            self.launch(source_id)
        except LaunchError as exc:
            now = time.monotonic()
            if self.failing_since is None:
                self.failing_since = now
                log.error("%s: cannot launch the crawl: %s", source_id, exc)
            elif now - self._launch_error_logged_at >= LAUNCH_ERROR_EVERY:
                log.error(
                    "cannot launch crawls for %.0f s (latest %s: %s)",
                    now - self.failing_since,
                    source_id,
                    exc,
                )
            else:
                return
            self._launch_error_logged_at = now
            return
        except Exception:  # one failing launch never ends the slot
            log.exception("%s: the crawl launch failed", source_id)
            return
        if self.failing_since is not None:
            log.info("crawls launch again after %.0f s", time.monotonic() - self.failing_since)
        self.failing_since = None

    def _warn(self, source_id: str, why: str) -> None:
        now = time.monotonic()
        if now - self._warned.get(source_id, -WARN_EVERY) < WARN_EVERY:
            return
        self._warned[source_id] = now
        log.warning(
            "%s: crawl due but waiting (%s); %d crawls behind: "
            "raise --max-crawls or lengthen intervals",
            source_id,
            why,
            len(self._waiting),
        )

    def _mark_due(self, source_id: str, *, due: bool) -> None:
        try:
            with self.sessions.begin() as session:
                session.execute(
                    update(SourceRow)
                    .where(SourceRow.id == source_id)
                    .values(due_since=utcnow() if due else None)
                    .execution_options(synchronize_session=False)
                )
        except SQLAlchemyError as exc:  # only the status view misses it
            log.debug("%s: cannot record the crawl wait: %s", source_id, exc)
