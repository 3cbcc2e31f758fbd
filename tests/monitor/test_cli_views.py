"""The views (`status`, `sources list`, `notices list`, `deliveries list`) at 80 columns, and
the one JSON convention of every ``--json`` (``monitor/commands/views.py``)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.cells import cell_len
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from monitor.daemon.lease import LEASE_NAME
from monitor.demo import MockSiteServer, build_all_sites, start_sites, stop_all
from storage.models import CrawlRun, Notice, ScheduledJob, SchedulerLock
from tests.support.cli import db_rows, run_cli

ZONE = "America/New_York"  # not the default zone: shown times must follow the config
NARROW = {"COLUMNS": "80"}
BIDI_TITLE = "关于\u202e做好校园安全检查工作的通知"
LONG_TITLE = "关于做好二〇二四年全市普通高中学业水平考试报名及考务组织管理工作的补充通知"
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
TIME_KEYS = {"first_seen", "next_run", "due_since", "lease_until"}  # and every "*_at"


def source_id(style: str) -> str:
    """Ids as long as the longest seeds' (``shandong-liaocheng-jyty-home``) and more."""
    return f"demo-{style}-county-bureau-notices"


@dataclass
class World:
    config: Path
    url: str
    servers: list[MockSiteServer]
    ids: list[str]  # configured, in order; the last one disabled and never crawled
    failing: str  # the source whose list answered 503 on the second crawl
    scheduled: str  # the source with a next run in the daemon's job store


