"""The pending set and the Recorder's use of it, on SQLite and PostgreSQL, without a network."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from monitor import pending
from monitor.config import Config, CrawlSettings, Source
from monitor.recorder import Recorder
from spiders.items import DetailPage, FetchProblem, ListEntry, ListPage
from storage.db import open_database
from storage.models import CrawlRun, Event, Notice, PendingLink
from storage.models import Source as SourceRow

T0 = datetime(2026, 3, 2, 8, 0)
SOURCE = Source(id="s", name="某市教育局", url="http://127.0.0.1:9/list.html")
PAGE = (
    "<html><head><title>{title}_某市教育局</title></head><body><div class='TRS_Editor'>"
    "<p>各县（市、区）教育局：现将有关事项通知如下，请认真贯彻执行。{title}</p></div></body></html>"
)


def entry(number: int) -> ListEntry:
    return ListEntry(f"http://127.0.0.1:9/art/{number}.html", f"第{number}号通知", "2026-03-01")


def test_retry_delay_is_zero_first_then_doubles_to_a_day():
    assert pending.retry_delay(1, 300) == timedelta(0)  # the very next crawl
    assert pending.retry_delay(2, 300) == timedelta(seconds=300)
    assert pending.retry_delay(4, 300) == timedelta(seconds=1200)
    assert pending.retry_delay(30, 300) == timedelta(days=1)


def test_links_stay_pending_until_stored_and_are_given_up_once(db_url):
    sessions = open_database(db_url)
    with sessions.begin() as session:
        session.add(SourceRow(id="s", name=SOURCE.name, url=SOURCE.url, created_at=T0))
    with sessions.begin() as session:
        assert pending.remember(session, "s", [entry(1), entry(2)], T0, baseline=False) == 2
        assert pending.remember(session, "s", [entry(1)], T0, baseline=False) == 0  # once
    with sessions() as session:
        assert [e.url for e in due_of_s(session, T0)] == [entry(1).url, entry(2).url]
        assert due_of_s(session, T0)[0].title == "第1号通知"  # list data is kept

    def fail(when: datetime) -> PendingLink | None:
        with sessions.begin() as session:
            row = pending.record_failure(
                session, entry(1).url, "http: HTTP 503", when, give_up_after=3, first_delay=60
            )
            return row.url if row is not None and row.gave_up_at else None  # given up now

    assert fail(T0) is None
    with sessions() as session:  # first retry: the very next crawl
        assert entry(1).url in {e.url for e in due_of_s(session, T0)}
    assert fail(T0) is None
    with sessions() as session:  # second retry waits first_delay
        assert entry(1).url not in {e.url for e in due_of_s(session, T0)}
        assert pending.lookup(session, [entry(1).url], T0) == {entry(1).url: False}
        later = T0 + timedelta(seconds=61)
        assert entry(1).url in {e.url for e in due_of_s(session, later)}
    assert fail(T0 + timedelta(seconds=61)) == entry(1).url  # the third failure gives up
    assert fail(T0 + timedelta(seconds=200)) is None  # and only once
    with sessions.begin() as session:
        assert [e.url for e in due_of_s(session, T0 + timedelta(days=9))] == [entry(2).url]
        pending.resolve(session, entry(2).url)
    with sessions() as session:
        rows = pending.listed(session)
        assert [(r.url, r.attempts, r.gave_up_at is not None) for r in rows] == [
            (entry(1).url, 3, True)
        ]


def config_for(url: str, give_up_after: int = 2) -> Config:
    crawl = CrawlSettings(give_up_after=give_up_after, pending_retry_delay=0)
    return Config(Path("c.toml"), url, (SOURCE,), crawl=crawl)


def crawl_once(recorder: Recorder, list_entries: list[ListEntry], fetched: dict[str, int]):
    """One crawl as the spider reports it: page 1, then each detail page in ``fetched``."""
    spec = recorder.begin(SOURCE).spec
    recorder.on_list_page(ListPage("s", SOURCE.url, 1, 200, list_entries))
    targets = {item.url: item for item in [*list_entries, *spec.retry] if item.url in fetched}
    for url, item in targets.items():
        status = fetched[url]
        if status == 200:
            body = PAGE.format(title=item.title).encode()
            recorder.on_detail(DetailPage("s", url, url, 200, body, "text/html", item))
        else:
            recorder.on_problem(FetchProblem("s", url, "http", f"HTTP {status}", status))
    return spec, recorder.finish("s")


def test_a_failed_detail_page_is_fetched_again_and_alerted_once(db_url):
    recorder = Recorder(open_database(db_url), config_for(db_url, give_up_after=5))
    crawl_once(recorder, [entry(1)], {entry(1).url: 200})  # the silent baseline
    spec, run = crawl_once(recorder, [entry(2), entry(1)], {entry(2).url: 503})
    assert run.outcome == "ok" and run.complete
    spec, _ = crawl_once(recorder, [], {entry(2).url: 200})  # the list shows nothing new (304)
    assert [e.url for e in spec.retry] == [entry(2).url]
    with recorder.sessions() as session:
        kinds = session.execute(select(Event.kind, Notice.url).join(Notice)).all()
        assert kinds == [("new", entry(2).url)]
        assert session.scalars(select(PendingLink)).all() == []


def test_a_link_seen_in_the_baseline_is_stored_silently_later(db_url):
    recorder = Recorder(open_database(db_url), config_for(db_url, give_up_after=5))
    crawl_once(recorder, [entry(1), entry(2)], {entry(1).url: 200, entry(2).url: 503})
    crawl_once(recorder, [entry(1), entry(2)], {entry(2).url: 200})
    with recorder.sessions() as session:
        assert session.scalar(select(Notice.id).where(Notice.url == entry(2).url))
        assert session.scalars(select(Event)).all() == []  # an old notice, never "new"


def test_given_up_is_one_source_error_naming_the_notice(db_url):
    recorder = Recorder(open_database(db_url), config_for(db_url, give_up_after=2))
    crawl_once(recorder, [entry(1)], {entry(1).url: 200})
    crawl_once(recorder, [entry(2), entry(1)], {entry(2).url: 503})
    _, run = crawl_once(recorder, [entry(2), entry(1)], {entry(2).url: 500})
    assert any(p["kind"] == "gave_up" and p["url"] == entry(2).url for p in run.problems)
    spec, _ = crawl_once(recorder, [entry(2), entry(1)], {})
    assert spec.retry == ()  # given up: no more fetches
    with recorder.sessions() as session:
        events = session.scalars(select(Event)).all()
        assert [(e.kind, e.details["outcome"], e.details["url"]) for e in events] == [
            ("source_error", "notice_unreachable", entry(2).url)
        ]


def test_the_next_crawl_reads_every_page_after_an_unfinished_one(db_url):
    recorder = Recorder(open_database(db_url), config_for(db_url))
    spec = recorder.begin(SOURCE).spec
    assert spec.deep  # no previous run
    crawl_once(recorder, [entry(1)], {entry(1).url: 200})
    spec = recorder.begin(SOURCE).spec  # this run is never finished: the process was killed
    assert not spec.deep
    spec = recorder.begin(SOURCE).spec
    assert spec.deep
    with recorder.sessions() as session:
        owners = session.scalars(select(CrawlRun.owner)).all()
        assert all(owner and owner.count(":") == 1 for owner in owners)


def test_many_sources_are_asked_in_one_go_each_to_its_own_limit(db_url, monkeypatch):
    """``Recorder.begin_all`` asks for every source's due links at once: each source gets its
    oldest ones, at most MAX_RETRIES_PER_CRAWL of them, and none of another source's."""
    monkeypatch.setattr(pending, "MAX_RETRIES_PER_CRAWL", 2)
    sessions = open_database(db_url)
    with sessions.begin() as session:
        for source_id in ("s", "t", "u"):
            session.add(SourceRow(id=source_id, name=source_id, url=SOURCE.url, created_at=T0))
    with sessions.begin() as session:
        for number in (1, 2, 3):
            seen = T0 + timedelta(minutes=number)
            pending.remember(session, "s", [entry(number)], seen, baseline=False)
        pending.remember(session, "t", [entry(9)], T0, baseline=False)
    with sessions() as session:
        due = pending.due(session, ["s", "t", "u"], T0 + timedelta(hours=1))
    assert {source: [e.url for e in entries] for source, entries in due.items()} == {
        "s": [entry(1).url, entry(2).url],
        "t": [entry(9).url],
    }


def due_of_s(session, now):
    return pending.due(session, ["s"], now).get("s", [])
