"""Around every request: reading only, who may read (``monitor.web.auth``), and the headers
that keep untrusted page text inert in a browser (a strict Content-Security-Policy)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.config import WebSettings
from monitor.web.auth import authorized, local_host

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
MAX_URL_BYTES = 2048
ACCEPTED_KEPT = 100


class Guard:
    """ASGI middleware: GET/HEAD only, the Host check or ``[web]`` auth, security headers."""

    def __init__(self, app: ASGIApp, web: WebSettings) -> None:
        self.app, self.web = app, web
        # digests of Authorization headers already accepted: a password hash is checked once
        # per reader, not on every page and stylesheet (PBKDF2 takes a good part of a second)
        self._accepted: OrderedDict[bytes, None] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        refusal = self._refusal(scope) or await self._unauthorized(scope)
        if refusal is not None:
            await refusal(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def _refusal(self, scope: Scope) -> PlainTextResponse | None:
        headers = Headers(scope=scope)
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse("read only\n", 405, headers={"Allow": "GET, HEAD"})
        if len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            return PlainTextResponse("URL too long\n", 414)
        if not self.web.has_auth and not local_host(headers.get("host")):
            # a name that resolves here by DNS rebinding: nothing for it
            return PlainTextResponse("ask for this by its loopback address\n", 403)
        return None

    async def _unauthorized(self, scope: Scope) -> PlainTextResponse | None:
        """A 401 when auth is set and the request does not satisfy it (checked in a worker
        thread: a password hash must not hold up other requests)."""
        if not self.web.has_auth:
            return None
        header = Headers(scope=scope).get("authorization")
        if await run_in_threadpool(self._authorized, header):
            return None
        return PlainTextResponse(
            "authorization required\n",
            401,
            headers={"WWW-Authenticate": 'Basic realm="noticewatch", charset="UTF-8"'},
        )

    def _authorized(self, header: str | None) -> bool:
        """Whether ``header`` satisfies the auth; accepted headers are remembered."""
        digest = hashlib.sha256((header or "").encode()).digest()
        if digest in self._accepted:
            self._accepted.move_to_end(digest)
            return True
        if not authorized(self.web, header):
            return False
        self._accepted[digest] = None
        if len(self._accepted) > ACCEPTED_KEPT:
            self._accepted.popitem(last=False)
        return True
