"""Load and validate the TOML config and the seed files it includes.

Every problem becomes a :class:`ConfigError` whose message names the file, the
line when it can be found, and the field, e.g.
``config.toml:12: sources[2].url: must be an http(s) URL``.

Secrets come from the environment (``${NAME}``). ``load_config(path)`` needs every
one of them; ``load_config(path, need_secrets=False)``, for commands that only read
(views, ``status``), leaves a notify or queue URL whose variable is unset as
written and does not ask apprise about the URLs (its plugins are slow to load):
such a config must not be used to send alerts or to record crawls.
"""

from __future__ import annotations

import difflib
import glob
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from monitor.cron import crontab_trigger
from monitor.errors import ConfigError
from monitor.events import DEFAULT_EVENTS, SUBSCRIBABLE
from monitor.value_checks import (
    apprise_config_problem,
    apprise_url_problem,
    storage_url_problem,
    validate_selector,
)

if TYPE_CHECKING:  # spiders (lxml …) load only for a source that declares a list API
    from spiders.declared_api import DeclaredApi

BUNDLED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MAX_CONFIG_BYTES = 5_000_000  # a config or seed file larger than this is not one
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str
    link_selector: str | None = None
    columns: tuple[str, ...] = ()  # notice columns to follow from a home page (default: the best)
    allow_offsite: bool = False  # follow selector links and redirects to other sites
    allow_private: bool = False  # fetch internal addresses even when the source's is public
    max_pages: int = 3
    interval: float = 1800.0  # seconds
    cron: str | None = None
    jitter: float = 60.0  # seconds
    active_hours: tuple[int, int] | None = None
    tags: tuple[str, ...] = ()
    encoding: str | None = None
    enabled: bool = True
    obey_robots: bool = True
    revisit_days: int = 14
    failure_threshold: int = 3
    stale_days: int | None = None
    list_api: str | None = None  # force a built-in list API adapter (spiders.cms.LIST_APIS)
    api: DeclaredApi | None = None  # [sources.api]: the source's own list API
    render: str | None = None  # "browser": render list pages; "challenge": only to pass one
    render_details: bool = False  # render detail pages too (render = "browser")
    origin: str = ""  # the file it was defined in


class AlertMode(StrEnum):
    """When a subscription's alerts go out."""

    IMMEDIATE = "immediate"  # each on its own, as soon as it is stored
    DIGEST = "digest"  # together, on the subscription's digest_cron


@dataclass(frozen=True)
class Subscription:
    name: str
    notify: tuple[str, ...] = ()
    apprise_config: str | None = None
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    events: tuple[str, ...] = DEFAULT_EVENTS
    mode: AlertMode = AlertMode.IMMEDIATE
    digest_cron: str = "0 8 * * *"


@dataclass(frozen=True)
class CrawlSettings:
    user_agent: str = "noticewatch/0.1 (+https://github.com/noticewatch/noticewatch)"
    contact: str | None = None
    concurrency_per_host: int = 2
    download_delay: float = 1.0
    timeout: float = 20.0  # a dead server costs two of these: robots.txt, then the page
    retries: int = 2
    retry_backoff: float = 1.0  # seconds before the first retry, doubling after
    obey_robots: bool = True
    max_response_bytes: int = 8 * 1024 * 1024
    extract_budget: float = 20.0  # seconds to extract one page; a slower page is a problem
    revisit_old_days: int = 7  # notices older than revisit_days are re-checked this often
    give_up_after: int = 10  # failed fetches of a new notice before it is reported and dropped
    pending_retry_delay: float = 300.0  # seconds; a notice's 2nd retry waits this, doubling after
    chromium_path: str | None = None  # None: the first of chromium, chromium-browser, google-chrome
    render_timeout: float = 30.0  # seconds for one rendered page (render = "browser")
    robots_lifetime: float = 86400.0  # seconds a site's robots.txt is kept before it is asked again
    revisit_first: float = 3600.0  # seconds before a recent notice found unchanged is re-checked,
    revisit_max: float = 86400.0  # doubling after each unchanged re-check, up to this


@dataclass(frozen=True)
class ChangePolicy:
    alert_reposts: bool = False  # alert a repost of a known notice as new
    duplicate_distance: int = 3  # SimHash bits within which two texts are the same notice
    min_length_ratio: float = 0.5  # a new version this much shorter than the last is suspect


@dataclass(frozen=True)
class Retention:
    """How long history is kept (``[storage] keep_*``); notices and their latest version always."""

    keep_runs_days: int = 90
    keep_events_days: int = 365
    keep_deliveries_days: int = 90
    keep_versions: int | None = None  # versions kept per notice; None keeps every version


