"""EmpireCMS (帝国CMS): its profile, its mock site, and a crawl of it through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.demo import MockSiteServer
from monitor.demo.build import empire_site
from monitor.demo.site import MockSite
from monitor.demo.styles import EXTRA_STYLES, EmpireSite
from monitor.extract import extract_notice
from monitor.extract.container import find_container
from monitor.extract.dom import parse_html
from spiders import cms
from spiders.cms import empire
from spiders.encoding import decode_html
from spiders.links import discover_links
from spiders.pagination import next_page_url
from storage.models import CrawlRun, Event, Notice
from tests.support.cli import db_rows, run_cli, write_config

BASE = "http://127.0.0.1:8080"


@pytest.fixture
def site() -> MockSite:
    return empire_site()


def get(site: MockSite, path: str) -> tuple[str, str]:
    """A page as served: (decoded HTML, Content-Type header)."""
    status, headers, body = site.render("GET", path)
    assert status == 200, path
    html, _ = decode_html(body, headers["Content-Type"])
    return html, headers["Content-Type"]


def test_profile_and_style_are_registered(site):
    assert cms.profile("empire") is empire.PROFILE
    assert cms.PROFILES[-2:] == (empire.PROFILE, cms.GENERIC)
    assert EXTRA_STYLES["empire"] is EmpireSite and site.style == "empire"
    notice = site.notices[0]
    for path in (site.list_path, site.page_path(2), site.notice_path(notice)):
        assert cms.recognise(get(site, path)[0]) is empire.PROFILE, path


def test_static_utf8_pages_carry_no_charset_in_the_http_header(site):
    _, content_type = get(site, site.list_path)
    assert content_type == "text/html"
    _, _, body = site.render("GET", site.list_path)
    assert b'content="text/html; charset=utf-8"' in body and "通知公告".encode() in body


def test_list_links_are_found_with_full_titles_and_dates(site):
    html, _ = get(site, site.list_path)
    entries = discover_links(html, BASE + site.list_path)
    first_page = site.notices[: site.per_page]
    assert [e.url for e in entries] == [BASE + site.notice_path(n) for n in first_page]
    assert [e.title for e in entries] == [n.title for n in first_page]  # @title, not the cut text
    assert [e.date_text for e in entries] == [f"{n.published:%Y-%m-%d}" for n in first_page]


def test_paging_is_followed_to_the_last_page(site):
    url, seen, pages = BASE + site.list_path, [], 0
    while url:
        html, _ = get(site, url.removeprefix(BASE))
        seen += [e.url for e in discover_links(html, url)]
        pages += 1
        url = next_page_url(html, url)
    assert pages == site.page_count == 3
    assert seen == [BASE + site.notice_path(n) for n in site.notices]


def test_detail_pages_give_body_title_date_and_attachments(site):
    with_files = 0
    for notice in site.notices:
        path = site.notice_path(notice)
        status, headers, body = site.render("GET", path)
        html, _ = decode_html(body, headers["Content-Type"])
        box = find_container(parse_html(html))
        assert box is not None and box.tag == "td" and box.get("id") == "text"
        found = extract_notice(body, BASE + path, headers["Content-Type"])
        assert found.title == notice.title
        assert found.published == notice.published.date()
        assert found.text == "\n".join(notice.paragraphs)
        assert [a.name for a in found.attachments] == [name for name, _ in notice.attachments]
        with_files += bool(notice.attachments)
    assert with_files  # some notices carry files under /d/file/


def test_without_a_visible_date_the_url_gives_it():
    site = empire_site(show_date=False)
    notice = site.notices[0]
    _, headers, body = site.render("GET", site.notice_path(notice))
    found = extract_notice(body, BASE + site.notice_path(notice), headers["Content-Type"])
    assert found.published == notice.published.date()


def test_crawl_through_the_cli_stores_every_notice_then_alerts_a_new_one(
    sqlite_url: str, tmp_path: Path
):
    with MockSiteServer(empire_site()) as server:
        site = server.site
        config = write_config(tmp_path / "c.toml", sqlite_url, [server])

        first = run_cli(config, "crawl")
        assert first.returncode == 0, first.stderr
        notices = db_rows(sqlite_url, select(Notice))
        assert {(n.url, n.title, n.published) for n in notices} == {
            (server.url(site.notice_path(n)), n.title, n.published.date()) for n in site.notices
        }
        assert db_rows(sqlite_url, select(Event)) == []  # the baseline is silent
        assert [r.outcome for r in db_rows(sqlite_url, select(CrawlRun))] == ["ok"]

        added = site.add_notice(
            "关于做好2024年中小学暑期安全教育工作的通知",
            ["各县区教育局，市直各学校：", "暑假将至，现就做好暑期安全教育工作通知如下。"],
        )
        second = run_cli(config, "crawl")
        assert second.returncode == 0, second.stderr
        events = db_rows(sqlite_url, select(Event))
        assert [(e.kind, e.source_id) for e in events] == [("new", "demo-empire")]
        new = db_rows(sqlite_url, select(Notice).where(Notice.id == events[0].notice_id))
        assert new[0].title == added.title
