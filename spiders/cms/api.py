"""The list API adapter record (``CmsProfile.list_api``) and what the adapters share.

A list API adapter knows one family of list data endpoints: how to recognise a list
page that is fed by it, the request for its first page of data, and how to read an
answer into list entries (title, URL, date) and the request for the next page. Its
parts are plain functions; the spider (``spiders.notice_spider``) sends the requests
and treats the entries exactly as the rows of an HTML list page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from spiders.items import ListEntry
from spiders.urls import canonical_url, is_file_url

BEIJING = timezone(timedelta(hours=8))
_TAG = re.compile(r"<[^>]+>")


class ApiError(Exception):
    """An answer the adapter cannot read, or a page it cannot start from: one line for the user."""


@dataclass(frozen=True)
class ApiRequest:
    """One request for a page of list data."""

    url: str
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()  # sent urlencoded (a POST body)
    json_body: str | None = None  # sent as application/json
    headers: tuple[tuple[str, str], ...] = ()
    state: tuple[tuple[str, str], ...] = ()  # what the adapter needs to build the next request

    @property
    def body(self) -> bytes:
        """What is sent: the JSON body, else the urlencoded form (empty for a plain GET)."""
        if self.json_body is not None:
            return self.json_body.encode()
        return urlencode(self.form).encode() if self.form else b""

    def value(self, key: str, default: str = "") -> str:
        """A value the adapter keeps in ``state``."""
        return dict(self.state).get(key, default)


FirstRequest = Callable[[str, str], ApiRequest]
"""``(page_html, page_url)`` → the request for a list's first page of data."""

Rows = Callable[[str, str], list[ListEntry]]
"""``(html, url)`` → the notice links of an HTML list (fragment), as on any list page."""


@dataclass(frozen=True)
class ApiAnswer:
    """An answer to an ``ApiRequest`` (or the list page itself, for adapters without ``first``)."""

    request: ApiRequest
    number: int  # the list page number it answers (1-based)
    url: str  # the answer's URL (after redirects)
    text: str  # the body decoded
    rows: Rows = field(repr=False)

    def json(self, what: str) -> Any:
        """The answer as JSON (whatever its Content-Type says: many such endpoints label
        JSON ``text/html``); ``ApiError`` naming ``what`` when it is something else."""
        text = self.text.lstrip("\ufeff \t\r\n")
        if text.startswith("<"):
            raise ApiError(f"{what} answered an HTML page, not JSON ({_title(text)})")
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ApiError(f"{what} answered invalid JSON: {exc}") from None


@dataclass(frozen=True)
class ApiPage:
    """What one answer holds: its entries, and the request for the next page (None: the end)."""

    entries: list[ListEntry]
    next: ApiRequest | None = None


@dataclass(frozen=True)
class ListApi:
    """One family of list data endpoints, as plain functions."""

    name: str
    """The value of a source's ``list_api`` option that forces it."""
    recognise: Callable[[str, str], bool]
    """``(page_html, page_url)`` → the page is a list fed by this API."""
    read: Callable[[ApiAnswer], ApiPage]
    """An answer → its entries and the next request (``ApiError`` when it is not readable)."""
    first: FirstRequest | None = None
    """``(page_html, page_url)`` → the request for the first page of data (``ApiError``
    when the page does not name what the API needs). None: the list page holds its first
    rows itself and the API is only how it pages (chosen whenever it is recognised)."""
    endpoint: Callable[[str], ApiRequest | None] | None = None
    """A source URL → the first request when the URL is the endpoint itself (no list page)."""


def walk(data: Any, path: str) -> Any:
    """The value at a dotted path (``data.list``, ``result.items.0``); None when absent.

    An empty path is ``data`` itself; a number steps into a list.
    """
    for step in path.split(".") if path else ():
        if isinstance(data, Mapping):
            data = data.get(step)
        elif (
            isinstance(data, list)
            and step.lstrip("-").isdigit()
            and -len(data) <= int(step) < len(data)
        ):
            data = data[int(step)]
        else:
            return None
    return data


def plain_text(value: Any) -> str:
    """A title as text: markup dropped, entities decoded, whitespace folded."""
    if value is None:
        return ""
    return " ".join(html.unescape(_TAG.sub("", str(value))).split())


def date_text(value: Any) -> str | None:
    """A date as list rows carry it: strings as given, unix seconds or milliseconds as
    Beijing ``YYYY-MM-DD HH:MM:SS``."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        try:
            moment = datetime.fromtimestamp(seconds, UTC).astimezone(BEIJING)
        except (OverflowError, OSError, ValueError):
            return None
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    text = plain_text(value)
    return text or None


def json_list(answer: ApiAnswer, what: str, path: str) -> tuple[Any, list]:
    """The answer as JSON and the list at the dotted ``path`` in it; ``ApiError`` naming
    ``what`` when there is none."""
    data = answer.json(what)
    items = walk(data, path)
    if not isinstance(items, list):
        raise ApiError(f"{what}'s answer holds no list at {path!r}")
    return data, items


ItemField = Callable[[dict], Any]
"""Where an API item (a JSON object) holds one of its fields."""


def item_entries(
    items: list, base: str, *, link: ItemField, title: ItemField, date: ItemField
) -> list[ListEntry]:
    """The list entries of an API's items; items without a usable link or title are skipped."""
    found = (entry(link(i), title(i), date(i), base) for i in items if isinstance(i, dict))
    return [e for e in found if e is not None]


def entry(link: Any, title: Any, date: Any, base: str) -> ListEntry | None:
    """A list entry from an item's fields (its link resolved against ``base``); None
    when it has no usable link or title."""
    href = str(link or "").strip()
    name = plain_text(title)
    if not href or not name or href.startswith(("#", "javascript:", "mailto:")):
        return None
    url = canonical_url(href, base)
    if not url.startswith(("http://", "https://")):
        return None
    return ListEntry(url=url, title=name, date_text=date_text(date), is_file=is_file_url(url))


def _title(page: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", page, re.S | re.I)
    return f"title {plain_text(found.group(1))[:80]!r}" if found else "no title"
