"""A hostile web site on 127.0.0.1: every answer is set by the test, every request is logged.

It serves what the crawler must survive: next links, refreshes and redirects
to other ports, other schemes and internal addresses; redirect chains; lists
of thousands of links; megabytes on one line; bytes that are not what the
page declares; titles carrying markup. A second one on another port is the
canary that must never be asked for anything.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from monitor.demo import MockSiteServer

Answer = tuple[int, dict[str, str], bytes]


def notice_html(title: str, body: str, charset: str = "utf-8") -> str:
    """A plain notice page of today: title, 发布时间 line, body paragraphs."""
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f'<div class="article"><h1>{title}</h1><p class="info">发布时间：{date.today()}</p>'
        f'<div class="content">{body}</div></div></body></html>'
    )


def list_html(rows: list[tuple[str, str]], head: str = "", tail: str = "") -> str:
    """A notice list of ``rows`` (href, title) with ``head`` and ``tail`` around it."""
    items = "".join(f'<li><a href="{h}">{t}</a><span>{date.today()}</span></li>' for h, t in rows)
    return (
        f'<html><head><meta charset="utf-8">{head}</head><body>'
        f'<ul class="list">{items}</ul>{tail}</body></html>'
    )


@dataclass
class HostileSite:
    """The site: a path → answer table, and the log of what was asked."""

    source_id: str = "hostile"
    list_path: str = "/list.html"
    name: str = "恶意测试站 通知公告"
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path?query)

    def render(self, method: str, path: str, query: str = "", headers=None) -> Answer:
        self.requests.append((method, f"{path}?{query}" if query else path))
        status, headers, body = self.answers.get(path, (404, {"Content-Type": "text/html"}, b""))
        return status, {"Content-Length": str(len(body)), **headers}, body

    def clear_faults(self) -> None:
        """Nothing to let go (the MockSiteServer protocol)."""

    def page(self, path: str, html: str | bytes, content_type: str = "text/html; charset=utf-8"):
        body = html.encode() if isinstance(html, str) else html
        self.answers[path] = (200, {"Content-Type": content_type}, body)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.answers[path] = (status, {"Location": location}, b"")

    def notices(self, count: int, prefix: str = "/notice") -> list[tuple[str, str]]:
        """Serve ``count`` ordinary notices; their (path, title) rows, newest first."""
        rows = []
        for number in range(count, 0, -1):
            title = f"关于做好第{number}批校园安全检查工作的通知"
            path = f"{prefix}/{number}.html"
            body = "".join(
                f"<p>各学校：第{number}批检查第{k}项安排如下，请认真落实。</p>" for k in range(4)
            )
            self.page(path, notice_html(title, body))
            rows.append((path, title))
        return rows


def asked(server: MockSiteServer) -> list[str]:
    """The paths (with queries) a site was asked for."""
    return [path for _, path in server.site.requests]


@contextmanager
def hostile_sites(count: int = 2) -> Iterator[list[MockSiteServer]]:
    """``count`` hostile sites on their own loopback ports (the first hostile, the rest canaries)."""
    servers = [MockSiteServer(HostileSite(f"hostile{n or ''}")).start() for n in range(count)]  # type: ignore[arg-type]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


class StallingServer:
    """Accepts connections on 127.0.0.1 and never answers: a server that hangs."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        with contextlib.suppress(OSError):  # closed by stop()
            while True:
                connection, _ = self._socket.accept()
                self.connections.append(connection)

    def __enter__(self) -> StallingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._socket.close()
        for connection in self.connections:
            connection.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"
