"""Pages built to hurt: thousands of links, megabytes on one line, a page read in the wrong
charset, a page too heavy to extract. Each crawl ends, stores what is sound, records what
is not, and alerts nothing false. The site is ``tests/support/hostile_site``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import CrawlRun, Notice, NoticeVersion
from tests.support.cli import db_rows, run_cli, toml_value, write_config
from tests.support.daemon import posted, subscription
from tests.support.hostile_site import hostile_sites, list_html, notice_html

ONE_LINE_CHARS = 3_500_000  # 10.5 MB in UTF-8: past libxml2's 10,000,000-byte text node limit


@pytest.fixture
def hostile():
    with hostile_sites(1) as (server,):
        yield server


def crawl(tmp_path, url, server, extra: str = "", **crawl_settings) -> str:
    config = write_config(tmp_path / "c.toml", url, [server], extra=extra)
    if crawl_settings:
        settings = "".join(
            f"{key} = {toml_value(value)}\n" for key, value in crawl_settings.items()
        )
        text = config.read_text(encoding="utf-8").replace("[crawl]\n", f"[crawl]\n{settings}", 1)
        config.write_text(text, encoding="utf-8")
    done = run_cli(config, "crawl", "--alert-wait", "10", timeout=300)
    return done.stdout + done.stderr


def last_run(url: str) -> CrawlRun:
    return db_rows(url, select(CrawlRun).order_by(CrawlRun.id.desc()))[0]


def test_ten_thousand_links_and_a_10_mb_line_are_read_whole(hostile, sqlite_url, tmp_path):
    site = hostile.site
    rows = site.notices(2)
    tags = "".join(f'<a href="/page/{n}.html">{n}</a> ' for n in range(10_000))  # a pager
    title = "关于公布全市中小学学籍信息核查结果的通知"
    site.page("/long.html", notice_html(title, f"<p>{'核查结果' * (ONE_LINE_CHARS // 4)}</p>"))
    site.page("/list.html", list_html([("/long.html", title), *rows], tail=f"<div>{tags}</div>"))
    output = crawl(
        tmp_path,
        sqlite_url,
        hostile,
        max_response_bytes=16 * 1024 * 1024,
        extract_budget="10m",
    )
    run = last_run(sqlite_url)
    assert run.outcome == "ok", f"{run.outcome}: {run.error}; {output[-2000:]}"
    assert not any("/page/" in path for _, path in site.requests), "pager links taken for notices"
    [long_notice] = db_rows(
        sqlite_url, select(Notice).where(Notice.url == hostile.url("/long.html"))
    )
    [version] = db_rows(
        sqlite_url, select(NoticeVersion).where(NoticeVersion.notice_id == long_notice.id)
    )
    assert long_notice.title == title and len(version.text) >= ONE_LINE_CHARS, len(version.text)


def test_a_notice_read_in_the_wrong_charset_is_suspect_and_the_good_version_kept(
    hostile, sqlite_url, tmp_path, webhook
):
    site = hostile.site
    rows = site.notices(2)
    site.page("/list.html", list_html(rows))
    alerts = subscription("o", [webhook.url], ["new", "changed"])
    crawl(tmp_path, sqlite_url, hostile, alerts)  # the baseline
    path, title = rows[0]
    good = site.answers[path][2]
    # the same bytes, now labelled Latin-1 (an old server default): valid, and all wrong
    relabelled = good.replace(b'charset="utf-8"', b'charset="iso-8859-1"')
    site.page(path, relabelled, content_type="text/html; charset=iso-8859-1")
    crawl(tmp_path, sqlite_url, hostile, alerts)
    assert posted(webhook) == [], posted(webhook)
    [notice] = db_rows(sqlite_url, select(Notice).where(Notice.url == hostile.url(path)))
    versions = db_rows(
        sqlite_url, select(NoticeVersion).where(NoticeVersion.notice_id == notice.id)
    )
    assert len(versions) == 1 and notice.title == title, [v.title for v in versions]
    problems = [p["message"] for p in last_run(sqlite_url).problems]
    assert any("garbled" in message for message in problems), problems


def test_a_page_over_its_extraction_budget_is_a_problem_not_a_stall(hostile, sqlite_url, tmp_path):
    site = hostile.site
    title = "关于一个极其沉重的页面的通知公告"
    site.page("/heavy.html", notice_html(title, "<p>很长的段落</p>" * 100_000))
    site.page("/list.html", list_html([("/heavy.html", title)]))
    output = crawl(tmp_path, sqlite_url, hostile, extract_budget="0.001s")
    assert db_rows(sqlite_url, select(Notice.url)) == [], "the page over its budget was stored"
    problems = [p["message"] for p in last_run(sqlite_url).problems]
    assert any("took over 0.001 s to extract" in m for m in problems), f"{problems}; {output}"
