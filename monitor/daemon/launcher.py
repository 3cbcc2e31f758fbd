"""How a scheduled crawl is carried out: the launcher protocol and the local child-process launcher."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Protocol

from monitor.daemon.dispatch import few

log = logging.getLogger(f"noticewatch.{__name__}")


def python_module(module: str, config_path: Path, verbosity: int) -> list[str]:
    """``python -m MODULE --config PATH [-v…]``: how the daemon starts its children."""
    verbose = ["-" + "v" * verbosity] if verbosity else []
    return [sys.executable, "-m", module, "--config", str(config_path), *verbose]


class Launcher(Protocol):
    """Carries out one crawl of each of some sources; ``launch`` may return before they end."""

    timeout: float  # seconds after which a crawl is given up (killed, or its queue mark expires)

    def launch(self, source_ids: list[str]) -> None:
        """Start (or queue) the crawls; raises ``LaunchError`` when it cannot."""

    def check(self) -> None:
        """Raise when whatever crawls need (a queue server) is unreachable."""

    def stop(self) -> None:
        """Start no more crawls; end the running ones within seconds."""


class LocalLauncher:
    """Each batch of crawls in a child process (``noticewatch crawl --source … --parent PID``), waited for.

    A child crawls its sources side by side in one reactor (one start-up paid
    for the batch; per-host limits shared across its sources) and holds Scrapy
    for that batch only, so the daemon's memory stays flat and a crashing
    crawl cannot take the daemon down; a killed child costs its in-flight
    pages, and its unfinished runs are closed ``interrupted`` (``orphans``).
    Children run in their own session (a Ctrl-C meant for the daemon does not
    reach them) and die with the daemon (a parent-death signal).
    """

    def __init__(
        self, config_path: Path, verbosity: int = 0, timeout: float = 3600.0, grace: float = 5.0
    ) -> None:
        self.config_path = config_path
        self.verbosity = verbosity
        self.timeout = timeout
        self.grace = grace
        self._children: dict[subprocess.Popen, str] = {}  # child -> the sources it crawls
        self._lock = threading.Lock()
        self._stopping = False

    def command(self, source_ids: list[str]) -> list[str]:
        return [
            *python_module("monitor", self.config_path, self.verbosity),
            "crawl",
            *(option for source_id in source_ids for option in ("--source", source_id)),
            "--alert-wait",
            "0",  # the daemon's notifier sends the alerts
            "--parent",
            str(os.getpid()),
        ]

    def launch(self, source_ids: list[str]) -> None:
        """Crawl ``source_ids`` in one child process and wait for it (killed after ``timeout``)."""
        named = few(source_ids)
        with self._lock:
            if self._stopping:
                return
            child = subprocess.Popen(
                self.command(source_ids), stdin=subprocess.DEVNULL, start_new_session=True
            )
            self._children[child] = named
        try:
            code = child.wait(self.timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s: crawl still running after %.0f s: killed", named, self.timeout)
            child.kill()
            code = child.wait()
        finally:
            with self._lock:
                self._children.pop(child, None)
        if code not in (0, 1) and not self._stopping:  # 1: the crawl failed, and said so
            log.warning("%s: crawl process exited with code %s", named, code)

    def check(self) -> None:
        """Child processes need nothing beyond the database."""

    def stop(self) -> None:
        """Ask running crawls to stop (SIGTERM: their runs end interrupted), kill them after ``grace``."""
        with self._lock:
            self._stopping = True
            children = dict(self._children)
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + self.grace
        for child, named in children.items():
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.info("%s: crawl killed by shutdown", named)
                child.kill()
                child.wait()
