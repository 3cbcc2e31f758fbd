"""``noticewatch crawl``: every source once, with progress, then a summary line per source."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from monitor.commands.common import config_of
from monitor.console import console, err_console
from monitor.lifetime import die_with_parent
from monitor.masking import mask_secrets
from monitor.plain_text import plain
from storage.states import RunOutcome

if TYPE_CHECKING:
    from monitor.crawl import SourceResult
    from monitor.ledger import RunState

log = logging.getLogger("noticewatch.monitor.daemon.crawl")


def register(parser: argparse.ArgumentParser) -> None:
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
    from monitor.crawl import result_of, run_crawl  # Scrapy and trafilatura load only for a crawl
    from storage.db import open_database

    config = config_of(args)
    printed: set[str] = set()

    def report(result: SourceResult) -> None:
        """Each source's line as soon as its run ends (cron and journald see progress)."""
        printed.add(result.source.id)
        console.print(summary_line(result), markup=False)

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
            if state.finished is not None:
                if source_id in tasks:
                    progress.remove_task(tasks.pop(source_id))
                if source_id not in printed:
                    report(result_of(state, state.finished))
                return
            if source_id not in tasks:
                tasks[source_id] = progress.add_task(source_id, total=None, status="")
            status = f"{state.list_pages} pages, {len(state.entries)} links, {state.details} details, {state.new} new"
            progress.update(tasks[source_id], status=status)

        crawl = run_crawl(config, args.source, observe)
    for result in crawl.results:
        if result.source.id not in printed:
            report(result)
    if crawl.interrupted_by is not None:
        return _interrupted(crawl.interrupted_by, crawl.results)
    if args.alert_wait > 0:
        from monitor.notify.sender import drain  # apprise: only when alerts are sent here

        sent = drain(open_database(config.storage_url), config, deadline_seconds=args.alert_wait)
        if sent.sent or sent.failed or sent.pending or sent.retrying:
            console.print(sent.summary(), markup=False)
    return _exit_code(crawl.results)


def _crawl_for_daemon(args: argparse.Namespace) -> int:
    """A daemon's crawl child: dies with the daemon, logs one line per source, sends nothing."""
    die_with_parent(args.parent)
    from monitor.crawl import run_crawl
    from monitor.daemon.logs import setup_daemon_logging

    setup_daemon_logging(args.verbose)
    crawl = run_crawl(config_of(args), args.source)
    for result in crawl.results:
        level = logging.INFO if result.outcome == RunOutcome.OK else logging.WARNING
        log.log(level, "%s", summary_line(result))
    if crawl.interrupted_by is not None:
        return _interrupted(crawl.interrupted_by, crawl.results)
    return _exit_code(crawl.results)


def _interrupted(signum: int, results: list[SourceResult]) -> int:
    """Say what was cut short, then leave at once: stalled requests hold threads that a
    normal exit would wait for. Everything recorded is committed by now."""
    from monitor.interrupt import exit_code

    cut = [r.source.id for r in results if r.outcome == RunOutcome.INTERRUPTED]
    name = signal.Signals(signum).name
    err_console.print(
        f"noticewatch: {name}: crawl stopped; {len(cut)} of {len(results)} sources cut short"
        f"{' (' + ', '.join(cut[:5]) + (' …' if len(cut) > 5 else '') + ')' if cut else ''};"
        " what they read is stored, the rest is fetched on the next crawl; alerts stay queued",
        markup=False,
        highlight=False,
    )
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code(signum))


def _exit_code(results: list[SourceResult]) -> int:
    """1 when every source failed, else 0."""
    failed = [r for r in results if r.outcome != RunOutcome.OK]
    return 1 if results and len(failed) == len(results) else 0