@dataclass(frozen=True)
class RetryPolicy:
    """How alerts are sent and retried (``[notify]``)."""

    max_attempts: int = 8
    first_delay: float = 30.0  # seconds before the first retry; doubles each time
    max_delay: float = 3600.0
    claim_seconds: float = 300.0  # a claim older than this is abandoned (its notifier died)
    send_timeout: float = 60.0
    workers: int = 4  # targets served at the same time
    batch: int = 200  # rows looked at per round

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        return min(self.first_delay * 2 ** max(attempts - 1, 0), self.max_delay)


@dataclass(frozen=True)
class DaemonSettings:
    """``[daemon]``: the scheduling daemon (``noticewatch run``)."""

    status_bind: str | None = None  # e.g. "127.0.0.1:8787": /healthz and /metrics
    max_crawls: int = 2  # crawls running at once (child processes, or launches to the queue)
    lease_ttl: float = 30.0  # seconds a daemon holds the scheduler lease without renewing it
    crawl_timeout: float = 3600.0  # seconds after which a crawl is killed (or its queue mark ends)
    batch: int = 50  # due sources crawled by one child process at most
    batch_wait: float = 30.0  # seconds a due source may wait for others to fill its batch


@dataclass(frozen=True)
class WebSettings:
    """``[web]``: the read-only web UI, feeds and JSON API (``noticewatch web``); its auth
    (a token, or a user and password hash) is required to listen beyond loopback."""

    bind: str | None = None  # HOST:PORT; unset: `web` listens on 127.0.0.1:8377, `run` serves none
    token: str | None = None  # a Bearer token (or the HTTP Basic password, any user name)
    user: str | None = None  # HTTP Basic user, with ``password_hash``
    password_hash: str | None = None  # from ``noticewatch web --hash-password``

    @property
    def has_auth(self) -> bool:
        return bool(self.token or self.user)


@dataclass(frozen=True)
class QueueSettings:
    """``[queue]``: crawls run on ``noticewatch worker`` processes fed from Redis."""

    url: str | None = None  # redis://…; None: crawls run in the daemon's child processes
    concurrency: int = 8  # requests in flight in one worker
    worker_lease: float = 15.0  # seconds of silence before other workers take a worker's work


ATTACHMENT_KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "txt", "zip", "rar")


@dataclass(frozen=True)
class AttachmentSettings:
    """``[attachments]``: which files of a notice are fetched and read, and within what limits."""

    kinds: tuple[str, ...] = ATTACHMENT_KINDS  # () fetches none
    max_bytes: int = 20_000_000  # a larger file is not fetched (a problem on the run)
    store: str = "db"  # "db": text and hashes only; else a directory that keeps the files
    read_timeout: float = 30.0  # seconds one file may take to read (its child process is killed)
    read_memory_mb: int = 512  # address space of the child process reading one file
    per_notice: int = 10  # at most this many files of one notice are fetched


@dataclass(frozen=True)
class Config:
    path: Path
    storage_url: str
    sources: tuple[Source, ...]
    subscriptions: tuple[Subscription, ...] = ()
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    changes: ChangePolicy = field(default_factory=ChangePolicy)
    timezone: str = "Asia/Shanghai"
    retention: Retention = field(default_factory=Retention)
    notify: RetryPolicy = field(default_factory=RetryPolicy)
    daemon: DaemonSettings = field(default_factory=DaemonSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    attachments: AttachmentSettings = field(default_factory=AttachmentSettings)
    web: WebSettings = field(default_factory=WebSettings)

    @property
    def zone(self) -> ZoneInfo:
        """The time zone of schedules and of times shown to people (checked at load)."""
        return ZoneInfo(self.timezone)

    @property
    def source_ids(self) -> set[str]:
        return {source.id for source in self.sources}

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)


def default_storage_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("noticewatch"))
    return f"sqlite:///{data_dir / 'notices.db'}"


def parse_duration(value: Any) -> float:
    """Seconds from ``90``, ``"90s"``, ``"30m"``, ``"2h"``, ``"1d"`` (bare numbers are minutes)."""
    match = _DURATION.match(str(value))
    if not match or isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r} (use e.g. '30m', '2h', '45s')")
    number, unit = float(match.group(1)), match.group(2) or "m"
    return number * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def expand_env(value: str) -> str:
    """Replace ``${NAME}`` with the environment variable; a missing one is an error."""

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ValueError(f"environment variable {name} is not set")
        return os.environ[name]

    return _ENV.sub(lookup, value)