def write_views_config(path: Path, url: str, servers: list[MockSiteServer]) -> list[str]:
    lines = [
        f'timezone = "{ZONE}"',
        f'[storage]\nurl = "{url}"',
        "[crawl]\ndownload_delay = 0\nretries = 0\ntimeout = 10",
    ]
    ids = []
    for number, server in enumerate(servers):
        style = server.site.style
        province = "河南" if number < 3 else "山东"
        ids.append(source_id(style))
        lines.append(
            f'[[sources]]\nid = "{source_id(style)}"\n'
            f'name = "{server.site.name} 通知公告（政务公开 信息发布专栏）"\n'
            f'url = "{server.list_url}"\nmax_pages = 10\nfailure_threshold = 1\n'
            f'tags = ["province:{province}", "style:{style}"]'
        )
    ids.append("never-crawled-disabled-source")
    lines.append(
        '[[sources]]\nid = "never-crawled-disabled-source"\nname = "停用的来源"\n'
        'url = "http://127.0.0.1:9/list.html"\nenabled = false\ncron = "0 8 * * 1-5"'
    )
    lines.append(
        '[[subscriptions]]\nname = "office"\nnotify = ["json://127.0.0.1:9/"]\n'
        'events = ["new", "changed", "source_error"]'
    )
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return ids


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Six crawled mock sites with long ids; one failing, one scheduled by a (pretend) daemon,
    alerts queued (a new notice and a source_error); one source disabled."""
    directory = tmp_path_factory.mktemp("views")
    url = f"sqlite:///{directory / 'notices.db'}"
    servers = start_sites(build_all_sites())
    try:
        by_style = {server.site.style: server for server in servers}
        by_style["trs"].site.add_notice(
            BIDI_TITLE, ["为做好校园安全检查工作，现将有关事项通知如下。"] * 3
        )
        config = directory / "config.toml"
        ids = write_views_config(config, url, servers)
        baseline = run_cli(config, "crawl", "--alert-wait", "0")
        assert baseline.returncode == 0, baseline.stdout + baseline.stderr
        by_style["vsb"].site.set_list_status(503)
        by_style["trs"].site.add_notice(LONG_TITLE, ["现将有关事项补充通知如下。"] * 3)
        again = run_cli(config, "crawl", "--alert-wait", "0")
        assert "http_error" in again.stdout, again.stdout + again.stderr
        scheduled = source_id("trs")
        engine = create_engine(url)
        with Session(engine) as session, session.begin():
            session.add(
                SchedulerLock(
                    name=LEASE_NAME,
                    holder="views-test:4242",
                    expires_at=datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=5),
                )
            )
            session.add(
                ScheduledJob(
                    id=f"crawl:{scheduled}", next_run_time=time.time() + 1500, job_state=b""
                )
            )
        engine.dispose()
        yield World(config, url, servers, ids, source_id("vsb"), scheduled)
    finally:
        stop_all(servers)


def widths(output: str) -> list[int]:
    return [cell_len(line) for line in output.splitlines()]


def table_rows(output: str, ids: list[str]) -> dict[str, list[str]]:
    """Lines whose first word is a source id, by id."""
    rows: dict[str, list[str]] = {}
    for line in output.splitlines():
        words = line.split()
        if words and words[0] in ids:
            rows.setdefault(words[0], []).append(line)
    return rows


def in_zone(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(ZONE)).strftime("%m-%d %H:%M")


def test_status_fits_80_columns_one_line_per_source(world: World) -> None:
    result = run_cli(world.config, "status", env=NARROW)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert max(widths(out)) <= 80, out
    rows = table_rows(out, world.ids)
    assert sorted(rows) == sorted(world.ids), out  # every id whole, at the start of its row
    assert all(len(lines) == 1 for lines in rows.values()), out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("source "))
    assert [line.split()[0] for line in lines[header + 1 : header + 1 + len(world.ids)]] == (
        world.ids
    )  # no row wraps onto a second line

    runs = {run.source_id: run for run in db_rows(world.url, select(CrawlRun))}  # latest last
    for sid in world.ids[:-1]:
        assert in_zone(runs[sid].started_at) in rows[sid][0], (sid, rows[sid])
    assert "http_error" in rows[world.failing][0] and "ok" in rows[world.scheduled][0]
    assert re.search(r"\bin 2[45]m\b", rows[world.scheduled][0]), rows[world.scheduled]
    assert "disabled" in rows["never-crawled-disabled-source"][0]
    assert "daemon: running as views-test:4242 (lease until " in out
    assert any(line.startswith(f"{world.failing}: 1 failed run") for line in lines), out
    assert lines[-1] == f"times in {ZONE}"
    assert "Asia/Shanghai" not in out


def test_sources_list_fits_80_columns_ids_whole_names_cut(world: World) -> None:
    result = run_cli(world.config, "sources", "list", env=NARROW)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert max(widths(out)) <= 80, out
    rows = table_rows(out, world.ids)
    assert sorted(rows) == sorted(world.ids), out
    trs = rows[source_id("trs")][0]
    assert "…" in trs  # the long name and the URL give way, not the id
    assert "province:河南" in out and "style:hanweb" in out  # tags stay whole
    assert "0 8 * * 1-5" in rows["never-crawled-disabled-source"][0]

    wide = run_cli(world.config, "sources", "list", env={"COLUMNS": "250"}).stdout
    servers = {source_id(s.site.style): s for s in world.servers}
    assert servers[source_id("trs")].list_url in wide and "信息发布专栏）" in wide


def test_notices_and_deliveries_fit_80_columns(world: World) -> None:
    notices = run_cli(world.config, "notices", "list", "--limit", "100", env=NARROW)
    assert notices.returncode == 0, notices.stderr
    assert max(widths(notices.stdout)) <= 80, notices.stdout
    assert "\u202e" not in notices.stdout and "关于做好校园安全检查" in notices.stdout
    assert "关于做好二〇二四年" in notices.stdout and LONG_TITLE not in notices.stdout  # cut
    deliveries = run_cli(world.config, "deliveries", "list", env=NARROW)
    assert deliveries.returncode == 0, deliveries.stderr
    assert max(widths(deliveries.stdout)) <= 80, deliveries.stdout
    assert "source_error" in deliveries.stdout and "new: 关于做好二〇二四" in deliveries.stdout
    assert deliveries.stdout.splitlines()[-1] == f"times in {ZONE}"


def follows_convention(data: object, where: str = "$") -> None:
    """snake_case keys, times ``…Z`` (or null), no empty strings standing for nothing."""
    if isinstance(data, dict):
        for key, value in data.items():
            assert SNAKE.match(key), f"{where}: key {key!r}"
            if (key in TIME_KEYS or key.endswith("_at")) and not isinstance(value, list):
                assert value is None or UTC_TIME.match(value), f"{where}.{key}: {value!r}"
            if isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\dT", value):
                assert UTC_TIME.match(value), f"{where}.{key}: {value!r}"
            follows_convention(value, f"{where}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            follows_convention(value, f"{where}[{index}]")
    else:
        assert data != "", f"{where}: an empty string instead of null"


def json_of(world: World, *args: str) -> object:
    result = run_cli(world.config, *args, "--json", env=NARROW)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # one document, nothing else on stdout
    follows_convention(data)
    return data


def test_every_json_follows_the_convention(world: World) -> None:
    status = json_of(world, "status")
    assert isinstance(status, dict)
    assert status["daemon"] == {
        "running": True,
        "holder": "views-test:4242",
        "lease_until": status["daemon"]["lease_until"],
    }
    by_id = {row["id"]: row for row in status["sources"]}
    assert [row["id"] for row in status["sources"]] == world.ids
    runs = {run.source_id: run for run in db_rows(world.url, select(CrawlRun))}
    trs = by_id[world.scheduled]
    assert trs["last_run"]["started_at"] == runs[world.scheduled].started_at.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert trs["next_run"] is not None and trs["due_since"] is None
    assert by_id[world.failing]["last_run"]["outcome"] == "http_error"
    assert by_id[world.failing]["consecutive_failures"] == 1
    assert by_id[world.failing]["next_run"] is None  # only trs is scheduled
    assert by_id["never-crawled-disabled-source"]["last_run"] is None
    assert status["pending_alerts"] >= 2

    sources = json_of(world, "sources", "list")
    assert isinstance(sources, list) and [row["id"] for row in sources] == world.ids
    assert set(sources[0]) == {"id", "name", "url", "enabled", "interval_seconds", "cron", "tags"}
    assert sources[0]["interval_seconds"] == 1800 and sources[0]["cron"] is None
    assert sources[-1]["cron"] == "0 8 * * 1-5" and sources[-1]["interval_seconds"] is None
    assert sources[0]["url"] == world.servers[0].list_url  # whole, never cut

    notices = json_of(world, "notices", "list", "--limit", "100")
    assert isinstance(notices, list) and len(notices) == len(db_rows(world.url, select(Notice)))
    [bidi] = [row for row in notices if row["title"] == BIDI_TITLE]  # decodes to the stored text
    raw = run_cli(world.config, "notices", "list", "--json", "--limit", "100").stdout
    assert "\u202e" not in raw and "\\u202e" in raw  # escaped: safe in a terminal
    shown = json_of(world, "notices", "show", str(bidi["id"]))
    assert isinstance(shown, dict) and shown["id"] == bidi["id"]
    assert json_of(world, "notices", "list", "--pending") == []

    deliveries = json_of(world, "deliveries", "list")
    assert isinstance(deliveries, list)
    kinds = {row["event"]: row for row in deliveries}
    assert kinds["source_error"]["title"] is None and kinds["new"]["title"] == LONG_TITLE
    assert kinds["new"]["next_attempt_at"] is not None and kinds["new"]["sent_at"] is None


def test_sources_list_tag_filters(world: World) -> None:
    henan = json_of(world, "sources", "list", "--tag", "province:河南")
    assert isinstance(henan, list)
    assert [row["id"] for row in henan] == world.ids[:3]
    either = json_of(world, "sources", "list", "--tag", "style:hanweb", "--tag", "style:trs")
    assert isinstance(either, list)
    assert {row["id"] for row in either} == {source_id("hanweb"), source_id("trs")}
    shown = run_cli(world.config, "sources", "list", "--tag", "province:山东", env=NARROW)
    assert sorted(table_rows(shown.stdout, world.ids)) == sorted(world.ids[3:6]), shown.stdout
    none = run_cli(world.config, "sources", "list", "--tag", "province:火星")
    assert none.returncode == 0 and not table_rows(none.stdout, world.ids)
    assert none.stderr.strip().splitlines() == [
        "noticewatch: no source has the tag 'province:火星'"
    ]


def test_notices_list_says_how_many_it_left_out(world: World) -> None:
    stored = len(db_rows(world.url, select(Notice)))
    limited = run_cli(world.config, "notices", "list", "--limit", "3", env=NARROW)
    assert limited.returncode == 0, limited.stderr
    lines = limited.stdout.splitlines()
    assert lines[-1] == f"3 of {stored} notices; use --limit to see more"
    assert len(lines) == 1 + 3 + 1  # header, three rows, the count
    everything = run_cli(world.config, "notices", "list", "--limit", str(stored), env=NARROW)
    assert "use --limit" not in everything.stdout and len(everything.stdout.splitlines()) == (
        1 + stored
    )
    as_json = run_cli(world.config, "notices", "list", "--limit", "3", "--json")
    assert len(json.loads(as_json.stdout)) == 3
    assert as_json.stderr.strip() == (
        f"noticewatch: 3 of {stored} notices; use --limit to see more"
    )
    one_source = source_id("big5")
    from_big5 = len(db_rows(world.url, select(Notice).where(Notice.source_id == one_source)))
    scoped = run_cli(world.config, "notices", "list", "--source", one_source, "--limit", "2")
    assert scoped.stdout.splitlines()[-1] == f"2 of {from_big5} notices; use --limit to see more"


def test_notices_list_warns_about_an_unknown_source(world: World, tmp_path: Path) -> None:
    unknown = run_cli(world.config, "notices", "list", "--source", "demo-no-such-source")
    assert unknown.returncode == 0
    [warning] = unknown.stderr.strip().splitlines()
    assert "demo-no-such-source" in warning and warning.startswith("noticewatch: no source")
    assert "demo-no-such-source" in unknown.stdout  # "no notices from …", not silence
    pending = run_cli(world.config, "notices", "list", "--pending", "--source", "nope-either")
    assert "nope-either" in pending.stderr

    quiet = run_cli(world.config, "notices", "list", "--source", "never-crawled-disabled-source")
    assert quiet.returncode == 0 and quiet.stderr == ""  # configured: no warning

    # a source dropped from the config whose notices are still stored: listed, no warning
    trimmed = tmp_path / "trimmed.toml"
    text = world.config.read_text(encoding="utf-8")
    start = text.index(f'[[sources]]\nid = "{source_id("big5")}"')
    trimmed.write_text(text[:start] + text[text.index("[[sources]]", start + 1) :], "utf-8")
    dropped = run_cli(trimmed, "notices", "list", "--source", source_id("big5"), "--json")
    assert dropped.returncode == 0 and dropped.stderr == "", dropped.stderr
    assert json.loads(dropped.stdout) and all(
        row["source"] == source_id("big5") for row in json.loads(dropped.stdout)
    )
