"""Scrapy item pipeline: the thin adapter that hands spider items to the Recorder."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from monitor.recorder import Recorder
from spiders.items import DetailPage, FetchProblem, ListPage


class RecorderPipeline:
    """Bind with :func:`pipeline_for`; Scrapy builds one per crawler."""

    recorder: Recorder

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecorderPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item):
        if isinstance(item, ListPage):
            self.recorder.on_list_page(item)
        elif isinstance(item, DetailPage):
            self.recorder.on_detail(item)
        elif isinstance(item, FetchProblem):
            self.recorder.on_problem(item)
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the crawl run; a crawl cut short (``reason`` other than finished) is interrupted."""
        source_id = spider.spec.source_id
        if reason != "finished":
            self.recorder.stopped(source_id)
        self.recorder.finish(source_id)


def pipeline_for(recorder: Recorder) -> type[RecorderPipeline]:
    """A pipeline class bound to ``recorder`` (settings are deep-copied; classes are not)."""
    return type("BoundRecorderPipeline", (RecorderPipeline,), {"recorder": recorder})
