"""The real daemon (``noticewatch run`` in a child process) against mock sites and real SMTP and webhook receivers.

Intervals are one or two seconds; every wait is bounded by a deadline.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Event, ScheduledJob, SchedulerLock
from tests.support.cli import CliProcess, db_rows, run_cli, wait_for
from tests.support.daemon import daemon_config, http_get, outcomes, posted, runs_of, subscription
from tests.support.receivers import SmtpReceiver, WebhookReceiver, free_port

NEW_TITLE = "关于做好2024年秋季学期开学工作的通知"
NEW_BODY = [
    "各县（市、区）教育局，各直属学校：",
    "现就做好2024年秋季学期开学工作有关事项通知如下，请认真贯彻落实。",
]


# -- the daemon as a process -------------------------------------------------------
@pytest.fixture
def start_daemon(start_cli) -> Callable[[Path], CliProcess]:
    """Start ``noticewatch run`` on a config; killed at the end if still running."""
    return lambda config: start_cli(config, "run")


def test_a_new_notice_is_alerted_within_one_interval_and_only_once(
    sites, sqlite_url, tmp_path, smtp: SmtpReceiver, webhook: WebhookReceiver, start_daemon
):
    trs = sites["trs"]
    extra = subscription("office", [smtp.url, webhook.url], ["new"])
    config = daemon_config(tmp_path / "c.toml", sqlite_url, [trs], extra, interval="2s")
    daemon = start_daemon(config)
    wait_for(lambda: "ok" in outcomes(sqlite_url, trs.site.source_id), 20, "the baseline crawl")

    trs.site.add_notice(NEW_TITLE, NEW_BODY)
    wait_for(lambda: smtp.inbox and webhook.posts, 15, "the alert by email and webhook")
    done = len(outcomes(sqlite_url, trs.site.source_id))
    wait_for(lambda: len(outcomes(sqlite_url, trs.site.source_id)) > done, 15, "one more crawl")
    assert [NEW_TITLE in mail.subject + mail.text for mail in smtp.inbox] == [True]
    assert [NEW_TITLE in text for text in posted(webhook)] == [True]
    assert daemon.stop() == 0


def test_a_failing_source_alerts_once_and_recovers_once_and_412_is_blocked(
    sites, sqlite_url, tmp_path, webhook, start_daemon
):
    vsb, discuz = sites["vsb"], sites["discuz"]
    port = free_port()
    extra = subscription("admin", [webhook.url], ["source_error", "source_recovered"])
    extra += f'\n[daemon]\nstatus_bind = "127.0.0.1:{port}"\n'
    config = daemon_config(
        tmp_path / "c.toml", sqlite_url, [vsb, discuz], extra, failure_threshold=2
    )
    daemon = start_daemon(config)
    for server in (vsb, discuz):
        wait_for(
            lambda s=server: "ok" in outcomes(sqlite_url, s.site.source_id),
            20,
            "the baseline crawls",
        )
    vsb.site.set_list_status(503)
    discuz.site.set_blocked("412")

    wait_for(lambda: len(posted(webhook)) >= 2, 20, "two source_error alerts")
    failed = len(outcomes(sqlite_url, vsb.site.source_id))
    wait_for(
        lambda: len(outcomes(sqlite_url, vsb.site.source_id)) > failed, 15, "one more failed run"
    )
    assert len(posted(webhook)) == 2  # one per source, not repeated while the failure lasts
    assert outcomes(sqlite_url, vsb.site.source_id)[-1] == "http_error"
    assert outcomes(sqlite_url, discuz.site.source_id)[-1] == "blocked"
    assert any(vsb.site.name in text for text in posted(webhook))
    status, metrics = http_get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    samples = dict(line.rsplit(" ", 1) for line in metrics.splitlines() if not line.startswith("#"))
    assert (
        int(samples[f'noticewatch_source_consecutive_failures{{source="{vsb.site.source_id}"}}'])
        >= 2
    )
    assert int(samples['noticewatch_crawls_total{outcome="blocked"}']) >= 2
    assert http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    shown = run_cli(config, "status")
    assert shown.returncode == 0 and "daemon: running" in shown.stdout

    def vsb_status() -> str:  # its latest run may still be running: then look again
        lines = run_cli(config, "status").stdout.splitlines()
        return next((line for line in lines if vsb.site.source_id in line), "")

    wait_for(lambda: "http_error" in vsb_status(), 30, "status showing the failing source")

    vsb.site.set_list_status(None)
    discuz.site.set_blocked(None)
    wait_for(lambda: len(posted(webhook)) >= 4, 20, "two source_recovered alerts")
    healed = len(outcomes(sqlite_url, vsb.site.source_id))
    wait_for(
        lambda: len(outcomes(sqlite_url, vsb.site.source_id)) > healed, 15, "one more good run"
    )
    assert len(posted(webhook)) == 4
    kinds = sorted(event.kind for event in db_rows(sqlite_url, select(Event)))
    assert kinds == ["source_error"] * 2 + ["source_recovered"] * 2
    assert daemon.stop() == 0


def test_sigterm_exits_0_and_a_restart_keeps_the_schedule(
    sites, sqlite_url, tmp_path, start_daemon
):
    big5 = sites["big5"]
    port = free_port()
    config = daemon_config(
        tmp_path / "c.toml",
        sqlite_url,
        [big5],
        f'[daemon]\nstatus_bind = "127.0.0.1:{port}"\n',
        interval="1h",
    )
    first = start_daemon(config)
    wait_for(lambda: outcomes(sqlite_url, big5.site.source_id) == ["ok"], 20, "the first crawl")
    [job] = db_rows(sqlite_url, select(ScheduledJob).where(ScheduledJob.id.like("crawl:%")))
    assert job.next_run_time > time.time() + 3000  # the next run is an hour away
    assert first.stop(signal.SIGTERM, timeout=30) == 0
    assert db_rows(sqlite_url, select(SchedulerLock)) == []  # the lease is released

    second = start_daemon(config)
    wait_for(
        lambda: http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200, 20, "the second daemon"
    )
    time.sleep(1.5)
    crawl_jobs = select(ScheduledJob).where(ScheduledJob.id.like("crawl:%"))
    assert [j.next_run_time for j in db_rows(sqlite_url, crawl_jobs)] == [job.next_run_time]
    assert len(runs_of(sqlite_url, big5.site.source_id)) == 1  # nothing ran twice
    assert "2 keep their next run" in second.output()  # the crawl and the daily prune
    assert second.stop(signal.SIGINT) == 0


def child_crawls_of(pid: int) -> list[int]:
    """Pids of crawl processes started by daemon ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--parent" in cmdline and cmdline[cmdline.index(b"--parent") + 1] == str(pid).encode():
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds child processes through /proc"
)
def test_sigkill_mid_crawl_then_restart_loses_nothing_and_repeats_nothing(
    sites, sqlite_url, tmp_path, webhook, start_daemon
):
    hanweb = sites["hanweb"]
    site = hanweb.site
    extra = subscription("office", [webhook.url], ["new"])
    config = daemon_config(tmp_path / "c.toml", sqlite_url, [hanweb], extra, interval="2s")
    first = start_daemon(config)
    wait_for(lambda: "ok" in outcomes(sqlite_url, site.source_id), 20, "the baseline crawl")

    render, asked = site.render, []

    def slow(method, path, query="", headers=None):
        asked.append(path)
        time.sleep(0.6)  # every page is slow: the crawl is in the middle when the daemon dies
        return render(method, path, query, headers)

    site.render = slow
    titles = [f"{NEW_TITLE}（第{n}批）" for n in (1, 2, 3)]
    added = [site.add_notice(title, NEW_BODY) for title in titles]
    detail_paths = {site.detail_path(notice.id) for notice in added}
    wait_for(lambda: detail_paths & set(asked), 20, "a crawl asking for the new notices")
    crawls = child_crawls_of(first.proc.pid)
    assert crawls
    first.proc.kill()
    first.proc.wait()
    wait_for(lambda: not child_crawls_of(first.proc.pid), 5, "the orphaned crawl to exit")

    second = start_daemon(config)
    wait_for(
        lambda: all(any(t in text for text in posted(webhook)) for t in titles),
        30,
        "every alert",
    )
    runs = len(runs_of(sqlite_url, site.source_id))
    wait_for(lambda: len(runs_of(sqlite_url, site.source_id)) >= runs + 1, 20, "one more crawl")
    texts = posted(webhook)
    assert sorted(sum(title in text for text in texts) for title in titles) == [1, 1, 1]
    assert len(texts) == 3
    assert "interrupted" in [run.outcome for run in runs_of(sqlite_url, site.source_id)]
    assert second.stop() == 0


