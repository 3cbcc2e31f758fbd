"""Home-page sources end to end: a bureau portal on 127.0.0.1, the CLI in a child process.

The source names only the portal's home page; its notice column is found on the page
(nav link, tab strip, or a 更多 beside a homepage block), crawled as a list, and kept
until it stops working.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from monitor.demo import MockSiteServer
from monitor.demo.build import portal_site
from storage.models import Event, Notice
from storage.models import Source as SourceRow
from tests.support.cli import run_cli, write_config
from tests.support.hostile_site import HostileSite

NEW_TITLE = "关于做好2024年义务教育阶段学校招生入学工作的通知"
NEW_BODY = ["各区县教育和体育局：", "现将2024年义务教育阶段学校招生入学工作有关事项通知如下。"]


@pytest.fixture(params=["nav", "tabs", "block"])
def portal(request: pytest.FixtureRequest) -> Iterator[MockSiteServer]:
    with MockSiteServer(portal_site(request.param)) as server:
        yield server


def stored(url: str) -> tuple[list[Notice], list[Event], SourceRow | None]:
    engine = create_engine(url)
    with Session(engine) as session:
        result = (
            list(session.scalars(select(Notice).order_by(Notice.id))),
            list(session.scalars(select(Event).where(Event.kind == "new").order_by(Event.id))),
            session.scalars(select(SourceRow)).first(),
        )
    engine.dispose()
    return result


def home_requests(server: MockSiteServer) -> int:
    return sum(1 for _, path, _, _ in server.site.requests if path == "/")


def test_each_layout_baseline_new_notice_alerted_and_nothing_twice(
    portal, sqlite_url, tmp_path, webhook
):
    notices_column = portal.site.column_named("通知公告")
    extra = f'[[subscriptions]]\nname = "office"\nnotify = ["{webhook.url}"]\n'
    config = write_config(tmp_path / "c.toml", sqlite_url, [portal], extra=extra)

    first = run_cli(config, "crawl")
    assert first.returncode == 0, first.stderr + first.stdout
    notices, events, row = stored(sqlite_url)
    # both list pages of the best-ranked column (8 notices, 5 a page): pagination followed
    assert {n.url for n in notices} == {
        portal.url(notices_column.notice_path(n)) for n in notices_column.notices
    }
    assert events == [] and webhook.posts == []  # the baseline is silent
    assert row is not None and row.found_lists is not None
    assert [entry["label"] for entry in row.found_lists["lists"]] == ["通知公告"]

    portal.site.clear_requests()
    added = notices_column.add_notice(NEW_TITLE, NEW_BODY)
    second = run_cli(config, "crawl")
    assert second.returncode == 0, second.stderr
    notices, events, _ = stored(sqlite_url)
    assert [n.title for n in notices if n.id == events[0].notice_id] == [added.title]
    assert len(events) == 1
    (post,) = webhook.wait_for(1)
    assert NEW_TITLE in post.body["title"]
    assert home_requests(portal) == 0  # the found list is crawled directly

    third = run_cli(config, "crawl")
    assert third.returncode == 0
    assert len(stored(sqlite_url)[1]) == 1 and len(webhook.posts) == 1  # never twice


def test_columns_picks_a_column_that_is_not_the_default(db_url, tmp_path):
    with MockSiteServer(portal_site("block")) as server:
        exams = server.site.column_named("招生考试")
        config = write_config(tmp_path / "c.toml", db_url, [server], columns=["招生考試"])
        result = run_cli(config, "crawl")
        assert result.returncode == 0, result.stderr
        notices, _, row = stored(db_url)
        assert {n.url for n in notices} == {server.url(exams.notice_path(n)) for n in exams.notices}
        assert row is not None and row.found_lists["columns"] == ["招生考試"]


def test_a_moved_list_is_found_again_and_no_notice_is_lost_or_alerted_twice(sqlite_url, tmp_path):
    with MockSiteServer(portal_site("nav")) as server:
        column = server.site.column_named("通知公告")
        config = write_config(tmp_path / "c.toml", sqlite_url, [server])
        assert run_cli(config, "crawl").returncode == 0
        baseline = len(stored(sqlite_url)[0])

        column.move("/zwgk/tzgg/")  # the old list answers 404; the home page links the new one
        added = column.add_notice(NEW_TITLE, NEW_BODY)
        server.site.clear_requests()
        moved = run_cli(config, "crawl")
        assert moved.returncode == 0, moved.stderr
        notices, events, row = stored(sqlite_url)
        assert len(notices) == baseline + 1
        assert [e.notice_id for e in events] == [n.id for n in notices if n.title == added.title]
        assert row is not None
        assert [e["url"] for e in row.found_lists["lists"]] == [server.url("/zwgk/tzgg/")]
        assert home_requests(server) == 1
        assert "✓" in moved.stdout and "1 new" in moved.stdout

        server.site.clear_requests()
        assert run_cli(config, "crawl").returncode == 0
        assert len(stored(sqlite_url)[1]) == 1  # nothing alerted twice
        assert home_requests(server) == 0


def test_sources_discover_prints_the_columns_and_a_source_block(tmp_path):
    with MockSiteServer(portal_site("tabs")) as server:
        home = server.url("/")
        text = run_cli(None, "sources", "discover", home)
        assert text.returncode == 0, text.stderr
        notices_list = server.url("/col/col3401/index.html")
        assert "通知公告" in text.stdout and notices_list in text.stdout
        assert "招生考试" in text.stdout
        first_title = server.site.column_named("通知公告").notices[0].title
        assert first_title in text.stdout
        assert "[[sources]]" in text.stdout and f'url = "{home}"' in text.stdout

        as_json = run_cli(None, "sources", "discover", home, "--json")
        assert as_json.returncode == 0, as_json.stderr
        found = json.loads(as_json.stdout)
        assert found["url"] == home and found["mode"] == "homepage"
        best, exams = found["columns"]
        assert (best["label"], best["url"], best["default"]) == ("通知公告", notices_list, True)
        assert best["notices"] == 5 and len(best["titles"]) == 3
        assert exams["label"] == "招生考试" and exams["default"] is False
        assert "[[sources]]" in found["source_toml"]

        check = run_cli(None, "sources", "check", home)
        assert check.returncode == 0, check.stderr
        assert "mode: homepage" in check.stdout and notices_list in check.stdout


SCRIPT_LIST = """<html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="NewsList"><ul><script>
var rows = [["./202311/t20231110_81234567.html", "关于做好秋季学期中小学安全工作的通知", "2023-11-10"]];
for (var i = 0; i < rows.length; i++) { document.write('<li><a href="' + rows[i][0] + '">' + rows[i][1] + '</a><span>' + rows[i][2] + '</span></li>'); }
</script></ul></div></body></html>"""


def test_a_script_built_list_says_what_to_set_in_check_and_in_the_drift_error(sqlite_url, tmp_path):
    site = HostileSite(source_id="hunan-like", list_path="/jyt/tzgg/index.html")
    site.page(site.list_path, SCRIPT_LIST)
    with MockSiteServer(site) as server:  # type: ignore[arg-type]  # the MockSiteServer protocol
        hint = 'the list is written by document.write: set render = "browser"'
        check = run_cli(None, "sources", "check", server.list_url)
        assert check.returncode == 1
        assert "mode: html" in check.stdout and hint in check.stdout

        config = write_config(tmp_path / "c.toml", sqlite_url, [server])  # type: ignore[list-item]
        crawl = run_cli(config, "crawl")
        assert "layout_drift" in crawl.stdout and hint in crawl.stdout, crawl.stdout
