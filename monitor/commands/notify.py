"""``noticewatch notify test [SUBSCRIPTION]``: a test message to every target, one result line each."""

from __future__ import annotations

import argparse

from monitor.commands.common import config_of
from monitor.config import ConfigError
from monitor.console import console
from monitor.masking import redact
from monitor.notify.messages import probe_message
from monitor.notify.targets import subscription_targets
from monitor.notify.transport import Outcome, send
from storage.db import utcnow


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    test = actions.add_parser(
        "test", help="send a test message to each target of a subscription (default: all)"
    )
    test.add_argument("subscription", nargs="?", metavar="SUBSCRIPTION")
    test.set_defaults(handler=handle_test)


def handle_test(args: argparse.Namespace) -> int:
    config = config_of(args)
    subscriptions = [s for s in config.subscriptions if args.subscription in (None, s.name)]
    if args.subscription and not subscriptions:
        raise ConfigError(f"{config.path}: no subscription named {args.subscription!r}")
    if not subscriptions:
        raise ConfigError(f"{config.path}: no [[subscriptions]] to test")
    zone, failed = config.zone, 0
    for subscription in subscriptions:
        message = probe_message(subscription.name, utcnow(), zone)
        for target in subscription_targets(subscription):
            outcome = (
                send(target.url, message) if target.url else Outcome(False, target.problem, True)
            )
            failed += not outcome.ok
            result = "sent" if outcome.ok else f"failed: {outcome.error}"
            mark = "✓" if outcome.ok else "✗"
            console.print(
                redact(f"{mark} {subscription.name}  {target.label}  {result}"), markup=False
            )
    return 1 if failed else 0