class _Locator:
    """Finds the line of ``table[index].key`` in a TOML file's text."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, int, str], int] = {}
        self.headers: dict[tuple[str, int], int] = {}
        self.text_lines = text.splitlines()
        counts: dict[str, int] = {}
        table, index = "", 0
        for number, line in enumerate(self.text_lines, start=1):
            header = self._HEADER.match(line)
            if header:
                table = header.group(2)
                parent = table.rpartition(".")[0]
                if header.group(1) == "[[":
                    index = counts[table] = counts.get(table, -1) + 1
                else:  # [sources.api] belongs to the [[sources]] above it
                    index = counts.get(parent, 0)
                self.headers[(table, index)] = number
                continue
            key = self._KEY.match(line)
            if key:
                self.lines.setdefault((table, index, key.group(1)), number)

    def line(self, table: str, index: int, key: str | None, value: str | None = None) -> int | None:
        """The line of the field; with ``value``, the line from there on holding that string
        (an item of a list written over several lines)."""
        if key and (table, index, key) in self.lines:
            start = self.lines[(table, index, key)]
            if value:
                for number in range(start, len(self.text_lines) + 1):
                    if value in self.text_lines[number - 1]:
                        return number
                    if number > start and self._HEADER.match(self.text_lines[number - 1]):
                        break
            return start
        return self.headers.get((table, index))


class _FileReader:
    """Reads one TOML file and turns field problems into located ConfigErrors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists() and not path.is_file():
            raise ConfigError(f"{path}: not a regular file")
        if path.exists() and path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: over {MAX_CONFIG_BYTES // 1_000_000} MB: not a config file")
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        if text.startswith("\ufeff"):
            raise ConfigError(
                f"{path}:1: the file starts with a byte order mark (BOM): remove the BOM "
                "(save it as UTF-8 without BOM)"
            )
        try:
            self.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = re.search(r"at line (\d+)", str(exc))
            where = f"{path}:{line.group(1)}" if line else str(path)
            raise ConfigError(f"{where}: invalid TOML: {str(exc).split(' (at')[0]}") from exc
        self.locator = _Locator(text)

    def error(
        self,
        table: str,
        index: int | None,
        key: str | None,
        message: str,
        *,
        item: int | None = None,
        value: str | None = None,
    ) -> ConfigError:
        """``file:line: table[index].key[item]: message``; ``value`` (as written) finds the
        line of one item of a list."""
        line = self.locator.line(table, index or 0, key, value)
        parent, _, child = table.rpartition(".")
        if line is None and parent:  # an inline table: the line of its key in the parent
            line = self.locator.line(parent, index or 0, child)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = table if index is None else f"{table}[{index}]"
        if index is not None and parent:
            name = f"{parent}[{index}].{child}"
        if key:
            name = f"{name}.{key}" if name else key
        if item is not None:
            name = f"{name}[{item}]"
        return ConfigError(f"{where}: {name}: {message}")


class _Fields:
    """Typed access to one table's fields, raising located errors."""

    def __init__(self, reader: _FileReader, table: str, index: int | None, data: Any) -> None:
        if not isinstance(data, dict):
            raise reader.error(table, index, None, "must be a table")
        self.reader, self.table, self.index, self.data = reader, table, index, data
        self.used: set[str] = set()

    def error(
        self, key: str | None, message: str, *, item: int | None = None, value: str | None = None
    ) -> ConfigError:
        return self.reader.error(self.table, self.index, key, message, item=item, value=value)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        self.used.add(key)
        if key not in self.data:
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            kinds = [k for k in _tuple(kind) if not (k is int and float in _tuple(kind))]
            names = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
            raise self.error(key, f"must be {names}, got {_KIND_NAMES.get(type(value), 'a value')}")
        return value

    def number(self, key: str, default: float, *, allow_zero: bool = True) -> float:
        """A number of at least 0 (above 0 unless ``allow_zero``)."""
        value = self.get(key, (int, float), default)
        if value < 0 or (value == 0 and not allow_zero):
            raise self.error(key, "must be 0 or more" if allow_zero else "must be more than 0")
        return value

    def required(self, key: str, kind: type) -> Any:
        value = self.get(key, kind)
        if value is None or value == "":
            raise self.error(key, "is required")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, (list, str), ())
        values = [value] if isinstance(value, str) else value
        if not all(isinstance(v, str) for v in values):
            raise self.error(key, "must be a list of strings")
        return tuple(values)

    def duration(self, key: str, default: float, *, allow_zero: bool = False) -> float:
        value = self.get(key, (int, float, str), None)
        if value is None:
            return default
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None
        if seconds < 0 or (seconds == 0 and not allow_zero):
            raise self.error(key, "must be positive")
        return seconds

    def positive_int(self, key: str, default: int) -> int:
        value = self.optional_positive_int(key)
        return default if value is None else value

    def optional_positive_int(self, key: str) -> int | None:
        value = self.get(key, int)
        if value is not None and value < 1:
            raise self.error(key, "must be at least 1")
        return value

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(self.used), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(unknown[0], f"unknown option{hint}")


