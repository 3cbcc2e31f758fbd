"""The one generic notice spider: list pages, pagination, detail pages.

It learns what is already known through ``known(urls) -> {url: KnownNotice}``
and yields :mod:`spiders.items` for item pipelines to store. It reads the
next list page while the current page's last entry is not stored yet (pinned
old rows sit at the top, so they never stop it), or every page when the
previous crawl did not finish cleanly (``ListSpec.deep``), up to
``max_pages``. Links seen before and still not stored (``ListSpec.retry``)
are fetched first, whatever the list page answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TimeoutError,
)
from twisted.python.failure import Failure

from spiders.blocking import blocked_reason
from spiders.columns import Column, choose_columns, find_columns, is_notice_list
from spiders.encoding import decode_html
from spiders.items import (
    DetailPage,
    FetchProblem,
    FoundList,
    KnownNotice,
    ListEntry,
    ListPage,
    ListsFound,
    ProblemKind,
)
from spiders.links import find_links
from spiders.page_needs import page_needs
from spiders.pagination import next_page_url
from spiders.urls import site_key

log = logging.getLogger(f"noticewatch.{__name__}")

KnownLookup = Callable[[list[str]], dict[str, KnownNotice]]


@dataclass(frozen=True)
class ListSpec:
    """What the spider needs to know of one source."""

    source_id: str
    url: str
    link_selector: str | None = None
    max_pages: int = 3
    encoding: str | None = None
    obey_robots: bool = True
    list_etag: str | None = None
    list_last_modified: str | None = None
    allow_offsite: bool = False  # follow selector links and redirects to other sites
    allow_private: bool = False  # fetch internal addresses whatever the source's own address
    deep: bool = False  # the previous crawl did not finish cleanly: read up to max_pages
    retry: tuple[ListEntry, ...] = ()  # links seen before, not stored yet, due for a retry
    columns: tuple[str, ...] = ()  # notice columns to follow from the home page at ``url``
    found_lists: tuple[str, ...] = ()  # lists found on ``url`` before: crawled directly


REDIRECTS = (301, 302, 303, 307, 308)
HANDLED = [status for status in range(100, 600) if status not in REDIRECTS]
"""Every status reaches the spider (errors are recorded as such) but redirects, which Scrapy
follows: on the site only (``site_guard``), at most ``REDIRECT_MAX_TIMES``."""


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _content_type(response: Response, encoding: str | None) -> str | None:
    if encoding:
        return f"text/html; charset={encoding}"
    return _header(response, "Content-Type")


def _conditional(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class NoticeSpider(scrapy.Spider):
    name = "notices"

    def __init__(
        self,
        spec: ListSpec,
        known: KnownLookup,
        recheck: Iterable[KnownNotice] = (),
        **kwargs,
    ) -> None:
        super().__init__(name=f"notices:{spec.source_id}", **kwargs)
        self.spec = spec
        self.known = known
        self.recheck = list(recheck)
        self.requested: set[str] = set()

    def _meta(self, **extra) -> dict:
        meta = {"handle_httpstatus_list": HANDLED, "source_id": self.spec.source_id, **extra}
        if not self.spec.obey_robots:
            meta["dont_obey_robotstxt"] = True
        return meta

    async def start(self):
        if self.spec.found_lists:
            for url in self.spec.found_lists:
                yield self._list_request(url, 1, found_list=url)
        else:
            headers = _conditional(self.spec.list_etag, self.spec.list_last_modified)
            yield self._list_request(self.spec.url, 1, headers)
        for entry in self.spec.retry:
            yield self._detail_request(entry, None)
        for notice in self.recheck:
            yield self._detail_request(ListEntry(url=notice.url, title=""), notice)

    def _list_request(
        self, url: str, number: int, headers: dict | None = None, **meta
    ) -> scrapy.Request:
        """A list page; ``found_list`` in ``meta``: the page belongs to a list found on the home
        page; ``rediscovered``: that list was found again this crawl (read up to max_pages)."""
        return scrapy.Request(
            url,
            callback=self.parse_list,
            errback=self.failed,
            headers=headers or {},
            meta=self._meta(page_number=number, is_list=True, **meta),
            dont_filter=True,
        )

    def _detail_request(self, entry: ListEntry, known: KnownNotice | None) -> scrapy.Request:
        self.requested.add(entry.url)
        headers = _conditional(known.etag, known.last_modified) if known else {}
        return scrapy.Request(
            entry.url,
            callback=self.parse_detail,
            errback=self.failed,
            headers=headers,
            meta=self._meta(entry=entry, is_list=False),
            dont_filter=True,
        )

    def parse_list(self, response: Response) -> Iterator:
        number = response.meta["page_number"]
        found = response.meta.get("found_list")
        rediscovered = bool(response.meta.get("rediscovered"))
        etag, modified = _header(response, "ETag"), _header(response, "Last-Modified")
        if response.status == 304:
            yield ListPage(self.spec.source_id, response.url, number, 304, not_modified=True)
            return
        problem = self._problem(response, is_list=True)
        gone = problem is not None and response.status in (404, 410)
        if found and number == 1 and gone and not rediscovered:
            yield self._rediscover(found, f"HTTP {response.status}")
            return
        if problem:
            yield problem
            return
        page_html, _ = decode_html(response.body, _content_type(response, self.spec.encoding))
        try:
            entries = find_links(
                page_html, response.url, self.spec.link_selector, self.spec.allow_offsite
            )
        except ValueError as exc:
            yield FetchProblem(
                self.spec.source_id, response.url, ProblemKind.CONFIG, str(exc), is_list=True
            )
            return
        if number == 1 and not found and self._is_home_page(page_html, response.url, entries):
            columns = find_columns(page_html, response.url, self.spec.columns or None)
            chosen = choose_columns(columns, self.spec.columns)
            if chosen or self.spec.columns:  # else the page is read as the list it may be
                yield from self._follow_columns(chosen, page_html, response.url, rediscovered)
                return
        if found and number == 1 and not entries and not rediscovered:
            yield self._rediscover(found, "no notice links")
            return
        if not entries and (need := page_needs(response.status, page_html, response.url)):
            yield FetchProblem(
                self.spec.source_id, response.url, ProblemKind.NEEDS, need.hint, is_list=True
            )
        known = self.known([e.url for e in entries]) if entries else {}
        validators = number == 1 and not found  # a found list's validators are not kept
        yield ListPage(
            self.spec.source_id,
            response.url,
            number,
            response.status,
            entries,
            etag=etag if validators else None,
            last_modified=modified if validators else None,
        )
        for entry in entries:
            if entry.is_file or entry.url in self.requested:
                continue
            notice = known.get(entry.url)
            if notice is None or notice.recheck:
                yield self._detail_request(entry, notice)
        following = next_page_url(page_html, response.url)
        if following and site_key(following) != site_key(self.spec.url):
            log.warning(
                "%s: next page %s is off the site: not followed", self.spec.source_id, following
            )
            following = None
        bottom = known.get(entries[-1].url) if entries else None
        unstored_bottom = bool(entries) and (bottom is None or bottom.pending)
        deep = self.spec.deep or rediscovered
        if following and number < self.spec.max_pages and (deep or unstored_bottom):
            meta = {"found_list": found, "rediscovered": rediscovered} if found else {}
            yield self._list_request(following, number + 1, **meta)

    # -- home pages (spiders.columns) -------------------------------------------
    def _is_home_page(self, page_html: str, url: str, entries: list[ListEntry]) -> bool:
        """Whether the source's page is a home page whose notice columns are followed."""
        if self.spec.columns:
            return True
        return not self.spec.link_selector and not is_notice_list(page_html, url, entries)

    def _follow_columns(
        self, chosen: list[Column], page_html: str, url: str, rediscovered: bool
    ) -> Iterator:
        """Follow the chosen columns of the home page as list pages."""
        if not chosen:
            message = f"the home page links to no column named {', '.join(self.spec.columns)}"
            need = page_needs(200, page_html, url)
            yield FetchProblem(
                self.spec.source_id,
                url,
                ProblemKind.NEEDS if need else ProblemKind.CONFIG,
                f"{message}; {need.hint}" if need else message,
                is_list=True,
            )
            return
        lists = tuple(FoundList(column.label, column.url) for column in chosen)
        yield ListsFound(self.spec.source_id, url, lists)
        for found in lists:
            yield self._list_request(found.url, 1, found_list=found.url, rediscovered=rediscovered)

    def _rediscover(self, failed: str, why: str) -> scrapy.Request:
        """The found list ``failed`` stopped working: look for the lists on the home page again."""
        log.info("%s: list %s: %s; finding the lists again", self.spec.source_id, failed, why)
        return self._list_request(self.spec.url, 1, rediscovered=True)

    def parse_detail(self, response: Response) -> Iterator:
        entry: ListEntry = response.meta["entry"]
        etag, modified = _header(response, "ETag"), _header(response, "Last-Modified")
        if response.status == 304:
            yield DetailPage(
                self.spec.source_id,
                entry.url,
                response.url,
                304,
                b"",
                None,
                entry,
                etag,
                modified,
                True,
            )
            return
        problem = self._problem(response, is_list=False, url=entry.url)
        if problem:
            yield problem
            return
        yield DetailPage(
            self.spec.source_id,
            entry.url,
            response.url,
            response.status,
            response.body,
            _content_type(response, self.spec.encoding),
            entry,
            etag,
            modified,
        )

    def _problem(self, response: Response, *, is_list: bool, url: str | None = None):
        url = url or response.url
        reason = blocked_reason(response.status, response.body[:20000])
        if reason:
            return FetchProblem(
                self.spec.source_id, url, ProblemKind.BLOCKED, reason, response.status, is_list
            )
        if response.status >= 400:
            message = f"HTTP {response.status}"
            return FetchProblem(
                self.spec.source_id, url, ProblemKind.HTTP, message, response.status, is_list
            )
        content_type = (_header(response, "Content-Type") or "text/html").lower()
        if is_list and not any(t in content_type for t in ("html", "xml", "text/plain")):
            message = f"not an HTML page ({content_type.split(';')[0]})"
            return FetchProblem(
                self.spec.source_id, url, ProblemKind.CONTENT, message, response.status, True
            )
        return None

    def failed(self, failure: Failure) -> Iterator[FetchProblem]:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errbacks
        entry = request.meta.get("entry")
        url = entry.url if entry else request.url
        kind, message = _failure_reason(failure)
        yield FetchProblem(
            self.spec.source_id, url, kind, message, is_list=bool(request.meta.get("is_list"))
        )


