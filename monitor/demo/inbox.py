"""A local webhook inbox on 127.0.0.1: where the demo's (and the tests') alerts arrive.

It keeps every POSTed JSON body (apprise's ``json://`` format) and can answer
500 to its first ``fail_first`` requests, like a chat service having a bad minute.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Post:
    path: str
    body: dict
    raw: bytes


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 keeping JSON POSTs; answers 500 to the first ``fail_first``.

    ``port`` 0 (the default) takes a free port; ``noticewatch demo --serve`` passes
    the one its config names.
    """

    def __init__(self, fail_first: int = 0, port: int = 0) -> None:
        self.fail_first = fail_first
        self.requests = 0
        self.posts: list[Post] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server hook name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.requests += 1
                    failing = receiver.requests <= receiver.fail_first
                    if not failing:
                        receiver.posts.append(Post(self.path, json.loads(raw or b"{}"), raw))
                self.send_response(500 if failing else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(
                    b'{"error": "boom"}' if failing else b'{"errcode": 0, "errmsg": "ok"}'
                )

            def log_message(self, *args) -> None:
                """Quiet."""

        return Handler

    @property
    def url(self) -> str:
        """The apprise URL (generic JSON webhook) that posts here."""
        return f"json://127.0.0.1:{self.port}/hook"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Post]:
        """The posts so far, once there are ``count`` of them or ``timeout`` has passed."""
        end = time.monotonic() + timeout
        while len(self.posts) < count and time.monotonic() < end:
            time.sleep(0.02)
        return list(self.posts)
