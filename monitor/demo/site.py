"""The mock-site base: notice state, the test/mutation API and HTTP routing.

A style subclass (``monitor.demo.styles``) only maps URLs to routes and draws
the list and detail pages; everything about HTTP behaviour (encodings,
validators, 304, 404, blocking, attachments, the request log) lives here.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar
from urllib.parse import parse_qsl

from monitor.demo import responses
from monitor.demo.markup import TRUNCATE_MARK, meta_tags, shorten, ymd_hm
from monitor.demo.model import MockNotice, beijing_now, beijing_to_utc
from monitor.demo.responses import Reply

DECLARED = "declared"
"""``header_charset`` default: the HTTP header names the charset the page declares."""

BLOCK_KINDS = ("412", "captcha")
_FIRST_DATE = datetime(2024, 6, 3, 9, 30)

RequestRecord = tuple[str, str, dict[str, str], int]
"""(method, path with query, request headers, status) of one request."""

STALLED = 0
"""The status a held (stalled) request is logged with: it got no answer when it arrived."""


@dataclass
class _Fault:
    """What the next requests for one path get instead of their page."""

    status: int | None  # an error status, or None: hold the request without answering
    times: int | None  # how many more requests it applies to; None = until cleared
    seconds: float | None = None  # how long a stalled request is held; None = until cleared


@dataclass(frozen=True)
class _Hold:
    path: str
    released: threading.Event
    seconds: float | None  # how long it is held at most; None = until released


@dataclass(frozen=True)
class Route:
    """What a request path names: a list page, a notice, a file or a redirect."""

    kind: str  # "list", "detail", "file", "download", "redirect" or a style's own kind
    value: int | str = 0


class MockSite:
    """A CMS-styled notice site held in memory and rendered per request.

    Thread-safe: tests mutate it while a crawler in another thread or process
    fetches pages through :class:`monitor.demo.server.MockSiteServer`. Faults
    are injected per exact path: :meth:`fail` (error answers), :meth:`stall`
    (requests held open without an answer), :meth:`clear_faults`.

    Options: ``per_page``; ``header_charset`` (the charset named in the HTTP
    Content-Type: the page's own by default, a wrong one, or None for none);
    ``meta_pubdate`` (trs and hanweb print a ``PubDate`` meta); ``show_date``
    (False drops the visible date from detail pages, leaving URL and list).
    """

    style: ClassVar[str] = ""
    list_path: ClassVar[str] = "/"
    encoding: ClassVar[str] = "utf-8"
    charset_label: ClassVar[str] = "utf-8"
    charset_meta: ClassVar[str] = '<meta charset="utf-8">'
    static_lists: ClassVar[bool] = True
    first_id: ClassVar[int] = 1
    default_per_page: ClassVar[int] = 6
    title_limit: ClassVar[int | None] = None  # list rows cut longer titles
    title_ellipsis: ClassVar[str] = "..."
    file_pattern: ClassVar[re.Pattern[str] | None] = None  # attachment paths; group 1 = file name

    def __init__(
        self,
        name: str,
        *,
        source_id: str | None = None,
        per_page: int | None = None,
        header_charset: str | None = DECLARED,
        meta_pubdate: bool = True,
        show_date: bool = True,
        column: str = "通知公告",
    ) -> None:
        self.name = name
        self.source_id = source_id or f"demo-{self.style}"
        self.per_page = per_page or self.default_per_page
        self.header_charset = self.charset_label if header_charset == DECLARED else header_charset
        self.meta_pubdate = meta_pubdate
        self.show_date = show_date
        self.clock: Callable[[], datetime] = beijing_now  # "now" printed on dynamic pages
        self.column = column
        self.extra_files: dict[str, str] = {}  # filename -> display name, outside notices
        self.file_bodies: dict[str, responses.FileBody] = {}  # filename -> real bytes (tests)
        self._notices: dict[int, MockNotice] = {}
        self._next_id = self.first_id
        self._lock = threading.RLock()
        self._requests: list[RequestRecord] = []
        self._list_status: int | None = None
        self._blocked: str | None = None
        self._lists_modified: datetime | None = None
        self._faults: dict[str, _Fault] = {}
        self._holds: list[_Hold] = []

    # ------------------------------------------------------------ state
    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.source_id} {self.name} notices={len(self._notices)}>"

    @property
    def notices(self) -> list[MockNotice]:
        """Listed notices in list order: pinned first, then newest first."""
        with self._lock:
            live = [n for n in self._notices.values() if not n.removed]
        return sorted(live, key=lambda n: (not n.pinned, -n.published.timestamp(), -n.id))

    def get(self, notice_id: int) -> MockNotice:
        """A notice by id, removed or not (KeyError if unknown)."""
        with self._lock:
            return self._notices[notice_id]

    @property
    def page_count(self) -> int:
        """How many list pages the site currently has."""
        return max(1, math.ceil(len(self.notices) / self.per_page))

    def page_of(self, notice_id: int) -> int:
        """The list page (1-based) on which a notice currently appears."""
        ids = [n.id for n in self.notices]
        return ids.index(notice_id) // self.per_page + 1

    def detail_path(self, notice_id: int) -> str:
        """The absolute path of a notice's detail page."""
        return self.notice_path(self.get(notice_id))

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget the logged requests."""
        with self._lock:
            self._requests.clear()

    # ------------------------------------------------------------ mutation API
    def add_notice(
        self,
        title: str,
        paragraphs: Iterable[str],
        published: datetime | None = None,
        attachments: Iterable[tuple[str, str] | str] = (),
        pinned: bool = False,
        issuer: str | None = None,
        doc_number: str | None = None,
        *,
        signoff: int = 0,
        author: str | None = None,
        pinyin: str | None = None,
        views: int | None = None,
    ) -> MockNotice:
        """Publish a notice; without ``published`` it is a day newer than any other.

        ``attachments`` holds (display name, file name) pairs, or bare display
        names for which the style invents its usual file name.
        """
        with self._lock:
            if published is None:
                latest = max((n.published for n in self._notices.values()), default=None)
                published = _FIRST_DATE if latest is None else (latest + timedelta(days=1))
                published = published.replace(hour=9, minute=30, second=0)
            notice = MockNotice(
                id=self._next_id,
                title=title,
                published=published,
                paragraphs=list(paragraphs),
                issuer=issuer,
                doc_number=doc_number,
                pinned=pinned,
                signoff=signoff,
                author=author,
                pinyin=pinyin,
                views=views if views is not None else self._initial_views(self._next_id),
            )
            notice.attachments = self._attachment_pairs(notice, attachments)
            self._notices[notice.id] = notice
            self._next_id += self.id_step(notice.id)
            self._touch(published)
            return notice

    def edit_notice(
        self,
        notice_id: int,
        title: str | None = None,
        paragraphs: Iterable[str] | None = None,
        attachments: Iterable[tuple[str, str] | str] | None = None,
    ) -> MockNotice:
        """Change a notice in place (same URL); ETag and Last-Modified change."""
        with self._lock:
            notice = self._notices[notice_id]
            if title is not None:
                notice.title = title
            if paragraphs is not None:
                notice.paragraphs = list(paragraphs)
                notice.signoff = min(notice.signoff, len(notice.paragraphs))
            if attachments is not None:
                notice.attachments = self._attachment_pairs(notice, attachments)
            notice.modified = max(self.clock(), notice.last_modified + timedelta(seconds=1))
            self._touch(notice.modified)
            return notice

    def remove_notice(self, notice_id: int) -> None:
        """Withdraw a notice: gone from the list, its detail page answers 404."""
        with self._lock:
            self._notices[notice_id].removed = True
            self._touch(self.clock())

    def pin(self, notice_id: int, pinned: bool = True) -> None:
        """Pin (置顶) a notice to the top of page 1, or unpin it."""
        with self._lock:
            self._notices[notice_id].pinned = pinned
            self._touch(self.clock())

    def set_list_status(self, code: int | None) -> None:
        """Make list pages answer ``code`` (503, 404 …); None restores them."""
        with self._lock:
            self._list_status = code

    def set_blocked(self, kind: str | None) -> None:
        """Block every page: "412" (瑞数 $_ts challenge) or "captcha"; None unblocks."""
        if kind is not None and kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}; expected one of {BLOCK_KINDS}")
        with self._lock:
            self._blocked = kind

    def truncate_detail(self, notice_id: int, truncated: bool = True) -> None:
        """Serve a notice's detail page cut off halfway through its body."""
        with self._lock:
            self._notices[notice_id].truncated = truncated

    # ------------------------------------------------------------ fault injection
    def fail(self, path: str, status: int = 503, times: int | None = 1) -> None:
        """The next ``times`` requests for ``path`` answer ``status`` with the site's error page.

        ``path`` is the exact path as requested, with its query if it has one
        (``site.detail_path(id)``, ``site.page_path(2)``); ``times=None`` lasts
        until :meth:`clear_faults`. It replaces any fault already set on ``path``.
        """
        if not 400 <= status <= 599:
            raise ValueError(f"fail() needs an error status (400-599), not {status}")
        self._set_fault(path, _Fault(status, times))

    def stall(self, path: str, seconds: float | None = None, times: int | None = 1) -> None:
        """Hold the next ``times`` requests for ``path`` open without an answer.

        A held request is answered normally after ``seconds`` (None: when the
        fault is cleared); the client has usually timed out by then. It is
        logged on arrival with status :data:`STALLED` (0). ``times=None`` holds
        every request until :meth:`clear_faults`.
        """
        if seconds is not None and seconds <= 0:
            raise ValueError("stall() needs a positive number of seconds, or None")
        self._set_fault(path, _Fault(None, times, seconds))

    def clear_faults(self, path: str | None = None) -> None:
        """Remove the faults (of ``path``, or all) and release the requests they hold."""
        with self._lock:
            for target in [path] if path is not None else list(self._faults):
                self._faults.pop(target, None)
            for hold in self._holds:
                if path is None or hold.path == path:
                    hold.released.set()

    @property
    def held(self) -> list[str]:
        """The paths of the requests being held (stalled) right now."""
        with self._lock:
            return [hold.path for hold in self._holds if not hold.released.is_set()]

    def _set_fault(self, path: str, fault: _Fault) -> None:
        if fault.times is not None and fault.times < 1:
            raise ValueError(f"times must be at least 1 (or None), not {fault.times}")
        with self._lock:
            self._faults[path] = fault

    def _take_fault(self, target: str) -> _Fault | None:
        """The fault for this request, counted down (under the lock)."""
        fault = self._faults.get(target)
        if fault is None:
            return None
        if fault.times is not None:
            fault.times -= 1
            if fault.times == 0:
                del self._faults[target]
        return fault

    def _wait(self, hold: _Hold) -> None:
        """Block this request's thread until released or its time has passed."""
        try:
            hold.released.wait(hold.seconds)
        finally:
            with self._lock:
                self._holds.remove(hold)

    # ------------------------------------------------------------ HTTP
    def render(
        self,
        method: str,
        path: str,
        query: str | Mapping[str, str] = "",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> tuple[int, dict[str, str], bytes | Iterator[bytes]]:
        """Answer one request: (status, response headers, body bytes or a stream of them);
        ``body`` is what a POST sent (its form or JSON)."""
        if isinstance(query, str):
            if not query and "?" in path:
                path, query = path.split("?", 1)
            raw_query = query
            params = dict(parse_qsl(query, keep_blank_values=True))
        else:
            params = dict(query)
            raw_query = "&".join(f"{k}={v}" for k, v in params.items())
        request_headers = dict(headers or {})
        lowered = {k.lower(): v for k, v in request_headers.items()}
        target = f"{path}?{raw_query}" if raw_query else path
        method = method.upper()
        hold: _Hold | None = None
        with self._lock:
            fault = self._take_fault(target)
            if fault is not None and fault.status is None:
                hold = _Hold(target, threading.Event(), fault.seconds)
                self._holds.append(hold)
                self._requests.append((method, target, request_headers, STALLED))
            else:
                reply = (
                    self._error(fault.status)
                    if fault is not None and fault.status is not None
                    else self._answer(method, path, params, lowered, body)
                )
                self._requests.append((method, target, request_headers, reply.status))
        if hold is not None:
            self._wait(hold)
            with self._lock:
                reply = self._answer(method, path, params, lowered, body)
        if reply.stream is not None:
            return reply.status, reply.headers, b"" if method == "HEAD" else reply.stream()
        reply.headers.setdefault("Content-Length", str(len(reply.body)))
        body = b"" if method == "HEAD" or reply.status == 304 else reply.body
        return reply.status, reply.headers, body

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> Reply:
        if path == "/robots.txt":
            return responses.text_reply(200, "User-agent: *\nDisallow:\n")
        if self._blocked == "412":
            reply = responses.html_reply(
                412, responses.challenge_page(self.source_id), "utf-8", "utf-8"
            )
            token = hashlib.sha1(self.source_id.encode()).hexdigest()[:40]
            reply.headers["Set-Cookie"] = f"FSSBBIl1UgzbN7N80S={token}; Path=/; HttpOnly"
            return reply
        if self._blocked == "captcha":
            return responses.html_reply(200, responses.captcha_page(), "utf-8", "utf-8")
        route = self.route(path, query)
        if route is None:
            return self._error(404)
        if route.kind == "list":
            return self._list_reply(int(route.value), headers)
        if route.kind == "detail":
            return self._detail_reply(int(route.value), headers)
        if route.kind in {"file", "download"}:
            name = self._file_names().get(str(route.value))
            if name is None:
                return self._error(404)
            return responses.file_reply(
                str(route.value),
                name,
                download=route.kind == "download",
                body=self.file_bodies.get(str(route.value)),
                request_headers=headers,
            )
        if route.kind == "redirect":
            return responses.redirect(str(route.value))
        return self.answer_other(route, method, query, headers, body)

    def _error(self, status: int) -> Reply:
        page = responses.error_page(status, self.name, self.charset_meta)
        return self.page_reply(status, page)

    def page_reply(self, status: int, page: str) -> Reply:
        """An HTML page in the site's encoding with its configured Content-Type."""
        return responses.html_reply(status, page, self.encoding, self.header_charset)

    def _list_reply(self, page: int, headers: dict[str, str]) -> Reply:
        if self._list_status is not None:
            return self._error(self._list_status)
        listed = self.notices
        pages = self.page_count
        if not 1 <= page <= pages:
            return self._error(404)
        rows = listed[(page - 1) * self.per_page : page * self.per_page]
        return self.list_validated(
            self.page_reply(200, self.render_list(page, rows, pages)), headers
        )

    def list_validated(self, reply: Reply, headers: dict[str, str]) -> Reply:
        """A list answer with the list's validators (a 304 when they match), or ``no-cache``
        when the site's lists are dynamic."""
        if not self.static_lists:
            reply.headers["Cache-Control"] = "no-cache"
            return reply
        etag = '"' + hashlib.sha1(reply.body).hexdigest()[:16] + '"'
        modified = beijing_to_utc(self._lists_modified or _FIRST_DATE)
        if responses.is_not_modified(headers, etag, modified):
            return responses.not_modified(etag, modified)
        return responses.with_validators(reply, etag, modified)

    def _detail_reply(self, notice_id: int, headers: dict[str, str]) -> Reply:
        notice = self._notices.get(notice_id)
        if notice is None or notice.removed:
            return self._error(404)
        notice.views += 1
        etag, modified = notice.etag, beijing_to_utc(notice.last_modified)
        if responses.is_not_modified(headers, etag, modified):
            return responses.not_modified(etag, modified)
        page = self.render_detail(notice)
        if TRUNCATE_MARK in page:
            page = page[: page.index(TRUNCATE_MARK)]
        return responses.with_validators(self.page_reply(200, page), etag, modified)

    # ------------------------------------------------------------ helpers
    def _touch(self, moment: datetime) -> None:
        if self._lists_modified is None or moment > self._lists_modified:
            self._lists_modified = moment

    def _initial_views(self, notice_id: int) -> int:
        digest = hashlib.sha1(f"{self.source_id}:{notice_id}".encode()).digest()
        return 80 + int.from_bytes(digest[:3], "big") % 9000

    def _attachment_pairs(
        self, notice: MockNotice, attachments: Iterable[tuple[str, str] | str]
    ) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for index, item in enumerate(attachments):
            if isinstance(item, str):
                suffix = item.rsplit(".", 1)[-1].lower()
                pairs.append((item, self.attachment_filename(notice, index, suffix)))
            else:
                pairs.append((item[0], item[1]))
        return pairs

    def _file_names(self) -> dict[str, str]:
        names = dict(self.extra_files)
        for notice in self._notices.values():
            if not notice.removed:
                names.update({filename: name for name, filename in notice.attachments})
        return names

    def other_notices(self, notice: MockNotice, count: int) -> list[MockNotice]:
        """Older listed notices for 相关文章-style blocks (newest of them first)."""
        older = [n for n in self.notices if n.id != notice.id and n.published < notice.published]
        return sorted(older, key=lambda n: n.published, reverse=True)[:count]

    def neighbours(self, notice: MockNotice) -> tuple[MockNotice | None, MockNotice | None]:
        """The (newer, older) notices next to this one in list order, for 上一篇/下一篇."""
        ordered = sorted(self.notices, key=lambda n: n.published, reverse=True)
        index = next(i for i, n in enumerate(ordered) if n.id == notice.id)
        newer = ordered[index - 1] if index > 0 else None
        older = ordered[index + 1] if index + 1 < len(ordered) else None
        return newer, older

    def dated(self, text: str) -> str:
        """``text`` (a visible date label and value) unless the site hides dates."""
        return text if self.show_date else ""

    # ------------------------------------------------------------ style hooks
    def id_step(self, notice_id: int) -> int:
        """How far the CMS's article id jumps between two notices."""
        return 1

    def list_title(self, notice: MockNotice) -> str:
        """The link text a list row shows for a notice (cut at ``title_limit``)."""
        if self.title_limit is None:
            return notice.title
        return shorten(notice.title, self.title_limit, self.title_ellipsis)

    def article_meta(self, notice: MockNotice, **extra: str) -> str:
        """The ``<meta>`` tags government CMSs (TRS, Hanweb) put in an article's head."""
        return meta_tags(
            {
                "SiteName": self.name,
                "ColumnName": self.column,
                "ArticleTitle": notice.title,
                "PubDate": ymd_hm(notice.published) if self.meta_pubdate else None,
                "ContentSource": notice.issuer or self.name,
                **extra,
            }
        )

    def dated_detail(self, notice_id: str, stamp: str) -> Route | None:
        """The detail route when the URL's ``YYYYMMDD`` stamp is the notice's publish date."""
        notice = self._notices.get(int(notice_id))
        if notice and notice.published.strftime("%Y%m%d") == stamp:
            return Route("detail", notice.id)
        return None

    def file_route(self, path: str) -> Route | None:
        """The attachment route for paths matching ``file_pattern``."""
        match = self.file_pattern.match(path) if self.file_pattern else None
        return Route("file", match.group(1)) if match else None

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        """Map a request to a route, or None for 404."""
        raise NotImplementedError

    def page_path(self, page: int) -> str:
        """The absolute path (with query) of list page ``page`` (1-based)."""
        raise NotImplementedError

    def notice_path(self, notice: MockNotice) -> str:
        """The absolute path of a notice's detail page."""
        raise NotImplementedError

    def attachment_filename(self, notice: MockNotice, index: int, suffix: str) -> str:
        """The stored file name the CMS gives a new attachment."""
        digest = hashlib.sha1(f"{self.source_id}:{notice.id}:{index}".encode()).hexdigest()
        return f"{digest[:20]}.{suffix}"

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        """The HTML of one list page."""
        raise NotImplementedError

    def render_detail(self, notice: MockNotice) -> str:
        """The HTML of a notice's detail page."""
        raise NotImplementedError

    def answer_other(
        self,
        route: Route,
        method: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes = b"",
    ) -> Reply:
        """Answer a style-specific route kind (data endpoints …); ``body`` is a POST's."""
        return self._error(404)