def _failure_reason(failure: Failure) -> tuple[ProblemKind, str]:
    """``(kind, message)`` for a request that got no usable answer."""
    message = failure.getErrorMessage() or failure.type.__name__
    if failure.check(IgnoreRequest) and "robots.txt" in message:
        return (
            ProblemKind.CONFIG,
            "robots.txt forbids this page (set obey_robots = false for the source if that is wrong)",
        )
    if (failure.check(IgnoreRequest) and "MAXSIZE" in message.upper()) or failure.check(
        DownloadCancelledError
    ):  # also an answer that never ends: it passes the limit
        return ProblemKind.HTTP, "the answer is larger than max_response_bytes"
    if failure.check(IgnoreRequest) and message.startswith("refused "):  # spiders.site_guard
        return ProblemKind.CONFIG, message[:300]
    for kinds, plain in _NETWORK_FAILURES:
        if failure.check(*kinds):
            return ProblemKind.NETWORK, plain
    return ProblemKind.NETWORK, f"{failure.type.__name__}: {message}"[:300]


_NETWORK_FAILURES: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, DNSLookupError), "the host name does not resolve (DNS)"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "connection refused"),
    ((DownloadTimeoutError, TimeoutError), "no answer within [crawl] timeout"),
    ((ResponseDataLossError, ConnectionLost, ConnectionDone), "the connection broke off"),
)
"""Failures told in words: the user needs what happened, not the exception's class."""
