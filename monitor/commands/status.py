"""``noticewatch status``: is the daemon running, and how each source is doing."""

from __future__ import annotations

import argparse
from datetime import datetime, tzinfo
from typing import Any

from monitor.commands.common import config_of
from monitor.commands.views import (
    Column,
    as_utc,
    compact_time,
    now_utc,
    one_line,
    print_json,
    print_table,
    say,
    span,
    until,
    utc_iso,
    zone_label,
)
from monitor.daemon.overview import SourceStatus, lease_holder, pending_deliveries, source_statuses
from monitor.masking import mask_secrets
from storage.db import open_database
from storage.models import CrawlRun, SchedulerLock


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="one JSON object: the daemon, the outbox, the sources"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    config = config_of(args, need_secrets=False)
    with open_database(config.storage_url)() as session:
        lease = lease_holder(session)
        pending = pending_deliveries(session)
        statuses = source_statuses(session, config)
    now = now_utc()
    running = lease is not None and as_utc(lease.expires_at) > now
    if args.json:
        print_json(status_summary(lease, running, pending, statuses))
        return 0
    zone = config.zone
    if lease and running:
        say(
            f"daemon: running as {lease.holder} "
            f"(lease until {compact_time(lease.expires_at, zone, now)})"
        )
    else:
        say("daemon: not running")
    say(f"outbox: {pending} alert{'s' * (pending != 1)} pending")
    waits = [(now - as_utc(s.due_since)).total_seconds() for s in statuses if s.due_since]
    if waits:
        say(
            f"falling behind: {len(waits)} due crawls wait for a free slot "
            f"(longest {span(max(waits))}); raise --max-crawls or lengthen intervals"
        )
    columns = [
        Column("source"),
        Column("last run"),
        Column("outcome"),
        Column("next run"),
        Column("notices", justify="right"),
    ]
    print_table(columns, [_row(status, zone, now) for status in statuses])
    for status in statuses:
        run = status.last_run
        if status.consecutive_failures and run:
            runs = (
                f"{status.consecutive_failures} failed run{'s' * (status.consecutive_failures > 1)}"
            )
            error = mask_secrets(run.error or "")
            one_line(f"{status.source.id}: {runs}" + (f": {error}" if error else ""))
    if any(s.pending or s.given_up for s in statuses):
        say("notices +N: not stored yet (retried); !N: given up (notices list --pending)")
    say(zone_label(zone))
    return 0


def _row(status: SourceStatus, zone: tzinfo, now: datetime) -> list[str]:
    run = status.last_run
    outcome = (run.outcome if run else "never run") if status.source.enabled else "disabled"
    # a due crawl waiting for a slot, or a next run the daemon has not started: "3m late"
    next_run = until(status.due_since or status.next_run, now)
    return [
        status.source.id,
        compact_time(run.started_at if run else None, zone, now),
        outcome,
        next_run,
        _notices_cell(status.notices, status.pending, status.given_up),
    ]


def _notices_cell(stored: int, retrying: int, given_up: int) -> str:
    """Stored notices, and the links still pending (``+2``) or given up (``!1``)."""
    cell = str(stored)
    if retrying:
        cell += f" +{retrying}"
    if given_up:
        cell += f" !{given_up}"
    return cell


def _run_summary(run: CrawlRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "id": run.id,
        "started_at": utc_iso(run.started_at),
        "finished_at": utc_iso(run.finished_at),
        "outcome": run.outcome,
        "complete": run.complete,
        "new": run.new_count,
        "changed": run.changed_count,
        "error": mask_secrets(run.error) if run.error else None,
    }


def status_summary(
    lease: SchedulerLock | None, running: bool, pending: int, statuses: list[SourceStatus]
) -> dict[str, Any]:
    """What ``status --json`` prints (the JSON convention of ``monitor.commands.views``)."""
    return {
        "daemon": {
            "running": running,
            "holder": lease.holder if lease else None,
            "lease_until": utc_iso(lease.expires_at) if lease else None,
        },
        "pending_alerts": pending,
        "sources": [
            {
                "id": status.source.id,
                "name": status.source.name,
                "enabled": status.source.enabled,
                "last_run": _run_summary(status.last_run),
                "next_run": utc_iso(status.next_run),
                "due_since": utc_iso(status.due_since),
                "notices": status.notices,
                "pending_links": status.pending,
                "given_up_links": status.given_up,
                "consecutive_failures": status.consecutive_failures,
            }
            for status in statuses
        ],
    }
