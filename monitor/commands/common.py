"""What most commands need: the config, a database session factory, one page fetched,
and failures put in plain words. Cheap to import (the CLI's start-up uses it): the
config, the database and the fetcher are imported when first used."""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import ssl
import urllib.error
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from monitor.errors import CommandError, ConfigError
from monitor.masking import mask_secrets

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from monitor.config import Config, CrawlSettings
    from spiders.fetch import FetchedPage

ENV_CONFIG = "NOTICEWATCH_CONFIG"
LOCAL_CONFIG = Path("noticewatch.toml")


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir("noticewatch")) / "config.toml"


def find_config() -> tuple[Path, list[str]]:
    """The config file to use when no ``--config`` is given, and the places looked at.

    ``$NOTICEWATCH_CONFIG`` is a choice like ``--config``: when it names a missing file,
    that is the answer (no other file is used instead). Otherwise the first of
    ``./noticewatch.toml`` and the user config dir that exists; when neither does, the
    user config dir (where ``noticewatch init`` writes).
    """
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env), [f"{env} (${ENV_CONFIG})"]
    places = [LOCAL_CONFIG, user_config_path()]
    looked = [f"${ENV_CONFIG} (not set)", f"./{LOCAL_CONFIG}", str(places[1])]
    for place in places:
        if place.exists():
            return place, looked
    return places[-1], looked


def config_path_of(args: argparse.Namespace) -> Path:
    """The config file the command line chose (``--config``, ``$NOTICEWATCH_CONFIG``,
    ``./noticewatch.toml``, the user config dir); a ConfigError naming where it looked
    when there is none."""
    path: Path = args.config
    if path.exists():
        return path
    looked: list[str] | None = getattr(args, "config_looked", None)
    if looked:
        raise ConfigError(
            f"no config file: looked for {', '.join(looked)}; "
            "write one with: noticewatch init (or give --config PATH)"
        )
    raise ConfigError(f"{path}: no such file (write one with: noticewatch init {path})")


def config_of(args: argparse.Namespace, *, need_secrets: bool = True) -> Config:
    """The validated config. Commands that only read (views, ``status``) pass
    ``need_secrets=False``: they then work while alert secrets (``${SMTP_PASSWORD}``)
    are not set, and must not send alerts or record crawls with that config."""
    from monitor.config import load_config

    return load_config(config_path_of(args), need_secrets=need_secrets)


def sessions_of(args: argparse.Namespace) -> sessionmaker[Session]:
    """Sessions on the config's database (for reading: no alert secrets needed)."""
    from storage.db import open_database

    return open_database(config_of(args, need_secrets=False).storage_url)


def fetch_page(url: str, settings: CrawlSettings) -> FetchedPage:
    """One page, fetched as the crawls would (user agent, timeout, size limit); a page that
    cannot be fetched is a CommandError naming the URL and the reason in plain words."""
    from spiders.fetch import fetch

    try:
        return fetch(
            url,
            user_agent=settings.user_agent,
            timeout=settings.timeout,
            max_bytes=settings.max_response_bytes,
        )
    except (OSError, http.client.HTTPException) as exc:
        reason = describe_error(exc).removeprefix(f"{url}: ")
        raise CommandError(f"cannot fetch {mask_secrets(url)}: {mask_secrets(reason)}") from exc


def describe_error(exc: BaseException) -> str:
    """A network or file error in plain words (``connection refused``,
    ``/x.html: no such file``), without the exception's class name."""
    from spiders.fetch import FetchError

    if isinstance(exc, FetchError):
        return str(exc)
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        return describe_error(reason) if isinstance(reason, BaseException) else str(reason)
    if isinstance(exc, socket.gaierror):
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
            return "host name not found"
        return f"host name lookup failed ({_words(exc.strerror)})"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not accepted ({exc.verify_message or 'verification failed'})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or 'handshake error'})"
    plain = {
        ConnectionRefusedError: "connection refused",
        ConnectionResetError: "connection reset by the server",
        ConnectionAbortedError: "connection aborted",
        BrokenPipeError: "connection closed by the other side",
        TimeoutError: "timed out",
        FileNotFoundError: "no such file or directory",
        PermissionError: "permission denied",
        IsADirectoryError: "is a directory",
        NotADirectoryError: "not a directory",
    }
    for kind, words in plain.items():
        if isinstance(exc, kind):
            return f"{exc.filename}: {words}" if getattr(exc, "filename", None) else words
    if isinstance(exc, http.client.HTTPException):
        return "the server's answer is not valid HTTP"
    if isinstance(exc, OSError) and exc.strerror:
        words = _words(exc.strerror)
        return f"{exc.filename}: {words}" if exc.filename else words
    return str(exc) or "failed"


def _words(text: str | None) -> str:
    text = (text or "failed").strip()
    return text[:1].lower() + text[1:]
