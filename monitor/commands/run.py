"""``noticewatch run``: the daemon. Crawls every source on its schedule and sends alerts until stopped."""

from __future__ import annotations

import argparse
from dataclasses import replace

from monitor.commands.common import config_of
from monitor.daemon.launcher import Launcher, LocalLauncher
from monitor.daemon.logs import setup_daemon_logging
from monitor.daemon.runner import Daemon


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-crawls",
        type=int,
        metavar="N",
        help="crawl child processes at once, each crawling up to [daemon] batch due sources "
        "(default: [daemon] max_crawls, 2); with a [queue] the workers crawl and this only "
        "bounds launches",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    setup_daemon_logging(args.verbose)
    config = config_of(args)
    if args.max_crawls is not None:
        daemon = replace(config.daemon, max_crawls=max(1, args.max_crawls))
        config = replace(config, daemon=daemon)
    launcher: Launcher
    if config.queue.url:
        from monitor.distributed.launcher import RedisLauncher  # needs redis: only in queue mode

        launcher = RedisLauncher(config)
    else:
        launcher = LocalLauncher(config.path.resolve(), args.verbose, config.daemon.crawl_timeout)
    return Daemon(config, launcher, verbosity=args.verbose).run()
