"""The ``noticewatch`` command line.

Exit codes: 0 success; 1 the work failed (e.g. every source failed to crawl);
2 bad config or usage, or a database schema newer than this code; 130 interrupted.

The config file is ``--config PATH`` (before or after the command), else
``$NOTICEWATCH_CONFIG``, else ``./noticewatch.toml``, else ``config.toml`` in the
user config dir (``~/.config/noticewatch/`` on Linux).
"""

from __future__ import annotations

import argparse
import http.client
import logging
import sys
from collections.abc import Sequence
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from monitor.commands import COMMANDS
from monitor.commands.common import (
    ENV_CONFIG,
    LOCAL_CONFIG,
    describe_error,
    find_config,
    user_config_path,
)
from monitor.console import err_console
from monitor.errors import CommandError, ConfigError
from monitor.logging_setup import setup_logging
from monitor.masking import redact
from storage.errors import DatabaseUnavailable, SchemaError


def default_config_path() -> Path:
    return find_config()[0]


def package_version() -> str:
    try:
        return version("noticewatch")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _common_options(parser: argparse.ArgumentParser) -> None:
    """``--config`` and ``-v`` on a command's own parser, so that they also work after it.

    Their defaults are SUPPRESS: a command's parser would otherwise overwrite the value
    given before the command with its default. ``-v`` after the command has its own
    dest and adds to the count given before it."""
    parser.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, help="config file (as before the command)"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        dest="verbose_after",
        action="count",
        default=argparse.SUPPRESS,
        help="more log output",
    )


def _command_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every command's and sub-command's parser below ``parser``."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases share a parser
                found += [child, *_command_parsers(child)]
    return found


def chosen_command(argv: Sequence[str] | None) -> str | None:
    """The command named on the command line (None for ``--help``, ``--version`` …)."""
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--config")
    peek.add_argument("-v", "--verbose", action="count")
    peek.add_argument("command", nargs="?")
    return peek.parse_known_args(argv)[0].command


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: every command is listed, but only the chosen one's module is
    imported and given its arguments."""
    parser = argparse.ArgumentParser(
        prog="noticewatch",
        description="Watch Chinese education-bureau and school notice lists; alert on new and changed notices.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        help=f"config file (default: ${ENV_CONFIG}, ./{LOCAL_CONFIG}, {user_config_path()})",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("--version", action="version", version=f"noticewatch {package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = chosen_command(argv)
    for command in COMMANDS:
        command_parser = commands.add_parser(command.name, help=command.help)
        if command.name == chosen:
            import_module(f"monitor.commands.{command.module}").register(command_parser)
    for command_parser in _command_parsers(parser):
        _common_options(command_parser)
    return parser


def _say(message: str) -> None:
    err_console.print(f"noticewatch: {message}", markup=False, highlight=False)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.verbose += getattr(args, "verbose_after", 0)
    args.config_looked = None  # where the config was looked for, when no --config was given
    if args.config is None:
        args.config, args.config_looked = find_config()
    setup_logging(args.verbose)
    try:
        return args.handler(args) or 0
    except ConfigError as exc:
        _say(f"config error: {exc}")
        return 2
    except SchemaError as exc:
        _say(str(exc))
        return 2
    except DatabaseUnavailable as exc:
        _say(str(exc))
        return 1
    except CommandError as exc:
        _say(str(exc))
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: one line, no traceback unless -v
        if args.verbose:
            logging.getLogger("noticewatch.monitor.cli").exception("failed")
        if isinstance(exc, OSError | http.client.HTTPException):
            _say(_first_line(redact(describe_error(exc))))
        else:
            _say(f"unexpected error: {_first_line(redact(str(exc)))} (-v shows where)")
        return 1


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["no details"])[0]


if __name__ == "__main__":
    sys.exit(main())
