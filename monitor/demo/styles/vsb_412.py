"""A VSB school site behind a 瑞数-style (River Security) JS cookie challenge ("412").

As the real gate works: a request without valid cookies gets ``412 Precondition Failed``
with a ``$_ts`` page (a ``<meta r="m">``, an inline ``$_ts.nsd``/``$_ts.cd`` script and an
external script) and a server cookie ``…80S`` (HttpOnly). The external script computes
the client cookie ``…80T`` from ``$_ts`` and reloads; a request carrying both is served.
:meth:`ChallengeVsbSite.expire_cookies` starts a new cookie generation (the old cookies
stop working), as the real gate does every so often.
"""

from __future__ import annotations

import hashlib
from http.cookies import SimpleCookie

from monitor.demo import responses
from monitor.demo.responses import Reply
from monitor.demo.styles.vsb import VsbSite

SERVER_COOKIE, CLIENT_COOKIE = "FSSBBIl1UgzbN7N80S", "FSSBBIl1UgzbN7N80T"
SCRIPT_PATH = "/4QbVtADbnLVIc/c.FxJzG50F.js"
_MODULUS = 2147483647
_SCRIPT = (
    "(function(){var t=window.$_ts||{},h=t.nsd;"
    "for(var i=0;i<t.cd.length;i++){h=(h*31+t.cd.charCodeAt(i))%" + str(_MODULUS) + ";}"
    'document.cookie="' + CLIENT_COOKIE + '="+h.toString(36)+"; path=/";'
    "location.reload();})();"
)


def client_value(nsd: int, cd: str) -> str:
    """What the challenge script computes (the same arithmetic, in Python)."""
    value = nsd
    for char in cd:
        value = (value * 31 + ord(char)) % _MODULUS
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        value, rest = divmod(value, 36)
        text = digits[rest] + text
        if value == 0:
            return text


class ChallengeVsbSite(VsbSite):
    """:class:`VsbSite` behind the cookie challenge (robots.txt is not gated)."""

    style = "vsb_412"

    def __init__(self, name: str, *, cookie_uses: int | None = None, **options) -> None:
        super().__init__(name, **options)
        self.cookie_uses = cookie_uses  # pages (200s) one cookie generation serves; None: no limit
        self.generation = 1
        self._served = 0

    def expire_cookies(self) -> None:
        """A new cookie generation: every cookie handed out so far stops working."""
        with self._lock:
            self.generation += 1
            self._served = 0

    @property
    def challenges(self) -> int:
        """How many 412 challenge pages were served."""
        return sum(1 for record in self.requests if record[3] == 412)

    @property
    def script_fetches(self) -> int:
        """How many times the challenge script was fetched: once per browser that ran it."""
        return sum(1 for record in self.requests if record[1] == SCRIPT_PATH)

    def _token(self) -> str:
        return hashlib.sha1(f"{self.source_id}:{self.generation}".encode()).hexdigest()

    def _ts(self) -> tuple[int, str]:
        token = self._token()
        return int(token[:6], 16), f"qqlqrGAlqr{token}rGqlcGrWAGqGqGAqlrGrlAr"

    def _passes(self, cookie_header: str) -> bool:
        cookies = SimpleCookie()
        try:
            cookies.load(cookie_header)
        except Exception:  # a malformed Cookie header passes nothing
            return False
        server = cookies.get(SERVER_COOKIE)
        client = cookies.get(CLIENT_COOKIE)
        return (
            server is not None
            and client is not None
            and server.value == self._token()[:32]
            and client.value == client_value(*self._ts())
        )

    def _challenge(self) -> Reply:
        nsd, cd = self._ts()
        token = self._token()
        page = (
            '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f'<meta id="{token[:22]}" content="{token * 3}" r="m">'
            f"<script>$_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd={nsd};$_ts.cd=\"{cd}\";</script>"
            f'<script type="text/javascript" charset="utf-8" src="{SCRIPT_PATH}" r="m"></script>'
            "</head><body></body></html>"
        )
        reply = responses.html_reply(412, page, "utf-8", "utf-8")
        reply.headers["Set-Cookie"] = f"{SERVER_COOKIE}={token[:32]}; Path=/; HttpOnly"
        return reply

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> Reply:
        if path == SCRIPT_PATH:
            return responses.text_reply(200, _SCRIPT, "application/javascript")
        if path == "/robots.txt":
            return super()._answer(method, path, query, headers, body)
        if not self._passes(headers.get("cookie", "")):
            return self._challenge()
        reply = super()._answer(method, path, query, headers, body)
        if reply.status == 200:
            self._served += 1
        if self.cookie_uses is not None and self._served >= self.cookie_uses:
            self.expire_cookies()  # this page is served; the next request is challenged
        return reply
