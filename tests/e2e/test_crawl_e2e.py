"""The one-off crawl end to end: real HTTP mock sites, the CLI in a child process, a real database."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, Event, Notice
from tests.support.cli import run_cli, write_config
from tests.support.hostile_site import StallingServer

FOUR = ("trs", "vsb", "discuz", "big5")


def stored(url: str) -> tuple[list[Notice], list[Event], list[CrawlRun]]:
    engine = create_engine(url)
    with Session(engine) as session:
        result = (
            session.scalars(select(Notice).order_by(Notice.id)).all(),
            session.scalars(select(Event).order_by(Event.id)).all(),
            session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all(),
        )
    engine.dispose()
    return result


def test_baseline_then_new_notice_then_nothing(sites, db_url, tmp_path):
    servers = [sites[s] for s in FOUR]
    config = write_config(tmp_path / "c.toml", db_url, servers)

    first = run_cli(config, "crawl")
    assert first.returncode == 0, first.stderr
    notices, events, runs = stored(db_url)
    expected = sum(len(s.site.notices) + len(s.site.extra_files) for s in servers)
    assert len(notices) == expected  # every page of every list, all pagination styles
    assert any(n.url.endswith(".pdf") for n in notices)  # a file linked from the list is a notice
    assert events == []  # the baseline is silent
    assert [r.outcome for r in runs] == ["ok"] * 4
    assert first.stdout.count("baseline") == 4

    trs = sites["trs"].site
    added = trs.add_notice(
        "关于做好2024年普通高校招生录取工作的通知",
        [
            "各县（市、区）教育局：",
            "现将2024年普通高校招生录取工作有关事项通知如下，请认真贯彻执行。",
        ],
    )
    second = run_cli(config, "crawl")
    assert second.returncode == 0, second.stderr
    notices, events, _ = stored(db_url)
    assert [(e.kind, e.source_id) for e in events] == [("new", "demo-trs")]
    new = next(n for n in notices if n.id == events[0].notice_id)
    assert new.title == added.title
    assert new.published == added.published.date()
    assert "✓ demo-trs 新乡市教育局: ok; " in second.stdout and "1 new" in second.stdout

    third = run_cli(config, "crawl")
    assert third.returncode == 0
    assert len(stored(db_url)[1]) == 1  # the same crawl again finds nothing new


def test_gbk_site_with_a_wrong_charset_header_decodes(sites, sqlite_url, tmp_path):
    trs = sites["trs"]
    trs.site.header_charset = "utf-8"  # the bytes are GBK; the header lies
    config = write_config(tmp_path / "c.toml", sqlite_url, [trs])
    assert run_cli(config, "crawl").returncode == 0
    notices, _, _ = stored(sqlite_url)
    titles = {n.title for n in notices if not n.url.endswith(".pdf")}
    assert titles == {n.title for n in trs.site.notices}


def test_pagination_stops_at_max_pages_and_when_pages_hold_nothing_unseen(
    sites, sqlite_url, tmp_path
):
    vsb = sites["vsb"]
    config = write_config(tmp_path / "c.toml", sqlite_url, [vsb], max_pages=2)
    run_cli(config, "crawl")
    notices, _, runs = stored(sqlite_url)
    assert runs[0].list_pages == 2
    assert len(notices) == 2 * vsb.site.per_page

    vsb.site.clear_requests()
    vsb.site.add_notice(
        "关于2024年暑假放假安排的通知", ["各学院、各部门：", "现将2024年暑假放假安排通知如下。"]
    )
    run_cli(config, "crawl")
    list_requests = [
        path for _, path, _, _ in vsb.site.requests if "tzgg" in path and "info" not in path
    ]
    assert len(list_requests) == 1  # page 1 held the only unseen notice: page 2 is not fetched


def test_a_broken_source_is_recorded_and_does_not_stop_the_others(sites, sqlite_url, tmp_path):
    servers = [sites["trs"], sites["vsb"], sites["discuz"]]
    sites["vsb"].site.set_list_status(503)
    sites["discuz"].site.set_blocked("412")
    config = write_config(tmp_path / "c.toml", sqlite_url, servers)
    config.write_text(
        config.read_text(encoding="utf-8")
        + '[[sources]]\nid = "unreachable"\nurl = "http://127.0.0.1:9/tzgg/index.html"\n',
        encoding="utf-8",
    )
    result = run_cli(config, "crawl")
    assert result.returncode == 0, result.stderr  # not every source failed
    lines = sorted(result.stdout.strip().splitlines(), key=lambda line: line[2:])  # as they end
    assert len(lines) == 4, lines
    assert lines[0].startswith("✗ demo-discuz") and "blocked" in lines[0]
    assert lines[1].startswith("✓ demo-trs")
    assert lines[2].startswith("✗ demo-vsb") and "http_error" in lines[2] and "HTTP 503" in lines[2]
    assert lines[3].startswith("✗ unreachable") and "network_error" in lines[3]
    notices, _, runs = stored(sqlite_url)
    assert {n.source_id for n in notices} == {"demo-trs"}
    assert {r.source_id: r.outcome for r in runs} == {
        "demo-trs": "ok",
        "demo-vsb": "http_error",
        "demo-discuz": "blocked",
        "unreachable": "network_error",
    }
    assert all(r.error for r in runs if r.outcome != "ok")

    sites["trs"].site.set_list_status(404)
    again = run_cli(config, "crawl")
    assert again.returncode == 1  # every source failed


def test_zero_links_is_layout_drift(sites, sqlite_url, tmp_path):
    config = write_config(
        tmp_path / "c.toml", sqlite_url, [sites["trs"]], link_selector=".no-such-list a"
    )
    result = run_cli(config, "crawl")
    assert result.returncode == 1
    assert "layout_drift" in result.stdout and "no notice links" in result.stdout


def test_bad_config_exits_2_with_one_line(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[[sources]]\nid = "a"\nurl = "jyj.example.gov.cn/tzgg/"\n', encoding="utf-8")
    result = run_cli(config, "crawl")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"noticewatch: config error: {config}:3: sources[0].url: must be an http(s) URL"
    ]


def test_notices_list_and_show(sites, sqlite_url, tmp_path):
    config = write_config(tmp_path / "c.toml", sqlite_url, [sites["big5"]])
    run_cli(config, "crawl")
    listed = run_cli(config, "notices", "list", "--json", "--source", "demo-big5")
    rows = json.loads(listed.stdout)  # one JSON array (the --json convention)
    assert len(rows) == len(sites["big5"].site.notices)
    published = [r["published"] for r in rows]
    assert published == sorted(published, reverse=True)
    shown = run_cli(config, "notices", "show", str(rows[0]["id"]), "--json")
    data = json.loads(shown.stdout)
    assert data["title"] == rows[0]["title"] and data["text"]
    assert data["versions"][0]["number"] == 1
    since = run_cli(config, "notices", "list", "--json", "--since", "2024-01-01")
    assert all(row["published"] >= "2024-01-01" for row in json.loads(since.stdout))


def test_count_of_stored_runs_matches_sources(sites, sqlite_url, tmp_path):
    config = write_config(tmp_path / "c.toml", sqlite_url, [sites["dede"], sites["hanweb"]])
    result = run_cli(config, "crawl")
    assert result.returncode == 0, result.stderr
    engine = create_engine(sqlite_url)
    with Session(engine) as session:
        per_source = dict(
            session.execute(select(Notice.source_id, func.count()).group_by(Notice.source_id)).all()
        )
    assert per_source == {
        "demo-dede": len(sites["dede"].site.notices),
        "demo-hanweb": len(sites["hanweb"].site.notices),
    }


def test_non_html_list_and_a_timeout_are_recorded_with_reasons(sites, sqlite_url, tmp_path):
    trs = sites["trs"]
    pdf_url = trs.url("/col/tzgg/202311/" + next(iter(trs.site.extra_files)))
    config = tmp_path / "c.toml"
    with StallingServer() as silent:
        config.write_text(
            f'[storage]\nurl = "{sqlite_url}"\n[crawl]\ntimeout = 1\nretries = 0\ndownload_delay = 0\nobey_robots = false\n'
            f'[[sources]]\nid = "pdf"\nurl = "{pdf_url}"\n'
            f'[[sources]]\nid = "silent"\nurl = "{silent.url("/tzgg/")}"\n',
            encoding="utf-8",
        )
        result = run_cli(config, "crawl")
    assert result.returncode == 1
    lines = sorted(result.stdout.splitlines(), key=lambda line: line[2:])  # as they end
    assert lines[0].startswith("✗ pdf") and "not an HTML page (application/pdf)" in lines[0], lines
    assert lines[1].startswith("✗ silent") and "network_error" in lines[1], lines
    assert "no answer within [crawl] timeout" in lines[1], lines


def test_5xx_is_retried_with_exponential_backoff(sites, sqlite_url, tmp_path):
    vsb = sites["vsb"]
    vsb.site.set_list_status(503)
    config = tmp_path / "c.toml"
    config.write_text(
        f'[storage]\nurl = "{sqlite_url}"\n[crawl]\ndownload_delay = 0\nretries = 2\nretry_backoff = 0.4\n'
        f'[[sources]]\nid = "vsb"\nurl = "{vsb.list_url}"\n',
        encoding="utf-8",
    )
    result = run_cli(config, "crawl")
    assert result.returncode == 1 and "HTTP 503" in result.stdout
    list_requests = [path for _, path, _, _ in vsb.site.requests if path == "/tzgg.htm"]
    assert len(list_requests) == 3  # the first try and two retries
    _, _, runs = stored(sqlite_url)
    waited = (runs[0].finished_at - runs[0].started_at).total_seconds()
    assert waited >= 0.4 + 0.8  # paused 0.4 s, then 0.8 s
