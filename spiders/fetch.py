"""A single blocking page fetch, for interactive tools (not for crawls, which use Scrapy).

Like a crawl (``spiders/site_guard.py``), it follows at most five redirects, over
http(s) only and on the site of the URL it started from; and the whole fetch
(connecting, redirects, headers, body) ends within ``timeout`` seconds however
slowly a server answers: when the time is up, its sockets are shut.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import string
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from spiders.urls import site_key

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(OSError):
    """A fetch refused (a redirect) or cut short (the deadline); the message names the URL."""


@dataclass(frozen=True)
class FetchedPage:
    url: str
    status: int
    content_type: str | None
    body: bytes


def fetch(url: str, *, user_agent: str, timeout: float, max_bytes: int) -> FetchedPage:
    """GET ``url`` (the body cut at ``max_bytes``); HTTP errors are returned as statuses,
    network errors, refused redirects and a missed deadline raise OSError."""
    headers = {"User-Agent": user_agent, "Accept-Language": "zh-CN,zh;q=0.9"}
    deadline = _Deadline(timeout)
    try:
        with deadline:
            return _follow(url, headers, deadline, max_bytes)
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, FetchError) or not deadline.passed:
            raise
        raise FetchError(f"{url}: no complete answer within {timeout:g} s") from exc


def _follow(url: str, headers: dict[str, str], deadline: _Deadline, max_bytes: int) -> FetchedPage:
    """The page at ``url`` or at the end of its allowed redirects."""
    opener = _opener(deadline)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        answer = _get(opener, current, headers, deadline, max_bytes)
        if isinstance(answer, FetchedPage):
            return answer
        current = _allowed(url, answer)
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects (the last to {current[:200]})")


def _allowed(start: str, target: str) -> str:
    """``target``, when a fetch that started at ``start`` may be redirected there."""
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise FetchError(f"{start}: refused a redirect to {target[:200]}: only http(s) is fetched")
    if site_key(target) != site_key(start):
        raise FetchError(f"{start}: refused a redirect to {target[:200]}: off its site")
    return target


def _get(
    opener: urllib.request.OpenerDirector,
    url: str,
    headers: dict[str, str],
    deadline: _Deadline,
    max_bytes: int,
) -> FetchedPage | str:
    """The page at ``url``, or the URL it redirects to."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http(s) is fetched")
    request = urllib.request.Request(url, headers=headers)
    with opener.open(request, timeout=deadline.remaining()) as response:
        location = response.headers.get("Location")
        if response.status in REDIRECT_STATUSES and location:
            # quoted as urllib does: a header is latin-1, and control characters are escaped
            return urljoin(url, quote(location, safe=string.punctuation, encoding="iso-8859-1"))
        body = _read(response, max_bytes, deadline)
        return FetchedPage(url, response.status, response.headers.get("Content-Type"), body)


def _read(response: http.client.HTTPResponse, max_bytes: int, deadline: _Deadline) -> bytes:
    """At most ``max_bytes`` of the body, in chunks; TimeoutError if the deadline passes first."""
    body = bytearray()
    while len(body) < max_bytes:
        deadline.remaining()
        chunk = response.read1(min(_CHUNK, max_bytes - len(body)))
        if not chunk:
            break
        body += chunk
    if deadline.passed:  # the end seen may be the deadline's shutdown
        raise TimeoutError("deadline passed")
    return bytes(body)


class _Deadline:
    """The end of one whole fetch: when it passes, the fetch's sockets are shut."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self._expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    @property
    def passed(self) -> bool:
        return self._expired or time.monotonic() >= self._end

    def remaining(self) -> float:
        """Seconds left (a socket timeout); TimeoutError when none are."""
        left = self._end - time.monotonic()
        if self._expired or left <= 0:
            raise TimeoutError("deadline passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` when the deadline passes (at once if it has)."""
        with self._lock:
            self._sockets.append(sock)
            if self._expired:
                _shut(sock)

    def connections(self, kind: type[_WatchedHTTP]) -> Callable[..., http.client.HTTPConnection]:
        """A factory of ``kind`` connections watched by this deadline, for ``do_open``."""

        def connection(host: str, **options: Any) -> http.client.HTTPConnection:
            made = kind(host, **options)
            made.deadline = self
            return made

        return connection

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    """End ``sock``'s reads and writes: a read blocked in another thread returns."""
    with contextlib.suppress(OSError):  # closed already
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _WatchedHTTP(http.client.HTTPConnection):
    """An HTTP connection whose socket its deadline shuts."""

    deadline: _Deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedHTTPS(_WatchedHTTP, http.client.HTTPSConnection):
    """The same under TLS (a proxy tunnel and the handshake are bounded by the socket timeout)."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.connections(_WatchedHTTP), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.connections(_WatchedHTTPS), req)


class _EveryAnswer(urllib.request.HTTPErrorProcessor):
    """Hand every answer back as it is: ``fetch`` reads error statuses and redirects itself."""

    def http_response(
        self, request: urllib.request.Request, response: http.client.HTTPResponse
    ) -> http.client.HTTPResponse:
        return response

    https_response = http_response


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib's opener (proxies as before) with no redirects followed and sockets under ``deadline``."""
    return urllib.request.build_opener(
        _EveryAnswer, _HTTPHandler(deadline), _HTTPSHandler(deadline)
    )
