"""`sources check` (and ``spiders.fetch``) against hostile list pages: redirects only on the
site, over http(s), at most five; one deadline for the whole fetch however slowly a server
answers. A second mock site on another loopback port is the canary: it logs every request."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.demo import MockSiteServer
from spiders.fetch import FetchedPage, FetchError, fetch
from tests.support.cli import run_cli

TRICKLE_SECONDS = 0.5


def redirects(server: MockSiteServer, hops: dict[str, str], status: int = 302) -> None:
    """Make each path in ``hops`` on the site answer ``status`` to its location."""
    render = server.site.render

    def answer(method, path, query="", request_headers=None):
        if path in hops:
            return status, {"Location": hops[path], "Content-Length": "0"}, b""
        return render(method, path, query, request_headers)

    server.site.render = answer


def chain(server: MockSiteServer, length: int) -> str:
    """The first URL of ``length`` redirects on the site (/hop/1 → … → the list page)."""
    hops = {f"/hop/{n}": f"/hop/{n + 1}" for n in range(1, length)}
    redirects(server, hops | {f"/hop/{length}": server.list_url})
    return server.url("/hop/1")


def get(url: str, timeout: float = 10, max_bytes: int = 1 << 20) -> FetchedPage:
    return fetch(url, user_agent="test", timeout=timeout, max_bytes=max_bytes)


def slow_source_config(tmp_path: Path, url: str, timeout: float) -> Path:
    """A config whose source ``slow`` is ``url``, fetched with ``[crawl] timeout``."""
    config = tmp_path / "c.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "n.db"}"\n[crawl]\ntimeout = {timeout}\n'
        f'[[sources]]\nid = "slow"\nname = "slow"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    assert load_config(config).crawl.timeout == timeout
    return config


@pytest.fixture
def slowloris() -> Iterator[str]:
    """A server on 127.0.0.1 that never finishes: ``/body`` sends its headers, then a body
    byte every half second; ``/headers`` trickles its headers the same way."""
    stop = threading.Event()

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>")
            try:
                while not stop.wait(TRICKLE_SECONDS):
                    self.wfile.write(b"a")
            except OSError:  # the client gave up
                pass

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop.set()
    server.shutdown()
    server.server_close()


def test_an_on_site_redirect_chain_is_followed_and_its_page_checked(sites, tmp_path):
    dede = sites["dede"]
    start = chain(dede, 3)
    result = run_cli(tmp_path / "absent.toml", "sources", "check", start, "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["url"] == dede.list_url
    listed = dede.site.notices[: dede.site.per_page]
    assert [link["url"] for link in report["links"]] == [
        dede.url(dede.site.detail_path(n.id)) for n in listed
    ]
    assert [e["title"] for e in report["extracted"]] == [n.title for n in listed[:3]]


def test_a_redirect_to_another_local_port_is_refused_in_one_line(sites, tmp_path):
    dede, canary = sites["dede"], sites["vsb"]
    redirects(dede, {"/moved/": canary.list_url})
    start = dede.url("/moved/")
    result = run_cli(tmp_path / "absent.toml", "sources", "check", start, timeout=60)
    assert result.returncode == 1, result.stdout
    [line] = result.stderr.strip().splitlines()
    assert start in line and canary.list_url in line and "off its site" in line, line
    assert canary.site.requests == [], f"canary asked for {[r[1] for r in canary.site.requests]}"


@pytest.mark.parametrize("target", ["ftp://127.0.0.1:1/x", "file:///etc/hostname"])
def test_a_redirect_to_another_scheme_is_refused(sites, target):
    dede = sites["dede"]
    redirects(dede, {"/moved/": target}, status=301)
    with pytest.raises(FetchError, match="only http\\(s\\) is fetched") as refused:
        get(dede.url("/moved/"))
    assert target in str(refused.value)


def test_a_redirect_off_the_site_is_refused_before_any_request(sites):
    dede, canary = sites["dede"], sites["vsb"]
    redirects(dede, {"/hop/1": "/hop/2", "/hop/2": canary.list_url}, status=307)
    with pytest.raises(FetchError, match="off its site"):
        get(dede.url("/hop/1"))
    assert canary.site.requests == []


def test_five_redirects_are_followed_and_the_final_url_returned(sites):
    dede = sites["dede"]
    page = get(chain(dede, 5))
    assert (page.url, page.status) == (dede.list_url, 200)
    assert page.body == get(dede.list_url).body


def test_six_redirects_are_refused(sites):
    dede = sites["dede"]
    with pytest.raises(FetchError, match="more than 5 redirects"):
        get(chain(dede, 6))


def test_error_statuses_are_returned_and_bodies_cut_at_max_bytes(sites):
    dede = sites["dede"]
    missing = get(dede.url("/no/such/page.html"))
    assert missing.status == 404
    page = get(dede.list_url, max_bytes=100)
    assert page.status == 200 and len(page.body) == 100


@pytest.mark.parametrize("path", ["/body", "/headers"])
def test_a_trickling_answer_ends_at_the_deadline(slowloris, path):
    with pytest.raises(FetchError, match="no complete answer within 1.5 s"):
        get(slowloris + path, timeout=1.5)


def test_sources_check_of_a_slowloris_page_ends_with_the_deadline_error(slowloris, tmp_path):
    config = slow_source_config(tmp_path, slowloris + "/body", timeout=2)
    result = run_cli(config, "sources", "check", "slow", timeout=60)
    assert result.returncode == 1, result.stdout
    [line] = result.stderr.strip().splitlines()
    assert f"{slowloris}/body: no complete answer within 2 s" in line, line
