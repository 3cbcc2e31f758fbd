"""A write that fails is a failed run: a database locked by another writer past its busy
timeout, a disk that fills up. The source's state (list validators, baseline) stays as it
was, nothing is lost, and the notices are stored and alerted once when the database heals.

Real ``noticewatch crawl`` processes against the mock sites; the lock is a real SQLite write
lock held by the test, the full disk a real file-size limit (``RLIMIT_FSIZE``) on the crawl.
"""

from __future__ import annotations

import random
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from storage.models import CrawlRun, Event
from storage.models import Source as SourceRow
from tests.support.cli import ROOT, db_rows
from tests.support.daemon import posted, subscription
from tests.support.faults import config_file, crawl, publish, stored_urls


def source_state(url: str, source_id: str) -> tuple:
    [row] = db_rows(url, select(SourceRow).where(SourceRow.id == source_id))
    return row.baseline_done, row.list_etag, row.list_last_modified


def crawl_process(config: Path, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    """``noticewatch crawl``, optionally with files it writes capped at ``limit_bytes``."""

    def cap_file_size() -> None:
        if limit_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "crawl"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        preexec_fn=cap_file_size,
    )


def test_a_database_locked_during_a_crawl_fails_the_run_and_loses_nothing(sites, tmp_path, webhook):
    discuz = sites["discuz"]
    site = discuz.site
    path = tmp_path / "n.db"
    url = f"sqlite:///{path}?timeout=1"
    config = config_file(
        tmp_path / "c.toml", url, [discuz], extra=subscription("o", [webhook.url], ["new"])
    )
    crawl(config)  # the baseline
    before = source_state(url, site.source_id)
    notices = publish(site, random.Random(5), [1, 2])
    held: list[sqlite3.Connection] = []
    render = site.render

    def lock_on_the_list_page(method, request_path, query="", headers=None):
        if request_path == site.list_path.split("?")[0] and not held:
            lock = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")  # another writer holds the database
            held.append(lock)
        return render(method, request_path, query, headers)

    site.render = lock_on_the_list_page
    try:
        done = crawl_process(config)
    finally:
        site.render = render
        for lock in held:
            lock.rollback()
            lock.close()
    output = done.stdout + done.stderr
    assert held, "the lock was never taken"
    assert done.returncode != 0 and "database is locked" in output, output
    assert len(output.strip().splitlines()) < 10, f"a traceback, not a clear line: {output}"
    assert source_state(url, site.source_id) == before
    finished = db_rows(url, select(CrawlRun.outcome).where(CrawlRun.finished_at.is_not(None)))
    assert finished == ["ok"], f"only the baseline ended ok: {finished}"

    crawl(config)
    urls = {discuz.url(site.detail_path(n.id)) for n in notices}
    assert urls <= stored_urls(url)
    alerts = posted(webhook)
    for notice in notices:
        assert sum(notice.title in alert for alert in alerts) == 1, alerts


def test_a_full_disk_fails_the_run_keeps_the_baseline_undone_and_loses_nothing(
    sites, tmp_path, webhook
):
    trs = sites["trs"]
    site = trs.site
    path = tmp_path / "n.db"
    url = f"sqlite:///{path}"
    config = config_file(
        tmp_path / "c.toml", url, [trs], extra=subscription("o", [webhook.url], ["new"])
    )
    limit = path.stat().st_size + 8192  # the empty schema, and two pages more
    done = crawl_process(config, limit_bytes=limit)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "disk" in output.lower() or "full" in output.lower() or "i/o" in output.lower(), output
    assert len(output.strip().splitlines()) < 10, f"a traceback, not a clear line: {output}"
    ok = db_rows(url, select(CrawlRun).where(CrawlRun.outcome == "ok"))
    assert ok == [], "a run whose writes failed ended ok"
    rows = db_rows(url, select(SourceRow).where(SourceRow.id == site.source_id))
    assert not rows or not rows[0].baseline_done, "the baseline counted as done"

    crawl(config)  # the disk has room again: this is the baseline, silent
    assert db_rows(url, select(Event)) == [] and posted(webhook) == []
    [notice] = publish(site, random.Random(6), [1])
    crawl(config)
    assert [alert for alert in posted(webhook) if notice.title in alert], posted(webhook)
    assert len(posted(webhook)) == 1, posted(webhook)
