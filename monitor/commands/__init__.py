"""CLI sub-commands: each module exposes ``register(subparsers)``."""

from monitor.commands import crawl, db, demo, extract, notices, sources

COMMAND_MODULES = (crawl, notices, sources, extract, demo, db)
