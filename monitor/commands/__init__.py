"""CLI sub-commands: each module exposes ``register(subparsers)``."""

from monitor.commands import crawl, db, demo, extract, notices, run, sources, status

COMMAND_MODULES = (crawl, notices, sources, extract, demo, db, run, status)
