"""Logging: one line per event, source ids in the message, secrets masked."""

from __future__ import annotations

import logging
import re

_SECRET_URL = re.compile(r"\b([a-z][a-z0-9+.-]*)://([^\s/'\"]*@)?([^\s/:?#'\"]+)[^\s'\"]*", re.I)
_SAFE_SCHEMES = {"http", "https"}


def looks_like_host(part: str) -> bool:
    """A DNS name, an IP address or ``localhost`` (shown), as opposed to a token (hidden)."""
    return part == "localhost" or ("." in part and not part.startswith(".") and "@" not in part)


def mask_secrets(text: str) -> str:
    """Reduce every non-web URL (apprise targets) to ``scheme://host``, strip credentials,
    and hide a "host" that is really a token (``wecombot://KEY``)."""

    def replace(match: re.Match[str]) -> str:
        scheme, host = match.group(1), match.group(3)
        if scheme.lower() in _SAFE_SCHEMES and not match.group(2):
            return match.group(0)
        return f"{scheme}://{host if looks_like_host(host) else '***'}"

    return _SECRET_URL.sub(replace, text)


class MaskingFormatter(logging.Formatter):
    """Formats, then removes secrets: URL shapes here, registered apprise secrets in notify."""

    def format(self, record: logging.LogRecord) -> str:
        from monitor.notify.redact import redact  # imported late: notify imports this module

        return redact(mask_secrets(super().format(record)))


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


def setup_logging(verbosity: int = 0) -> None:
    """One line per record on stderr; -v shows our INFO, -vv everything."""
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(LibraryFilter(logging.DEBUG if verbosity >= 2 else logging.WARNING))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
