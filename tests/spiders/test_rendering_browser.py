"""Rendering in the real Chromium: one browser per process, and a rendered page held to the
crawl's limits (render_timeout, max_response_bytes). Skipped loudly ("CHROMIUM MISSING")
outside CI when Chromium or scrapy-playwright is missing."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from monitor.demo import MockSiteServer, stop_all
from monitor.demo.build import trs_script_site, vsb_site, xhr_table_site
from spiders.rendering import find_chromium, render_settings
from tests.support.cli import run_cli, write_config
from tests.support.services import chromium_missing

pytestmark = pytest.mark.usefixtures("chromium")


@pytest.fixture
def chromium() -> None:
    chromium_missing()


def test_one_chromium_serves_every_crawler_of_the_process_and_closes_with_the_last():
    from spiders.render_handler import SharedChromium

    chromium = find_chromium()
    assert chromium is not None
    options = render_settings(chromium, 20)["PLAYWRIGHT_LAUNCH_OPTIONS"]

    async def two_crawlers() -> tuple[bool, bool, bool]:
        first, second = (SharedChromium(SimpleNamespace(launch_options=options)) for _ in "ab")
        await first.start()
        await second.start()
        browser = await first.launch_browser()
        same = browser is await second.launch_browser()
        await first.close()
        still_up = browser.is_connected()
        await second.close()
        return same, still_up, browser.is_connected()

    assert asyncio.run(two_crawlers()) == (True, True, False)


def test_a_page_that_does_not_render_in_time_or_renders_too_large_fails_in_one_line(
    sqlite_url, tmp_path
):
    slow, large = xhr_table_site(), trs_script_site()
    slow.stall(slow.list_path, times=None)  # held until the server stops
    servers = [MockSiteServer(slow).start(), MockSiteServer(large).start()]
    try:
        config = write_config(tmp_path / "c.toml", sqlite_url, servers, render="browser")
        text = config.read_text(encoding="utf-8").replace(
            "[crawl]\n", "[crawl]\nrender_timeout = 3\nmax_response_bytes = 4000\n"
        )
        config.write_text(text, encoding="utf-8")
        crawl = run_cli(config, "crawl", timeout=180)
    finally:
        stop_all(servers)
    lines = dict(line.split(" ", 2)[1:] for line in crawl.stdout.strip().splitlines())
    assert crawl.returncode == 1 and crawl.stderr.strip() == "", crawl.stdout + crawl.stderr
    assert "did not render within [crawl] render_timeout (3 s)" in lines[slow.source_id], lines
    assert "larger than max_response_bytes" in lines[large.source_id], lines


def test_robots_txt_keeps_the_browser_off_a_forbidden_list(sqlite_url, tmp_path):
    site = trs_script_site()
    answer = site.render

    def forbidding(method, path, query="", headers=None):
        if path == "/robots.txt":
            rules = b"User-agent: *\nDisallow: /col/\n"
            return 200, {"Content-Type": "text/plain", "Content-Length": str(len(rules))}, rules
        return answer(method, path, query, headers)

    site.render = forbidding  # type: ignore[method-assign]
    with MockSiteServer(site) as server:
        config = write_config(tmp_path / "c.toml", sqlite_url, [server], render="browser")
        crawl = run_cli(config, "crawl", timeout=180)
    assert crawl.returncode == 1 and "robots.txt forbids this page" in crawl.stdout, crawl.stdout
    assert site.requests == []  # the page was never asked for (robots.txt is answered above)


def test_a_challenge_the_browser_cannot_pass_fails_its_source_in_one_line(sqlite_url, tmp_path):
    """The static 瑞数 page of ``set_blocked("412")``: its script never comes (404)."""
    site = vsb_site()
    site.set_blocked("412")
    with MockSiteServer(site) as server:
        config = write_config(tmp_path / "c.toml", sqlite_url, [server], render="challenge")
        text = config.read_text(encoding="utf-8").replace(
            "[crawl]\n", "[crawl]\nrender_timeout = 3\n"
        )
        config.write_text(text, encoding="utf-8")
        crawl = run_cli(config, "crawl", timeout=180)
    assert crawl.returncode == 1 and crawl.stderr.strip() == "", crawl.stdout + crawl.stderr
    assert (
        "did not pass the JS cookie challenge within [crawl] render_timeout (3 s)" in crawl.stdout
    )
    pages = [record for record in site.requests if record[1] == site.list_path]
    browser = [any(name.lower() == "sec-ch-ua" for name in record[2]) for record in pages]
    assert browser == [False, True], pages  # Scrapy's request, then one render
