"""``noticewatch db upgrade``: bring the database schema up to date."""

from __future__ import annotations

import argparse

from monitor.commands.common import config_of
from monitor.console import console
from storage.db import make_engine, upgrade


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="apply schema migrations").set_defaults(
        handler=handle_upgrade
    )


def handle_upgrade(args: argparse.Namespace) -> int:
    upgrade(make_engine(config_of(args).storage_url))
    console.print("database schema is up to date")
    return 0
