"""Delivery through apprise to real receivers on 127.0.0.1: once, in spite of failures, crashes and limits."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.wecombot import NotifyWeComBot
from sqlalchemy import update

from monitor.config import Subscription
from monitor.daemon import jobs
from monitor.notify.digest import send_due_digests
from monitor.notify.sender import drain
from storage.db import open_database, utcnow
from storage.models import Delivery, DigestState
from tests.support.notify import FAST, TEXT, TITLE, URL, deliveries, make_config, store_event
from tests.support.receivers import SMTP_PASSWORD, WebhookReceiver

WECOM_KEY = "0a1b2c3d-wecom-key-5678"
DING_TOKEN = "d1ngTalkT0kenSecret42"


def setup(db_url: str, *targets: str, **subscription) -> tuple:
    sessions = open_database(db_url)
    config = make_config(db_url, [Subscription(name="office", notify=targets, **subscription)])
    return sessions, config


def test_a_very_long_title_still_makes_an_email_with_the_whole_title_inside(sqlite_url, smtp):
    """The SMTP server refuses lines over 1,000 octets; apprise does not fold the Subject."""
    title = "关于" + "做好全市中小学校园安全工作和学生资助申报" * 8 + "的通知"
    sessions, config = setup(sqlite_url, smtp.url)
    store_event(sessions, config, title=title)
    assert drain(sessions, config, deadline_seconds=10, policy=FAST).sent == 1
    [mail] = smtp.wait_for(1)
    assert mail.subject.startswith("【新乡市教育局】关于做好") and mail.subject.endswith("…")
    assert title in mail.html


def test_new_notice_sends_one_email_and_one_webhook_post(db_url, smtp, webhook):
    sessions, config = setup(db_url, smtp.url, webhook.url)
    store_event(sessions, config)
    report = drain(sessions, config, deadline_seconds=10, policy=FAST)
    assert (report.sent, report.failed, report.pending) == (2, 0, 0)
    [mail] = smtp.wait_for(1)
    assert mail.subject == f"【新乡市教育局】{TITLE}" and mail.to == "office@example.com"
    assert (
        URL in mail.html
        and "发布日期：2024-07-01" in mail.html
        and "录取工作日程安排.pdf" in mail.html
    )
    [post] = webhook.wait_for(1)
    assert post.body["title"] == f"【新乡市教育局】{TITLE}"
    assert f"链接：{URL}" in post.body["message"] and "发布日期：2024-07-01" in post.body["message"]
    assert drain(sessions, config, deadline_seconds=1, policy=FAST).sent == 0
    assert len(smtp.inbox) == 1 and len(webhook.posts) == 1
    assert all(d.status == "sent" and d.attempts == 1 and d.sent_at for d in deliveries(sessions))


def test_a_failing_receiver_that_recovers_gets_the_alert_exactly_once(
    db_url, flaky_webhook, webhook
):
    sessions, config = setup(db_url, flaky_webhook.url, webhook.url)
    store_event(sessions, config)
    report = drain(sessions, config, deadline_seconds=10, policy=FAST)
    assert (report.sent, report.retrying, report.pending) == (2, 2, 0)
    assert flaky_webhook.requests == 3 and len(flaky_webhook.posts) == 1 and len(webhook.posts) == 1
    flaky, steady = deliveries(sessions)
    assert (flaky.status, flaky.attempts, steady.attempts) == ("sent", 3, 1)


def test_smtp_down_during_the_crawl_is_delivered_after_it_comes_back(sqlite_url, smtp):
    sessions, config = setup(sqlite_url, smtp.url)
    smtp.stop()
    store_event(sessions, config)
    report = drain(sessions, config, deadline_seconds=0.1, policy=FAST)
    assert (report.sent, report.retrying, report.pending) == (0, 1, 1)
    [row] = deliveries(sessions)
    assert "127.0.0.1" in row.last_error and SMTP_PASSWORD not in row.last_error
    smtp.start()
    assert drain(sessions, config, deadline_seconds=10, policy=FAST).sent == 1
    assert len(smtp.wait_for(1)) == 1 and deliveries(sessions)[0].status == "sent"


def test_gives_up_after_max_attempts_and_never_holds_up_other_targets(sqlite_url, webhook):
    broken = WebhookReceiver(fail_first=1000).start()
    try:
        sessions, config = setup(sqlite_url, "mailto://...", broken.url, webhook.url)
        store_event(sessions, config)
        report = drain(sessions, config, deadline_seconds=15, policy=FAST)
    finally:
        broken.stop()
    assert (report.sent, report.failed, report.pending) == (1, 2, 0)
    invalid, failing, ok = deliveries(sessions)
    assert (invalid.status, invalid.attempts) == (
        "failed",
        1,
    ) and "not a valid apprise URL" in invalid.last_error
    assert (failing.status, failing.attempts) == (
        "failed",
        FAST.max_attempts,
    ) and "500" in failing.last_error
    assert ok.status == "sent" and broken.requests == FAST.max_attempts


def test_two_notifiers_never_send_the_same_delivery(db_url, webhook):
    sessions, config = setup(db_url, webhook.url)
    for number in range(12):
        store_event(
            sessions,
            config,
            url=f"https://jyj.xinxiang.gov.cn/tzgg/{number}.html",
            title=f"第{number}号通知",
        )
    other = open_database(db_url)
    reports = []
    threads = [
        threading.Thread(
            target=lambda s=s: reports.append(drain(s, config, deadline_seconds=10, policy=FAST))
        )
        for s in (sessions, other)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in reports) == 12 and len(webhook.wait_for(12)) == 12
    assert sorted(p.body["title"] for p in webhook.posts) == sorted(
        f"【新乡市教育局】第{n}号通知" for n in range(12)
    )


def test_an_abandoned_claim_is_taken_over_after_it_expires(sqlite_url, webhook):
    sessions, config = setup(sqlite_url, webhook.url)
    store_event(sessions, config)
    with sessions.begin() as session:  # a notifier claimed it and died
        session.execute(update(Delivery).values(claimed_until=utcnow() + timedelta(seconds=0.5)))
    assert (
        drain(sessions, config, deadline_seconds=0.1, policy=FAST).pending == 1
        and not webhook.posts
    )
    assert drain(sessions, config, deadline_seconds=5, policy=FAST).sent == 1
    assert len(webhook.posts) == 1


def test_digest_collects_several_events_into_one_message(db_url, webhook):
    sessions, config = setup(db_url, webhook.url, mode="digest", digest_cron="0 8 * * *")
    titles = ["关于2024年中考录取的通知", "关于暑期安全教育的通知", "关于秋季开学工作的通知"]
    for number, title in enumerate(titles):
        store_event(sessions, config, url=f"https://jyj.xinxiang.gov.cn/{number}.html", title=title)
    assert drain(sessions, config, deadline_seconds=0.5, policy=FAST).sent == 0  # digest rows wait
    assert send_due_digests(sessions, config, utcnow()).sent == 0  # 08:00 has not come since
    tomorrow = next_eight_oclock(config.timezone) + timedelta(minutes=1)  # whatever the hour now
    report = send_due_digests(sessions, config, tomorrow, policy=FAST)
    assert report.sent == 1
    [post] = webhook.wait_for(1)
    assert post.body["title"] == "【通知摘要】office：3 条"
    assert all(title in post.body["message"] for title in titles)
    assert all(f"https://jyj.xinxiang.gov.cn/{n}.html" in post.body["message"] for n in range(3))
    assert (
        send_due_digests(sessions, config, tomorrow + timedelta(minutes=1), policy=FAST).sent == 0
    )
    store_event(sessions, config, url="https://jyj.xinxiang.gov.cn/9.html", title="第四个通知")
    assert send_due_digests(sessions, config, tomorrow + timedelta(hours=1), policy=FAST).sent == 0
    assert send_due_digests(sessions, config, tomorrow + timedelta(days=1), policy=FAST).sent == 1
    second = webhook.wait_for(2)[1]
    assert (
        second.body["title"].startswith("【通知摘要】office：1 条（")
        and "第四个通知" in second.body["message"]
    )
    with sessions() as session:
        assert session.get(DigestState, "office").last_count == 1
    assert [d.status for d in deliveries(sessions)].count("digested") == 4


def next_eight_oclock(zone: str) -> datetime:
    """The next 08:00 in ``zone``, as naive UTC (the database's time)."""
    local = datetime.now(ZoneInfo(zone))
    fire = local.replace(hour=8, minute=0, second=0, microsecond=0)
    if fire <= local:
        fire += timedelta(days=1)
    return fire.astimezone(UTC).replace(tzinfo=None)


def test_the_daemon_digest_job_queues_the_digest_and_wakes_the_notifier(
    sqlite_url, webhook, monkeypatch
):
    sessions, config = setup(sqlite_url, webhook.url, mode="digest", digest_cron="0 8 * * *")
    store_event(sessions, config, title="关于暑期安全教育的通知")
    woken: list[bool] = []
    monkeypatch.setattr(jobs, "utcnow", lambda: utcnow() + timedelta(days=1))  # 08:00 has come
    jobs.bind(
        jobs.JobContext(
            config, ZoneInfo(config.timezone), sessions, None, lambda: woken.append(True)
        )
    )
    try:
        jobs.digest("0 8 * * *")
    finally:
        jobs.bind(None)
    assert woken == [True] and not webhook.posts, "the job queues; the notifier child sends"
    assert drain(sessions, config, deadline_seconds=5, policy=FAST).sent == 1
    [post] = webhook.wait_for(1)
    assert post.body["title"] == "【通知摘要】office：1 条"


@pytest.fixture
def chat_hooks(webhook, monkeypatch):
    """WeCom and DingTalk bots that post to the local receiver instead of qyapi/oapi."""
    monkeypatch.setattr(
        NotifyWeComBot, "notify_url", f"http://127.0.0.1:{webhook.port}/wecom?key={{key}}"
    )
    monkeypatch.setattr(
        NotifyDingTalk, "notify_url", f"http://127.0.0.1:{webhook.port}/ding?access_token={{token}}"
    )
    return webhook


def test_long_chinese_notice_to_wecom_is_valid_utf8_within_2048_bytes(sqlite_url, chat_hooks):
    sessions, config = setup(sqlite_url, f"wecombot://{WECOM_KEY}", f"dingtalk://{DING_TOKEN}/")
    store_event(sessions, config, text=TEXT * 40)
    assert drain(sessions, config, deadline_seconds=10, policy=FAST).sent == 2
    wecom, ding = sorted(chat_hooks.wait_for(2), key=lambda p: p.path)[::-1]
    assert wecom.body["msgtype"] == "text"
    content = wecom.body["text"]["content"]
    assert len(content.encode("utf-8")) <= 2048
    assert content.startswith(f"【新乡市教育局】{TITLE}") and URL in content and "…" in content
    assert ding.body["msgtype"] == "markdown"
    assert f"链接：[{URL}]({URL})" in ding.body["markdown"]["text"] and len(ding.raw) < 20000


def test_no_secret_reaches_the_logs(sqlite_url, smtp, chat_hooks, caplog):
    caplog.set_level(logging.DEBUG)
    broken = f"json://user:{SMTP_PASSWORD}@127.0.0.1:1/hook"
    sessions, config = setup(
        sqlite_url, smtp.url, f"wecombot://{WECOM_KEY}", f"dingtalk://{DING_TOKEN}/", broken
    )
    store_event(sessions, config)
    later = replace(FAST, first_delay=600.0, max_delay=600.0)  # the retry falls after the drain
    report = drain(sessions, config, deadline_seconds=60, policy=later)
    assert report.sent == 3 and report.retrying == 1
    stored = " ".join(f"{d.target_label} {d.last_error}" for d in deliveries(sessions))
    for secret in (SMTP_PASSWORD, WECOM_KEY, DING_TOKEN):
        assert secret not in caplog.text and secret not in stored
    assert (
        "qyapi" not in caplog.text and "/wecom?key=***" in caplog.text
    )  # the service URL was logged, masked
