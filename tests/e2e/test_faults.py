"""Fault injection against the guarantee "never miss a notice".

Real processes (``noticewatch crawl`` and ``noticewatch run``), the mock sites
over HTTP with injected faults (``site.fail``, ``site.stall``), a real SMTP
receiver and webhook, SQLite and PostgreSQL (a private throwaway server for
outages). Every wait is bounded; nothing asserts on wall-clock time.
"""

from __future__ import annotations

import random
import signal
import time

import pytest
from sqlalchemy import select

from monitor.demo.model import MockNotice
from monitor.demo.site import STALLED
from storage.models import Delivery, Event, PendingLink
from tests.support.cli import db_rows, wait_for
from tests.support.daemon import outcomes, posted, subscription
from tests.support.faults import (
    Supervisor,
    config_file,
    crawl,
    daemon_file,
    health_status,
    kill_storm,
    mails_per_title,
    paths_logged,
    publish,
    stored_urls,
    unfinished_runs,
    verdict,
)
from tests.support.receivers import WebhookReceiver, free_port
from tests.support.throwaway_pg import ThrowawayPostgres, throwaway_pg_fixture  # noqa: F401 (fixture)


# -- a: a detail page failing once ----------------------------------------------------
def test_a_detail_page_failing_once_is_stored_and_alerted_once_on_the_next_crawl(
    sites, db_url, tmp_path, smtp
):
    discuz = sites["discuz"]  # dynamic list: answers 200 every time
    site = discuz.site
    config = config_file(
        tmp_path / "c.toml", db_url, [discuz], extra=subscription("office", [smtp.url], ["new"])
    )
    crawl(config)  # baseline
    [notice] = publish(site, random.Random(1), [1])
    detail = site.detail_path(notice.id)
    site.fail(detail, status=503, times=1)
    crawl(config)
    assert (detail, 503) in paths_logged(site), "the injected 503 never reached the crawler"
    assert smtp.inbox == [], "an alert was sent for a notice whose page failed"

    crawl(config)
    stored = discuz.url(detail) in stored_urls(db_url)
    mails = mails_per_title(smtp, [notice.title])
    assert stored and mails[notice.title] == 1 and len(smtp.inbox) == 1, (
        f"after the page healed: stored={stored}, mails for it={mails[notice.title]}, "
        f"mails in all={len(smtp.inbox)}"
    )


def test_a_the_retry_happens_even_when_the_list_answers_304(sites, sqlite_url, tmp_path, smtp):
    trs = sites["trs"]  # static list with ETag / Last-Modified
    site = trs.site
    config = config_file(
        tmp_path / "c.toml", sqlite_url, [trs], extra=subscription("office", [smtp.url], ["new"])
    )
    crawl(config)
    [notice] = publish(site, random.Random(2), [1])
    detail = site.detail_path(notice.id)
    site.fail(detail, status=503, times=1)
    crawl(config)
    assert (detail, 503) in paths_logged(site), "the injected 503 never reached the crawler"

    site.clear_requests()
    output = crawl(config)
    logged = paths_logged(site)
    assert (site.list_path, 304) in logged, f"precondition: the list should answer 304: {logged}"
    mails = mails_per_title(smtp, [notice.title])
    stored = trs.url(detail) in stored_urls(sqlite_url)
    assert (detail, 200) in logged and stored and mails[notice.title] == 1, (
        f"with the list unchanged (304) the failed notice must still be retried: "
        f"requests {logged}, stored={stored}, mails={mails[notice.title]}; crawl said: {output}"
    )

    crawl(config)
    assert len(smtp.inbox) == 1, (
        f"alerted again on a later crawl: {[m.subject for m in smtp.inbox]}"
    )


# -- b: a detail page that never heals -------------------------------------------------
def test_b_a_page_failing_give_up_after_times_is_reported_once_and_never_stored(
    sites, sqlite_url, tmp_path, webhook: WebhookReceiver
):
    vsb = sites["vsb"]
    site = vsb.site
    config = config_file(
        tmp_path / "c.toml",
        sqlite_url,
        [vsb],
        crawl={"give_up_after": 3, "pending_retry_delay": 0},
        extra=subscription("admin", [webhook.url], ["source_error"]),
    )
    crawl(config)
    [notice] = publish(site, random.Random(3), [1])
    detail = site.detail_path(notice.id)
    url = vsb.url(detail)
    site.fail(detail, status=503, times=None)
    for _ in range(3):
        crawl(config)
    failures = paths_logged(site).count((detail, 503))
    assert failures == 3, f"expected one failed fetch per crawl (3), got {failures}"
    events = [
        (event.kind, event.details.get("outcome"), event.details.get("url"))
        for event in db_rows(sqlite_url, select(Event))
    ]
    assert events == [("source_error", "notice_unreachable", url)], (
        f"giving up must make exactly one source_error/notice_unreachable event: {events}"
    )
    texts = posted(webhook)
    assert len(texts) == 1 and url in texts[0], f"expected one alert naming {url}: {texts}"

    site.clear_requests()
    crawl(config)  # given up: neither fetched nor reported again
    assert detail not in [path for path, _ in paths_logged(site)], "a given-up link was fetched"
    assert len(posted(webhook)) == 1, f"the give-up was alerted again: {posted(webhook)}"
    [pending] = db_rows(sqlite_url, select(PendingLink).where(PendingLink.url == url))
    assert url not in stored_urls(sqlite_url) and pending.gave_up_at is not None, (
        f"a given-up notice must not be stored: stored={url in stored_urls(sqlite_url)}, "
        f"gave_up_at={pending.gave_up_at}"
    )


