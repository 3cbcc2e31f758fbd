"""``noticewatch crawl``: every source once, with progress, then a summary line per source."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from monitor.commands.common import config_of
from monitor.console import console
from monitor.lifetime import die_with_parent
from monitor.masking import mask_secrets
from monitor.plain_text import plain
from storage.states import RunOutcome

if TYPE_CHECKING:
    from monitor.crawl import SourceResult
    from monitor.ledger import RunState

log = logging.getLogger("noticewatch.monitor.daemon.crawl")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("crawl", help="crawl every source once, store, alert, exit")
    parser.add_argument(
        "--source", action="append", default=[], metavar="ID", help="only this source (repeatable)"
    )
    parser.add_argument(
        "--alert-wait",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long to keep sending alerts after the crawl (default 30; 0 leaves them queued)",
    )
    parser.add_argument(  # how the daemon runs each crawl in a child process
        "--parent", type=int, metavar="PID", help=argparse.SUPPRESS
    )
    parser.set_defaults(handler=handle)


def summary_line(result: SourceResult) -> str:
    mark = "✓" if result.outcome == RunOutcome.OK else "✗"
    links = "list unchanged (304)" if result.list_not_modified else f"{result.links} links"
    found = f"{links}, {result.new} new, {result.changed} changed"
    if result.baseline and result.outcome == RunOutcome.OK:
        found += " (baseline: stored silently)"
    if result.deferred:
        found += f", {result.deferred} not fetched yet (retried next crawl)"
    line = f"{mark} {result.source.id} {result.source.name}: {result.outcome}; {found}"
    return plain(mask_secrets(f"{line}; {result.error}" if result.error else line))


def handle(args: argparse.Namespace) -> int:
    if args.parent is not None:
        return _crawl_for_daemon(args)
    from monitor.crawl import run_crawl  # Scrapy and trafilatura load only for a crawl
    from monitor.notify import drain
    from storage.db import open_database

    config = config_of(args)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def observe(state: RunState) -> None:
            source_id = state.source.id
            if source_id not in tasks:
                tasks[source_id] = progress.add_task(source_id, total=None, status="")
            status = f"{state.list_pages} pages, {len(state.entries)} links, {state.details} details, {state.new} new"
            done = state.finished is not None
            progress.update(
                tasks[source_id],
                status=status,
                total=1 if done else None,
                completed=1 if done else 0,
            )

        results = run_crawl(config, args.source, observe)
    for result in results:
        console.print(summary_line(result), markup=False)
    if args.alert_wait > 0:
        report = drain(open_database(config.storage_url), config, deadline_seconds=args.alert_wait)
        if report.sent or report.failed or report.pending or report.retrying:
            console.print(report.summary(), markup=False)
    return _exit_code(results)


def _crawl_for_daemon(args: argparse.Namespace) -> int:
    """A daemon's crawl child: dies with the daemon, logs one line per source, sends nothing."""
    die_with_parent(args.parent)
    from monitor.crawl import run_crawl
    from monitor.daemon.logs import setup_daemon_logging

    setup_daemon_logging(args.verbose)
    results = run_crawl(config_of(args), args.source)
    for result in results:
        level = logging.INFO if result.outcome == RunOutcome.OK else logging.WARNING
        log.log(level, "%s", summary_line(result))
    return _exit_code(results)


def _exit_code(results: list[SourceResult]) -> int:
    """1 when every source failed, else 0."""
    failed = [r for r in results if r.outcome != RunOutcome.OK]
    return 1 if results and len(failed) == len(results) else 0
