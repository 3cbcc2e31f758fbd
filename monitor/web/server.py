"""Serving the web app with uvicorn: in the foreground (``noticewatch web``) or in a thread
beside the daemon."""

from __future__ import annotations

import logging
import threading
import time

import uvicorn

from monitor.config import Config
from monitor.web.app import create_app
from monitor.web.auth import parse_bind

log = logging.getLogger(f"noticewatch.{__name__}")


def _server(config: Config, bind: str) -> uvicorn.Server:
    host, port = parse_bind(bind)
    settings = uvicorn.Config(
        create_app(config),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
        limit_concurrency=64,  # beyond this many connections: 503, not a pile-up
    )
    return uvicorn.Server(settings)


def serve(config: Config, bind: str) -> bool:
    """Serve until Ctrl-C or SIGTERM; False when the address could not be taken."""
    server = _server(config, bind)
    try:
        server.run()
    except SystemExit:  # uvicorn's answer to an address it cannot bind (logged by it)
        return False
    return server.started


class WebThread:
    """The web app in a background thread of the daemon."""

    def __init__(self, config: Config, bind: str) -> None:
        self.bind = bind
        self._server = _server(config, bind)
        self._thread = threading.Thread(target=self._server.run, name="web", daemon=True)

    def start(self, wait: float = 10.0) -> None:
        """Start serving; a failure to listen is logged, and the daemon goes on without it."""
        self._thread.start()
        deadline = time.monotonic() + wait
        while not self._server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._server.started:
            log.info("web UI on http://%s/", self.bind)
        else:
            log.error("web UI: cannot listen on %s; the daemon runs without it", self.bind)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
