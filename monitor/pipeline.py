"""The thin Scrapy adapter: a crawler's signals hand spider items to the Recorder.

Connected to the crawl's one crawler (:func:`connect_recorder`) rather than as
an item pipeline class, so the recorder is an object of this process that
Scrapy's settings never copy. Items arrive in ``item_scraped`` (no item
pipelines run); a source's run is closed when the batch spider says the
source is finished, and the runs still open when the spider closes.

The recorder works in one thread of its own, in the order items arrive:
extraction and storage are CPU and disk work that would otherwise stall the
reactor, and with it every other source's downloads. Scrapy waits for each
item's recording before it counts the item as done, so items cannot pile up.

A detail page whose attachments are to be downloaded is not stored at once:
the recorder returns them, and the handler schedules the spider's file chain
(:mod:`spiders.files`), which ends with the page again, carrying its files.
Until then the page's link stays pending, so a crash in between loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from scrapy import signals
from scrapy.crawler import Crawler

from monitor.recorder import Recorder
from spiders.batch import BatchSpider, SourceItem
from spiders.items import DetailPage, FetchProblem, FileWanted, ListPage, ListsFound
from spiders.robots import robots_fetched

log = logging.getLogger(f"noticewatch.{__name__}")
T = TypeVar("T")
_recording = ThreadPoolExecutor(max_workers=1, thread_name_prefix="noticewatch-recorder")


def record_item(recorder: Recorder, item: object) -> tuple[FileWanted, ...]:
    """Hand one spider item to the recorder; returns the attachments to download before a
    detail page can be stored (the recorder's ``fetch_files``)."""
    if isinstance(item, ListPage):
        recorder.on_list_page(item)
    elif isinstance(item, DetailPage):
        return recorder.on_detail(item)
    elif isinstance(item, FetchProblem):
        recorder.on_problem(item)
    elif isinstance(item, ListsFound):
        recorder.on_lists_found(item)
    return ()


async def off_the_reactor(work: Callable[[], T]) -> T:
    """Run ``work`` in the recorder's thread; the reactor goes on meanwhile."""
    return await asyncio.wrap_future(_recording.submit(work))


def in_recorder_thread(work: Callable[[], object]) -> None:
    """Run ``work`` in the recorder's thread after what it has in hand, and wait for it
    (when the reactor is gone)."""
    _recording.submit(work).result()


def close_runs(recorder: Recorder, source_ids: Iterable[str], reason: str) -> None:
    """End the sources' runs that have not ended; ``reason`` other than "finished" means they
    were cut short: they end interrupted, whatever they read."""
    for source_id in source_ids:
        if recorder.ledger.totals(source_id).finished is not None:
            continue
        if reason != "finished":
            recorder.stopped(source_id)
        recorder.finish(source_id)


def connect_recorder(crawler: Crawler, recorder: Recorder) -> None:
    """Record the batch spider's items; a source's run is closed as soon as its last request
    and item are through (``BatchSpider.finished``), the rest when the spider closes."""

    async def item_scraped(item: object, spider: BatchSpider) -> None:
        if not isinstance(item, SourceItem):
            return
        page = item.item
        wanted = await off_the_reactor(lambda: record_item(recorder, page))
        if wanted and isinstance(page, DetailPage):  # its attachments first (spiders.files)
            crawler.engine.crawl(spider.fetch_files(page, wanted))
        spider.handled(item)

    async def spider_closed(spider: BatchSpider, reason: str) -> None:
        await off_the_reactor(lambda: close_runs(recorder, spider.source_ids, reason))

    async def robots_read(origin: str, body: bytes) -> None:
        await off_the_reactor(lambda: recorder.keep_robots(origin, body))

    crawler.signals.connect(item_scraped, signal=signals.item_scraped, weak=False)
    crawler.signals.connect(robots_read, signal=robots_fetched, weak=False)
    crawler.signals.connect(spider_closed, signal=signals.spider_closed, weak=False)


def finish_in_recorder_thread(recorder: Recorder) -> Callable[[str], None]:
    """``BatchSpider``'s ``finished``: close the source's run after what the recorder has in
    hand (its pages, all recorded by then), without holding the reactor. Sources finished
    while the recorder is busy are closed together, in one transaction."""
    ready: list[str] = []
    lock = threading.Lock()

    def close_ready() -> None:
        with lock:
            source_ids = ready[:]
            ready.clear()
        if not source_ids:
            return
        try:
            recorder.finish_all(source_ids)
        except Exception:  # nobody waits for this one: say it (the spider's close retries it)
            log.exception("cannot close the runs of %s", ", ".join(source_ids))

    def finished(source_id: str) -> None:
        with lock:
            ready.append(source_id)
            first = len(ready) == 1
        if first:  # later ones join this batch until the recorder takes it
            _recording.submit(close_ready)

    return finished
