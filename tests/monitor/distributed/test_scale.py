"""Beyond one machine, for real: ``noticewatch worker`` and ``noticewatch run`` processes on the
local PostgreSQL and Redis, crawling the mock sites.

Each test uses its own PostgreSQL schema and its own Redis key prefix, and
deletes only its own keys. What a distributed crawl stores is compared with
what a one-process ``noticewatch crawl`` of the same sites stores.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis
from sqlalchemy import select

from monitor.config import load_config
from monitor.demo import MockSiteServer
from monitor.distributed.launcher import RedisLauncher
from monitor.notify.sender import drain
from spiders.redis_queue import QueueKeys
from storage.db import open_database
from storage.models import CrawlRun, Notice
from tests.support.cli import db_rows, run_cli, wait_for, write_config
from tests.support.daemon import outcomes
from tests.support.faults import Supervisor, health_status
from tests.support.receivers import WebhookReceiver, free_port
from tests.support.services import REDIS_HOST, REDIS_PORT
from tests.support.throwaway_redis import ThrowawayRedis, throwaway_redis_fixture  # noqa: F401 (fixture)

NEW = {
    1: ("关于做好2024年秋季学期开学工作的通知", "现就做好秋季学期开学工作有关事项通知如下。"),
    2: (
        "关于开展2024年校园安全隐患排查的通知",
        "请各校于9月10日前完成校园安全隐患自查并报送情况。",
    ),
}


def publish(server: MockSiteServer, number: int) -> str:
    """Add new notice ``number`` (each has its own text) to the site; its title."""
    title, body = NEW[number]
    server.site.add_notice(title, ["各县（市、区）教育局，各直属学校：", body])
    return title


# -- configs and the database ---------------------------------------------------------
def scale_config(
    path: Path, url: str, prefix: str, servers: list[MockSiteServer], extra: str = "", **options
) -> Path:
    """Crawls ``servers`` into ``url`` through the Redis queue under ``prefix``; schema created."""
    open_database(url).kw["bind"].dispose()
    queue = f'[queue]\nurl = "redis://{REDIS_HOST}:{REDIS_PORT}/0?prefix={prefix}"\n'
    return write_config(path, url, servers, extra=queue + extra, **options)


def subscription(webhook: WebhookReceiver) -> str:
    return f'[[subscriptions]]\nname = "office"\nnotify = ["{webhook.url}"]\nevents = ["new"]\n'


def stored_urls(url: str) -> list[str]:
    return db_rows(url, select(Notice.url))


def finished_runs(url: str) -> list[CrawlRun]:
    return db_rows(url, select(CrawlRun).where(CrawlRun.finished_at.is_not(None)))


def one_process_urls(tmp_path: Path, servers: list[MockSiteServer]) -> set[str]:
    """What ``noticewatch crawl`` (one process, SQLite) stores from the same sites."""
    url = f"sqlite:///{tmp_path / 'one-process.db'}"
    config = write_config(tmp_path / "one-process.toml", url, servers)
    assert run_cli(config, "crawl", "--alert-wait", "0").returncode == 0
    return set(stored_urls(url))


def alerted(webhook: WebhookReceiver) -> list[str]:
    """Which of the new notices each webhook post was about."""
    return sorted(t for post in webhook.posts for t, _ in NEW.values() if t in post.body["title"])


def assert_no_overlap(url: str) -> None:
    """No source had two runs at once."""
    by_source: dict[str, list[CrawlRun]] = {}
    for run in sorted(finished_runs(url), key=lambda r: r.started_at):
        by_source.setdefault(run.source_id, []).append(run)
    for source_id, runs in by_source.items():
        for earlier, later in zip(runs, runs[1:], strict=False):
            assert later.started_at >= earlier.finished_at, f"{source_id}: runs overlap"


def count_in_flight(servers: list[MockSiteServer], pause: float) -> Callable[[], int]:
    """Make every page take ``pause`` s; returns the peak of requests in flight at once (all on 127.0.0.1)."""
    lock, state = threading.Lock(), {"now": 0, "peak": 0}
    for server in servers:
        render = server.site.render

        def counted(*args, render=render, **kwargs):
            with lock:
                state["now"] += 1
                state["peak"] = max(state["peak"], state["now"])
            try:
                time.sleep(pause)
                return render(*args, **kwargs)
            finally:
                with lock:
                    state["now"] -= 1

        server.site.render = counted
    return lambda: state["peak"]


# -- tests ----------------------------------------------------------------------------
def test_two_workers_store_every_notice_once_alert_once_and_stay_polite(
    sites, postgres_url, redis_prefix, webhook, tmp_path, start_cli
):
    servers = list(sites.values())
    expected = one_process_urls(tmp_path, servers)
    config = scale_config(
        tmp_path / "c.toml", postgres_url, redis_prefix, servers, subscription(webhook)
    )
    workers = [start_cli(config, "worker", "--id", f"w{n}", "--concurrency", "8") for n in (1, 2)]
    peak = count_in_flight(servers, pause=0.02)
    launcher = RedisLauncher(load_config(config))
    for server in servers:
        launcher.launch([server.site.source_id])
        launcher.launch([server.site.source_id])  # still queued: skipped, not crawled twice
    wait_for(lambda: len(finished_runs(postgres_url)) == len(servers), 40, "the baseline crawls")

    urls = stored_urls(postgres_url)
    assert len(urls) == len(set(urls)) and set(urls) == expected
    assert {run.outcome for run in finished_runs(postgres_url)} == {"ok"}
    assert 1 <= peak() <= 2  # concurrency_per_host = 2 for 127.0.0.1, across both workers
    assert all(f"{s.site.source_id}: ok" in "".join(w.output() for w in workers) for s in servers)

    titles = sorted([publish(sites["trs"], 1), publish(sites["vsb"], 2)])
    for server in servers:
        launcher.launch([server.site.source_id])
    wait_for(lambda: len(finished_runs(postgres_url)) == 2 * len(servers), 30, "the second crawls")

    app_config = load_config(config)
    drainers = [
        threading.Thread(
            target=drain,
            args=(open_database(postgres_url), app_config),
            kwargs={"deadline_seconds": 5},
        )
        for _ in range(2)
    ]
    for drainer in drainers:
        drainer.start()
    for drainer in drainers:
        drainer.join()
    assert alerted(webhook) == titles and len(webhook.posts) == 2  # once each, by either drainer
    assert len(stored_urls(postgres_url)) == len(expected) + 2
    assert [w.stop() for w in workers] == [0, 0]


def test_a_worker_killed_mid_crawl_loses_no_notice(
    sites, postgres_url, redis_prefix, tmp_path, start_cli
):
    trs = sites["trs"]
    expected = one_process_urls(tmp_path, [trs])
    config = scale_config(tmp_path / "c.toml", postgres_url, redis_prefix, [trs])
    keys = QueueKeys(redis_prefix)
    server = redis.Redis(REDIS_HOST, REDIS_PORT)
    doomed, survivor = (
        start_cli(config, "worker", "--id", name, "--lease", "2", "--concurrency", "2")
        for name in ("doomed", "survivor")
    )
    wait_for(lambda: server.scard(keys.workers) == 2, 20, "both workers")
    count_in_flight([trs], pause=0.25)  # slow pages: the crawl is mid-way when the worker dies

    RedisLauncher(load_config(config)).launch([trs.site.source_id])
    held = wait_for(lambda: server.llen(keys.inflight("doomed")), 20, "the doomed worker to claim")
    doomed.stop(signal.SIGKILL)
    wait_for(lambda: finished_runs(postgres_url), 40, "the crawl to finish without it")

    (run,) = finished_runs(postgres_url)
    assert run.outcome == "ok"
    urls = stored_urls(postgres_url)
    assert len(urls) == len(set(urls)) and set(urls) == expected
    assert held >= 1 and "doomed stopped answering" in survivor.output()
    assert server.llen(keys.inflight("doomed")) == 0
    assert not server.exists(keys.pending(run.id), keys.active(trs.site.source_id))
    assert survivor.stop() == 0


def test_two_daemons_schedule_once_and_hand_over_when_the_leader_dies(
    sites, postgres_url, redis_prefix, webhook, tmp_path, start_cli
):
    servers = [sites["trs"], sites["vsb"], sites["dede"]]
    expected = one_process_urls(tmp_path, servers)
    config = scale_config(
        tmp_path / "c.toml",
        postgres_url,
        redis_prefix,
        servers,
        subscription(webhook),
        interval="1s",
        jitter=0,
        max_pages=10,
    )
    workers = [start_cli(config, "worker", "--id", f"w{n}") for n in (1, 2)]
    leader = start_cli(config, "run")
    wait_for(lambda: "lease taken" in leader.output(), 20, "the first daemon to lead")
    standby = start_cli(config, "run")
    wait_for(lambda: "waiting to take over" in standby.output(), 20, "the second daemon to wait")
    ids = [server.site.source_id for server in servers]
    wait_for(
        lambda: {run.source_id for run in finished_runs(postgres_url)} == set(ids),
        30,
        "baseline crawls by the workers",
    )
    assert "crawl queued for the workers" in leader.output(), (
        "`noticewatch run` does not use RedisLauncher when [queue] url is set "
        "(see /work/notes/scale-requests.md)"
    )

    titles = [publish(sites["trs"], 1)]
    wait_for(lambda: webhook.posts, 20, "the first alert")
    leader.stop(signal.SIGKILL)
    wait_for(lambda: "lease taken" in standby.output(), 15, "the standby daemon to take over")
    titles.append(publish(sites["vsb"], 2))
    wait_for(lambda: len(webhook.posts) >= 2, 20, "the alert after the takeover")
    done = len(finished_runs(postgres_url))
    wait_for(lambda: len(finished_runs(postgres_url)) >= done + 3, 20, "more crawls")

    assert alerted(webhook) == sorted(titles) and len(webhook.posts) == 2
    urls = stored_urls(postgres_url)
    assert len(urls) == len(set(urls)) == len(expected) + 2
    assert_no_overlap(postgres_url)
    assert standby.stop() == 0
    assert [w.stop() for w in workers] == [0, 0]


def test_a_redis_outage_loses_and_repeats_no_notice_and_healthz_tells(
    sites, postgres_url, throwaway_redis: ThrowawayRedis, webhook, tmp_path, start_cli
):
    vsb = sites["vsb"]
    source_id = vsb.site.source_id
    bind = f"127.0.0.1:{free_port()}"
    queue = f'[queue]\nurl = "{throwaway_redis.url("nwtest")}"\n'
    open_database(postgres_url).kw["bind"].dispose()
    config = write_config(
        tmp_path / "c.toml",
        postgres_url,
        [vsb],
        extra=queue + subscription(webhook) + f'[daemon]\nstatus_bind = "{bind}"\n',
        interval="1s",
        jitter=0,
    )
    worker = Supervisor(lambda: start_cli(config, "worker", "--id", "w1"))
    daemon = Supervisor(lambda: start_cli(config, "run"))
    wait_for(lambda: "ok" in outcomes(postgres_url, source_id), 60, "the baseline crawl")

    throwaway_redis.stop()
    notice = vsb.site.add_notice(NEW[1][0], ["各县（市、区）教育局，各直属学校：", NEW[1][1]])
    title, url = notice.title, vsb.url(vsb.site.detail_path(notice.id))  # while nothing can queue
    statuses: set[int] = set()
    down = time.monotonic()
    try:
        while time.monotonic() - down < 12:
            worker.check()
            daemon.check()
            statuses.add(health_status(bind))
            time.sleep(0.2)
    finally:
        throwaway_redis.start()

    def settled() -> bool:
        worker.check()
        daemon.check()
        return title in alerted(webhook) and url in stored_urls(postgres_url)

    wait_for(settled, 90, "the notice stored and alerted after the outage")
    wait_for(lambda: health_status(bind) == 200, 30, "/healthz to answer 200 again")
    ended = len(outcomes(postgres_url, source_id))
    wait_for(lambda: len(outcomes(postgres_url, source_id)) > ended, 30, "one more crawl")
    assert 503 in statuses, f"/healthz during the Redis outage answered {sorted(statuses)}"
    assert alerted(webhook) == [title], f"one alert expected: {alerted(webhook)}"
    assert daemon.stop() == 0 and worker.stop() == 0
