"""The ``noticewatch`` command line.

Exit codes: 0 success; 1 the work failed (e.g. every source failed to crawl);
2 bad config or usage, or a database schema newer than this code; 130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

import platformdirs

from monitor.commands import COMMAND_MODULES
from monitor.config import ConfigError
from monitor.console import err_console
from monitor.logging_setup import setup_logging
from storage.db import DatabaseUnavailable, SchemaError


def default_config_path() -> Path:
    env = os.environ.get("NOTICEWATCH_CONFIG")
    if env:
        return Path(env)
    local = Path("noticewatch.toml")
    if local.exists():
        return local
    return Path(platformdirs.user_config_dir("noticewatch")) / "config.toml"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noticewatch",
        description="Watch Chinese education-bureau and school notice lists; alert on new and changed notices.",
    )
    parser.add_argument(
        "--config", type=Path, help="config file (default: ./noticewatch.toml, $NOTICEWATCH_CONFIG)"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.config is None:
        args.config = default_config_path()
    setup_logging(args.verbose)
    try:
        return args.handler(args) or 0
    except ConfigError as exc:
        err_console.print(f"noticewatch: config error: {exc}", markup=False, highlight=False)
        return 2
    except SchemaError as exc:
        err_console.print(f"noticewatch: {exc}", markup=False, highlight=False)
        return 2
    except DatabaseUnavailable as exc:
        err_console.print(f"noticewatch: {exc}", markup=False, highlight=False)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: one line, no traceback unless -v
        if args.verbose:
            logging.getLogger("noticewatch.monitor.cli").exception("failed")
        err_console.print(
            f"noticewatch: {type(exc).__name__}: {exc}", markup=False, highlight=False
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