_KIND_NAMES: dict[type, str] = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _check_cron(f: _Fields, key: str, expression: str, timezone: str) -> None:
    try:
        crontab_trigger(expression, ZoneInfo(timezone))
    except ValueError as exc:
        raise f.error(key, str(exc)) from None


def _parse_source(
    reader: _FileReader, index: int, data: Any, crawl: CrawlSettings, timezone: str
) -> Source:
    f = _Fields(reader, "sources", index, data)
    source_id = f.required("id", str)
    if not _ID.match(source_id):
        raise f.error("id", "use lowercase letters, digits, '-', '_' or '.'")
    url = f.required("url", str)
    if not re.match(r"^https?://[^/\s]+", url):
        raise f.error("url", "must be an http(s) URL")
    if "@" in urlsplit(url).netloc:
        raise f.error("url", "must not hold a user name or password (logs and views would show it)")
    hours = f.get("active_hours", str)
    active_hours = None
    if hours:
        match = re.fullmatch(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*", hours)
        if not match or not all(0 <= int(h) <= 24 for h in match.groups()):
            raise f.error("active_hours", "use 'START-END' hours, e.g. '7-22'")
        active_hours = (int(match.group(1)), int(match.group(2)))
    f.get("note", str)
    cron = f.get("cron", str)
    if cron:
        _check_cron(f, "cron", cron, timezone)
        if "interval" in f.data:
            raise f.error("cron", "give either interval or cron, not both")
    link_selector = f.get("link_selector", str)
    if link_selector is not None and (problem := validate_selector(link_selector)):
        raise f.error("link_selector", problem)
    encoding = f.get("encoding", str)
    if encoding is not None:
        from spiders.encoding import normalise_charset

        if normalise_charset(encoding) is None:
            raise f.error(
                "encoding",
                f"unknown encoding {encoding!r} (e.g. 'gbk', 'gb18030', 'utf-8', 'big5')",
            )
    render, render_details = _render_options(f)
    source = Source(
        id=source_id,
        name=f.get("name", str) or source_id,
        url=url,
        link_selector=link_selector,
        columns=_column_names(f),
        allow_offsite=f.get("allow_offsite", bool, Source.allow_offsite),
        allow_private=f.get("allow_private", bool, Source.allow_private),
        max_pages=f.positive_int("max_pages", Source.max_pages),
        interval=f.duration("interval", Source.interval),
        cron=cron,
        jitter=f.number("jitter", Source.jitter),
        active_hours=active_hours,
        tags=f.strings("tags"),
        encoding=encoding,
        enabled=f.get("enabled", bool, Source.enabled),
        obey_robots=f.get("obey_robots", bool, crawl.obey_robots),
        revisit_days=f.positive_int("revisit_days", Source.revisit_days),
        failure_threshold=f.positive_int("failure_threshold", Source.failure_threshold),
        stale_days=f.optional_positive_int("stale_days"),
        list_api=_list_api_name(f),
        api=_parse_api(reader, index, f, url),
        render=render,
        render_details=render_details,
        origin=str(reader.path),
    )
    if source.list_api and source.api:
        raise f.error("list_api", "give list_api or [sources.api], not both")
    f.reject_unknown()
    return source


def _column_names(f: _Fields) -> tuple[str, ...]:
    names = tuple(name.strip() for name in f.strings("columns"))
    for item, name in enumerate(names):
        if not name:
            raise f.error("columns", "must not be empty", item=item)
    return names


def _list_api_name(f: _Fields) -> str | None:
    name = f.get("list_api", str)
    if name is None:
        return None
    from spiders.cms import LIST_APIS

    names = [api.name for api in LIST_APIS]
    if name not in names:
        raise f.error(
            "list_api", f"unknown list API {name!r} (use {' or '.join(map(repr, names))})"
        )
    return name


_DOTTED = re.compile(r"^[\w-]+(\.[\w-]+)*$")


def _parse_api(reader: _FileReader, index: int, source: _Fields, url: str) -> DeclaredApi | None:
    """``[sources.api]``: a list API of the source's own, on its site."""
    data = source.get("api", dict)
    if data is None:
        return None
    from spiders.declared_api import PAGE, DeclaredApi
    from spiders.urls import site_key

    f = _Fields(reader, "sources.api", index, data)

    endpoint = urljoin(url, f.required("url", str))
    if not endpoint.startswith(("http://", "https://")):
        raise f.error("url", "must be an http(s) URL or a path on the source's site")
    if site_key(endpoint) != site_key(url) and not source.data.get("allow_offsite"):
        raise f.error("url", f"must be on the source's site {site_key(url)} (or allow_offsite)")
    method = f.get("method", str, "GET").upper()
    if method not in ("GET", "POST"):
        raise f.error("method", 'must be "GET" or "POST"')
    form = f.get("form", dict, {})
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in form.values()):
        raise f.error("form", "values must be strings or numbers")
    body = f.get("json", (dict, list))
    if form and body is not None:
        raise f.error("json", "give form or json, not both")
    if (form or body is not None) and method == "GET":
        raise f.error("method", 'a form or json body is sent with method = "POST"')
    json_body = None if body is None else json.dumps(body, ensure_ascii=False)
    if PAGE not in endpoint + "".join(map(str, form.values())) + (json_body or ""):
        raise f.error("url", "no {page} in url, form or json: every page would be the same request")
    items = f.get("items", str)
    if items is None:
        raise f.error(
            "items", 'is required: the dotted path to the list ("" for the answer itself)'
        )
    paths = {"items": items, "title": f.get("title", str, "title"), "date": f.get("date", str)}
    link, template = f.get("link", str), f.get("link_template", str)
    if link and template:
        raise f.error("link_template", "give link or link_template, not both")
    if template is not None and not re.search(r"\{[\w.]+\}", template):
        raise f.error("link_template", 'names no item field, e.g. "/art/{id}.html"')
    paths["link"] = link if template is None else None
    for key, path in paths.items():
        if path and not _DOTTED.match(path):
            raise f.error(key, f'{path!r} is not a dotted path (e.g. "data.list")')
    first_page = f.get("first_page", int, 1)
    if first_page < 0:
        raise f.error("first_page", "must be 0 or more")
    f.reject_unknown()
    return DeclaredApi(
        url=endpoint,
        items=items,
        title=paths["title"] or "title",
        link=(link or "url") if template is None else None,
        link_template=template,
        date=paths["date"],
        method=method,
        form=tuple((k, str(v)) for k, v in form.items()),
        json_body=json_body,
        first_page=first_page,
    )


