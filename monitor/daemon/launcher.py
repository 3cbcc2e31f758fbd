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

log = logging.getLogger(f"noticewatch.{__name__}")


def python_module(module: str, config_path: Path, verbosity: int) -> list[str]:
    """``python -m MODULE --config PATH [-v…]``: how the daemon starts its children."""
    verbose = ["-" + "v" * verbosity] if verbosity else []
    return [sys.executable, "-m", module, "--config", str(config_path), *verbose]


class Launcher(Protocol):
    """Carries out one crawl of one source; ``launch`` may return before the crawl ends."""

    timeout: float  # seconds after which a crawl is given up (killed, or its queue mark expires)

    def launch(self, source_id: str) -> None:
        """Start (or queue) the crawl; raises ``LaunchError`` when it cannot."""

    def check(self) -> None:
        """Raise when whatever crawls need (a queue server) is unreachable."""

    def stop(self) -> None:
        """Start no more crawls; end the running ones within seconds."""


class LocalLauncher:
    """Each crawl in its own child process (``noticewatch crawl --parent PID``), waited for.

    A child holds Scrapy and its reactor for one crawl only, so the daemon's
    memory stays flat and a crashing crawl cannot take the daemon down.
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
        self._children: dict[subprocess.Popen, str] = {}
        self._lock = threading.Lock()
        self._stopping = False

    def command(self, source_id: str) -> list[str]:
        return [
            *python_module("monitor", self.config_path, self.verbosity),
            "crawl",
            "--source",
            source_id,
            "--alert-wait",
            "0",  # the daemon's notifier sends the alerts
            "--parent",
            str(os.getpid()),
        ]

    def launch(self, source_id: str) -> None:
        """Run one crawl of ``source_id`` in a child process and wait for it (killed after ``timeout``)."""
        with self._lock:
            if self._stopping:
                return
            child = subprocess.Popen(
                self.command(source_id), stdin=subprocess.DEVNULL, start_new_session=True
            )
            self._children[child] = source_id
        try:
            code = child.wait(self.timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s: crawl still running after %.0f s: killed", source_id, self.timeout)
            child.kill()
            code = child.wait()
        finally:
            with self._lock:
                self._children.pop(child, None)
        if code not in (0, 1) and not self._stopping:  # 1: the crawl failed, and said so
            log.warning("%s: crawl process exited with code %s", source_id, code)

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
        for child, source_id in children.items():
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.info("%s: crawl killed by shutdown", source_id)
                child.kill()
                child.wait()
