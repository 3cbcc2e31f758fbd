"""The thin Scrapy adapter of a worker: page items to the Recorder, ``Done`` to the queue.

Connected to the worker's crawler signals; items must arrive in order
(``CONCURRENT_ITEMS = 1``), each page item inside its run's ledger context.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler

from monitor.distributed.runs import QueueRuns
from monitor.pipeline import off_the_reactor, record_item
from spiders.queued import Done, QueuedNoticeSpider, RunItem

log = logging.getLogger(f"noticewatch.{__name__}")


def connect_queue_runs(crawler: Crawler, runs: QueueRuns) -> None:
    """Record each run's items (in the recorder's thread); settle each claim when its
    ``Done`` arrives, after its pages are recorded."""

    def record(item: RunItem) -> None:
        try:
            with runs.ledger.recording(item.run):
                record_item(runs.recorder, item.item)
        except KeyError:  # the source left the config while its run was queued
            log.warning("%s: no longer in %s: page dropped", item.run.source_id, runs.config.path)

    async def item_scraped(item: object, spider: QueuedNoticeSpider) -> None:
        if isinstance(item, RunItem):
            await off_the_reactor(lambda: record(item))
        elif isinstance(item, Done):
            await off_the_reactor(lambda: None)  # the pages handed over before it are recorded
            spider.settle(item)

    crawler.signals.connect(item_scraped, signal=signals.item_scraped, weak=False)
