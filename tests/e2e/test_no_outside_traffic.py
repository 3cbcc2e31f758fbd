"""A crawl looks up and connects to its sources and nothing else (socket audit hooks).

The hook refuses any connection that is not to 127.0.0.1, so a failing run
sends nothing outside either. Cookies with a ``Domain`` make Scrapy ask for
the public suffix list, on a cold tldextract cache.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.cli import ROOT, write_config

AUDITED_CRAWL = """
import json, sys
connections = []

def audit(event, args):
    if event == "socket.getaddrinfo":  # a name looked up: (host, port, ...)
        host = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
    elif event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
    else:
        return
    connections.append(host)
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise PermissionError(f"outside connection refused: {host}")

sys.addaudithook(audit)
from monitor.cli import main
code = main(["--config", sys.argv[1], "crawl", "--alert-wait", "0"])
print("CONNECTIONS " + json.dumps(connections))
sys.exit(code)
"""


def test_a_crawl_with_domain_cookies_connects_only_to_the_sources(sites, sqlite_url, tmp_path):
    dede = sites["dede"]
    render = dede.site.render

    def with_cookie(method, path, query="", headers=None):
        status, reply_headers, body = render(method, path, query, headers)
        return status, {**reply_headers, "Set-Cookie": "sid=1; Domain=.example.com; Path=/"}, body

    dede.site.render = with_cookie
    config = write_config(tmp_path / "c.toml", sqlite_url, [dede])
    env = {"PATH": "/usr/bin:/bin", "TLDEXTRACT_CACHE": str(tmp_path / "cold-cache")}
    done = subprocess.run(
        [sys.executable, "-c", AUDITED_CRAWL, str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("CONNECTIONS ")), "")
    connections = json.loads(line.removeprefix("CONNECTIONS ") or "[]")
    outside = sorted({c for c in connections if c not in ("127.0.0.1", "::1", "localhost")})
    assert done.returncode == 0 and connections and not outside, (
        f"exit {done.returncode}; outside connections {outside}; {done.stderr[-2000:]}"
    )
