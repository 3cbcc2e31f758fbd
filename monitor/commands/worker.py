"""``noticewatch worker``: crawl what the scheduling daemon queues in Redis, until SIGTERM/Ctrl-C."""

from __future__ import annotations

import argparse

from monitor.commands.common import config_of
from monitor.daemon.logs import setup_daemon_logging


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "worker", help="crawl from the Redis queue ([queue] url), on any number of machines"
    )
    parser.add_argument("--id", help="worker name in logs and Redis (default host:pid:random)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=8,
        metavar="N",
        help="requests in flight in this worker (default 8; per-host limits hold across workers)",
    )
    parser.add_argument(
        "--lease",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="silence after which other workers take this one's requests over (default 15)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from monitor.distributed.worker import run_worker

    setup_daemon_logging(args.verbose)
    config = config_of(args)
    run_worker(config, args.id, concurrency=max(1, args.concurrency), lease=max(1.0, args.lease))
    return 0
