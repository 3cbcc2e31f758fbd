"""The daemon's alert sender, a child process: ``python -m monitor.daemon.notifier``.

Sending runs outside the daemon so that killing the daemon (SIGKILL, the OOM
killer, a crash) never cuts a send between the channel accepting a message
and the outbox row being marked ``sent`` — the one moment where a kill would
alert twice. The child outlives its daemon just long enough to finish and
record the delivery in hand: the daemon holds the child's stdin, so the
daemon's death is an end of file there, after which the child claims nothing
new and exits. Its claims stay valid while it runs, so the next daemon never
re-sends them. SIGTERM does the same. The daemon wakes the child by writing a
line to its stdin after each crawl and restarts it if it dies.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from monitor.daemon.launcher import python_module

log = logging.getLogger("noticewatch.monitor.daemon.notifier")  # not __main__ under -m
EVERY = 5.0  # seconds between drains when nothing wakes the child (retries fall due)
DRAIN_SECONDS = 5.0  # one drain claims new rows for at most this long


class Notifier:
    """The daemon's handle on its notifier child: start, wake, restart when it dies, stop."""

    def __init__(
        self, config_path: Path, verbosity: int = 0, restart_delay: float = 2.0, grace: float = 70.0
    ) -> None:
        self.config_path = config_path
        self.verbosity = verbosity
        self.restart_delay = restart_delay
        self.grace = grace  # a send in hand is bounded by the send timeout (60 s)
        self._child: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._keep_running, name="notifier", daemon=True)

    def command(self) -> list[str]:
        return python_module("monitor.daemon.notifier", self.config_path, self.verbosity)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Ask the child to drain now (a crawl or a digest just wrote outbox rows)."""
        with self._lock:
            child = self._child
            if child is None or child.stdin is None:
                return
            try:
                child.stdin.write(b"\n")
                child.stdin.flush()
            except (OSError, ValueError):  # it is exiting; the restart drains anyway
                pass

    def stop(self) -> None:
        """Let the child finish the delivery in hand and exit; kill it after ``grace``."""
        self._stopping.set()
        with self._lock:
            child = self._child
            if child is not None and child.stdin is not None:
                child.stdin.close()
        if child is None:
            return
        try:
            child.wait(self.grace)
        except subprocess.TimeoutExpired:
            log.warning("notifier still sending after %.0f s: killed", self.grace)
            child.kill()
            child.wait()
        self._thread.join(self.restart_delay + 1)

    def _keep_running(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                child = self._child = subprocess.Popen(
                    self.command(), stdin=subprocess.PIPE, start_new_session=True
                )
            code = child.wait()
            if self._stopping.is_set():
                return
            log.warning(
                "notifier exited with code %s; restarting in %.0f s", code, self.restart_delay
            )
            self._stopping.wait(self.restart_delay)


def _watch_parent(wake: threading.Event, stop: threading.Event) -> None:
    """Each line on stdin wakes the drain; end of file (the daemon is gone) stops it."""
    for _ in sys.stdin.buffer:
        wake.set()
    stop.set()
    wake.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="monitor.daemon.notifier")
    parser.add_argument("--config", required=True)
    parser.add_argument("-v", "--verbose", action="count", default=0)
    args = parser.parse_args(argv)

    from monitor.config import ConfigError, load_config
    from monitor.daemon.logs import setup_daemon_logging
    from monitor.notify.sender import drain
    from storage.db import open_database

    setup_daemon_logging(args.verbose)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        log.error("notifier: %s", exc)
        return 2
    sessions = open_database(config.storage_url)
    wake, stop = threading.Event(), threading.Event()

    def on_signal(_signum: int, _frame) -> None:
        stop.set()
        wake.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(wake, stop), daemon=True).start()
    while not stop.is_set():
        wake.clear()
        try:
            drain(sessions, config, deadline_seconds=DRAIN_SECONDS, stop=stop)
        except Exception as exc:  # a database hiccup: the next drain retries
            log.error("outbox: drain failed: %s: %s", type(exc).__name__, str(exc).splitlines()[0])
        wake.wait(EVERY)
    log.debug("notifier %d: stopped", os.getpid())
    return 0


if __name__ == "__main__":
    sys.exit(main())
