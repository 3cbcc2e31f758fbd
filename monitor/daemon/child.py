"""One scheduled crawl in a child process of the daemon: ``python -m monitor.daemon.child``.

Stores what it finds and writes outbox rows; the daemon sends them. It dies
with the daemon from its first instant: the parent-death signal is set before
anything heavy is imported, and if the daemon is already gone it exits at once.
Every page is stored in its own transaction, so nothing is half-written; the
daemon that takes over marks the run interrupted, and the next crawl of the
source reads every list page.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import sys

ORPHANED = 75
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when ``parent`` exits (Linux); exit now if it is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the daemon's shutdown still ends its children
        pass
    if os.getppid() != parent:
        os._exit(ORPHANED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="monitor.daemon.child")
    parser.add_argument("--config", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("-v", "--verbose", action="count", default=0)
    args = parser.parse_args(argv)
    die_with_parent(args.parent)

    from monitor.commands.crawl import summary_line
    from monitor.config import ConfigError, load_config
    from monitor.crawl import run_crawl
    from monitor.daemon.logs import setup_daemon_logging
    from monitor.health import OK

    setup_daemon_logging(args.verbose)
    log = logging.getLogger("monitor.daemon.crawl")
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
