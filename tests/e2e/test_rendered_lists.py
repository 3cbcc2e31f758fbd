"""Lists built by script and a JS cookie challenge, crawled through the CLI in the real Chromium.

The mock sites (``monitor.demo.styles``: trs_script, xhr_table, vsb_412) log every request
with its headers; Chromium's carry ``sec-ch-ua``, Scrapy's never do, so the log tells
rendered requests from plain ones. Skipped loudly ("CHROMIUM MISSING") outside CI when
Chromium or scrapy-playwright is missing; a failure in CI.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.config import load_config
from monitor.demo import MockSiteServer, stop_all
from monitor.demo.build import trs_script_site, trs_site, vsb_412_site, xhr_table_site
from monitor.demo.site import MockSite, RequestRecord
from monitor.demo.styles.vsb_412 import CLIENT_COOKIE, SCRIPT_PATH
from monitor.distributed.launcher import RedisLauncher
from spiders.encoding import decode_html
from spiders.links import discover_links
from storage.db import open_database
from storage.models import CrawlRun, Event, Notice
from tests.support.cli import db_rows, run_cli, wait_for, write_config
from tests.support.services import chromium_missing
from tests.support.throwaway_redis import throwaway_redis_fixture  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("chromium")

NEW_TITLE = "关于做好2024年中小学暑期安全教育工作的通知"
NEW_TEXT = ["各市州教育局，厅直属各单位：", "暑假将至，现就做好暑期安全教育工作通知如下。"]


@pytest.fixture
def chromium() -> None:
    chromium_missing()


def rendered(record: RequestRecord) -> bool:
    return any(name.lower() == "sec-ch-ua" for name in record[2])


def crawl(config: Path) -> str:
    done = run_cli(config, "crawl", timeout=240)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stdout + done.stderr
    assert done.stdout.startswith("✓"), done.stdout
    return done.stdout


def alerting_config(tmp_path: Path, url: str, servers: list[MockSiteServer], webhook, **options):
    subscription = f'[[subscriptions]]\nname = "office"\nnotify = ["{webhook.url}"]\n'
    return write_config(tmp_path / "c.toml", url, servers, extra=subscription, **options)


def stored(url: str, server: MockSiteServer) -> dict[str, tuple[str, object]]:
    """The site's notices as stored: URL → (title, publish date); not the file row (a PDF)
    that the TRS list shows beside them."""
    notices = db_rows(url, select(Notice).where(Notice.source_id == server.site.source_id))
    return {n.url: (n.title, n.published) for n in notices if not n.url.endswith(".pdf")}


def expected(server: MockSiteServer) -> dict[str, tuple[str, object]]:
    site = server.site
    return {server.url(site.notice_path(n)): (n.title, n.published.date()) for n in site.notices}


def new_events(url: str) -> list[tuple[str, str]]:
    return [(e.kind, e.source_id) for e in db_rows(url, select(Event))]


@pytest.mark.parametrize(
    "build", [trs_script_site, xhr_table_site], ids=["document.write", "fetch"]
)
def test_a_list_built_by_script_is_rendered_paged_and_its_new_notice_alerted(
    build: Callable[..., MockSite], sqlite_url, tmp_path, webhook
):
    with MockSiteServer(trs_site()) as elsewhere:  # another site the page loads a script from
        site = build(third_party=elsewhere.base_url) if build is trs_script_site else build()
        with MockSiteServer(site) as server:
            status, headers, body = site.render("GET", site.list_path)
            html, _ = decode_html(body, headers["Content-Type"])
            plain = {entry.url for entry in discover_links(html, server.list_url)}
            assert status == 200 and not plain & set(expected(server)), "rows are in the HTML"

            config = alerting_config(tmp_path, sqlite_url, [server], webhook, render="browser")
            crawl(config)
            assert stored(sqlite_url, server) == expected(server)  # titles and dates, all pages
            assert new_events(sqlite_url) == []  # the baseline is silent
            documents = {r[1] for r in site.requests if rendered(r) and r[1] != "/robots.txt"}
            pages = {site.page_path(n) for n in range(1, site.page_count + 1)}
            assert site.page_count >= 3 and pages <= documents, documents
            details = [
                r for r in site.requests if r[1] in {site.notice_path(n) for n in site.notices}
            ]
            assert details and not any(map(rendered, details)), "detail pages are not rendered"
            assert not any(r[1].startswith(("/images/", "/scedu/images/")) for r in site.requests)
            assert elsewhere.site.requests == [], "the page's off-site script was let out"

            site.add_notice(NEW_TITLE, NEW_TEXT)
            crawl(config)
            assert new_events(sqlite_url) == [("new", site.source_id)]
            (post,) = webhook.wait_for(1)
            assert NEW_TITLE in str(post.body)
            assert stored(sqlite_url, server) == expected(server)

            crawl(config)
            assert new_events(sqlite_url) == [("new", site.source_id)]  # nothing new again
            assert len(webhook.posts) == 1


def test_render_details_renders_the_detail_pages_too(sqlite_url, tmp_path):
    with MockSiteServer(xhr_table_site(per_page=8)) as server:
        site = server.site
        for notice in site.notices[4:]:
            site.remove_notice(notice.id)
        config = write_config(
            tmp_path / "c.toml", sqlite_url, [server], render="browser", render_details=True
        )
        crawl(config)
        assert stored(sqlite_url, server) == expected(server)
        details = [r for r in site.requests if r[1] in {site.notice_path(n) for n in site.notices}]
        assert len(details) == 4 and all(map(rendered, details)), details


def challenge_config(tmp_path: Path, url: str, server: MockSiteServer, webhook=None) -> Path:
    config = (
        alerting_config(tmp_path, url, [server], webhook, render="challenge")
        if webhook
        else write_config(tmp_path / "c.toml", url, [server], render="challenge")
    )
    text = config.read_text(encoding="utf-8").replace(
        "[crawl]\n", "[crawl]\nconcurrency_per_host = 1\n"
    )
    config.write_text(text, encoding="utf-8")
    return config


def renders_follow_challenges(site: MockSite) -> None:
    """The first plain request meets the challenge; each render (a browser running the
    challenge script) is followed by plain requests that get through with its cookies before
    the next render; no plain request gets through without them."""
    log = [r for r in site.requests if r[1] != "/robots.txt"]
    assert (rendered(log[0]), log[0][3]) == (False, 412), log[0]
    renders = [i for i, r in enumerate(log) if r[1] == SCRIPT_PATH]
    assert renders and len(renders) == site.script_fetches
    for start, end in zip(renders, [*renders[1:], len(log)], strict=True):
        served = [r for r in log[start:end] if not rendered(r) and r[3] == 200]
        assert served, f"the render at {start} let no plain request through"
    for record in log:
        if not rendered(record) and record[3] == 200:
            assert f"{CLIENT_COOKIE}=" in record[2].get("Cookie", ""), record


def test_a_cookie_challenge_is_passed_by_one_render_then_plain_requests(
    sqlite_url, tmp_path, webhook
):
    with MockSiteServer(vsb_412_site()) as server:
        site = server.site
        config = challenge_config(tmp_path, sqlite_url, server, webhook)
        crawl(config)
        assert stored(sqlite_url, server) == expected(server)
        assert site.script_fetches == 1 and site.challenges == 2  # Scrapy's, then the browser's
        renders_follow_challenges(site)
        last_render = max(i for i, r in enumerate(site.requests) if rendered(r))
        after = site.requests[last_render + 1 :]
        assert len(after) >= 10 and all(not rendered(r) and r[3] == 200 for r in after)

        site.clear_requests()
        site.add_notice(NEW_TITLE, NEW_TEXT)
        crawl(config)  # a new process: its first request meets the challenge again
        assert new_events(sqlite_url) == [("new", site.source_id)]
        assert NEW_TITLE in str(webhook.wait_for(1)[0].body)
        assert site.script_fetches == 1
        renders_follow_challenges(site)

        site.clear_requests()
        crawl(config)
        assert new_events(sqlite_url) == [("new", site.source_id)] and len(webhook.posts) == 1


def test_cookies_that_stop_working_are_renewed_by_one_more_render(sqlite_url, tmp_path):
    with MockSiteServer(vsb_412_site(cookie_uses=4)) as server:
        site = server.site
        crawl(challenge_config(tmp_path, sqlite_url, server))
        assert stored(sqlite_url, server) == expected(server)
        assert site.script_fetches >= 2  # 11 pages, 4 per cookie generation (its render takes one)
        renders_follow_challenges(site)


def test_two_sources_on_one_host_render_one_page_at_a_time(sqlite_url, tmp_path):
    """Both sites are on 127.0.0.1: their list pages are rendered one after the other, each
    page held a moment by the server so that two renders at once would overlap."""
    sites = [trs_script_site(), xhr_table_site()]
    lock, in_flight, most = threading.Lock(), [0], [0]

    def tracked(site: MockSite) -> Callable:
        answer = site.render

        def render(method, path, query="", headers=None):
            page = rendered(("", "", dict(headers or {}), 0)) and path == site.list_path
            if page:
                with lock:
                    in_flight[0] += 1
                    most[0] = max(most[0], in_flight[0])
                time.sleep(0.5)
            try:
                return answer(method, path, query, headers)
            finally:
                if page:
                    with lock:
                        in_flight[0] -= 1

        return render

    for site in sites:
        site.render = tracked(site)  # type: ignore[method-assign]
    with MockSiteServer(sites[0]) as first, MockSiteServer(sites[1]) as second:
        config = write_config(tmp_path / "c.toml", sqlite_url, [first, second], max_pages=1)
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("max_pages = 1", 'max_pages = 1\nrender = "browser"'))
        lines = crawl(config).strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("✓") for line in lines), lines
    assert most[0] == 1


def test_a_redis_worker_renders_lists_and_passes_a_challenge(
    postgres_url, throwaway_redis, tmp_path, start_cli
):
    """The worker mode: requests (rendered ones and the challenge's render too) go through the
    Redis queue, pickled, and come back to the same rendering handler."""
    servers = [MockSiteServer(trs_script_site()).start(), MockSiteServer(vsb_412_site()).start()]
    try:
        open_database(postgres_url).kw["bind"].dispose()  # the schema, as `crawl` makes it
        queue = f'[queue]\nurl = "{throwaway_redis.url("rendered")}"\n'
        config = write_config(tmp_path / "c.toml", postgres_url, servers, extra=queue)
        text = config.read_text(encoding="utf-8").replace(
            'url = "' + servers[1].list_url + '"',
            'url = "' + servers[1].list_url + '"\nrender = "challenge"',
        )
        text = text.replace(
            'url = "' + servers[0].list_url + '"',
            'url = "' + servers[0].list_url + '"\nrender = "browser"',
        )
        config.write_text(text, encoding="utf-8")
        worker = start_cli(config, "worker", "--id", "w1")
        launcher = RedisLauncher(load_config(config))
        for server in servers:
            launcher.launch([server.site.source_id])

        def finished() -> int:
            return len(
                db_rows(postgres_url, select(CrawlRun).where(CrawlRun.finished_at.is_not(None)))
            )

        try:
            wait_for(lambda: finished() == 2, 120, "the two crawls")
        except AssertionError:
            raise AssertionError(worker.output()) from None
        for server in servers:
            assert stored(postgres_url, server) == expected(server), worker.output()
        assert servers[1].site.script_fetches == 1
        assert worker.stop() == 0
    finally:
        stop_all(servers)
