"""Logging: one line per event, source ids in the message, secrets masked."""

from __future__ import annotations

import logging

from monitor.masking import redact


class MaskingFormatter(logging.Formatter):
    """Formats, then removes secrets (:func:`monitor.masking.redact`)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


_LIBRARIES = (
    "scrapy",
    "twisted",
    "trafilatura",
    "htmldate",
    "charset_normalizer",
    "apprise",
    "apscheduler",
)


class LibraryFilter(logging.Filter):
    """Library records below ``level`` are dropped (Scrapy resets its loggers' levels)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or not record.name.startswith(_LIBRARIES)


_SILENT = logging.CRITICAL + 1


def setup_logging(verbosity: int = 0) -> None:
    """One line per record on stderr: our warnings; -v adds our INFO and the libraries'
    warnings (Scrapy, Twisted, apprise …: what the CLI reports already, in their words),
    -vv everything."""
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    libraries = (_SILENT, logging.WARNING, logging.DEBUG)[min(verbosity, 2)]
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(LibraryFilter(libraries))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
