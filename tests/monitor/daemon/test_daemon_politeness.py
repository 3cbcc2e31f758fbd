"""Politeness defaults of every crawl, observed at a mock site's server: robots.txt, concurrency, UA, size limits."""

from __future__ import annotations

import gzip
import threading
import time

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from monitor.demo import MockSite, MockSiteServer
from storage.models import CrawlRun, Notice
from tests.support.cli import run_cli, source_toml, write_config

CONTACT = "https://example.org/noticewatch-contact"


def write_polite_config(path, storage_url, server, *, crawl: dict | None = None, **source_options):
    """The default politeness settings, except ``crawl`` overrides (by default no delay and no retries)."""
    settings = {"download_delay": 0, "retries": 0, **(crawl or {})}
    lines = [
        f'[storage]\nurl = "{storage_url}"\n\n[crawl]',
        *(f"{k} = {v!r}" for k, v in settings.items()),
    ]
    path.write_text(
        "\n".join(lines) + "\n\n" + source_toml(server, **source_options), encoding="utf-8"
    )
    return path


def serve_extra(
    site: MockSite, path: str, status: int, headers: dict[str, str], body: bytes
) -> None:
    """Make ``site`` answer ``path`` with this reply (through its public ``render``)."""
    render = site.render

    def patched(method, request_path, query="", request_headers=None):
        if request_path == path:
            return status, {**headers, "Content-Length": str(len(body))}, body
        return render(method, request_path, query, request_headers)

    site.render = patched


def runs(url: str) -> list[CrawlRun]:
    engine = create_engine(url)
    with Session(engine) as session:
        result = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        notices = session.scalars(select(Notice)).all()
    engine.dispose()
    return result, notices


def test_robots_txt_disallow_is_obeyed_unless_the_source_overrides_it(sites, sqlite_url, tmp_path):
    server = sites["trs"]
    serve_extra(
        server.site,
        "/robots.txt",
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /col/\n",
    )
    config = write_polite_config(tmp_path / "c.toml", sqlite_url, server)
    run_cli(config, "crawl")
    assert server.site.requests == []  # the list page under /col/ was never asked for
    crawl_runs, notices = runs(sqlite_url)
    assert crawl_runs[-1].outcome != "ok" and "robots" in crawl_runs[-1].error.lower()
    assert notices == []

    config = write_polite_config(tmp_path / "c.toml", sqlite_url, server, obey_robots=False)
    assert run_cli(config, "crawl").returncode == 0
    assert runs(sqlite_url)[0][-1].outcome == "ok"


class InFlight:
    """Requests the servers are answering at once (each answer takes ``pause`` seconds), and the peak."""

    def __init__(self, servers: list[MockSiteServer], pause: float = 0.15) -> None:
        self.now = self.peak = 0
        self.lock = threading.Lock()
        for server in servers:
            server.site.render = self.slowed(server.site.render, pause)

    def slowed(self, render, pause: float):
        def slow(*args, **kwargs):
            with self.lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            try:
                time.sleep(pause)
                return render(*args, **kwargs)
            finally:
                with self.lock:
                    self.now -= 1

        return slow


def test_at_most_two_requests_in_flight_per_host_and_an_honest_user_agent(
    sites, sqlite_url, tmp_path
):
    server = sites["vsb"]
    in_flight = InFlight([server])
    crawl = {
        "contact": CONTACT,
        "download_delay": 0.05,
    }  # any delay: with none Scrapy 2.19 bursts past the cap
    config = write_polite_config(tmp_path / "c.toml", sqlite_url, server, crawl=crawl)
    assert run_cli(config, "crawl").returncode == 0
    requests = server.site.requests
    assert len(requests) > 6
    assert in_flight.peak <= 2
    agents = {headers.get("User-Agent", "") for _, _, headers, _ in requests}
    assert len(agents) == 1 and "noticewatch" in agents.pop().lower()
    assert all(CONTACT in headers["User-Agent"] for _, _, headers, _ in requests)


def test_sources_on_one_host_share_its_limit_in_one_crawl_process(sites, sqlite_url, tmp_path):
    """What a daemon's batch child does: several sources in one process, one host (127.0.0.1)."""
    servers = [sites["vsb"], sites["trs"], sites["dede"]]
    in_flight = InFlight(servers)
    config = write_config(tmp_path / "c.toml", sqlite_url, servers, max_pages=3)
    assert run_cli(config, "crawl").returncode == 0
    assert all(len(server.site.requests) > 3 for server in servers)
    assert in_flight.peak <= 2  # [crawl] concurrency_per_host, across the three sources
    crawl_runs, notices = runs(sqlite_url)
    assert [run.outcome for run in crawl_runs] == ["ok"] * 3
    assert len({run.owner for run in crawl_runs}) == 1 and notices


def test_a_gzip_bomb_is_dropped_not_inflated(sites, sqlite_url, tmp_path):
    server = sites["dede"]
    bomb = gzip.compress(b"<html><body>" + b" " * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 128 * 1024
    list_path = server.site.list_path.split("?")[0]
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
    serve_extra(server.site, list_path, 200, headers, bomb)
    config = write_polite_config(
        tmp_path / "c.toml", sqlite_url, server, crawl={"max_response_bytes": 1024 * 1024}
    )
    run_cli(config, "crawl", timeout=120)  # raises if the crawl hangs on the bomb
    crawl_runs, notices = runs(sqlite_url)
    assert crawl_runs[-1].outcome != "ok"
    assert notices == []


def test_an_oversized_answer_is_named_as_such(sites, sqlite_url, tmp_path):
    server = sites["dede"]
    list_path = server.site.list_path.split("?")[0]
    page = b"<html><body>" + "通知".encode() * (1024 * 1024) + b"</body></html>"
    serve_extra(server.site, list_path, 200, {"Content-Type": "text/html; charset=utf-8"}, page)
    config = write_polite_config(
        tmp_path / "c.toml", sqlite_url, server, crawl={"max_response_bytes": 1024 * 1024}
    )
    run_cli(config, "crawl", timeout=120)
    crawl_runs, _ = runs(sqlite_url)
    assert crawl_runs[-1].outcome == "http_error", crawl_runs[-1].error
    assert "larger than max_response_bytes" in (crawl_runs[-1].error or "")
