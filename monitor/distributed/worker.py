"""``noticewatch worker``: one long-running Scrapy process fed from the shared Redis queue."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

from scrapy.crawler import CrawlerProcess

from monitor.config import Config
from monitor.crawl import scrapy_settings
from monitor.distributed.pipeline import queue_pipeline_for
from monitor.distributed.queue import QueueSettings
from monitor.distributed.runs import QueueRuns
from monitor.recorder import Recorder
from spiders.queued import QueuedNoticeSpider
from storage.db import open_database


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def worker_settings(
    config: Config,
    queue: QueueSettings,
    runs: QueueRuns,
    worker_id: str,
    *,
    concurrency: int,
    lease: float,
) -> dict[str, Any]:
    """The one-process crawl settings, with the queue, the shared politeness and the run pipeline."""
    settings = scrapy_settings(config, runs.recorder)
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
            "NOTICEWATCH_WORKER_LEASE": lease,
            # politeness is per host across all workers (Redis), not per process
            "NOTICEWATCH_HOST_CONCURRENCY": config.crawl.concurrency_per_host,
            "NOTICEWATCH_HOST_DELAY": config.crawl.download_delay,
            "DOWNLOADER_MIDDLEWARES": {
                **settings["DOWNLOADER_MIDDLEWARES"],
                "spiders.shared_politeness.SharedHostLimit": 950,
            },
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_ITEMS": 1,
            "ITEM_PIPELINES": {queue_pipeline_for(runs): 300},
        }
    )
    return settings


def run_worker(
    config: Config, worker_id: str | None = None, *, concurrency: int = 8, lease: float = 15.0
) -> None:
    """Crawl what the queue holds until SIGTERM/SIGINT (runs the Twisted reactor: once per process)."""
    queue = QueueSettings.from_config(config)
    server = queue.connect()
    server.ping()  # fail with one line, before Scrapy starts, when Redis is not there
    recorder = Recorder(open_database(config.storage_url), config)
    runs = QueueRuns(recorder, config, server, queue.keys)
    settings = worker_settings(
        config, queue, runs, worker_id or new_worker_id(), concurrency=concurrency, lease=lease
    )
    process = CrawlerProcess(settings)
    process.crawl(QueuedNoticeSpider, runs=runs)
    process.start()
