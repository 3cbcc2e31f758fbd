"""The one generic notice spider: list pages, pagination, detail pages.

It learns what is already known through ``known(urls) -> {url: KnownNotice}``
and yields :mod:`spiders.items` for item pipelines to store. It reads the
next list page while the current page's last entry is not stored yet (pinned
old rows sit at the top, so they never stop it), or every page when the
previous crawl did not finish cleanly (``ListSpec.deep``), up to
``max_pages``. Links seen before and still not stored (``ListSpec.retry``)
are fetched first, whatever the list page answers. A list fed by a data API
(``spiders.list_api``: gkmlpt, Sudy, Hanweb, ASP.NET PostBack, a declared one) is
read through its adapter, page by page, under the same rules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

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
from spiders.cms import list_api
from spiders.cms.api import ApiAnswer, ApiError, ApiRequest, FirstRequest, ListApi
from spiders.columns import Column, choose_columns, find_columns, is_notice_list
from spiders.declared_api import DeclaredApi
from spiders.encoding import decode_html
from spiders.files import conditional_headers as _conditional
from spiders.items import (
    DetailPage,
    FetchedFile,
    FetchProblem,
    FileWanted,
    FoundList,
    KnownNotice,
    ListEntry,
    ListPage,
    ListsFound,
    ProblemKind,
)
from spiders.links import find_links
from spiders.list_api import choose_list_api, forced_list_api, opening_request
from spiders.page_needs import page_needs
from spiders.pagination import next_page_url
from spiders.rendering import RenderFailed, render_meta
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
    list_api: str | None = None  # force this list API adapter (``spiders.cms.LIST_APIS``)
    api: DeclaredApi | None = None  # the source's own declared list API
    render: str | None = None  # "browser": list pages rendered; "challenge": only to pass one
    render_details: bool = False  # detail pages rendered too (with render = "browser")
    robots: Mapping[str, bytes] = field(default_factory=dict)  # origin → robots.txt still fresh

    file_max_bytes: int = 20_000_000  # an attachment larger than this is not downloaded


NextPage = str | tuple[ListApi, ApiRequest] | None
"""The next list page: a URL to GET, or an adapter's request."""
_BODY_TYPES = {"form": "application/x-www-form-urlencoded", "json": "application/json"}
_DATA_STARTS = (b"{", b"[", b"<?xml", b"\xef\xbb\xbf{")  # JSON or XML data, not a page


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
        self.forced_api = forced_list_api(spec.list_api, spec.api)

    def _meta(self, **extra) -> dict:
        meta = {"handle_httpstatus_list": HANDLED, "source_id": self.spec.source_id, **extra}
        if not self.spec.obey_robots:
            meta["dont_obey_robotstxt"] = True
        return meta

    async def start(self):
        settings = getattr(self, "settings", None)
        problem = settings.get("NOTICEWATCH_RENDER_PROBLEM") if settings else None
        if self.spec.render and problem:  # the browser is not here: say what to install
            yield FetchProblem(
                self.spec.source_id, self.spec.url, ProblemKind.CONFIG, problem, is_list=True
            )
            return
        headers = _conditional(self.spec.list_etag, self.spec.list_last_modified)
        opening = opening_request(self.spec.url, self.forced_api)
        if self.spec.found_lists:
            for url in self.spec.found_lists:
                yield self._list_request(url, 1, found_list=url)
        elif opening is None:
            yield self._list_request(self.spec.url, 1, headers, opens=True)
        else:
            api, request = opening
            get = request.method == "GET"  # only a GET is asked conditionally
            yield self._api_request(api, request, 1, headers if get else None, opens=get)
        for entry in self.spec.retry:
            yield self._detail_request(entry, None)
        for notice in self.recheck:
            yield self._detail_request(ListEntry(url=notice.url, title=""), notice)

    def _list_request(
        self, url: str, number: int, headers: dict | None = None, *, opens: bool = False, **meta
    ) -> scrapy.Request:
        """A list page. ``opens``: the crawl's first request (its validators are kept);
        ``found_list``: the page belongs to a list found on the home page; ``rediscovered``:
        that list was found again this crawl (read up to max_pages)."""
        return scrapy.Request(
            url,
            callback=self.parse_list,
            errback=self.failed,
            headers=headers or {},
            meta=self._meta(
                page_number=number,
                is_list=True,
                opens=opens,
                **meta,
                **self._rendering(details=False),
            ),
            dont_filter=True,
        )

    def _api_request(
        self,
        api: ListApi,
        request: ApiRequest,
        number: int,
        headers: dict | None = None,
        *,
        opens: bool = False,
    ) -> scrapy.Request:
        """A list page asked of a data API; its answer goes to ``parse_list`` too."""
        kind = "json" if request.json_body is not None else "form" if request.form else None
        sent = {"Content-Type": _BODY_TYPES[kind]} if kind else {}
        return scrapy.Request(
            request.url,
            method=request.method,
            body=request.body or None,
            callback=self.parse_list,
            errback=self.failed,
            headers={**sent, **dict(request.headers), **(headers or {})},
            meta=self._meta(
                page_number=number,
                is_list=True,
                opens=opens,
                list_api=api.name,
                api_request=request,
            ),
            dont_filter=True,
        )

    def _list_api(self, name: str) -> ListApi:
        if self.forced_api is not None and self.forced_api.name == name:
            return self.forced_api
        return list_api(name)

    def _detail_request(self, entry: ListEntry, known: KnownNotice | None) -> scrapy.Request:
        self.requested.add(entry.url)
        headers = _conditional(known.etag, known.last_modified) if known else {}
        return scrapy.Request(
            entry.url,
            callback=self.parse_detail,
            errback=self.failed,
            headers=headers,
            meta=self._meta(entry=entry, is_list=False, **self._rendering(details=True)),
            dont_filter=True,
        )

    def _rendering(self, *, details: bool) -> dict:
        if self.spec.render != "browser" or (details and not self.spec.render_details):
            return {}
        return render_meta()

    def parse_list(self, response: Response) -> Iterator:
        number = response.meta["page_number"]
        found = response.meta.get("found_list")
        rediscovered = bool(response.meta.get("rediscovered"))
        if response.status == 304:
            yield ListPage(self.spec.source_id, response.url, number, 304, not_modified=True)
            return
        api_name = response.meta.get("list_api")
        problem = self._problem(response, is_list=True, api=bool(api_name))
        gone = problem is not None and response.status in (404, 410)
        if found and number == 1 and gone and not rediscovered:
            yield self._rediscover(found, f"HTTP {response.status}")
            return
        if problem:
            yield problem
            return
        page_html, _ = decode_html(response.body, _content_type(response, self.spec.encoding))
        if api_name:
            yield from self._read_api(self._list_api(api_name), response, page_html)
            return
        try:
            entries = find_links(
                page_html, response.url, self.spec.link_selector, self.spec.allow_offsite
            )
        except ValueError as exc:
            yield FetchProblem(
                self.spec.source_id, response.url, ProblemKind.CONFIG, str(exc), is_list=True
            )
            return
        opening = number == 1 and not found
        if opening and self.spec.columns:  # the user named columns: a home page for sure
            yield from self._follow_home_page(page_html, response.url, rediscovered)
            return
        api = (
            self.forced_api or choose_list_api(page_html, response.url, bool(entries))
            if number == 1
            else None
        )
        if api is not None:
            if api.first is None:  # the page holds its first rows: the API only pages it
                yield from self._read_api(api, response, page_html)
            else:
                yield from self._open_api(api, api.first, response, page_html)
            return
        home = opening and not self.spec.link_selector
        if home and not is_notice_list(page_html, response.url, entries):
            columns = find_columns(page_html, response.url)
            if chosen := choose_columns(columns, ()):  # else read as the list it may be
                yield from self._follow_columns(chosen, response.url, rediscovered)
                return
        if found and number == 1 and not entries and not rediscovered:
            yield self._rediscover(found, "no notice links")
            return
        if not entries and (need := page_needs(response.status, page_html, response.url)):
            yield FetchProblem(
                self.spec.source_id, response.url, ProblemKind.NEEDS, need.hint, is_list=True
            )
        yield from self._listed(response, entries, next_page_url(page_html, response.url))

    def _open_api(
        self, api: ListApi, first: FirstRequest, response: Response, page_html: str
    ) -> Iterator:
        """The list page only points at its data: ask the API for page 1."""
        base, _, fragment = self.spec.url.partition("#")  # a single-page app's column: #1620
        page_url = self.spec.url if fragment and response.url == base else response.url
        try:
            request = first(page_html, page_url)
        except ApiError as exc:
            kind = ProblemKind.CONFIG if self.forced_api else ProblemKind.CONTENT
            message = f"list API {api.name!r}: {exc}"
            yield FetchProblem(self.spec.source_id, response.url, kind, message, is_list=True)
            return
        yield self._api_request(api, request, 1)

    def _read_api(self, api: ListApi, response: Response, text: str) -> Iterator:
        """One answer of the API (or the list page of an adapter that only pages)."""
        answer = ApiAnswer(
            request=response.meta.get("api_request") or ApiRequest(response.url),
            number=response.meta["page_number"],
            url=response.url,
            text=text,
            rows=self._rows,
        )
        try:
            page = api.read(answer)
        except (ApiError, ValueError) as exc:
            message = f"list API {api.name!r}: {exc}"[:300]
            yield FetchProblem(
                self.spec.source_id,
                response.url,
                ProblemKind.CONTENT,
                message,
                response.status,
                is_list=True,
            )
            return
        following = (api, page.next) if page.next else None
        yield from self._listed(response, self._on_site(page.entries), following)

    def _rows(self, page_html: str, page_url: str) -> list[ListEntry]:
        return find_links(page_html, page_url, self.spec.link_selector, self.spec.allow_offsite)

    def _on_site(self, entries: list[ListEntry]) -> list[ListEntry]:
        """An API's entries on the source's site (unless ``allow_offsite``), each URL once."""
        home = site_key(self.spec.url)
        unique = {e.url: e for e in reversed(entries)}
        return [
            e
            for e in entries
            if unique[e.url] is e and (self.spec.allow_offsite or site_key(e.url) == home)
        ]

    def _listed(
        self, response: Response, entries: list[ListEntry], following: NextPage
    ) -> Iterator:
        """The page's entries as a ``ListPage``, their detail requests, and the next page
        while the page's last entry is not stored yet (every page when ``spec.deep``)."""
        number = response.meta["page_number"]
        opens = bool(response.meta.get("opens"))
        found = response.meta.get("found_list")
        rediscovered = bool(response.meta.get("rediscovered"))
        known = self.known([e.url for e in entries]) if entries else {}
        yield ListPage(
            self.spec.source_id,
            response.url,
            number,
            response.status,
            entries,
            etag=_header(response, "ETag") if opens else None,
            last_modified=_header(response, "Last-Modified") if opens else None,
        )
        for entry in entries:
            if entry.is_file or entry.url in self.requested:
                continue
            notice = known.get(entry.url)
            if notice is None or notice.recheck:
                yield self._detail_request(entry, notice)
        target = following if isinstance(following, str) or following is None else following[1].url
        if target and site_key(target) != site_key(self.spec.url):
            log.warning(
                "%s: next page %s is off the site: not followed", self.spec.source_id, target
            )
            following = None
        bottom = known.get(entries[-1].url) if entries else None
        unstored_bottom = bool(entries) and (bottom is None or bottom.pending)
        deep = self.spec.deep or rediscovered
        if following and number < self.spec.max_pages and (deep or unstored_bottom):
            if isinstance(following, str):
                meta = {"found_list": found, "rediscovered": rediscovered} if found else {}
                yield self._list_request(following, number + 1, **meta)
            else:
                yield self._api_request(*following, number + 1)

    # -- home pages (spiders.columns) -------------------------------------------
    def _follow_home_page(self, page_html: str, url: str, rediscovered: bool) -> Iterator:
        """The columns the user named, found on the home page (a clear problem when none is)."""
        chosen = choose_columns(find_columns(page_html, url, self.spec.columns), self.spec.columns)
        if chosen:
            yield from self._follow_columns(chosen, url, rediscovered)
            return
        message = f"the home page links to no column named {', '.join(self.spec.columns)}"
        need = page_needs(200, page_html, url)
        yield FetchProblem(
            self.spec.source_id,
            url,
            ProblemKind.NEEDS if need else ProblemKind.CONFIG,
            f"{message}; {need.hint}" if need else message,
            is_list=True,
        )

    def _follow_columns(self, chosen: list[Column], url: str, rediscovered: bool) -> Iterator:
        """Follow the chosen columns of the home page as list pages (kept on the source)."""
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

    def _problem(
        self, response: Response, *, is_list: bool, url: str | None = None, api: bool = False
    ):
        url = url or response.url
        data = api and response.status < 400 and response.body.lstrip().startswith(_DATA_STARTS)
        reason = None if data else blocked_reason(response.status, response.body[:20000])
        if reason:  # (a short data answer naming 验证码 in a title is not a captcha page)
            return FetchProblem(
                self.spec.source_id, url, ProblemKind.BLOCKED, reason, response.status, is_list
            )
        if response.status >= 400:
            message = f"HTTP {response.status}"
            return FetchProblem(
                self.spec.source_id, url, ProblemKind.HTTP, message, response.status, is_list
            )
        content_type = (_header(response, "Content-Type") or "text/html").lower()
        if (
            is_list
            and not api
            and not any(t in content_type for t in ("html", "xml", "text/plain"))
        ):
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
    if failure.check(RenderFailed):  # its message is written for the user
        return ProblemKind.NETWORK, message[:300]
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
