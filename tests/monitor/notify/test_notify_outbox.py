"""The outbox: which subscriptions and targets an event gets rows for, written in its transaction."""

from __future__ import annotations

import pytest

from monitor.config import Subscription
from monitor.notify.outbox import enqueue
from monitor.notify.targets import target_hash
from storage.db import open_database
from storage.models import Event
from tests.support.notify import TAIPEI, deliveries, make_config, store_event, store_source_event

HOOK = "json://127.0.0.1:9/hook"
MAIL = "mailto://alerts:pw-Secret9@127.0.0.1:9?to=office@example.com&mode=insecure"


@pytest.fixture
def sessions(sqlite_url):
    return open_database(sqlite_url)


def subscribe(**fields) -> Subscription:
    return Subscription(**({"name": "office", "notify": (HOOK,)} | fields))


def rows_for(sessions, *subscriptions, **event) -> list:
    config = make_config("sqlite://", subscriptions)
    store_event(sessions, config, **event)
    return deliveries(sessions)


def test_one_row_per_subscription_and_target_holding_no_url(sessions):
    rows = rows_for(sessions, subscribe(notify=(HOOK, MAIL)), subscribe(name="parents"))
    assert [(r.subscription, r.target_label, r.status) for r in rows] == [
        ("office", "json://127.0.0.1", "pending"),
        ("office", "mailto://127.0.0.1", "pending"),
        ("parents", "json://127.0.0.1", "pending"),
    ]
    assert rows[1].target == target_hash(MAIL)
    assert all("pw-Secret9" not in f"{r.target_label}{r.payload}{r.key}" for r in rows)


@pytest.mark.parametrize(
    ("keywords", "source", "title", "wanted"),
    [
        (("招生",), None, "关于做好2024年普通高校招生录取工作的通知", True),
        (
            ("招生",),
            TAIPEI,
            "關於做好2024年大學招生錄取工作的通知",
            True,
        ),  # 繁體 page, 简体 keyword
        (
            ("錄取",),
            None,
            "关于做好2024年普通高校招生录取工作的通知",
            True,
        ),  # 繁體 keyword, 简体 page
        (("开学",), None, "关于做好2024年普通高校招生录取工作的通知", False),
        ((), None, "任意通知", True),
    ],
)
def test_keywords_match_in_both_scripts(sessions, keywords, source, title, wanted):
    event = {"title": title, "text": title} | (
        {"source": source, "url": "https://doe.gov.taipei/1"} if source else {}
    )
    assert bool(rows_for(sessions, subscribe(keywords=keywords), **event)) is wanted


def test_exclude_keywords_sources_tags_and_events_filter(sessions):
    subscriptions = (
        subscribe(name="no-bids", exclude_keywords=("招生",)),
        subscribe(name="other-source", sources=("zhengzhou-*",)),
        subscribe(name="glob", sources=("xinxiang-*",)),
        subscribe(name="tag", tags=("province:河南",)),
        subscribe(name="other-tag", tags=("province:山东",)),
        subscribe(name="changes-only", events=("changed",)),
    )
    assert [r.subscription for r in rows_for(sessions, *subscriptions)] == ["glob", "tag"]


def test_digest_rows_wait_and_source_events_ignore_keywords(sessions):
    config = make_config(
        "sqlite://",
        [
            subscribe(mode="digest"),
            subscribe(name="health", keywords=("招生",), events=("source_error",)),
        ],
    )
    store_event(sessions, config)
    store_source_event(
        sessions, config, "source_error", {"outcome": "network_error", "failures": 3}
    )
    assert [(r.subscription, r.status) for r in deliveries(sessions)] == [
        ("office", "digest"),
        ("health", "pending"),
    ]


def test_a_bad_url_never_breaks_enqueue(sessions):
    rows = rows_for(sessions, subscribe(notify=("mailto://...", "not a url", HOOK)))
    assert len(rows) == 3 and rows[0].target_label.startswith("mailto://*** (")


def test_enqueue_twice_adds_nothing(sessions):
    config = make_config("sqlite://", [subscribe()])
    event_id = store_event(sessions, config)
    with sessions.begin() as session:
        assert (
            enqueue(session, session.get(Event, event_id), config.sources[0], config.subscriptions)
            == 0
        )
    assert len(deliveries(sessions)) == 1


def test_apprise_config_targets_by_tag(sessions, tmp_path):
    path = tmp_path / "apprise.yml"
    path.write_text(
        f"urls:\n  - {HOOK}:\n      tag: office\n  - json://127.0.0.1:10/other:\n      tag: parents\n",
        encoding="utf-8",
    )
    rows = rows_for(sessions, Subscription(name="office", apprise_config=str(path)))
    assert [r.target_label for r in rows] == ["json://127.0.0.1"]
    missing = rows_for(
        sessions,
        Subscription(name="x", apprise_config=str(tmp_path / "none.yml")),
        url="https://b.cn/2",
    )
    assert missing[-1].target_label == "apprise_config:none.yml"
