"""``noticewatch worker``: crawl what the scheduling daemon queues in Redis, until SIGTERM/Ctrl-C."""

from __future__ import annotations

import argparse
from dataclasses import replace

from monitor.commands.common import config_of
from monitor.daemon.logs import setup_daemon_logging


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--id", help="worker name in logs and Redis (default host:pid:random)")
    parser.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        help="requests in flight in this worker (default: [queue] concurrency, 8; per-host "
        "limits hold across workers)",
    )
    parser.add_argument(
        "--lease",
        type=float,
        metavar="SECONDS",
        help="silence after which other workers take this one's requests over "
        "(default: [queue] worker_lease, 15)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from monitor.distributed.worker import run_worker

    setup_daemon_logging(args.verbose)
    config = config_of(args)
    queue = config.queue
    if args.concurrency is not None:
        queue = replace(queue, concurrency=max(1, args.concurrency))
    if args.lease is not None:
        queue = replace(queue, worker_lease=max(1.0, args.lease))
    run_worker(replace(config, queue=queue), args.id)
    return 0
