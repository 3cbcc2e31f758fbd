"""CLI sub-commands, one module each, imported only when its command runs (so that
``noticewatch --help`` and the quick views start without Scrapy, trafilatura or apprise).

A module's ``register(parser)`` adds its arguments and sub-commands to the parser made
for it from this table, and sets ``handler`` with ``set_defaults``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    module: str  # under monitor.commands
    help: str


COMMANDS = (
    Command(
        "init",
        "init",
        "write a commented starter config (the bundled seeds, one example subscription)",
    ),
    Command("config", "config_check", "check the config"),
    Command("crawl", "crawl", "crawl every source once, store, alert, exit"),
    Command("notices", "notices", "list and show stored notices"),
    Command("sources", "sources", "list sources, check a list page"),
    Command("extract", "extract", "show what is extracted from one page (file or URL)"),
    Command("demo", "demo", "crawl bundled local demo sites (no internet needed)"),
    Command("db", "db", "database maintenance"),
    Command("run", "run", "the daemon: crawl on schedule and alert until SIGTERM/Ctrl-C"),
    Command("status", "status", "the daemon and every source: last run, outcome, next run"),
    Command("notify", "notify", "check the alert channels"),
    Command("deliveries", "deliveries", "the alert outbox: list, retry"),
    Command(
        "worker", "worker", "crawl from the Redis queue ([queue] url), on any number of machines"
    ),
    Command("web", "web", "serve the read-only web UI, Atom feeds and JSON API (127.0.0.1:8377)"),
)
