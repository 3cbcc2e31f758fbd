"""Send what the crawls put in the outbox: right after each crawl, and every few seconds for retries."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from monitor import notify
from monitor.config import Config

log = logging.getLogger(__name__)


class OutboxPump:
    """A thread that drains the outbox when woken, or every ``every`` seconds."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: Config,
        every: float = 5.0,
        deadline: float = 5.0,
    ) -> None:
        self.sessions = sessions
        self.config = config
        self.every = every
        self.deadline = deadline
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Drain now (e.g. a crawl just wrote outbox rows)."""
        self._wake.set()

    def stop(self) -> None:
        """Let the drain in progress end (a send cut short is retried by the next daemon)."""
        self._stopping = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(self.deadline)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.every)
            self._wake.clear()
            if self._stopping:
                return
            try:
                notify.drain(self.sessions, self.config, deadline_seconds=self.deadline)
            except Exception as exc:  # a broken target or a database hiccup must not end the daemon
                log.error(
                    "outbox: drain failed (%s: %s); retrying in %.0f s",
                    type(exc).__name__,
                    exc,
                    self.every,
                )
