"""Daemon logging: one line per event; our own INFO lines, other libraries' only from WARNING."""

from __future__ import annotations

import logging

from monitor.logging_setup import setup_logging


class _DaemonFilter(logging.Filter):
    """Filters at the handler (Scrapy resets its loggers to DEBUG whenever a crawler starts);
    below DEBUG verbosity a traceback becomes one line."""

    def __init__(self, threshold: int) -> None:
        super().__init__()
        self.threshold = threshold

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name.startswith("noticewatch.") and record.levelno >= logging.INFO
        if not (ours or record.levelno >= self.threshold):
            return False
        if record.exc_info and self.threshold > logging.DEBUG:
            error = record.exc_info[1]
            record.msg, record.args = (
                f"{record.getMessage()} [{type(error).__name__}: {error}]",
                None,
            )
            record.exc_info = record.exc_text = None
        return True


def setup_daemon_logging(verbosity: int = 0) -> None:
    """Like the CLI's logging, plus INFO lines from noticewatch itself (crawl results, schedule, alerts)."""
    setup_logging(verbosity)
    threshold = (logging.WARNING, logging.INFO)[verbosity] if verbosity < 2 else logging.DEBUG
    logging.getLogger("noticewatch").setLevel(min(threshold, logging.INFO))
    for handler in logging.getLogger().handlers:
        handler.addFilter(_DaemonFilter(threshold))
