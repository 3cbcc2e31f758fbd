"""Query parameters → a bounded, validated :class:`NoticeFilter` and page; a bad one is a
:class:`BadRequest` with one line naming the parameter."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from monitor.config import Config
from monitor.simplified import to_simplified
from monitor.web.queries import NOTICE_EVENTS, NoticeFilter

MAX_QUERY_CHARS = 100
MAX_TERMS = 8
MAX_PAGE = 1000
PAGE_SIZE = 30
MAX_PAGE_SIZE = 100
FILTER_KEYS = ("source", "tag", "events", "since", "until", "q")


class BadRequest(Exception):
    """A query parameter the web UI will not take; the message is one line."""


def _date(params: Mapping[str, str], key: str) -> date | None:
    value = params.get(key, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{key}: not a date like 2024-09-01: {value[:40]!r}") from None


def _whole(params: Mapping[str, str], key: str, default: int, largest: int) -> int:
    value = params.get(key, "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= largest:
        raise BadRequest(f"{key}: a whole number from 1 to {largest}, not {value[:20]!r}")
    return int(value)


def notice_filter(params: Mapping[str, str], config: Config) -> NoticeFilter:
    query = " ".join(params.get("q", "").split())
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"q: at most {MAX_QUERY_CHARS} characters")
    terms = tuple(dict.fromkeys(to_simplified(query).split()))
    if len(terms) > MAX_TERMS:
        raise BadRequest(f"q: at most {MAX_TERMS} words")
    events = tuple(e for e in params.get("events", "").replace(",", " ").split() if e)
    unknown = [e for e in events if e not in NOTICE_EVENTS]
    if unknown:
        raise BadRequest(f"events: {unknown[0][:30]!r} is none of {', '.join(NOTICE_EVENTS)}")
    tag = params.get("tag", "").strip() or None
    since, until = _date(params, "since"), _date(params, "until")
    if since and until and since > until:
        raise BadRequest("since: after until")
    return NoticeFilter(
        source=params.get("source", "").strip()[:100] or None,
        tag=tag,
        tag_sources=tuple(s.id for s in config.sources if tag in s.tags) if tag else (),
        events=events,
        since=since,
        until=until,
        query=query,
        terms=terms,
    )


def page_of(params: Mapping[str, str]) -> tuple[int, int]:
    """(page, size) within bounds."""
    return _whole(params, "page", 1, MAX_PAGE), _whole(params, "size", PAGE_SIZE, MAX_PAGE_SIZE)


def filter_params(f: NoticeFilter) -> dict[str, str]:
    """The query parameters that give ``f`` back (for links: paging, feeds)."""
    values = {
        "source": f.source or "",
        "tag": f.tag or "",
        "events": ",".join(f.events),
        "since": f.since.isoformat() if f.since else "",
        "until": f.until.isoformat() if f.until else "",
        "q": f.query,
    }
    return {key: value for key, value in values.items() if value}


def query_string(params: Mapping[str, str | int]) -> str:
    return "?" + urlencode(params) if params else ""