RENDER_MODES = ("browser", "challenge")


def _render_options(f: _Fields) -> tuple[str | None, bool]:
    """``render`` and ``render_details`` of a source."""
    render = f.get("render", str)
    if render is not None and render not in RENDER_MODES:
        raise f.error("render", f"must be {' or '.join(map(repr, RENDER_MODES))}, got {render!r}")
    details = f.get("render_details", bool, Source.render_details)
    if details and render != "browser":
        raise f.error("render_details", 'needs render = "browser"')
    return render, details


def _missing_env(value: str) -> list[str]:
    return [name for name in _ENV.findall(value) if name not in os.environ]


def _notify_urls(f: _Fields, need_secrets: bool) -> tuple[str, ...]:
    """The subscription's apprise URLs, ``${NAME}`` expanded and each one checked by apprise.
    Without ``need_secrets`` (nothing will be sent) they are not checked, and one whose
    variable is unset is kept as written."""
    urls: list[str] = []
    for item, written in enumerate(f.strings("notify")):
        missing = _missing_env(written)
        if not need_secrets:
            urls.append(written if missing else expand_env(written))
            continue
        if missing:
            raise f.error(
                "notify", f"environment variable {missing[0]} is not set", item=item, value=written
            )
        url = expand_env(written)
        problem = apprise_url_problem(url)
        if problem:
            raise f.error("notify", problem, item=item, value=written)
        urls.append(url)
    return tuple(urls)


def _check_apprise_config(f: _Fields, path: str) -> None:
    if problem := apprise_config_problem(path):
        raise f.error("apprise_config", problem)


def _parse_subscription(
    reader: _FileReader, index: int, data: Any, timezone: str, need_secrets: bool
) -> Subscription:
    f = _Fields(reader, "subscriptions", index, data)
    events = f.strings("events") or Subscription.events
    for kind in events:
        if kind not in SUBSCRIBABLE:
            raise f.error("events", f"unknown event {kind!r} (use {', '.join(SUBSCRIBABLE)})")
    mode = f.get("mode", str, Subscription.mode)
    if mode not in tuple(AlertMode):
        raise f.error("mode", f"must be {' or '.join(repr(m.value) for m in AlertMode)}")
    notify = _notify_urls(f, need_secrets)
    apprise_config = f.get("apprise_config", str)
    if apprise_config:
        apprise_config = str(reader.path.parent / Path(apprise_config).expanduser())
        if need_secrets:
            _check_apprise_config(f, apprise_config)
    digest_cron = f.get("digest_cron", str, Subscription.digest_cron)
    _check_cron(f, "digest_cron", digest_cron, timezone)
    if not notify and not apprise_config:
        raise f.error("notify", "give at least one apprise URL (or apprise_config)")
    subscription = Subscription(
        name=f.required("name", str),
        notify=notify,
        apprise_config=apprise_config,
        sources=f.strings("sources"),
        tags=f.strings("tags"),
        keywords=f.strings("keywords"),
        exclude_keywords=f.strings("exclude_keywords"),
        events=events,
        mode=AlertMode(mode),
        digest_cron=digest_cron,
    )
    f.reject_unknown()
    return subscription


