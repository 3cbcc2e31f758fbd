"""``noticewatch status``: is the daemon running, and how each source is doing."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, tzinfo

from rich.table import Table

from monitor.commands.common import config_of
from monitor.console import console
from monitor.daemon.overview import lease_holder, pending_deliveries, source_statuses
from monitor.daemon.runner import config_timezone
from storage.db import open_database, utcnow


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "status", help="the daemon and every source: last run, outcome, next run"
    )
    parser.set_defaults(handler=handle)


def _when(moment: datetime | None, zone: tzinfo) -> str:
    """A stored naive-UTC or aware time in the config timezone."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def handle(args: argparse.Namespace) -> int:
    config = config_of(args)
    zone = config_timezone(config)
    with open_database(config.storage_url)() as session:
        lease = lease_holder(session)
        pending = pending_deliveries(session)
        statuses = source_statuses(session, config)
    if lease and lease.expires_at > utcnow():
        console.print(
            f"daemon: running as {lease.holder} (lease until {_when(lease.expires_at, zone)})",
            markup=False,
        )
    else:
        console.print("daemon: not running", markup=False)
    console.print(f"outbox: {pending} alerts pending", markup=False)
    table = Table(
        "source", "last run", "outcome", "next run", "notices", "failures", "error", box=None
    )
    for status in statuses:
        run = status.last_run
        table.add_row(
            status.source.id,
            _when(run.started_at if run else None, zone),
            (run.outcome if run else "never run") if status.source.enabled else "disabled",
            _when(status.next_run, zone),
            str(status.notices),
            str(status.consecutive_failures),
            (run.error or "")[:80] if run and status.consecutive_failures else "",
        )
    console.print(table)
    return 0
