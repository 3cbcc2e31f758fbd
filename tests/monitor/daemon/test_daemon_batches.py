"""The daemon hands due sources to its crawl children in batches: seen in ``crawl_runs.owner``
(the child's ``host:pid``), and through a batch child killed mid-crawl.

One crawl slot, so sources that fall due while a child runs wait and go together.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.owners import owner_pid
from storage.models import CrawlRun
from tests.support.cli import CliProcess, db_rows, wait_for
from tests.support.daemon import daemon_config, posted, runs_of, subscription

TITLE = "关于做好2024年秋季学期开学工作的通知"
BODY = [
    "各县（市、区）教育局，各直属学校：",
    "现就做好2024年秋季学期开学工作有关事项通知如下，请认真贯彻落实。",
]
ONE_SLOT = '[daemon]\nmax_crawls = 1\nlease_ttl = "6s"\n'


@pytest.fixture
def start_daemon(start_cli) -> Callable[[Path], CliProcess]:
    return lambda config: start_cli(config, "run")


def all_runs(url: str) -> list[CrawlRun]:
    return db_rows(url, select(CrawlRun).order_by(CrawlRun.id))


def sources_by_owner(url: str) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for run in all_runs(url):
        owners[run.owner].add(run.source_id)
    return owners


def test_due_sources_are_crawled_together_and_each_by_one_crawl_at_a_time(
    sites, sqlite_url, tmp_path, start_daemon
):
    servers = [sites["trs"], sites["dede"], sites["big5"]]
    config = daemon_config(tmp_path / "c.toml", sqlite_url, servers, ONE_SLOT)
    daemon = start_daemon(config)
    wait_for(
        lambda: any(len(ids) >= 2 for ids in sources_by_owner(sqlite_url).values()),
        60,
        "one crawl process crawling several sources",
    )
    assert daemon.stop() == 0
    runs = all_runs(sqlite_url)
    assert all(run.finished_at is not None for run in runs)
    for server in servers:  # never two runs of a source at once
        mine = sorted(
            (run.started_at, run.finished_at)
            for run in runs
            if run.source_id == server.site.source_id
        )
        assert all(end <= start for (_, end), (start, _) in zip(mine, mine[1:], strict=False))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills a child by its pid")
def test_a_batch_child_killed_mid_crawl_loses_and_repeats_nothing(
    sites, sqlite_url, tmp_path, webhook, start_daemon
):
    servers = [sites["trs"], sites["hanweb"], sites["dede"]]
    extra = ONE_SLOT + subscription("office", [webhook.url], ["new"])
    config = daemon_config(tmp_path / "c.toml", sqlite_url, servers, extra, interval="2s")
    daemon = start_daemon(config)
    for server in servers:
        wait_for(
            lambda s=server: any(r.outcome == "ok" for r in runs_of(sqlite_url, s.site.source_id)),
            60,
            "the baseline crawls",
        )
    renders = [server.site.render for server in servers]

    def slowed(render):
        def slow(*args, **kwargs):
            time.sleep(0.5)  # the batch is mid-crawl when its child dies
            return render(*args, **kwargs)

        return slow

    for server, render in zip(servers, renders, strict=True):
        server.site.render = slowed(render)
    titles = {server.site.source_id: f"{TITLE}（{server.site.name}）" for server in servers[:2]}
    for server in servers[:2]:
        server.site.add_notice(titles[server.site.source_id], BODY)

    def running_batch() -> str | None:
        unfinished = [run for run in all_runs(sqlite_url) if run.finished_at is None]
        owners = defaultdict(set)
        for run in unfinished:
            owners[run.owner].add(run.source_id)
        return next((owner for owner, ids in owners.items() if len(ids) >= 2), None)

    owner = wait_for(running_batch, 60, "a crawl process with two sources running")
    os.kill(owner_pid(owner), signal.SIGKILL)

    def closed() -> list[CrawlRun]:
        mine = [run for run in all_runs(sqlite_url) if run.owner == owner]
        return mine if all(run.finished_at for run in mine) else []

    killed = wait_for(closed, 30, "the killed child's runs closed")
    assert len({run.source_id for run in killed if run.outcome == "interrupted"}) >= 2

    for server, render in zip(servers, renders, strict=True):
        server.site.render = render
    wait_for(
        lambda: all(any(t in text for text in posted(webhook)) for t in titles.values()),
        60,
        "every alert after the kill",
    )
    done = len(all_runs(sqlite_url))
    wait_for(lambda: len(all_runs(sqlite_url)) >= done + 3, 30, "one more cycle")
    texts = posted(webhook)
    assert sorted(sum(t in text for text in texts) for t in titles.values()) == [1, 1]
    assert len(texts) == 2
    assert daemon.stop() == 0