def test_two_daemons_on_one_database_never_crawl_at_once(sites, db_url, tmp_path, start_daemon):
    servers = [sites["trs"], sites["dede"]]
    config = daemon_config(tmp_path / "c.toml", db_url, servers)
    first = start_daemon(config)
    wait_for(lambda: "lease taken" in first.output(), 20, "the first daemon to take the lease")
    second = start_daemon(config)
    wait_for(lambda: "waiting to take over" in second.output(), 20, "the second daemon to wait")
    ids = [server.site.source_id for server in servers]
    wait_for(
        lambda: all(len(outcomes(db_url, i)) >= 2 for i in ids), 20, "crawls by the first daemon"
    )
    holder = db_rows(db_url, select(SchedulerLock))[0].holder
    assert f":{first.proc.pid}:" in holder
    assert not child_crawls_of(second.proc.pid)

    assert first.stop() == 0
    wait_for(lambda: "lease taken" in second.output(), 10, "the second daemon to take over")
    counts = {i: len(outcomes(db_url, i)) for i in ids}
    wait_for(
        lambda: all(len(outcomes(db_url, i)) > counts[i] for i in ids),
        20,
        "crawls by the second",
    )
    assert second.stop() == 0
    for source_id in ids:
        runs = runs_of(db_url, source_id)
        for earlier, later in zip(runs, runs[1:], strict=False):
            assert later.started_at >= earlier.finished_at, (
                f"{source_id}: runs {earlier.id} and {later.id} overlap"
            )
