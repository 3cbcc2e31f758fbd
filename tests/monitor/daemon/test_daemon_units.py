"""The daemon's parts in-process: triggers, active hours, start-up spread, the job store, the lease."""

from __future__ import annotations

import http.client
import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.config import Config, Source
from monitor.cron import crontab_trigger
from monitor.daemon.jobs import build_scheduler, install_jobs, wanted_jobs
from monitor.daemon.lease import Lease
from monitor.daemon.schedule import (
    STARTUP_SPREAD,
    source_trigger,
    spread,
    within_active_hours,
)
from monitor.daemon.status_http import StatusServer, parse_bind
from monitor.owners import HOST
from storage.db import open_database
from tests.support.receivers import free_port

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_crontab_weekdays_count_from_sunday_like_cron():
    weekdays = crontab_trigger("0 8 * * 1-5", SHANGHAI)
    saturday = datetime(2024, 6, 8, 12, 0, tzinfo=SHANGHAI)
    assert weekdays.get_next_fire_time(None, saturday) == datetime(
        2024, 6, 10, 8, 0, tzinfo=SHANGHAI
    )  # Monday
    sunday = crontab_trigger("30 7 * * 0", SHANGHAI).get_next_fire_time(None, saturday)
    assert sunday.weekday() == 6 and (sunday.hour, sunday.minute) == (7, 30)
    assert (
        crontab_trigger("*/15 * * * 7", SHANGHAI).get_next_fire_time(None, saturday).weekday() == 6
    )
    for bad in ("0 8 * *", "0 8 * * 8", "0 25 * * *"):
        with pytest.raises(ValueError):
            crontab_trigger(bad, SHANGHAI)


def test_active_hours_include_the_start_exclude_the_end_and_may_wrap_midnight():
    at = lambda hour: datetime(2024, 6, 8, hour, 30, tzinfo=SHANGHAI)  # noqa: E731
    assert [h for h in range(24) if within_active_hours((7, 22), at(h))] == list(range(7, 22))
    assert [h for h in range(24) if within_active_hours((22, 6), at(h))] == [
        0,
        1,
        2,
        3,
        4,
        5,
        22,
        23,
    ]
    assert all(within_active_hours(None, at(h)) for h in range(24))


def test_jitter_is_capped_at_half_an_interval():
    trigger = source_trigger(
        Source(id="s", name="s", url="http://x/", interval=45, jitter=60), SHANGHAI
    )
    assert trigger.jitter == 22.5
    assert (
        source_trigger(Source(id="s", name="s", url="http://x/", jitter=0), SHANGHAI).jitter is None
    )


def test_due_jobs_start_spread_over_the_shortest_period_at_most():
    now = datetime(2024, 6, 8, 12, 0, tzinfo=UTC)
    starts = spread(["a", "b", "c", "d"], [1800, 60, 1800, 1800], now)
    assert [(t - now).total_seconds() for t in starts.values()] == [0, 15, 30, 45]
    starts = spread(["a", "b"], [3600, 3600], now)
    assert (starts["b"] - now).total_seconds() == STARTUP_SPREAD / 2


def config_with(sources: list[Source]) -> Config:
    return Config(path=Path("c.toml"), storage_url="sqlite://", sources=tuple(sources))


