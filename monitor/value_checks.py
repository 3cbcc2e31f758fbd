"""Checks of single config values that need a library to judge them: link selectors
(parsel/lxml), apprise URLs (apprise's own parsers) and storage URLs (installed drivers).

Each returns why the value cannot be used, in one line that never holds a secret, or None.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.masking import mask_secrets, secret_parts


def validate_selector(selector: str) -> str | None:
    """Why ``selector`` cannot be a ``link_selector``, or None when it can.

    It is tried exactly as a crawl uses it (:func:`spiders.links.select_links`: XPath when
    it starts with ``/``, ``(`` or ``./``, else CSS), on an empty page.
    """
    from spiders.links import select_links  # parsel and lxml load only when a selector is set

    if not selector.strip():
        return "is empty (leave it out to let noticewatch find the notice links)"
    try:
        select_links("<html><body></body></html>", "http://localhost/", selector)
    except ValueError as exc:
        kind = "an XPath" if selector.lstrip().startswith(("/", "(", "./")) else "a CSS selector"
        reason = str(exc.__cause__ or exc).removeprefix("XPath error: ")
        reason = reason.removesuffix(f" in {selector}")
        return f"{selector!r} is not {kind}: {reason}"
    return None


def apprise_url_problem(url: str) -> str | None:
    """Why apprise cannot send to ``url``, or None when it can. The answer never holds the
    URL or any part of it but its scheme (the rest may be a secret)."""
    scheme, separator, _ = url.partition("://")
    if not separator or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        return "not an apprise URL (SCHEME://…, e.g. mailto://, wecombot://, dingtalk://, json://)"
    import apprise  # its 180-odd plugins load only when a config has subscriptions

    with _apprise_log() as records:
        known = scheme.lower() in apprise.NotificationManager()
        service = apprise.Apprise.instantiate(url) if known else None
    if not known:
        return (
            f"unknown apprise scheme '{scheme}://' (e.g. mailto://, wecombot://, dingtalk://, "
            "feishu://, tgram://, json://; see https://github.com/caronc/apprise/wiki)"
        )
    if service is not None:
        return None
    reasons = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    reason = _without_secrets(reasons[0], url) if reasons else ""
    return f"apprise cannot use this {scheme}:// URL" + (f": {reason}" if reason else "")


_apprise_log_lock = threading.Lock()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _apprise_log() -> Iterator[list[logging.LogRecord]]:
    """Keeps what apprise logs while it reads a URL (it names the URL) off every handler."""
    logger, handler = logging.getLogger("apprise"), _Records()
    with _apprise_log_lock:
        propagate, logger.propagate = logger.propagate, False
        level = logger.level
        if logger.getEffectiveLevel() > logging.WARNING:
            logger.setLevel(logging.WARNING)  # its reasons are warnings
        logger.addHandler(handler)
        try:
            yield handler.records
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate
            logger.setLevel(level)


def _without_secrets(reason: str, url: str) -> str:
    """Apprise's complaint about ``url`` with whatever it quotes of the URL taken out."""
    reason = (reason.strip().splitlines() or [""])[0]
    reason = re.sub(r"\s*\([^)]*\)", "", reason)  # "An invalid … Key (THE-KEY) was specified."
    reason = reason.split(": ", 1)[0].replace("~", "").strip(" .:")
    for part in sorted(secret_parts(url), key=len, reverse=True):
        reason = reason.replace(part, "***")
    return mask_secrets(reason[:1].lower() + reason[1:])[:200]


def storage_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the database, or None when it can."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    backend, _, driver = scheme.partition("+")
    supported = (
        "use sqlite:///PATH, or postgresql+psycopg://USER@HOST/DB with the postgres extra "
        "(pip install 'noticewatch[postgres]')"
    )
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return None
    if backend in ("postgresql", "postgres"):
        if backend == "postgres" or driver not in ("", "psycopg", "psycopg2"):
            return f"unsupported driver '{scheme}://': {supported}"
        module = driver or "psycopg2"
        if importlib.util.find_spec(module) is None:
            return f"'{scheme}://' needs the {module} driver, which is not installed: {supported}"
        return None
    name = f"'{scheme}://'" if scheme else repr(url[:20])
    return f"unsupported database {name}: {supported}"


def apprise_config_problem(path: str) -> str | None:
    """Why the apprise config file ``path`` is of no use (missing, or no URL apprise can
    use in it), or None."""
    import apprise

    if not Path(path).is_file():
        return f"{path}: no such file"
    with _apprise_log():
        config = apprise.AppriseConfig()
        config.add(path)
        services = config.services()
    return None if services else f"{path}: no apprise URL in it that apprise can use"
