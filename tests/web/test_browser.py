"""The web UI in a real browser: list, filter, page, search in both scripts, open a notice,
read a diff after a change crawl, follow a repost and the feed link; page text that
carries markup shows as text. A screenshot of each page lands in test-artifacts/web/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time
from urllib.parse import quote
from zoneinfo import ZoneInfo

import feedparser
import pytest

from tests.web.browser import chromium, screenshot
from tests.web.conftest import (
    EXAM_TITLE,
    HOSTILE_TITLE,
    TRADITIONAL_TITLE,
    World,
    now_beijing,
)

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def page(world: World) -> Iterator:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="zh-CN")
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        yield tab
        context.close()


def titles(page) -> list[str]:
    return [t.strip() for t in page.locator("li.notice a.title").all_inner_texts()]


def ids(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("li.notice a.title").all()]


def test_list_newest_first_with_badges_and_zone(world: World, page) -> None:
    page.goto(world.url)
    screenshot(page, "list")
    shown = titles(page)
    assert len(shown) >= 10
    assert {EXAM_TITLE, TRADITIONAL_TITLE, HOSTILE_TITLE} <= set(shown[:3])
    days = page.locator("li.notice .meta time").all_inner_texts()
    assert days == sorted(days, reverse=True)
    first = page.locator("li.notice").first
    assert first.locator(".badge-new").inner_text() == "新"
    assert page.locator("li.notice .badge-new").count() == 3  # the baseline was silent
    assert "Asia/Shanghai" in page.locator("footer").inner_text()


def test_injected_markup_shows_as_text(world: World, page) -> None:
    page.goto(world.url)
    assert HOSTILE_TITLE in titles(page)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img").count() == 0
    page.locator("li.notice a.title", has_text="window.__pwned=1").click()
    page.wait_for_url(re.compile(r"/notices/\d+$"))
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img").count() == 0
    screenshot(page, "notice-hostile-title")


def test_filters_and_paging(world: World, page) -> None:
    big5 = world.sites["big5"]
    page.goto(world.url)
    page.select_option("select[name=source]", big5.source_id)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"source="))
    sources = set(page.locator("li.notice .meta a.source").all_inner_texts())
    assert sources == {big5.name}
    screenshot(page, "list-by-source")

    page.goto(world.url)
    page.select_option("select[name=tag]", "繁体")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"tag="))
    assert set(page.locator("li.notice .meta a.source").all_inner_texts()) == {big5.name}

    today = now_beijing().date().isoformat()
    page.goto(world.url)
    page.fill("input[name=since]", today)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"since="))
    assert set(titles(page)) == {EXAM_TITLE, TRADITIONAL_TITLE, HOSTILE_TITLE}

    page.goto(world.url)
    page.select_option("select[name=events]", "new")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"events=new"))
    assert set(titles(page)) == {EXAM_TITLE, TRADITIONAL_TITLE, HOSTILE_TITLE}

    page.goto(world.url + "?size=5")
    first_page = ids(page)
    assert len(first_page) == 5
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    second_page = ids(page)
    assert len(second_page) == 5 and not set(first_page) & set(second_page)
    page.click("a[rel=prev]")
    page.wait_for_url(re.compile(r"page=1"))
    assert ids(page) == first_page


def test_search_in_both_scripts_with_highlights(world: World, page) -> None:
    found = {}
    for query in ("招生考试", "招生考試"):
        page.goto(world.url)
        page.fill("input[name=q]", query)
        page.press("input[name=q]", "Enter")
        page.wait_for_url(re.compile(r"q="))
        found[query] = ids(page)
        assert {EXAM_TITLE, TRADITIONAL_TITLE} <= set(titles(page)), query
        marks = set(page.locator("li.notice mark").all_inner_texts())
        assert {"招生考试", "招生考試"} <= marks, marks  # each notice in its own script
    screenshot(page, "search")
    assert found["招生考试"] == found["招生考試"]
    page.goto(world.url + "?q=" + quote("報名"))  # two characters: matched without the index
    assert EXAM_TITLE in titles(page)
    page.goto(world.url + "?q=" + quote("没有这样的通知内容"))
    assert titles(page) == []


def test_diff_after_a_change_crawl(world: World, page) -> None:
    assert world.exam is not None
    trs = world.sites["trs"]
    edited = [p.replace("11月1日", "11月5日") for p in world.exam.paragraphs]
    trs.edit_notice(world.exam.id, paragraphs=edited)
    world.crawl()  # while the web UI keeps serving
    page.goto(world.url + "?events=changed")
    assert titles(page) == [EXAM_TITLE]
    assert page.locator("li.notice .badge-changed").count() == 1
    page.click("li.notice a.title")
    page.wait_for_url(re.compile(r"/notices/\d+$"))
    diff = page.locator("section.diff")
    assert "第 1 版 → 第 2 版" in diff.locator("h3").inner_text()
    assert "1" in diff.locator("td.old del").all_inner_texts()
    assert "5" in diff.locator("td.new ins").all_inner_texts()
    original = page.locator("a.original-page").get_attribute("href")
    assert original is not None and original.startswith(origin_of(world, "trs"))
    assert page.locator("ul.attachments a", has_text="报名须知.pdf").count() == 1
    screenshot(page, "notice-diff")


def origin_of(world: World, style: str) -> str:
    """``http://127.0.0.1:PORT/`` of a mock site, from the API's source list."""
    source_id = world.sites[style].source_id
    url = next(s["url"] for s in world.api("/api/sources") if s["id"] == source_id)
    return "/".join(url.split("/")[:3]) + "/"


