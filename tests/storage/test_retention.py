"""Retention: ``storage.retention.prune`` and ``noticewatch db prune`` on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Retention
from storage.db import open_database, utcnow
from storage.models import CrawlRun, Delivery, Event, Notice, NoticeVersion, Source
from storage.retention import prune
from tests.support.cli import run_cli

NOW = datetime(2025, 6, 1, 12, 0)
TABLES = {
    "crawl_runs": CrawlRun,
    "events": Event,
    "deliveries": Delivery,
    "notice_versions": NoticeVersion,
}


@dataclass
class World:
    """Ids of the rows built by :func:`build`, by role."""

    runs: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    deliveries: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    factory = open_database(db_url)
    yield factory
    factory.kw["bind"].dispose()


def ago(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)


def _runs(session: Session, now: datetime, world: World) -> None:
    """Source a: old finished, old unfinished, recent latest; b: old, old latest; c: old
    finished then old unfinished (its latest)."""
    plan = {
        "a_old": ("a", 200, True),
        "a_unfinished": ("a", 150, False),
        "a_latest": ("a", 1, True),
        "b_old": ("b", 300, True),
        "b_latest": ("b", 200, True),
        "c_finished": ("c", 300, True),
        "c_unfinished": ("c", 250, False),
    }
    for role, (source, days, finished) in plan.items():
        started = ago(now, days)
        run = CrawlRun(
            source_id=source,
            started_at=started,
            finished_at=started + timedelta(minutes=5) if finished else None,
            outcome="ok" if finished else "running",
        )
        session.add(run)
        session.flush()
        world.runs[role] = run.id


def _versions(session: Session, now: datetime, world: World) -> dict[str, int]:
    """Notice n1 with versions 1–3, n2 with one version; returns notice ids."""
    notices = {}
    for name, count in (("n1", 3), ("n2", 1)):
        notice = Notice(
            source_id="a",
            url=f"http://127.0.0.1:9/{name}.html",
            title=name,
            first_seen=ago(now, 500),
            last_seen=now,
        )
        session.add(notice)
        session.flush()
        notices[name] = notice.id
        for number in range(1, count + 1):
            version = NoticeVersion(
                notice_id=notice.id,
                number=number,
                fingerprint=f"{name}-{number}",
                title=name,
                text=f"正文 {number}",
                title_simple=name,
                text_simple=f"正文 {number}",
                fetched_at=ago(now, 500 - number),
            )
            session.add(version)
            session.flush()
            world.versions[f"{name}_v{number}"] = version.id
    return notices


def _event(session: Session, world: World, role: str, created: datetime, **refs) -> int:
    event = Event(kind="new", source_id="a", created_at=created, **refs)
    session.add(event)
    session.flush()
    world.events[role] = event.id
    return event.id


def _delivery(
    session: Session, world: World, role: str, status: str, created: datetime, **refs
) -> int:
    delivery = Delivery(
        key=role,
        subscription="office",
        target="t",
        target_label="mailto://example.com",
        status=status,
        next_attempt_at=created,
        created_at=created,
        **refs,
    )
    session.add(delivery)
    session.flush()
    world.deliveries[role] = delivery.id
    return delivery.id


def _alerts(session: Session, now: datetime, world: World, notices: dict[str, int]) -> None:
    old, mid, recent = ago(now, 400), ago(now, 100), ago(now, 1)
    n1 = notices["n1"]
    e = _event(session, world, "old_sent", old, notice_id=n1, crawl_run_id=world.runs["a_old"])
    _delivery(session, world, "old_sent", "sent", old, event_id=e)
    e = _event(session, world, "old_pending", old, notice_id=n1)
    _delivery(session, world, "old_pending", "pending", old, event_id=e)
    e = _event(session, world, "old_digest", old, notice_id=n1)
    _delivery(session, world, "old_digest", "digest", old, event_id=e)
    e = _event(session, world, "mid", mid, notice_id=n1, crawl_run_id=world.runs["b_old"])
    _delivery(session, world, "mid_sent", "sent", mid, event_id=e)
    _delivery(session, world, "mid_failed", "failed", mid, event_id=e)
    refs = {"notice_id": n1, "version_id": world.versions["n1_v1"]}
    e = _event(session, world, "recent", recent, **refs)
    _delivery(session, world, "recent_failed", "failed", recent, event_id=e)
    # a digest sent 95 days ago, collected from two alerts of 96 days ago
    children = [_event(session, world, f"digested{i}", ago(now, 96)) for i in (1, 2)]
    digested = [
        _delivery(session, world, f"digested{i}", "digest", ago(now, 96), event_id=event)
        for i, event in enumerate(children, 1)
    ]
    _collect(session, world, "digest_sent", "sent", ago(now, 95), digested)
    # a digest still waiting to be sent: it and what it collected stay, however old
    e = _event(session, world, "old_in_waiting_digest", old)
    child = _delivery(session, world, "in_waiting_digest", "digest", old, event_id=e)
    _collect(session, world, "digest_waiting", "pending", ago(now, 399), [child])
    # an old sent digest holding a recent row: neither goes
    e = _event(session, world, "young_child", ago(now, 10))
    child = _delivery(session, world, "young_child", "digest", ago(now, 10), event_id=e)
    _collect(session, world, "digest_with_young_child", "sent", ago(now, 95), [child])


def _collect(
    session: Session, world: World, role: str, status: str, created: datetime, ids: list[int]
) -> None:
    """A digest row, and ``ids`` marked digested into it (as monitor.notify.digest does)."""
    digest = _delivery(session, world, role, status, created)
    for delivery in session.scalars(select(Delivery).where(Delivery.id.in_(ids))):
        delivery.status, delivery.digest_id = "digested", digest


def build(sessions: sessionmaker[Session], now: datetime = NOW) -> World:
    """Sources a, b, c with runs, notices with versions, events, deliveries and digests."""
    world = World()
    with sessions.begin() as session:
        for source in "abc":
            session.add(
                Source(id=source, name=source, url="http://127.0.0.1:9/", created_at=ago(now, 600))
            )
        session.flush()
        _runs(session, now, world)
        notices = _versions(session, now, world)
        _alerts(session, now, world, notices)
    return world


def ids(sessions: sessionmaker[Session]) -> dict[str, set[int]]:
    with sessions() as session:
        return {name: set(session.scalars(select(model.id))) for name, model in TABLES.items()}


def survivors(world: World, sessions: sessionmaker[Session]) -> dict[str, set[str]]:
    """The roles whose rows are still stored, per table."""
    stored = ids(sessions)
    roles = {
        "crawl_runs": world.runs,
        "events": world.events,
        "deliveries": world.deliveries,
        "notice_versions": world.versions,
    }
    return {
        table: {role for role, row_id in by_role.items() if row_id in stored[table]}
        for table, by_role in roles.items()
    }


def test_prune_keeps_unsent_alerts_latest_runs_and_latest_versions(sessions):
    world = build(sessions)
    report = prune(sessions, Retention(keep_versions=1), NOW)
    kept = survivors(world, sessions)
    assert kept["crawl_runs"] == {
        "a_unfinished",
        "a_latest",
        "b_latest",
        "c_finished",
        "c_unfinished",
    }
    assert kept["notice_versions"] == {"n1_v3", "n2_v1"}
    assert kept["events"] == set(world.events) - {"old_sent"}
    assert kept["deliveries"] == {
        "old_pending",
        "old_digest",
        "recent_failed",
        "in_waiting_digest",
        "digest_waiting",
        "young_child",
        "digest_with_young_child",
    }
    assert report.counts() == {"crawl_runs": 2, "events": 1, "deliveries": 6, "notice_versions": 2}
    assert not report.dry_run
    with sessions() as session:
        mid = session.get(Event, world.events["mid"])
        recent = session.get(Event, world.events["recent"])
        assert mid.crawl_run_id is None and recent.version_id is None
        assert session.scalar(select(Notice.id).where(Notice.title == "n1")) is not None


def test_nothing_goes_within_the_limits_and_all_versions_stay_by_default(sessions):
    world = build(sessions)
    before = ids(sessions)
    report = prune(
        sessions,
        Retention(keep_runs_days=1000, keep_events_days=1000, keep_deliveries_days=1000),
        NOW,
    )
    assert report.counts() == dict.fromkeys(TABLES, 0)
    assert ids(sessions) == before
    report = prune(sessions, Retention(), NOW)
    assert report.notice_versions == 0 and survivors(world, sessions)["notice_versions"] == set(
        world.versions
    )


@pytest.mark.parametrize(
    "policy",
    [
        Retention(keep_versions=1),
        Retention(keep_versions=2),
        # events expire before their deliveries: an event takes its deliveries along
        Retention(
            keep_runs_days=30, keep_events_days=30, keep_deliveries_days=1000, keep_versions=1
        ),
    ],
    ids=["defaults", "two-versions", "events-first"],
)
def test_dry_run_deletes_nothing_and_counts_what_one_row_batches_delete(sessions, policy):
    build(sessions)
    before = ids(sessions)
    dry = prune(sessions, policy, NOW, dry_run=True)
    assert dry.dry_run and ids(sessions) == before
    real = prune(sessions, policy, NOW, batch=1)
    after = ids(sessions)
    assert real.counts() == dry.counts()
    assert real.counts() == {table: len(before[table] - after[table]) for table in TABLES}
    assert sum(real.counts().values()) > 0
    assert prune(sessions, policy, NOW).counts() == dict.fromkeys(TABLES, 0)


def test_events_first_policy_takes_old_events_with_their_deliveries(sessions):
    world = build(sessions)
    policy = Retention(keep_runs_days=1000, keep_events_days=30, keep_deliveries_days=1000)
    prune(sessions, policy, NOW)
    kept = survivors(world, sessions)
    assert kept["events"] == {
        "old_pending",
        "old_digest",
        "old_in_waiting_digest",
        "recent",
        "young_child",
    }
    assert "mid_sent" not in kept["deliveries"] and "digested1" not in kept["deliveries"]
    assert {"old_pending", "old_digest", "in_waiting_digest", "digest_sent"} <= kept["deliveries"]


def test_a_bad_policy_is_refused_before_anything_is_deleted(sessions):
    build(sessions)
    before = ids(sessions)
    with pytest.raises(ValueError, match="keep_versions"):
        prune(sessions, Retention(keep_versions=0), NOW)
    assert ids(sessions) == before


def test_db_prune_command_dry_run_then_prune(tmp_path: Path, db_url, sessions):
    world = build(sessions, utcnow())
    before = ids(sessions)
    config = tmp_path / "noticewatch.toml"
    config.write_text(
        f'[storage]\nurl = "{db_url}"\nkeep_versions = 1\n\n'
        '[[sources]]\nid = "a"\nname = "A"\nurl = "http://127.0.0.1:9/"\n',
        encoding="utf-8",
    )
    dry = run_cli(config, "db", "prune", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "crawl_runs: would prune 2",
        "events: would prune 1",
        "deliveries: would prune 6",
        "notice_versions: would prune 2",
    ]
    assert ids(sessions) == before
    real = run_cli(config, "db", "prune")
    assert real.returncode == 0, real.stderr
    assert real.stdout.splitlines() == [
        "crawl_runs: 2 pruned",
        "events: 1 pruned",
        "deliveries: 6 pruned",
        "notice_versions: 2 pruned",
    ]
    kept = survivors(world, sessions)
    assert "old_pending" in kept["deliveries"] and "old_pending" in kept["events"]
    assert kept["notice_versions"] == {"n1_v3", "n2_v1"}
