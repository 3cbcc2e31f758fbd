"""``noticewatch config check``: validate the config, its seed files and every alert target."""

from __future__ import annotations

import argparse

from monitor.commands.common import config_of
from monitor.config import ConfigError
from monitor.console import console
from monitor.masking import mask_secrets


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate the config, its seed files and every apprise URL (as `run` would); "
        "print a summary without secrets",
    )
    check.set_defaults(handler=handle_check)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def handle_check(args: argparse.Namespace) -> int:
    from monitor.notify.targets import subscription_targets  # apprise loads only here

    config = config_of(args)  # every ${SECRET} set and every notify URL accepted by apprise
    lines = []
    for subscription in config.subscriptions:
        targets = subscription_targets(subscription)
        problems = [t.problem for t in targets if t.problem]
        if problems:  # an apprise_config file changed since it was loaded
            raise ConfigError(f"{config.path}: subscriptions: {subscription.name}: {problems[0]}")
        labels = ", ".join(target.label for target in targets)
        lines.append((len(targets), f"  {subscription.name} → {labels}"))
    enabled = sum(source.enabled for source in config.sources)
    files = len({source.origin for source in config.sources})
    console.print(f"config OK: {config.path}", markup=False)
    console.print(
        f"  {_plural(len(config.sources), 'source')} ({enabled} enabled) "
        f"from {_plural(files, 'file')}; storage {mask_secrets(config.storage_url)}",
        markup=False,
    )
    console.print(
        f"  {_plural(len(config.subscriptions), 'subscription')}, "
        f"{_plural(sum(count for count, _ in lines), 'alert target')} validated",
        markup=False,
    )
    for _, line in lines:
        console.print(mask_secrets(line), markup=False)
    return 0