# -- c: pagination after an interrupted crawl ------------------------------------------
def test_c_notices_sliding_pages_after_a_killed_crawl_are_stored_and_alerted(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    dede = sites["dede"]  # no pinned rows
    site = dede.site
    site.per_page = 3
    config = config_file(
        tmp_path / "c.toml",
        sqlite_url,
        [dede],
        crawl={"concurrency_per_host": 4},
        extra=subscription("office", [smtp.url], ["new"]),
    )
    crawl(config)
    rng = random.Random(4)
    first = publish(site, rng, range(1, 5))  # N1..N4: page 1 = N4 N3 N2, page 2 = N1 …
    site.stall(site.page_path(2))  # the first crawl never reads page 2
    killed = start_cli(config, "crawl")
    top = {dede.url(site.detail_path(n.id)) for n in first[1:]}
    wait_for(lambda: top <= stored_urls(sqlite_url), 30, "N2..N4 stored by the first crawl")
    wait_for(lambda: site.held, 10, "the first crawl waiting for page 2")
    [slider] = publish(site, rng, [5])  # X: on page 1 now, never read by the first crawl
    killed.proc.kill()
    killed.proc.wait()
    site.clear_faults()

    later = publish(site, rng, range(6, 12))  # six more push X to page 3 and N1 to page 4
    assert (site.page_of(slider.id), site.page_of(first[0].id)) == (3, 4), "precondition"
    crawl(config)
    everything = [*first, slider, *later]
    titles = [n.title for n in everything]
    urls = {n.title: dede.url(site.detail_path(n.id)) for n in everything}
    problem = verdict(titles, stored_urls(sqlite_url), urls, mails_per_title(smtp, titles))
    assert not problem, problem


# -- d: SIGKILL storm on the daemon ----------------------------------------------------
def test_d_kill_storm_on_the_daemon_loses_and_repeats_nothing(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    trs = sites["trs"]
    config = daemon_file(
        tmp_path / "c.toml",
        sqlite_url,
        [trs],
        max_pages=12,
        extra=subscription("office", [smtp.url], ["new"]),
    )
    report = kill_storm(
        lambda: start_cli(config, "run"), trs, sqlite_url, smtp, kills=12, notices=55, seed=7
    )
    problem = verdict(report.titles, report.stored, report.urls, report.mails)
    assert not problem, f"after {report.kills} kills: {problem}"
    assert report.exit_code == 0 and report.unfinished == 0 and not report.exits, (
        f"clean stop: exit code {report.exit_code}, runs left unfinished {report.unfinished}; "
        f"daemons that exited by themselves: {report.exits}"
    )


# -- d: SIGKILL while a mail is being sent ----------------------------------------------
def test_d_a_daemon_killed_while_a_mail_is_accepted_neither_loses_nor_repeats_it(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    """The moment a kill used to alert twice: the server has the mail, the outbox does not know."""
    discuz = sites["discuz"]
    site = discuz.site
    patient = smtp.url + "&cto=120"  # apprise waits for the held reply instead of failing
    config = daemon_file(
        tmp_path / "c.toml", sqlite_url, [discuz], extra=subscription("office", [patient], ["new"])
    )
    first = start_cli(config, "run")
    wait_for(lambda: "ok" in outcomes(sqlite_url, site.source_id), 30, "the baseline crawl")
    smtp.holding.set()
    [notice] = publish(site, random.Random(8), [1])
    wait_for(lambda: smtp.inbox, 30, "the alert reaching the SMTP server")
    first.proc.kill()
    first.proc.wait()

    second = start_cli(config, "run")  # takes over: releases what dead processes held
    ended = len(outcomes(sqlite_url, site.source_id))
    wait_for(
        lambda: len(outcomes(sqlite_url, site.source_id)) > ended, 60, "a crawl by the new daemon"
    )
    smtp.holding.clear()
    statuses = lambda: db_rows(sqlite_url, select(Delivery.status))  # noqa: E731
    wait_for(lambda: statuses() == ["sent"], 60, "the held delivery recorded as sent")
    assert second.stop() == 0
    mails = mails_per_title(smtp, [notice.title])
    assert mails[notice.title] == 1 and len(smtp.inbox) == 1, (
        f"one mail expected: {[mail.subject for mail in smtp.inbox]}"
    )


# -- e: SIGTERM in the middle of a crawl ----------------------------------------------
def test_e_sigterm_during_a_crawl_exits_0_and_leaves_no_run_unfinished(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    hanweb = sites["hanweb"]
    site = hanweb.site
    config = daemon_file(
        tmp_path / "c.toml", sqlite_url, [hanweb], extra=subscription("office", [smtp.url], ["new"])
    )
    daemon = start_cli(config, "run")
    wait_for(lambda: "ok" in outcomes(sqlite_url, site.source_id), 30, "the baseline crawl")
    [notice] = publish(site, random.Random(5), [1])
    detail = site.detail_path(notice.id)
    site.stall(detail, times=None)
    wait_for(lambda: site.held, 20, "a crawl held on the new notice's page")
    try:
        code = daemon.stop(signal.SIGTERM, timeout=20)
    finally:
        site.clear_faults()
    left = [(run.id, run.outcome) for run in unfinished_runs(sqlite_url)]
    assert code == 0 and not left, f"SIGTERM mid-crawl: exit code {code}, unfinished runs {left}"
    assert outcomes(sqlite_url, site.source_id)[-1] == "interrupted", (
        f"the crawl cut short should end interrupted: {outcomes(sqlite_url, site.source_id)}"
    )
    assert (detail, STALLED) in paths_logged(site)

    again = start_cli(config, "run")  # the notice seen on the list is not lost
    wait_for(lambda: mails_per_title(smtp, [notice.title])[notice.title], 30, "the alert")
    assert again.stop() == 0
    assert len(smtp.inbox) == 1, f"expected one alert: {[m.subject for m in smtp.inbox]}"


# -- f: PostgreSQL outage --------------------------------------------------------------
@pytest.mark.parametrize(
    "outage", [15, pytest.param(60, marks=pytest.mark.slow, id="60-slow")], ids=str
)
def test_f_a_postgresql_outage_loses_and_repeats_no_notice(
    sites,
    throwaway_pg: ThrowawayPostgres,
    tmp_path,
    smtp,
    start_cli,
    outage,
):
    vsb = sites["vsb"]
    site, url = vsb.site, throwaway_pg.url
    bind = f"127.0.0.1:{free_port()}"
    extra = subscription("office", [smtp.url], ["new"]) + f'[daemon]\nstatus_bind = "{bind}"\n'
    config = daemon_file(tmp_path / "c.toml", url, [vsb], extra=extra)
    supervisor = Supervisor(lambda: start_cli(config, "run"))
    wait_for(lambda: "ok" in outcomes(url, site.source_id), 30, "the baseline crawl")
    rng = random.Random(6)
    added: list[MockNotice] = []
    statuses: set[int] = set()  # what /healthz answered during the outage
    throwaway_pg.stop()
    try:
        down = time.monotonic()
        while time.monotonic() - down < outage:
            if len(added) < 3 and time.monotonic() - down >= len(added) * outage / 3:
                added += publish(site, rng, [len(added) + 1])
            supervisor.check()
            statuses.add(health_status(bind))
            time.sleep(0.2)
    finally:
        throwaway_pg.start()
    titles = [n.title for n in added]
    urls = {n.title: vsb.url(site.detail_path(n.id)) for n in added}

    def settled() -> bool:
        supervisor.check()
        return not verdict(titles, stored_urls(url), urls, mails_per_title(smtp, titles))

    wait_for(settled, 90, "every notice stored and alerted after the outage")
    ended = len(outcomes(url, site.source_id))
    wait_for(lambda: len(outcomes(url, site.source_id)) > ended, 30, "one more crawl")
    problem = verdict(titles, stored_urls(url), urls, mails_per_title(smtp, titles))
    assert not problem, problem
    assert 0 not in supervisor.exits, f"a daemon exited 0 during the outage: {supervisor.exits}"
    after = health_status(bind)
    assert 503 in statuses and after == 200, (
        f"/healthz should answer 503 while the database is down, 200 after: "
        f"during the outage {sorted(statuses)}, after {after}"
    )
    assert supervisor.stop() == 0
