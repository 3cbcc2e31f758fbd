"""``noticewatch worker``: one long-running Scrapy process fed from the shared Redis queue."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

from scrapy.crawler import CrawlerProcess

from monitor.config import Config
from monitor.crawl import scrapy_settings
from monitor.distributed.pipeline import connect_queue_runs
from monitor.distributed.queue import RedisQueue
from monitor.distributed.runs import QueueRuns
from spiders.queued import QueuedNoticeSpider


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def worker_settings(
    config: Config,
    queue: RedisQueue,
    worker_id: str,
) -> dict[str, Any]:
    """The one-process crawl settings, with the queue and the shared politeness."""
    settings = scrapy_settings(config)
    settings.update(
        {
            "SCHEDULER": "spiders.redis_queue.RunScheduler",
            "SCHEDULER_QUEUE_KEY": queue.keys.requests,
            "SCHEDULER_PERSIST": True,
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_DUPEFILTER_KEY": queue.keys.seen,
            "REDIS_URL": queue.url,
            "NOTICEWATCH_QUEUE_PREFIX": queue.keys.prefix,
            "NOTICEWATCH_WORKER_ID": worker_id,
            "NOTICEWATCH_WORKER_LEASE": config.queue.worker_lease,
            # politeness is per host across all workers (Redis), not per process
            "NOTICEWATCH_HOST_CONCURRENCY": config.crawl.concurrency_per_host,
            "NOTICEWATCH_HOST_DELAY": config.crawl.download_delay,
            "DOWNLOADER_MIDDLEWARES": {
                **settings["DOWNLOADER_MIDDLEWARES"],
                "spiders.shared_politeness.SharedHostLimit": 950,
            },
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": config.queue.concurrency,
            "CONCURRENT_ITEMS": 1,
        }
    )
    return settings


def run_worker(config: Config, worker_id: str | None = None) -> None:
    """Crawl what the queue holds until SIGTERM/SIGINT (runs the Twisted reactor: once per process)."""
    queue = RedisQueue.from_config(config)
    server = queue.connect()
    server.ping()  # fail with one line, before Scrapy starts, when Redis is not there
    runs = QueueRuns(config, server, queue.keys)
    settings = worker_settings(config, queue, worker_id or new_worker_id())
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(QueuedNoticeSpider)
    connect_queue_runs(crawler, runs)
    process.crawl(crawler, runs=runs)
    process.start()
