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

from spiders import files
from spiders.blocking import blocked_reason
from spiders.encoding import decode_html
from spiders.files import conditional_headers as _conditional
from spiders.items import (
    DetailPage,
    FetchedFile,
    FetchProblem,
    FileWanted,
    KnownNotice,
    ListEntry,
    ListPage,
    ProblemKind,
)
from spiders.links import find_links
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
    file_max_bytes: int = 20_000_000  # an attachment larger than this is not downloaded


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
        headers = _conditional(self.spec.list_etag, self.spec.list_last_modified)
        yield self._list_request(self.spec.url, 1, headers)
        for entry in self.spec.retry:
            yield self._detail_request(entry, None)
        for notice in self.recheck:
            yield self._detail_request(ListEntry(url=notice.url, title=""), notice)

    def _list_request(self, url: str, number: int, headers: dict | None = None) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_list,
            errback=self.failed,
            headers=headers or {},
            meta=self._meta(page_number=number, is_list=True),
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
        etag, modified = _header(response, "ETag"), _header(response, "Last-Modified")
        if response.status == 304:
            yield ListPage(self.spec.source_id, response.url, number, 304, not_modified=True)
            return
        problem = self._problem(response, is_list=True)
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
        known = self.known([e.url for e in entries]) if entries else {}
        yield ListPage(
            self.spec.source_id,
            response.url,
            number,
            response.status,
            entries,
            etag=etag if number == 1 else None,
            last_modified=modified if number == 1 else None,
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
        if following and number < self.spec.max_pages and (self.spec.deep or unstored_bottom):
            yield self._list_request(following, number + 1)

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

    # -- attachments (spiders.files): handed back by the recorder, fetched one by one --------
    def fetch_files(self, page: DetailPage, wanted: tuple[FileWanted, ...]) -> scrapy.Request:
        """The first request of ``page``'s attachment chain (``wanted`` is not empty)."""
        return files.file_request(page, wanted, (), self._file_meta(), *self._file_callbacks())

    def _file_step(
        self, page: DetailPage, wanted: tuple[FileWanted, ...], done: tuple[FetchedFile, ...]
    ) -> scrapy.Request | DetailPage:
        return files.next_step(page, wanted, done, self._file_meta(), *self._file_callbacks())

    def _file_meta(self) -> dict:
        return self._meta(is_list=False, download_maxsize=self.spec.file_max_bytes)

    def _file_callbacks(self) -> tuple[Callable, Callable]:
        return self.parse_file, self.file_failed

    def parse_file(self, response: Response) -> Iterator:
        page, wanted, done = response.meta["file_chain"]
        url = wanted[len(done)].url
        problem = self._problem(response, is_list=False, url=url)
        file = files.fetched(url, response, problem.message if problem else None)
        yield self._file_step(page, wanted, (*done, file))

    def file_failed(self, failure: Failure) -> Iterator:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errbacks
        page, wanted, done = request.meta["file_chain"]
        kind, message = _failure_reason(failure)
        if kind == ProblemKind.HTTP:  # no answer but an HTTP kind: the size limit
            message = "the file is larger than [attachments] max_bytes"
        file = FetchedFile(wanted[len(done)].url, error=message)
        yield self._file_step(page, wanted, (*done, file))

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
