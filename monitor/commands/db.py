"""``noticewatch db upgrade|prune``: bring the schema up to date; drop history past retention."""

from __future__ import annotations

import argparse

from monitor.commands.common import config_of
from monitor.console import console
from storage.db import make_engine, open_database, upgrade
from storage.retention import prune


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="apply schema migrations").set_defaults(
        handler=handle_upgrade
    )
    pruning = actions.add_parser(
        "prune", help="delete runs, events, alerts and versions past the [storage] keep_* limits"
    )
    pruning.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    pruning.set_defaults(handler=handle_prune)


def handle_upgrade(args: argparse.Namespace) -> int:
    engine = make_engine(config_of(args, need_secrets=False).storage_url)
    try:
        applied = upgrade(engine)
    finally:
        engine.dispose()
    console.print("database schema upgraded" if applied else "database schema is up to date")
    return 0


def handle_prune(args: argparse.Namespace) -> int:
    config = config_of(args, need_secrets=False)
    sessions = open_database(config.storage_url)
    try:
        report = prune(sessions, config.retention, dry_run=args.dry_run)
    finally:
        sessions.kw["bind"].dispose()
    verb = "would prune {}" if report.dry_run else "{} pruned"
    for table, count in report.counts().items():
        console.print(f"{table}: {verb.format(count)}")
    return 0
