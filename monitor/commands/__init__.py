"""CLI sub-commands: each module exposes ``register(subparsers)``.

Handlers import Scrapy and trafilatura themselves, so that the daemon (`run`),
`status` and the views start without them.
"""

from monitor.commands import (
    config_check,
    crawl,
    db,
    deliveries,
    demo,
    extract,
    init,
    notices,
    notify,
    run,
    sources,
    status,
    web,
    worker,
)

COMMAND_MODULES = (
    init,
    config_check,
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
    web,
)
