"""Due crawls wait here for a free slot: one crawl per source at a time, oldest first, in batches.

The scheduler's crawl jobs only hand a source over (:meth:`Dispatcher.submit`),
so they end at once and APScheduler never piles up job instances. ``slots``
threads launch the waiting crawls, up to ``batch`` sources per launch (one
crawl process crawls them all). A due source may wait up to its ``gather``
seconds for others to share its launch (not when no other source could
join), so that a busy daemon starts few processes rather than one per source.

A source that does not fit in the next launch while every slot is busy is
falling behind: it is recorded (``sources.due_since``, for ``noticewatch
status``), counted in :attr:`Dispatcher.behind` (the
``noticewatch_crawls_behind`` gauge) and warned about once per source per hour.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage.db import utcnow
from storage.models import Source as SourceRow

log = logging.getLogger(f"noticewatch.{__name__}")
WARN_EVERY = 3600.0  # seconds between two "falling behind" warnings for one source
LAUNCH_ERROR_EVERY = 60.0  # seconds between two log lines about launches that keep failing


def few(source_ids: Sequence[str]) -> str:
    """``a, b, c and 7 more``: the sources of a launch, for a log line."""
    more = f" and {len(source_ids) - 3} more" if len(source_ids) > 3 else ""
    return ", ".join(source_ids[:3]) + more


class LaunchError(Exception):
    """The launcher could not start the crawl (its queue is unreachable …)."""


class Dispatcher:
    def __init__(
        self,
        launch: Callable[[list[str]], None],
        sessions: sessionmaker[Session],
        slots: int,
        batch: int = 1,
        sources: int | None = None,
    ) -> None:
        self.launch = launch
        self.sessions = sessions
        self.slots = slots
        self.batch = batch
        self.sources = sources  # how many sources can be due (None: unknown)
        self.failing_since: float | None = None  # monotonic time of the first failed launch
        self._launch_error_logged_at = 0.0  # failed launches are logged once a minute
        self._waiting: OrderedDict[str, float] = OrderedDict()  # source id -> launch by (monotonic)
        self._running: set[str] = set()
        self._busy = 0  # slots launching (or waiting for) a crawl
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
        """Due crawls that will not fit in the next launch while every slot is busy."""
        with self._cond:
            return self._behind()

    def _behind(self) -> int:
        if self._busy < self.slots:
            return 0
        return max(0, len(self._waiting) - self.batch)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def submit(self, source_id: str, gather: float = 0.0) -> None:
        """A crawl of ``source_id`` is due: queue it unless it is already waiting or running.

        It waits at most ``gather`` seconds for other sources to fill its batch.
        """
        with self._cond:
            if self._stopping or source_id in self._waiting:
                return
            if source_id in self._running:
                self._warn(source_id, "its previous crawl still runs")
                return
            self._waiting[source_id] = time.monotonic() + gather
            behind = self._behind() > 0
            if behind:
                self._marked.add(source_id)
            self._cond.notify()
        if behind:
            self._warn(source_id, f"all {self.slots} crawl slots are busy")
            self._mark_due([source_id], due=True)

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
        self._mark_due(marked, due=False)

    # -- slots ---------------------------------------------------------------
    def _next_batch(self) -> list[str] | None:
        """Wait for a batch that is full or whose oldest source waited long enough; None when stopping."""
        with self._cond:
            while not self._stopping:
                if self._waiting:
                    pause = min(self._waiting.values()) - time.monotonic()
                    if len(self._waiting) >= self._fill() or pause <= 0:
                        break
                    self._cond.wait(pause)
                else:
                    self._cond.wait()
            if self._stopping:
                return None
            source_ids = list(self._waiting)[: self.batch]
            for source_id in source_ids:
                del self._waiting[source_id]
            self._running.update(source_ids)
            self._busy += 1
            marked = [source_id for source_id in source_ids if source_id in self._marked]
            self._marked.difference_update(marked)
        self._mark_due(marked, due=False)
        return source_ids

    def _fill(self) -> int:
        """How many waiting sources make a batch: fewer when no other source could join."""
        if self.sources is None:
            return self.batch
        return max(1, min(self.batch, self.sources - len(self._running)))

    def _work(self) -> None:
        while (source_ids := self._next_batch()) is not None:
            try:
                self._launch(source_ids)
            finally:
                with self._cond:
                    self._running.difference_update(source_ids)
                    self._busy -= 1
                    self._cond.notify_all()

    def _launch(self, source_ids: list[str]) -> None:
        named = few(source_ids)
        try:
            self.launch(source_ids)
        except LaunchError as exc:
            now = time.monotonic()
            if self.failing_since is None:
                self.failing_since = now
                log.error("%s: cannot launch the crawl: %s", named, exc)
            elif now - self._launch_error_logged_at >= LAUNCH_ERROR_EVERY:
                log.error(
                    "cannot launch crawls for %.0f s (latest %s: %s)",
                    now - self.failing_since,
                    named,
                    exc,
                )
            else:
                return
            self._launch_error_logged_at = now
            return
        except Exception:  # one failing launch never ends the slot
            log.exception("%s: the crawl launch failed", named)
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
            "raise --max-crawls or [daemon] batch, or lengthen intervals",
            source_id,
            why,
            self.behind,
        )

    def _mark_due(self, source_ids: list[str], *, due: bool) -> None:
        if not source_ids:
            return
        try:
            with self.sessions.begin() as session:
                session.execute(
                    update(SourceRow)
                    .where(SourceRow.id.in_(source_ids))
                    .values(due_since=utcnow() if due else None)
                    .execution_options(synchronize_session=False)
                )
        except SQLAlchemyError as exc:  # only the status view misses it
            log.debug("%s: cannot record the crawl wait: %s", source_ids[0], exc)