def test_repost_link_leads_to_the_other_copy(world: World, page) -> None:
    notices = world.api("/api/notices?size=100")["notices"]
    first = next(n for n in notices if n["also_published_at"])
    page.goto(world.url + "?q=" + quote(first["title"][:30]))
    row = page.locator("li.notice", has=page.locator("a.repost")).first
    row.locator("a.repost").first.click()
    copy_id = first["also_published_at"][0]["id"]
    page.wait_for_url(re.compile(rf"/notices/{copy_id}$"))
    assert page.locator("h1").inner_text() == first["title"]
    screenshot(page, "notice-repost")
    page.click("a.original")
    page.wait_for_url(re.compile(rf"/notices/{first['id']}$"))
    assert page.locator("a.repost").count() == 1


def test_feed_link_gives_a_valid_atom_feed(world: World, page) -> None:
    page.goto(world.url + "?q=" + quote("招生考试"))
    alternate = page.locator('link[rel=alternate][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == "/feed.atom?q=" + quote("招生考试")
    with page.expect_response(re.compile(r"/feed\.atom")) as answer:
        page.click("header a.feed")
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    entries = {e.title: e for e in feed.entries}
    assert {EXAM_TITLE, TRADITIONAL_TITLE, HOSTILE_TITLE} <= set(entries)
    exam = entries[EXAM_TITLE]
    assert exam.author == world.sites["trs"].name
    assert [e.href.endswith(".pdf") for e in exam.enclosures] == [True]
    published = datetime(*exam.published_parsed[:6], tzinfo=UTC).astimezone(BEIJING)
    assert published == datetime.combine(now_beijing().date(), time.min, BEIJING)  # its day, there
    for path in ("/sources", "/deliveries", exam.links[1].href.split("/", 3)[3]):
        page.goto(world.url + path.lstrip("/"))
        assert page.locator('link[rel=alternate][type="application/atom+xml"]').count() == 1


def test_sources_and_outbox_pages(world: World, page) -> None:
    page.goto(world.url + "sources")
    rows = page.locator("table.sources tbody tr")
    assert rows.count() == 3
    page.click("table.sources th a:text('通知数')")
    page.wait_for_url(re.compile(r"sort=notices"))
    counts = [
        int(c) for c in page.locator("table.sources tbody tr td:nth-child(6)").all_inner_texts()
    ]
    assert counts == sorted(counts)
    screenshot(page, "sources")
    page.click(f"a[href='/sources/{world.sites['trs'].source_id}']")
    runs = page.locator("table.runs tbody tr")
    assert runs.count() >= 2
    assert "正常" in runs.first.inner_text()
    screenshot(page, "source")
    page.goto(world.url + "deliveries")
    html = page.content()
    assert page.locator("table.deliveries tbody tr td.target").count() >= 3
    assert "s3cretTOKEN" not in html and "json://127.0.0.1" in html
    screenshot(page, "deliveries")


def test_pages_fit_a_phone_screen(world: World, page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for path, name in [("", "phone-list"), ("?q=" + quote("招生考试"), "phone-search")]:
            page.goto(world.url + path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
            screenshot(page, name)
        for title, name in [
            (HOSTILE_TITLE, "phone-notice-long-title"),
            (EXAM_TITLE, "phone-notice"),
        ]:
            page.goto(world.url + "?q=" + quote("招生考试"))
            page.locator("li.notice a.title", has_text=title[-12:]).click()
            page.wait_for_url(re.compile(r"/notices/\d+$"))
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
            screenshot(page, name)
    finally:
        page.set_viewport_size({"width": 1000, "height": 900})
