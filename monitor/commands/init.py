"""``noticewatch init [PATH]``: write a commented starter config."""

from __future__ import annotations

import argparse
import shlex
from importlib.resources import files
from pathlib import Path

from monitor.commands.common import CommandError, describe_error, find_config
from monitor.console import console

STARTER = "starter_config.toml"  # package data of ``monitor``; config.example.toml is a copy


def starter_config() -> str:
    """The starter config's text: storage default, the bundled seeds, one example subscription."""
    return files("monitor").joinpath(STARTER).read_text(encoding="utf-8")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        metavar="PATH",
        help="where to write it (default: --config, $NOTICEWATCH_CONFIG, else the user config dir)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    path: Path = args.path or args.config
    if path.is_dir():
        raise CommandError(
            f"{path} is a directory: give a file name, e.g. {path / 'config.toml'}", 2
        )
    if path.exists() and not args.force:
        raise CommandError(f"{path} already exists: not overwritten (--force replaces it)", 2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w" if args.force else "x", encoding="utf-8") as out:
            out.write(starter_config())
    except FileExistsError:
        raise CommandError(
            f"{path} already exists: not overwritten (--force replaces it)", 2
        ) from None
    except OSError as exc:
        reason = describe_error(exc).removeprefix(f"{exc.filename}: ")
        raise CommandError(f"cannot write {path}: {reason}") from exc
    found = find_config()[0]
    check = "noticewatch config check"
    if not (found.exists() and found.resolve() == path.resolve()):
        check = f"noticewatch --config {shlex.quote(str(path))} config check"
    console.print(
        f"wrote {path}: a starter config with the bundled seed sources and one example "
        "subscription (mail, its password from $SMTP_PASSWORD)",
        markup=False,
    )
    console.print(
        f"next: edit the subscription's mail server and recipient, set SMTP_PASSWORD, then run: {check}",
        markup=False,
    )
    return 0
