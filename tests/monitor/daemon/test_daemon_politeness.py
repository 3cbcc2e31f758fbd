"""Politeness defaults of every crawl, observed at a mock site's server: robots.txt, concurrency, UA, size limits."""

from __future__ import annotations

import gzip
import threading
import time

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from monitor.demo import MockSite, MockSiteServer, stop_all
from monitor.demo.styles import STYLES
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


def test_a_source_is_finished_while_a_slow_one_of_the_same_crawl_is_still_reading(
    sites, sqlite_url, tmp_path
):
    """One spider serves every source of a crawl process, yet each run closes when its own
    pages are through: the slow site answers only once the fast source's run is closed."""
    fast, slow = sites["trs"], sites["vsb"]
    answer_slow = slow.site.render

    def fast_run_closed() -> bool:
        engine = create_engine(sqlite_url)
        try:
            with Session(engine) as session:
                return bool(
                    session.scalar(
                        select(CrawlRun.id).where(
                            CrawlRun.source_id == fast.site.source_id,
                            CrawlRun.finished_at.is_not(None),
                        )
                    )
                )
        except Exception:  # the schema is not there yet
            return False
        finally:
            engine.dispose()

    def held_back(method, path, query="", headers=None):
        if path == slow.site.list_path:
            deadline = time.monotonic() + 60
            while not fast_run_closed():
                if time.monotonic() > deadline:
                    return 503, {"Content-Type": "text/plain"}, b"the fast run never closed"
                time.sleep(0.1)
        return answer_slow(method, path, query, headers)

    slow.site.render = held_back
    config = write_config(tmp_path / "c.toml", sqlite_url, [fast, slow], max_pages=1)
    config.write_text(config.read_text().replace("timeout = 10", "timeout = 120"))
    result = run_cli(config, "crawl", "--alert-wait", "0", timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    crawl_runs, notices = runs(sqlite_url)
    by_source = {run.source_id: run for run in crawl_runs}
    assert [by_source[s.site.source_id].outcome for s in (fast, slow)] == ["ok", "ok"]
    assert by_source[fast.site.source_id].finished_at < by_source[slow.site.source_id].finished_at
    assert {notice.source_id for notice in notices} == {fast.site.source_id, slow.site.source_id}


def test_a_crawl_process_holds_at_most_sixteen_requests_in_flight_over_all_hosts(
    sqlite_url, tmp_path
):
    """24 sources on 24 hosts (two requests each allowed): the process's cap holds across them."""
    sites = []
    for number in range(24):
        site = STYLES["trs"](f"学校{number}", source_id=f"school-{number:02d}")
        for title in (
            "关于开展教师培训工作的通知",
            "关于公布评审结果的公告",
            "关于秋季开学工作的通知",
        ):
            site.add_notice(title, ["各学校：现将有关事项通知如下，请认真贯彻落实。"])
        sites.append(site)
    servers = [
        MockSiteServer(site, host=f"127.0.3.{n + 1}").start() for n, site in enumerate(sites)
    ]
    try:
        in_flight = InFlight(servers, pause=0.3)
        config = write_config(tmp_path / "c.toml", sqlite_url, servers, max_pages=1)
        assert run_cli(config, "crawl", "--alert-wait", "0", timeout=300).returncode == 0
    finally:
        stop_all(servers)
    crawl_runs, notices = runs(sqlite_url)
    assert [run.outcome for run in crawl_runs] == ["ok"] * 24
    assert len({notice.source_id for notice in notices}) == 24 and len(notices) >= 3 * 24
    assert 16 >= in_flight.peak > 2  # many hosts at once, never more than the cap
