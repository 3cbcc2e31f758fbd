"""The optional status endpoint on a loopback address: ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger(f"noticewatch.{__name__}")

Health = Callable[[], tuple[bool, str]]


def parse_bind(bind: str) -> tuple[str, int]:
    """``"127.0.0.1:8787"`` → (host, port); only IPv4 loopback addresses (or localhost) are allowed."""
    host, _, port = bind.rpartition(":")
    try:
        loopback = host == "localhost" or ipaddress.IPv4Address(host).is_loopback
    except ValueError:
        loopback = False
    if not (loopback and port.isdigit()):
        raise ValueError(f"{bind!r}: use a loopback HOST:PORT, e.g. 127.0.0.1:8787")
    return host, int(port)


def _local_host(header: str | None, port: int) -> bool:
    """Whether a request's Host names this endpoint by a loopback name."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    host = (header or "").strip().lower()
    return host in names or host in {f"{name}:{port}" for name in names}


class StatusServer:
    """A small HTTP server in a background thread."""

    def __init__(self, bind: str, health: Health, metrics: Callable[[], str]) -> None:
        self.address = parse_bind(bind)
        self.health = health
        self.metrics = metrics
        self._httpd: ThreadingHTTPServer | None = None

    def start(self) -> None:
        status = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10  # seconds an idle or slow connection may hold its thread

            def do_GET(self) -> None:
                try:
                    if not _local_host(self.headers.get("Host"), status.address[1]):
                        # a page elsewhere whose name now resolves here (DNS rebinding)
                        self._reply(403, "ask for this by its loopback address\n", "text/plain")
                    elif self.path == "/healthz":
                        healthy, text = status.health()
                        self._reply(
                            200 if healthy else 503, text + "\n", "text/plain; charset=utf-8"
                        )
                    elif self.path == "/metrics":
                        self._reply(
                            200, status.metrics(), "text/plain; version=0.0.4; charset=utf-8"
                        )
                    else:
                        self._reply(404, "try /healthz or /metrics\n", "text/plain; charset=utf-8")
                except Exception as exc:  # e.g. the database is away: say so, keep serving
                    log.warning("status endpoint: %s: %s", self.path, exc)
                    self._reply(500, f"{type(exc).__name__}\n", "text/plain; charset=utf-8")

            def _reply(self, code: int, text: str, content_type: str) -> None:
                body = text.encode()
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet: supervisors poll often."""

        try:
            self._httpd = ThreadingHTTPServer(self.address, Handler)
        except OSError as exc:
            raise OSError(
                f"status endpoint {self.address[0]}:{self.address[1]}: {exc.strerror}"
            ) from None
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, name="status-http", daemon=True).start()
        log.info("status endpoint on http://%s:%d/healthz and /metrics", *self.address[:2])

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
