"""Serve mock sites over real HTTP on 127.0.0.1 (one port per site).

``python -m monitor.demo.server`` serves every demo site until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from monitor.demo.site import MockSite


class LocalHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that does not look its own address up in DNS (``HTTPServer``
    asks for the name of the address it binds: a query to the nameserver for 127.0.X.Y)."""

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


def _handler_for(site: MockSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nginx/1.20.1"
        sys_version = ""

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            sent = {"body": self.rfile.read(length)} if length else {}  # a POST's form or JSON
            parts = urlsplit(self.path)
            status, headers, body = site.render(
                self.command, parts.path or "/", parts.query, dict(self.headers.items()), **sent
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if isinstance(body, bytes):
                self.wfile.write(body)
                return
            self.close_connection = True  # a stream has no length: its end is the connection's
            for chunk in body:
                self.wfile.write(chunk)

        def handle(self) -> None:
            # The client may go away mid-request: killed, or timed out on a stalled page.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().handle()

        do_GET = do_HEAD = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the site keeps its own request log."""

    return Handler


class MockSiteServer:
    """A real HTTP server for one mock site on 127.0.0.1, in a daemon thread."""

    def __init__(self, site: MockSite, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self._address = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> MockSiteServer:
        """Bind and serve in the background; returns self."""
        if self._httpd is None:
            self._httpd = LocalHTTPServer(self._address, _handler_for(self.site))
            self._httpd.daemon_threads = True
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"mock-{self.site.source_id}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; requests held by a stall are let go."""
        if self._httpd is not None:
            self.site.clear_faults()
            self._httpd.shutdown()
            self._httpd.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._httpd = self._thread = None

    def __enter__(self) -> MockSiteServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (after start)."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``"""
        return f"http://{self._address[0]}:{self.port}"

    @property
    def list_url(self) -> str:
        """Full URL of the site's list page 1."""
        return self.base_url + self.site.list_path

    def url(self, path: str) -> str:
        """Full URL of an absolute path on this site."""
        return self.base_url + path


def start_sites(sites: Iterable[MockSite]) -> list[MockSiteServer]:
    """Start one server per site; stop them with ``stop_all``."""
    return [MockSiteServer(site).start() for site in sites]


def stop_all(servers: Iterable[MockSiteServer]) -> None:
    """Stop every server in ``servers``."""
    for server in servers:
        server.stop()


def main() -> None:
    """Serve build_all_sites() until interrupted, printing each list URL."""
    from monitor.demo.build import build_all_sites

    servers = start_sites(build_all_sites())
    try:
        for server in servers:
            site = server.site
            print(f"{site.source_id:12} {site.style:7} {site.name}  {server.list_url}", flush=True)
        print("Serving; press Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_all(servers)


if __name__ == "__main__":
    main()
