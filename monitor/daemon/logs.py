"""Daemon logging: one line per event; our own INFO lines, other libraries' only from WARNING."""

from __future__ import annotations

import logging

from monitor.logging_setup import setup_logging


class _DaemonFilter(logging.Filter):
    """Filters at the handler: Scrapy resets its loggers to DEBUG whenever a crawler starts."""

    def __init__(self, threshold: int) -> None:
        super().__init__()
        self.threshold = threshold

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name.startswith("monitor") and record.levelno >= logging.INFO
        return ours or record.levelno >= self.threshold


def setup_daemon_logging(verbosity: int = 0) -> None:
    """Like the CLI's logging, plus INFO lines from noticewatch itself (crawl results, schedule, alerts)."""
    setup_logging(verbosity)
    threshold = (logging.WARNING, logging.INFO)[verbosity] if verbosity < 2 else logging.DEBUG
    logging.getLogger("monitor").setLevel(min(threshold, logging.INFO))
    for handler in logging.getLogger().handlers:
        handler.addFilter(_DaemonFilter(threshold))
