"""Change detection across crawls of the mock sites: each scenario asserts the exact events."""

from __future__ import annotations

from datetime import datetime, timedelta

import opencc
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, Event, Notice
from tests.support.cli import run_cli, write_config

FRESH_TITLE = "关于开展2024年中小学校园安全隐患排查工作的通知"
FRESH_BODY = [
    "各县（市、区）教育局，市直各学校：",
    "为切实做好校园安全工作，防范各类安全事故发生，决定在全市中小学开展校园安全隐患排查工作。",
    "一、排查范围。全市各级各类中小学校、幼儿园，重点排查校舍、消防、食品、交通等方面的安全隐患。",
    "二、工作要求。各单位要高度重视，明确责任，建立台账，对排查发现的问题限期整改到位。",
    "请于11月30日前将排查情况报市教育局安全科。",
]


def now_beijing() -> datetime:
    return datetime.utcnow() + timedelta(hours=8) - timedelta(hours=1)


class Crawls:
    """Crawl a set of mock sites repeatedly and read back the events each crawl made."""

    def __init__(self, config, url: str) -> None:
        self.config, self.url = config, url
        self.seen = 0

    def crawl(self) -> list[tuple[str, str]]:
        result = run_cli(self.config, "crawl")
        assert result.returncode == 0, result.stdout + result.stderr
        engine = create_engine(self.url)
        with Session(engine) as session:
            events = session.scalars(
                select(Event).where(Event.id > self.seen).order_by(Event.id)
            ).all()
            if events:
                self.seen = events[-1].id
            titles = {n.id: n.title for n in session.scalars(select(Notice))}
        engine.dispose()
        self.last = events
        return [(e.kind, titles.get(e.notice_id, e.source_id)) for e in events]

    def session(self) -> Session:
        return Session(create_engine(self.url))


@pytest.fixture
def trs_crawls(sites, db_url, tmp_path):
    config = write_config(tmp_path / "c.toml", db_url, [sites["trs"]], max_pages=3)
    crawls = Crawls(config, db_url)
    assert crawls.crawl() == []  # baseline
    return sites["trs"].site, crawls


def test_edited_body_is_changed_with_a_summary(trs_crawls):
    site, crawls = trs_crawls
    notice = site.add_notice(FRESH_TITLE, FRESH_BODY, published=now_beijing())
    assert crawls.crawl() == [("new", FRESH_TITLE)]
    site.edit_notice(notice.id, paragraphs=[p.replace("11月30日", "12月5日") for p in FRESH_BODY])
    assert crawls.crawl() == [("changed", FRESH_TITLE)]
    summary = crawls.last[0].details["summary"]
    assert summary and "11月30日" in summary[0]["removed"] and "12月5日" in summary[0]["added"]
    assert crawls.crawl() == []


def test_added_attachment_is_a_change(trs_crawls):
    site, crawls = trs_crawls
    notice = site.add_notice(FRESH_TITLE, FRESH_BODY, published=now_beijing())
    assert crawls.crawl() == [("new", FRESH_TITLE)]
    site.edit_notice(notice.id, attachments=[("隐患排查表.xls", "P020241120000000000001.xls")])
    assert crawls.crawl() == [("changed", FRESH_TITLE)]
    added = crawls.last[0].details["attachments_added"]
    assert len(added) == 1 and added[0]["name"].endswith("隐患排查表.xls")


def test_read_counters_and_recheck_make_no_event(sites, db_url, tmp_path):
    big5 = sites["big5"].site  # its pages carry a read counter that grows on every request
    config = write_config(tmp_path / "c.toml", db_url, [sites["big5"]])
    crawls = Crawls(config, db_url)
    crawls.crawl()
    title = opencc.OpenCC("s2t").convert(FRESH_TITLE)
    big5.add_notice(
        title, [opencc.OpenCC("s2t").convert(p) for p in FRESH_BODY], published=now_beijing()
    )
    assert crawls.crawl() == [("new", title)]
    big5.clear_requests()
    assert crawls.crawl() == []
    assert any("xwsd" in path for _, path, _, _ in big5.requests)  # the notice was re-checked


def test_truncated_fetch_is_a_problem_not_a_change(trs_crawls):
    site, crawls = trs_crawls
    notice = site.add_notice(FRESH_TITLE, FRESH_BODY, published=now_beijing())
    assert crawls.crawl() == [("new", FRESH_TITLE)]
    site.truncate_detail(notice.id)
    assert crawls.crawl() == []
    with crawls.session() as session:
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
    assert [p["kind"] for p in run.problems] == ["suspect"]
    site.truncate_detail(notice.id, False)
    assert crawls.crawl() == []  # retried next time, still unchanged


def test_removed_notice_is_withdrawn_after_two_checks(trs_crawls):
    site, crawls = trs_crawls
    notice = site.add_notice(FRESH_TITLE, FRESH_BODY, published=now_beijing())
    assert crawls.crawl() == [("new", FRESH_TITLE)]
    site.remove_notice(notice.id)
    assert crawls.crawl() == []
    assert crawls.crawl() == [("withdrawn", FRESH_TITLE)]
    assert crawls.crawl() == []


def test_list_reorder_and_pinned_old_item_make_no_event(trs_crawls):
    site, crawls = trs_crawls
    oldest = site.notices[-1]
    site.pin(oldest.id)
    assert crawls.crawl() == []
    site.pin(oldest.id, False)
    assert crawls.crawl() == []


def test_repost_in_traditional_script_on_another_site_is_linked_not_new(sites, db_url, tmp_path):
    trs, big5 = sites["trs"], sites["big5"]
    config = write_config(tmp_path / "c.toml", db_url, [trs, big5])
    crawls = Crawls(config, db_url)
    crawls.crawl()
    original = trs.site.add_notice(FRESH_TITLE, FRESH_BODY, published=now_beijing())
    assert crawls.crawl() == [("new", FRESH_TITLE)]
    convert = opencc.OpenCC("s2t").convert
    big5.site.add_notice(
        convert(FRESH_TITLE), [convert(p) for p in FRESH_BODY], published=now_beijing()
    )
    assert crawls.crawl() == [("duplicate", convert(FRESH_TITLE))]
    with crawls.session() as session:
        copy = session.scalars(
            select(Notice).where(Notice.source_id == "demo-big5").order_by(Notice.id.desc())
        ).first()
        first = session.get(Notice, copy.duplicate_of_id)
    assert first.title == original.title and first.source_id == "demo-trs"


def test_notices_show_lists_versions_and_diff_shows_the_change(trs_crawls):
    site, crawls = trs_crawls
    notice = site.add_notice(FRESH_TITLE, FRESH_BODY, published=now_beijing())
    crawls.crawl()
    site.edit_notice(notice.id, paragraphs=[*FRESH_BODY, "联系人：王老师，电话：0373-1234567。"])
    crawls.crawl()
    notice_id = crawls.last[0].notice_id
    shown = run_cli(crawls.config, "notices", "show", str(notice_id))
    assert "versions: #1" in shown.stdout and "#2" in shown.stdout
    diff = run_cli(crawls.config, "notices", "diff", str(notice_id))
    assert diff.returncode == 0
    assert "+联系人：王老师，电话：0373-1234567。" in diff.stdout
