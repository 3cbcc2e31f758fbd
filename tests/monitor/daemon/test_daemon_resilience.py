"""The daemon's parts under faults, in process: crawl slots, a job store whose database goes away,
and what dead processes leave behind."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine, select, text

from monitor.config import Config, Source
from monitor.daemon.dispatch import Dispatcher, LaunchError
from monitor.daemon.jobs import build_scheduler
from monitor.daemon.metrics import render_metrics
from monitor.daemon.orphans import release_orphans
from monitor.owners import HOST, process_owner
from storage.db import open_database, utcnow
from storage.models import CrawlRun, Delivery
from storage.models import Source as SourceRow
from tests.support.cli import wait_for

TICKS: list[float] = []


def tick() -> None:
    """A scheduled job (importable, as the job store keeps references)."""
    TICKS.append(1.0)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_one_crawl_per_source_and_waiting_ones_are_counted_and_recorded(sqlite_url):
    sessions = open_database(sqlite_url)
    with sessions.begin() as session:
        for source_id in "abcd":
            session.add(
                SourceRow(id=source_id, name=source_id, url="http://x/", created_at=utcnow())
            )
    started: list[list[str]] = []
    release = threading.Event()

    def launch(source_ids: list[str]) -> None:
        started.append(source_ids)
        release.wait(30)

    dispatcher = Dispatcher(launch, sessions, slots=1)
    dispatcher.start()
    dispatcher.submit("a")
    wait_for(lambda: started == [["a"]], 10, "the first crawl to start")
    dispatcher.submit("b")  # the next launch takes it: waiting, not behind
    dispatcher.submit("a")  # still running: not queued twice
    dispatcher.submit("b")  # already waiting
    dispatcher.submit("c")  # does not fit in the next launch: behind
    assert dispatcher.behind == 1
    with sessions() as session:
        assert session.get(SourceRow, "c").due_since is not None  # `status` shows the lag
        assert session.get(SourceRow, "b").due_since is None
    release.set()
    wait_for(lambda: started == [["a"], ["b"], ["c"]], 10, "the waiting crawls to start")
    wait_for(lambda: dispatcher.behind == 0, 10, "the queue to empty")
    with sessions() as session:
        wait_for(lambda: session.get(SourceRow, "c").due_since is None, 10, "the lag cleared")
    dispatcher.halt()
    dispatcher.submit("d")
    dispatcher.stop()
    assert started == [["a"], ["b"], ["c"]]  # nothing launched after halt


def test_due_sources_share_a_launch_up_to_the_batch_and_never_run_twice(sqlite_url):
    sessions = open_database(sqlite_url)
    started: list[list[str]] = []
    release = threading.Event()

    def launch(source_ids: list[str]) -> None:
        started.append(source_ids)
        release.wait(30)

    dispatcher = Dispatcher(launch, sessions, slots=1, batch=3)
    dispatcher.start()
    for source_id in "abc":  # each would wait a minute for company: the full batch goes at once
        dispatcher.submit(source_id, gather=60)
    wait_for(lambda: started == [["a", "b", "c"]], 10, "the full batch to start")
    dispatcher.submit("b", gather=0)  # its crawl runs: not queued
    dispatcher.submit("d", gather=60)
    dispatcher.submit("e", gather=0)  # in no mood to wait: d goes with it
    assert dispatcher.behind == 0  # both fit in the next launch
    release.set()
    wait_for(lambda: len(started) == 2, 10, "the second batch")
    assert started[1] == ["d", "e"]
    dispatcher.submit("b", gather=0)  # its crawl has ended: due again
    wait_for(lambda: len(started) == 3, 10, "the third batch")
    assert started[2] == ["b"]
    dispatcher.stop()

    lone = Dispatcher(launch, sessions, slots=1, batch=3, sources=2)
    lone.start()
    lone.submit("a", gather=60)
    lone.submit("b", gather=60)  # every source of the daemon waits: no reason to wait longer
    wait_for(lambda: len(started) == 4, 10, "the batch of all sources")
    assert started[3] == ["a", "b"]
    lone.stop()


def test_a_failing_launcher_is_reported_and_clears_when_it_works_again(sqlite_url):
    sessions = open_database(sqlite_url)
    attempts: list[str] = []

    def launch(source_ids: list[str]) -> None:
        attempts.extend(source_ids)
        if len(attempts) == 1:
            raise LaunchError("Redis is not answering")

    dispatcher = Dispatcher(launch, sessions, slots=1)
    dispatcher.start()
    dispatcher.submit("a")
    wait_for(lambda: dispatcher.failing_since is not None, 10, "the failure to be noted")
    dispatcher.submit("a")
    wait_for(lambda: len(attempts) == 2 and dispatcher.failing_since is None, 10, "recovery")
    dispatcher.stop()


def test_the_scheduler_keeps_scheduling_through_a_job_store_outage(postgres_url):
    sessions = open_database(postgres_url)
    engine = sessions.kw["bind"]
    scheduler = build_scheduler(engine, ZoneInfo("Asia/Shanghai"))
    scheduler.start()
    TICKS.clear()
    scheduler.add_job(
        tick, IntervalTrigger(seconds=1), id="tick", next_run_time=datetime.now(ZoneInfo("UTC"))
    )
    wait_for(lambda: len(TICKS) >= 1, 20, "the job to run")
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:  # the job store's table is gone, as in an outage
            connection.execute(text("ALTER TABLE scheduled_jobs RENAME TO scheduled_jobs_away"))
        wait_for(lambda: scheduler.failing_since is not None, 20, "the failure to be noticed")
        assert scheduler.alive
        with admin.connect() as connection:
            connection.execute(text("ALTER TABLE scheduled_jobs_away RENAME TO scheduled_jobs"))
        wait_for(lambda: scheduler.failing_since is None, 20, "recovery")
        count = len(TICKS)
        wait_for(lambda: len(TICKS) > count, 20, "the job to run again")
        assert scheduler.alive
    finally:
        scheduler.shutdown(wait=False)
        admin.dispose()
        engine.dispose()


def test_runs_and_alert_claims_of_dead_processes_are_released_at_once(db_url):
    sessions = open_database(db_url)
    dead = f"{HOST}:{dead_pid()}"
    now = utcnow()
    with sessions.begin() as session:
        session.add(SourceRow(id="s", name="s", url="http://x/", created_at=now))
        session.flush()
        session.add_all(
            [
                CrawlRun(source_id="s", started_at=now, owner=dead),
                CrawlRun(source_id="s", started_at=now, owner=process_owner()),  # alive: kept
                CrawlRun(source_id="s", started_at=now, owner="elsewhere:1"),  # other host
            ]
        )
        for number, owner in enumerate([dead, process_owner()]):
            session.add(
                Delivery(
                    key=f"k{number}",
                    subscription="office",
                    target="t",
                    target_label="mailto://x",
                    next_attempt_at=now,
                    claimed_until=now + timedelta(minutes=5),
                    claimed_by=owner,
                    created_at=now,
                )
            )
    release_orphans(sessions)
    with sessions() as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [(r.outcome, r.finished_at is not None) for r in runs] == [
            ("interrupted", True),
            ("running", False),
            ("running", False),
        ]
        claims = session.scalars(select(Delivery.claimed_by).order_by(Delivery.id)).all()
        assert claims == [None, process_owner()]
    release_orphans(sessions, remote_timeout=0)  # queue mode: by age, wherever the owner runs
    with sessions() as session:
        unfinished = session.scalars(select(CrawlRun).where(CrawlRun.finished_at.is_(None)))
        assert unfinished.all() == []


def test_falling_behind_is_a_gauge_in_the_metrics(sqlite_url, tmp_path):
    config = Config(tmp_path / "c.toml", sqlite_url, (Source("a", "a", "http://127.0.0.1/"),))
    with open_database(sqlite_url)() as session:
        text = render_metrics(session, config, leader=True, since_run_id=0, behind=3)
    samples = dict(line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#"))
    assert samples["noticewatch_crawls_behind"] == "3" and samples["noticewatch_leader"] == "1"
