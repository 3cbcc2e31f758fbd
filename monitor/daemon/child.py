"""One scheduled crawl in a child process of the daemon: ``python -m monitor.daemon.child``.

Stores what it finds and writes outbox rows; the daemon sends them. Exits by
itself, at once, if the daemon process goes away: every page is stored in its
own transaction, so nothing is half-written and the source is crawled again on
its next run.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading

from monitor.commands.crawl import summary_line
from monitor.config import ConfigError, load_config
from monitor.crawl import run_crawl
from monitor.daemon.logs import setup_daemon_logging
from monitor.health import OK

log = logging.getLogger("monitor.daemon.crawl")
ORPHANED = 75


def exit_with_parent(parent: int, every: float = 0.2) -> None:
    """End this process as soon as ``parent`` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(every)
        os._exit(ORPHANED)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="monitor.daemon.child")
    parser.add_argument("--config", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("-v", "--verbose", action="count", default=0)
    args = parser.parse_args(argv)
    setup_daemon_logging(args.verbose)
    exit_with_parent(args.parent)
    try:
        config = load_config(args.config)
        config.source(args.source)
    except ConfigError as exc:
        log.error("%s: cannot crawl: %s", args.source, exc)
        return 2
    except KeyError:
        log.error("%s: cannot crawl: no longer in %s", args.source, args.config)
        return 2
    for result in run_crawl(config, [args.source]):
        log.log(
            logging.INFO if result.outcome == OK else logging.WARNING, "%s", summary_line(result)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
