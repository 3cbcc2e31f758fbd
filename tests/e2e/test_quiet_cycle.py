"""What a quiet crawl asks a site: its list, robots.txt once per lifetime, and re-checks of
recent notices on a backoff (an edit or a retitled list row starts it over)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from monitor.demo import MockSiteServer
from monitor.demo.model import beijing_now
from storage.models import Event, Notice
from tests.support.cli import db_rows, run_cli, write_config

FRESH_TITLE = "关于做好2025年寒假安全教育工作的通知"
FRESH_BODY = ["各区县教育局：", "现就寒假安全教育工作通知如下。请于11月30日前报送。"]


def crawl(config: Path, server: MockSiteServer) -> list[str]:
    """One crawl; the paths the site was asked for."""
    server.site.clear_requests()
    result = run_cli(config, "crawl")
    assert result.returncode == 0, result.stdout + result.stderr
    return [path for _method, path, _headers, _status in server.site.requests]


def test_robots_txt_is_asked_once_and_a_quiet_crawl_reads_the_list_only(
    sites, sqlite_url, tmp_path
):
    server = sites["trs"]
    site = server.site
    config = write_config(tmp_path / "c.toml", sqlite_url, [server], max_pages=2)
    assert crawl(config, server).count("/robots.txt") == 1
    notice = site.add_notice(FRESH_TITLE, FRESH_BODY, published=beijing_now())
    new = crawl(config, server)
    assert "/robots.txt" not in new and site.detail_path(notice.id) in new, new
    assert site.detail_path(notice.id) in crawl(config, server)  # just stored: checked once
    assert crawl(config, server) == [site.list_path]  # found unchanged: waits revisit_first


def test_with_no_lifetime_robots_txt_is_asked_every_crawl(sites, sqlite_url, tmp_path):
    server = sites["trs"]
    config = write_config(tmp_path / "c.toml", sqlite_url, [server], max_pages=2)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[crawl]\n", "[crawl]\nrobots_lifetime = 0\n"), encoding="utf-8")
    assert crawl(config, server).count("/robots.txt") == 1
    assert crawl(config, server).count("/robots.txt") == 1


def test_a_retitled_list_row_brings_its_notice_back_for_a_check(sites, sqlite_url, tmp_path):
    server = sites["trs"]
    site = server.site
    config = write_config(tmp_path / "c.toml", sqlite_url, [server], max_pages=2)
    crawl(config, server)
    notice = site.add_notice(FRESH_TITLE, FRESH_BODY, published=beijing_now())
    crawl(config, server)  # new
    crawl(config, server)  # re-checked once, unchanged: waits from now on
    site.edit_notice(notice.id, paragraphs=[p.replace("11月30日", "12月5日") for p in FRESH_BODY])
    assert site.detail_path(notice.id) not in crawl(config, server)  # a body edit waits its turn
    site.edit_notice(notice.id, title=FRESH_TITLE + "（更正）")
    assert crawl(config, server) == [server.site.list_path]  # the list shows the new title
    asked = crawl(config, server)
    assert site.detail_path(notice.id) in asked, asked
    url = server.base_url + site.detail_path(notice.id)
    kinds = db_rows(sqlite_url, select(Event.kind).join(Notice).where(Notice.url == url))
    assert kinds == ["new", "changed"]