def test_the_job_store_keeps_unchanged_schedules_and_follows_the_config(sqlite_url):
    sessions = open_database(sqlite_url)
    engine = sessions.kw["bind"]

    def scheduler() -> BackgroundScheduler:
        result = build_scheduler(engine, SHANGHAI)
        result.start(paused=True)
        return result

    a = Source(id="a", name="a", url="http://a/", interval=3600, jitter=0)
    b = Source(id="b", name="b", url="http://b/", interval=3600, jitter=0)
    now = datetime.now(SHANGHAI)
    first = scheduler()
    install_jobs(first, wanted_jobs(config_with([a, b]), SHANGHAI), now)
    planned = {job.id: job.next_run_time for job in first.get_jobs()}
    assert planned["crawl:a"] - now < timedelta(seconds=1)  # new jobs start now, spread out
    assert planned["crawl:b"] - now == timedelta(seconds=STARTUP_SPREAD / 2)
    first.modify_job("crawl:a", next_run_time=now + timedelta(minutes=40))
    first.modify_job(
        "crawl:b", next_run_time=now - timedelta(hours=5)
    )  # missed while no daemon ran
    first.shutdown(wait=False)

    b_changed = Source(id="b", name="b", url="http://b/", interval=600, jitter=0)
    c = Source(id="c", name="c", url="http://c/", enabled=False)
    second = scheduler()
    later = now + timedelta(seconds=5)
    install_jobs(second, wanted_jobs(config_with([a, c, b_changed]), SHANGHAI), later)
    kept = {job.id: job for job in second.get_jobs()}
    assert set(kept) == {"crawl:a", "crawl:b", "prune:daily"}  # c is disabled
    assert kept["crawl:a"].next_run_time == now + timedelta(minutes=40)  # unchanged: kept
    assert (
        later <= kept["crawl:b"].next_run_time < later + timedelta(seconds=1)
    )  # missed: once, soon
    assert kept["crawl:b"].trigger.interval == timedelta(minutes=10)
    second.shutdown(wait=False)

    third = scheduler()
    install_jobs(third, wanted_jobs(config_with([a]), SHANGHAI), later)
    assert sorted(job.id for job in third.get_jobs()) == ["crawl:a", "prune:daily"]  # b left
    third.shutdown(wait=False)


def test_the_lease_is_held_by_one_daemon_at_a_time(db_url):
    sessions = open_database(db_url)
    first, second = Lease(sessions, ttl=30), Lease(sessions, ttl=30)
    assert first.acquire()
    assert not second.acquire()
    assert first.acquire()  # renewal
    first.release()
    assert second.acquire()
    assert not first.acquire()


def test_an_expired_lease_or_one_held_by_a_dead_process_here_is_taken_over(db_url):
    sessions = open_database(db_url)
    stalled = Lease(sessions, ttl=0.2)
    assert stalled.acquire()
    waiting = Lease(sessions, ttl=30)
    assert not waiting.acquire()
    time.sleep(0.3)
    assert waiting.acquire()
    waiting.release()

    dead_pid = (
        max(int(p) for p in os.listdir("/proc") if p.isdigit()) + 10_000
        if Path("/proc").exists()
        else 2**22
    )
    assert Lease(sessions, ttl=3600, holder=f"{HOST}:{dead_pid}:dead").acquire()
    assert Lease(
        sessions, ttl=30
    ).acquire()  # the holder's process is gone: no need to wait an hour
    assert Lease(sessions, ttl=3600, holder=f"other-{HOST}:{dead_pid}:x").acquire() is False


def test_racing_daemons_get_one_lease(db_url):
    sessions = open_database(db_url)
    leases = [Lease(sessions, ttl=30) for _ in range(6)]
    barrier = threading.Barrier(len(leases))
    won: list[bool] = []

    def race(lease: Lease) -> None:
        barrier.wait()
        won.append(lease.acquire())

    threads = [threading.Thread(target=race, args=(lease,)) for lease in leases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 5 + [True]


def test_the_status_endpoint_binds_to_loopback_only():
    assert parse_bind("127.0.0.1:8787") == ("127.0.0.1", 8787)
    assert parse_bind("localhost:9000") == ("localhost", 9000)
    for bad in ("0.0.0.0:8787", "192.168.1.2:80", "127.0.0.1", "[::]:80"):
        with pytest.raises(ValueError):
            parse_bind(bad)


def test_the_status_endpoint_answers_only_by_a_loopback_name():
    """A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) cannot read /metrics."""
    port = free_port()
    server = StatusServer(f"127.0.0.1:{port}", lambda: (True, "ok"), lambda: "noticewatch_up 1\n")
    server.start()
    try:

        def get(host: str) -> tuple[int, str]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/metrics", headers={"Host": host})
            response = connection.getresponse()
            status, text = response.status, response.read().decode()
            connection.close()
            return status, text

        assert get(f"127.0.0.1:{port}") == (200, "noticewatch_up 1\n")
        assert get(f"localhost:{port}")[0] == 200
        assert get(f"rebind.example.com:{port}")[0] == 403
    finally:
        server.stop()