def _parse_crawl(reader: _FileReader, data: Any) -> CrawlSettings:
    f = _Fields(reader, "crawl", None, data)
    defaults = CrawlSettings()
    settings = CrawlSettings(
        user_agent=f.get("user_agent", str, defaults.user_agent),
        contact=f.get("contact", str),
        concurrency_per_host=f.positive_int("concurrency_per_host", defaults.concurrency_per_host),
        download_delay=f.number("download_delay", defaults.download_delay),
        timeout=f.number("timeout", defaults.timeout, allow_zero=False),
        retries=_retries(f, defaults.retries),
        retry_backoff=f.number("retry_backoff", defaults.retry_backoff),
        obey_robots=f.get("obey_robots", bool, defaults.obey_robots),
        max_response_bytes=f.positive_int("max_response_bytes", defaults.max_response_bytes),
        extract_budget=f.duration("extract_budget", defaults.extract_budget),
        revisit_old_days=f.positive_int("revisit_old_days", defaults.revisit_old_days),
        give_up_after=f.positive_int("give_up_after", defaults.give_up_after),
        pending_retry_delay=f.duration(
            "pending_retry_delay", defaults.pending_retry_delay, allow_zero=True
        ),
        chromium_path=f.get("chromium_path", str, defaults.chromium_path),
        render_timeout=f.number("render_timeout", defaults.render_timeout, allow_zero=False),
        robots_lifetime=f.duration("robots_lifetime", defaults.robots_lifetime, allow_zero=True),
        revisit_first=f.duration("revisit_first", defaults.revisit_first, allow_zero=True),
        revisit_max=f.duration("revisit_max", defaults.revisit_max, allow_zero=True),
    )
    f.reject_unknown()
    return settings


def _retries(f: _Fields, default: int) -> int:
    value = f.get("retries", int, default)
    if value < 0:
        raise f.error("retries", "must be 0 or more")
    return int(value)


def _parse_retention(storage: _Fields) -> Retention:
    defaults = Retention()
    return Retention(
        keep_runs_days=storage.positive_int("keep_runs_days", defaults.keep_runs_days),
        keep_events_days=storage.positive_int("keep_events_days", defaults.keep_events_days),
        keep_deliveries_days=storage.positive_int(
            "keep_deliveries_days", defaults.keep_deliveries_days
        ),
        keep_versions=storage.optional_positive_int("keep_versions"),
    )


def _parse_changes(reader: _FileReader, data: Any) -> ChangePolicy:
    f = _Fields(reader, "changes", None, data)
    defaults = ChangePolicy()
    distance = f.get("duplicate_distance", int, defaults.duplicate_distance)
    if not 0 <= distance <= 16:
        raise f.error("duplicate_distance", "must be between 0 and 16 bits")
    ratio = f.get("min_length_ratio", (int, float), defaults.min_length_ratio)
    if not 0 < ratio <= 1:
        raise f.error("min_length_ratio", "must be above 0 and at most 1")
    policy = ChangePolicy(
        f.get("alert_reposts", bool, defaults.alert_reposts), distance, float(ratio)
    )
    f.reject_unknown()
    return policy


def _parse_attachments(reader: _FileReader, data: Any) -> AttachmentSettings:
    f = _Fields(reader, "attachments", None, data)
    defaults = AttachmentSettings()
    given = f.strings("kinds")
    kinds = tuple(k.lower().lstrip(".") for k in given) if "kinds" in f.data else defaults.kinds
    for index, kind in enumerate(kinds):
        if kind not in ATTACHMENT_KINDS:
            raise f.error(
                "kinds", f"unknown kind (known: {', '.join(ATTACHMENT_KINDS)})", item=index
            )
    store = f.get("store", str, defaults.store)
    if not store:
        raise f.error("store", 'must be "db" or a directory')
    if store != "db":
        store = str((reader.path.parent / Path(store).expanduser()).resolve())
    settings = AttachmentSettings(
        kinds=kinds,
        max_bytes=f.positive_int("max_bytes", defaults.max_bytes),
        store=store,
        read_timeout=f.number("read_timeout", defaults.read_timeout, allow_zero=False),
        read_memory_mb=f.positive_int("read_memory_mb", defaults.read_memory_mb),
        per_notice=f.positive_int("per_notice", defaults.per_notice),
    )
    f.reject_unknown()
    return settings


