"""Keep apprise secrets out of logs, stored errors and CLI output.

Every apprise URL the notifier resolves is registered here; its secret parts
(password, tokens, keys, topics) are then replaced by ``***`` wherever they
appear, in whatever form a library prints them (e.g. a WeCom key inside the
``https://qyapi.weixin.qq.com/...?key=`` URL apprise logs). URL shapes are
reduced to ``scheme://host`` on top of that by :func:`mask_secrets`.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import unquote, urlsplit

from monitor.logging_setup import looks_like_host, mask_secrets

_TOKEN_SPLIT = re.compile(r"[/?&=#,;:@+\s]+")
_OPTION_WORD = re.compile(r"^[a-z]{1,10}$")  # yes, text, markdown, insecure …
_PORT = re.compile(r"^\d{1,5}$")
_secrets: set[str] = set()
_lock = threading.Lock()


def secret_parts(url: str) -> set[str]:
    """The parts of an apprise URL that must never be shown."""
    scheme, _, rest = url.partition("://")
    if not rest:
        return set()
    found: set[str] = set()
    password = urlsplit(f"x://{rest}").password if "@" in rest else None
    if password:
        found.add(password)
    for token in _TOKEN_SPLIT.split(rest):
        if len(token) < 4 or _OPTION_WORD.match(token) or _PORT.match(token):
            continue
        if (
            looks_like_host(unquote(token)) or "%40" in token
        ):  # hosts and e-mail addresses are shown
            continue
        found.add(token)
    return found | {unquote(part) for part in found}


def register(url: str) -> None:
    """Remember the secret parts of ``url`` for :func:`redact`."""
    parts = {part for part in secret_parts(url) if len(part) >= 3}
    with _lock:
        _secrets.update(parts)


def redact(text: str) -> str:
    """``text`` with every registered secret replaced and every URL reduced to ``scheme://host``."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, "***")
    return mask_secrets(text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and traceback) through :func:`redact` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


_FILTER = RedactingFilter()
# the libraries that see apprise URLs or the service URLs built from them while sending
SENDING_LOGGERS = ("apprise", "urllib3.connectionpool", "urllib3.util.retry", "requests")


def protect_loggers(names: tuple[str, ...] = SENDING_LOGGERS) -> None:
    """Attach the redacting filter to each named logger (once)."""
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
