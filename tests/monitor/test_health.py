"""Run outcomes and source health alerts, without a network."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from monitor.health import classify_run, health_events, stale_error
from spiders.items import FetchProblem
from storage.db import make_engine, upgrade
from storage.models import CrawlRun, Notice, Source


@dataclass
class Facts:
    list_pages: int = 1
    list_not_modified: bool = False
    entries: dict = field(default_factory=lambda: {"http://a/1": None})
    details: int = 1
    extract_failures: int = 0
    problems: list = field(default_factory=list)
    stopped: bool = False


def problem(
    kind: str, message: str, *, is_list: bool = True, status: int | None = None
) -> FetchProblem:
    return FetchProblem("s", "http://a/list", kind, message, status, is_list)


def test_outcomes():
    assert classify_run(Facts()) == ("ok", None)
    assert classify_run(Facts(list_pages=0, entries={}, details=0)) == (
        "interrupted",
        "the crawl ended before the list page answered",
    )
    assert (
        classify_run(Facts(list_pages=0, problems=[problem("http", "HTTP 503", status=503)]))[0]
        == "http_error"
    )
    assert (
        classify_run(Facts(list_pages=0, problems=[problem("blocked", "HTTP 412 challenge")]))[0]
        == "blocked"
    )
    robots = problem("config", "robots.txt forbids this page")
    assert classify_run(Facts(list_pages=0, problems=[robots]))[0] == "config_error"
    assert classify_run(Facts(entries={}))[0] == "layout_drift"
    assert classify_run(Facts(details=4, extract_failures=3))[0] == "layout_drift"
    assert classify_run(Facts(list_pages=1, list_not_modified=True, entries={}))[0] == "ok"
    assert classify_run(Facts(stopped=True))[0] == "interrupted"  # cut short, whatever it read
    database_down = problem("storage", "cannot store: OperationalError", is_list=False)
    assert classify_run(Facts(problems=[database_down]))[0] == "storage_error"


def run(outcome: str) -> CrawlRun:
    return CrawlRun(
        id=1, source_id="s", outcome=outcome, error="boom", started_at=datetime(2024, 1, 1)
    )


def test_one_error_at_the_threshold_one_recovery_and_interruptions_change_nothing():
    source = Source(id="s", consecutive_failures=0, error_reported=False)
    kinds = []
    for outcome in [
        "http_error",
        "http_error",
        "interrupted",
        "http_error",
        "http_error",
        "ok",
        "ok",
    ]:
        kinds += [e.kind for e in health_events(source, run(outcome), threshold=3)]
    assert kinds == ["source_error", "source_recovered"]
    assert source.consecutive_failures == 0


def test_stale_when_the_newest_notice_is_old(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'h.db'}")
    upgrade(engine)
    now = datetime(2024, 6, 1)
    with Session(engine) as session:
        session.add(Source(id="s", name="s", url="http://a/", created_at=now))
        session.flush()
        assert stale_error(session, "s", 30, now) is None  # nothing stored yet
        seen = now - timedelta(days=45)
        session.add(
            Notice(source_id="s", url="http://a/1", title="t", first_seen=seen, last_seen=seen)
        )
        session.flush()
        assert stale_error(session, "s", None, now) is None
        assert stale_error(session, "s", 60, now) is None
        assert stale_error(session, "s", 30, now) == "no new notice for 45 days (stale_days = 30)"
    engine.dispose()