def _parse_notify(reader: _FileReader, data: Any) -> RetryPolicy:
    f = _Fields(reader, "notify", None, data)
    defaults = RetryPolicy()
    policy = RetryPolicy(
        max_attempts=f.positive_int("max_attempts", defaults.max_attempts),
        first_delay=f.duration("first_delay", defaults.first_delay),
        max_delay=f.duration("max_delay", defaults.max_delay),
        claim_seconds=f.duration("claim_seconds", defaults.claim_seconds),
        send_timeout=f.duration("send_timeout", defaults.send_timeout),
        workers=f.positive_int("workers", defaults.workers),
        batch=f.positive_int("batch", defaults.batch),
    )
    f.reject_unknown()
    return policy


def _parse_daemon(reader: _FileReader, data: Any) -> DaemonSettings:
    f = _Fields(reader, "daemon", None, data)
    defaults = DaemonSettings()
    status_bind = f.get("status_bind", str)
    if status_bind is not None:
        from monitor.daemon.status_http import parse_bind

        try:
            port = parse_bind(status_bind)[1]
        except ValueError as exc:
            raise f.error("status_bind", str(exc)) from None
        if not 0 < port < 65536:
            raise f.error("status_bind", f"port {port} is not 1-65535")
    settings = DaemonSettings(
        status_bind=status_bind,
        max_crawls=f.positive_int("max_crawls", defaults.max_crawls),
        lease_ttl=f.duration("lease_ttl", defaults.lease_ttl),
        crawl_timeout=f.duration("crawl_timeout", defaults.crawl_timeout),
        batch=f.positive_int("batch", defaults.batch),
        batch_wait=f.duration("batch_wait", defaults.batch_wait, allow_zero=True),
    )
    f.reject_unknown()
    return settings


def _parse_queue(reader: _FileReader, data: Any, need_secrets: bool) -> QueueSettings:
    f = _Fields(reader, "queue", None, data)
    defaults = QueueSettings()
    url = f.get("url", str) or None
    if url and (need_secrets or not _missing_env(url)):
        try:
            url = expand_env(url)
        except ValueError as exc:
            raise f.error("url", str(exc)) from None
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise f.error("url", "must be a redis:// URL")
    settings = QueueSettings(
        url=url,
        concurrency=f.positive_int("concurrency", defaults.concurrency),
        worker_lease=f.duration("worker_lease", defaults.worker_lease),
    )
    f.reject_unknown()
    return settings


def _parse_web(reader: _FileReader, data: Any, need_secrets: bool) -> WebSettings:
    from monitor.web.auth import check_password_hash, parse_bind

    f = _Fields(reader, "web", None, data)
    bind = f.get("bind", str)
    if bind is not None:
        try:
            parse_bind(bind)
        except ValueError as exc:
            raise f.error("bind", str(exc)) from None
    token, user = f.get("token", str) or None, f.get("user", str) or None
    password_hash = f.get("password_hash", str) or None
    if token and (need_secrets or not _missing_env(token)):
        try:
            token = expand_env(token)
        except ValueError as exc:
            raise f.error("token", str(exc)) from None
    if user and not password_hash:
        raise f.error("password_hash", "is required with user (noticewatch web --hash-password)")
    if password_hash and not user:
        raise f.error("user", "is required with password_hash")
    if password_hash and (problem := check_password_hash(password_hash)):
        raise f.error("password_hash", problem)
    f.reject_unknown()
    return WebSettings(bind=bind, token=token, user=user, password_hash=password_hash)


def _include_paths(reader: _FileReader, patterns: tuple[str, ...]) -> list[Path]:
    paths: list[Path] = []
    for index, pattern in enumerate(patterns):
        candidates = [reader.path.parent / pattern]
        if pattern.startswith("seeds/"):
            candidates.append(BUNDLED_SEEDS / pattern.removeprefix("seeds/"))
        found: list[str] = []
        for candidate in candidates:
            found = sorted(glob.glob(str(candidate.expanduser())))
            if found:
                break
        if not found:
            raise reader.error("include", None, None, f"[{index}] {pattern!r} matches no file")
        paths.extend(Path(p) for p in found)
    return paths


