"""The thin Scrapy adapter: a crawler's signals hand spider items to the Recorder.

Connected per crawler (:func:`connect_recorder`) rather than as an item
pipeline class, so the recorder is an object of this process that Scrapy's
settings never copy. Items arrive in ``item_scraped`` (no item pipelines
run); ``spider_closed`` closes the source's crawl run.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from monitor.recorder import Recorder
from spiders.items import DetailPage, FetchProblem, ListPage
from spiders.notice_spider import NoticeSpider


def record_item(recorder: Recorder, item: object) -> None:
    """Hand one spider item to the recorder."""
    if isinstance(item, ListPage):
        recorder.on_list_page(item)
    elif isinstance(item, DetailPage):
        recorder.on_detail(item)
    elif isinstance(item, FetchProblem):
        recorder.on_problem(item)


def connect_recorder(crawler: Crawler, recorder: Recorder) -> None:
    """Record the crawler's items; close the source's run when its spider closes."""

    def item_scraped(item: object) -> None:
        record_item(recorder, item)

    def spider_closed(spider: NoticeSpider, reason: str) -> None:
        source_id = spider.spec.source_id
        if reason != "finished":  # cut short: the run ends interrupted, whatever it read
            recorder.stopped(source_id)
        recorder.finish(source_id)

    crawler.signals.connect(item_scraped, signal=signals.item_scraped, weak=False)
    crawler.signals.connect(spider_closed, signal=signals.spider_closed, weak=False)
