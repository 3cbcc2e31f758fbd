"""Which known notices a crawl re-checks: recent ones on a doubling wait, older ones rarely,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor import revisit
from monitor.config import CrawlSettings, Source
from monitor.revisit import restart_retitled, revisit_targets
from spiders.items import ListEntry
from storage.db import open_database
from storage.models import Notice
from storage.models import Source as SourceRow

NOW = datetime(2026, 3, 2, 8, 0)
SOURCE = Source(id="s", name="某市教育局", url="http://127.0.0.1:9/list.html")
HOUR = timedelta(hours=1)
DEFAULTS = CrawlSettings()


def add(session, number: int, *, quiet: int, checked_ago: timedelta | None, age_days: int = 1):
    session.add(
        Notice(
            source_id="s",
            url=f"http://127.0.0.1:9/art/{number}.html",
            title=f"第{number}号通知",
            list_title=f"第{number}号通知",
            published=(NOW - timedelta(days=age_days)).date(),
            first_seen=NOW - timedelta(days=age_days),
            last_seen=NOW,
            last_checked=None if checked_ago is None else NOW - checked_ago,
            quiet_checks=quiet,
        )
    )


def due(sessions, crawl: CrawlSettings = DEFAULTS) -> set[int]:
    with sessions() as session:
        targets = revisit_targets(session, [SOURCE], crawl, NOW).get(SOURCE.id, [])
    return {int(target.url.rsplit("/", 1)[1].split(".")[0]) for target in targets}


def test_recent_notices_wait_twice_as_long_after_each_quiet_check(db_url):
    sessions = open_database(db_url)
    with sessions.begin() as session:
        session.add(SourceRow(id="s", name=SOURCE.name, url=SOURCE.url, created_at=NOW))
        session.flush()
        add(session, 1, quiet=0, checked_ago=timedelta(minutes=5))  # just stored: next crawl
        add(session, 2, quiet=1, checked_ago=timedelta(minutes=30))  # waits 1 h
        add(session, 3, quiet=1, checked_ago=HOUR)
        add(session, 4, quiet=3, checked_ago=3 * HOUR)  # waits 4 h
        add(session, 5, quiet=3, checked_ago=4 * HOUR)
        add(session, 6, quiet=20, checked_ago=20 * HOUR)  # at most a day (a little early)
        add(session, 7, quiet=20, checked_ago=24 * HOUR)
        add(session, 8, quiet=9, checked_ago=2 * HOUR, age_days=30)  # older: every 7 days
        add(session, 9, quiet=9, checked_ago=timedelta(days=8), age_days=30)
        add(session, 10, quiet=4, checked_ago=None)  # never checked
    assert due(sessions) == {1, 3, 5, 7, 9, 10}
    assert due(sessions, CrawlSettings(revisit_first=0)) == {1, 2, 3, 4, 5, 6, 7, 9, 10}


def test_a_retitled_list_row_makes_its_notice_due(db_url):
    sessions = open_database(db_url)
    with sessions.begin() as session:
        session.add(SourceRow(id="s", name=SOURCE.name, url=SOURCE.url, created_at=NOW))
        session.flush()
        add(session, 1, quiet=5, checked_ago=HOUR)
        add(session, 2, quiet=5, checked_ago=HOUR)
    assert due(sessions) == set()
    with sessions.begin() as session:
        rows = [
            ListEntry("http://127.0.0.1:9/art/1.html", "第1号通知（更正）"),
            ListEntry("http://127.0.0.1:9/art/2.html", "第2号通知"),
            ListEntry("http://127.0.0.1:9/art/3.html", "第3号通知"),  # not stored: nothing
        ]
        restart_retitled(session, rows)
    assert due(sessions) == {1}


def test_many_sources_are_asked_in_one_go_each_to_its_own_limit(db_url, monkeypatch):
    """Each source gets its least recently checked due notices, at most MAX_RECHECKS, by
    its own ``revisit_days``."""
    monkeypatch.setattr(revisit, "MAX_RECHECKS", 2)
    sessions = open_database(db_url)
    other = Source(id="t", name="另一所学校", url="http://127.0.0.1:9/t/list.html", revisit_days=60)
    with sessions.begin() as session:
        for source in (SOURCE, other):
            session.add(SourceRow(id=source.id, name=source.name, url=source.url, created_at=NOW))
        session.flush()
        for number, hours in ((1, 30), (2, 50), (3, 40)):
            add(session, number, quiet=20, checked_ago=hours * HOUR)
        old = Notice(
            source_id="t",
            url="http://127.0.0.1:9/t/art/4.html",
            title="第4号通知",
            published=(NOW - timedelta(days=30)).date(),  # recent for t (60 days), not for s
            first_seen=NOW - timedelta(days=30),
            last_seen=NOW,
            last_checked=NOW - 2 * 24 * HOUR,
            quiet_checks=20,
        )
        session.add(old)
    with sessions() as session:
        targets = revisit_targets(session, [SOURCE, other], DEFAULTS, NOW)
    assert {
        source: [k.url.rsplit("/", 1)[1] for k in found] for source, found in targets.items()
    } == {
        "s": ["2.html", "3.html"],
        "t": ["4.html"],
    }
