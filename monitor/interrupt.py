"""Ctrl-C and SIGTERM during a crawl: stop the reactor now, not when stalled requests end.

Scrapy's own handlers stop gracefully, which waits for every request in flight
(a stalled server holds that for minutes, retries included, and a second
Ctrl-C is ignored meanwhile). Ours stop the reactor at the first signal; the
crawl then closes its runs as interrupted. A second signal exits at once.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class Stop:
    signum: int | None = None  # the signal received, if any


def exit_code(signum: int) -> int:
    """The shell's code for a process ended by ``signum``: 130 for SIGINT, 143 for SIGTERM."""
    return 128 + signum


@contextmanager
def stop_on_signal() -> Iterator[Stop]:
    """While inside, SIGINT/SIGTERM stop the reactor (and set ``Stop.signum``)."""
    stop = Stop()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.signum is not None:
            os.write(2, b"noticewatch: interrupted again: exiting now\n")
            os._exit(exit_code(signum))
        stop.signum = signum
        if "twisted.internet.reactor" in sys.modules:  # else the crawl has not started
            from twisted.internet import reactor

            reactor.callFromThread(_crash, reactor)

    previous = {signum: signal.signal(signum, on_signal) for signum in SIGNALS}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _crash(reactor) -> None:
    """Stop the reactor without its shutdown triggers (Scrapy's waits for the stalled)."""
    if reactor.running:
        reactor.crash()
