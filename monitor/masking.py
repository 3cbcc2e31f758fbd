"""Keep secrets (apprise URLs, passwords, tokens) out of logs, stored errors and CLI output.

Two layers, both applied by :func:`redact`: every URL that is not a plain web
address is reduced to ``scheme://host`` (:func:`mask_secrets`), and the secret
parts of every apprise URL the notifier resolves are registered here
(:func:`register`) and replaced by ``***`` wherever they appear, in whatever
form a library prints them (e.g. a WeCom key inside the
``https://qyapi.weixin.qq.com/...?key=`` URL apprise logs). Logging
(:mod:`monitor.logging_setup`) and the notifier both use this module.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import unquote, urlsplit

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
