"""``noticewatch status``: is the daemon running, and how each source is doing."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, tzinfo

from rich.table import Table

from monitor.commands.common import config_of
from monitor.console import console
from monitor.daemon.overview import lease_holder, pending_deliveries, source_statuses
from monitor.masking import mask_secrets
from monitor.plain_text import cell
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
    zone = config.zone
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
    waits = [utcnow() - s.due_since for s in statuses if s.due_since]
    if waits:
        worst = max(waits)
        console.print(
            f"falling behind: {len(waits)} due crawls wait for a free slot "
            f"(longest {_lag(worst.total_seconds())}); raise --max-crawls or lengthen intervals",
            markup=False,
        )
    table = Table(
        "source", "last run", "outcome", "next run", "notices", "failures", "error", box=None
    )
    for status in statuses:
        run = status.last_run
        next_run = _when(status.next_run, zone)
        if status.due_since:
            next_run = f"due, {_lag((utcnow() - status.due_since).total_seconds())} late"
        table.add_row(
            status.source.id,
            _when(run.started_at if run else None, zone),
            (run.outcome if run else "never run") if status.source.enabled else "disabled",
            next_run,
            _notices_cell(status.notices, status.pending, status.given_up),
            str(status.consecutive_failures),
            cell(mask_secrets(run.error or "")[:80] if run and status.consecutive_failures else ""),
        )
    console.print(table)
    if any(s.pending or s.given_up for s in statuses):
        console.print(
            "notices: +N links not stored yet (retried), !N given up: "
            "noticewatch notices list --pending",
            markup=False,
        )
    return 0


def _lag(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _notices_cell(stored: int, retrying: int, given_up: int) -> str:
    """Stored notices, and the links still pending (``+2``) or given up (``!1``)."""
    cell = str(stored)
    if retrying:
        cell += f" +{retrying}"
    if given_up:
        cell += f" !{given_up}"
    return cell