_TABLES = ("storage", "crawl", "changes", "notify", "daemon", "queue", "attachments", "web")
_ARRAYS = ("sources", "subscriptions")
_OPTIONS = ("include", "timezone")


def _spelled(name: str) -> str:
    """How a top-level name is written: ``[[sources]]``, ``[crawl]``, ``timezone``."""
    return f"[[{name}]]" if name in _ARRAYS else f"[{name}]" if name in _TABLES else name


def _top_error(reader: _FileReader, key: str, message: str) -> ConfigError:
    """A located error about a top-level table or option."""
    if (key, 0) in reader.locator.headers:
        return reader.error(key, None, None, message)
    return reader.error("", None, key, message)


def _check_names(reader: _FileReader, allowed: tuple[str, ...], seed: bool = False) -> None:
    """Unknown top-level tables and options, with the known name they are most like."""
    for key, value in reader.data.items():
        if key in allowed:
            continue
        close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {_spelled(close[0])}?" if close else ""
        if seed:
            raise _top_error(reader, key, f"a seed file holds only [[sources]]{hint}")
        tables = isinstance(value, dict) or (
            isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
        )
        raise _top_error(reader, key, f"unknown {'table' if tables else 'option'}{hint}")


def _table(top: _Fields, name: str) -> dict:
    top.used.add(name)
    value = top.data.get(name, {})
    if not isinstance(value, dict):
        raise _top_error(top.reader, name, f"use one [{name}] table")
    return value


def _array(reader: _FileReader, name: str) -> list:
    value = reader.data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _top_error(reader, name, f"use [[{name}]] tables, one per {name[:-1]}")
    return value


def load_config(path: str | Path, *, need_secrets: bool = True) -> Config:
    """Read, validate and return the config at ``path`` with its included seed files.

    With ``need_secrets=False`` (commands that only read), a notify or queue URL whose
    ``${NAME}`` is not set is left as written and not checked, instead of an error.
    """
    path = Path(path)
    reader = _FileReader(path)
    _check_names(reader, _TABLES + _ARRAYS + _OPTIONS)
    top = _Fields(reader, "", None, reader.data)
    storage = _Fields(reader, "storage", None, _table(top, "storage"))
    try:
        storage_url = expand_env(storage.get("url", str) or default_storage_url())
    except ValueError as exc:
        raise storage.error("url", str(exc)) from None
    if problem := storage_url_problem(storage_url):
        raise storage.error("url", problem)
    retention = _parse_retention(storage)
    storage.reject_unknown()
    crawl = _parse_crawl(reader, _table(top, "crawl"))
    changes = _parse_changes(reader, _table(top, "changes"))
    notify = _parse_notify(reader, _table(top, "notify"))
    daemon = _parse_daemon(reader, _table(top, "daemon"))
    timezone = top.get("timezone", str, Config.timezone)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise top.error(
            "timezone", f"unknown time zone {timezone!r} (e.g. 'Asia/Shanghai')"
        ) from None
    queue = _parse_queue(reader, _table(top, "queue"), need_secrets)
    attachments = _parse_attachments(reader, _table(top, "attachments"))
    web = _parse_web(reader, _table(top, "web"), need_secrets)

    sources: list[Source] = []
    origins: dict[str, str] = {}
    for file_reader in [reader, *map(_FileReader, _include_paths(reader, top.strings("include")))]:
        if file_reader is not reader:
            _check_names(file_reader, ("sources",), seed=True)
        for index, table in enumerate(_array(file_reader, "sources")):
            source = _parse_source(file_reader, index, table, crawl, timezone)
            if source.id in origins:
                raise file_reader.error(
                    "sources",
                    index,
                    "id",
                    f"duplicate id {source.id!r} (also in {origins[source.id]})",
                )
            origins[source.id] = str(file_reader.path)
            sources.append(source)

    subscriptions = [
        _parse_subscription(reader, i, t, timezone, need_secrets)
        for i, t in enumerate(_array(reader, "subscriptions"))
    ]
    top.used.add("subscriptions")
    names = [s.name for s in subscriptions]
    for index, name in enumerate(names):
        if names.index(name) != index:
            raise reader.error("subscriptions", index, "name", f"duplicate name {name!r}")
    top.used.add("sources")
    top.reject_unknown()
    if not sources:
        raise ConfigError(f"{path}: sources: no [[sources]] defined (add one or an include)")
    return Config(
        path=path,
        storage_url=storage_url,
        sources=tuple(sources),
        subscriptions=tuple(subscriptions),
        crawl=crawl,
        changes=changes,
        timezone=timezone,
        retention=retention,
        notify=notify,
        daemon=daemon,
        queue=queue,
        attachments=attachments,
        web=web,
    )
