"""CLI sub-commands: each module exposes ``register(subparsers)``.

Handlers import Scrapy and trafilatura themselves, so that the daemon (`run`),
`status` and the views start without them.
"""

from monitor.commands import (
    crawl,
    db,
    deliveries,
    demo,
    extract,
    notices,
    notify,
    run,
    sources,
    status,
    worker,
)

COMMAND_MODULES = (
    crawl,
    notices,
    sources,
    extract,
    demo,
    db,
    run,
    status,
    notify,
    deliveries,
    worker,
)
