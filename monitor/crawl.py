"""A one-off crawl: every enabled source once, in one Scrapy process."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scrapy.crawler import CrawlerProcess

from monitor.config import Config, ConfigError, Source
from monitor.ledger import RunState
from monitor.pipeline import connect_recorder
from monitor.recorder import Recorder
from spiders.notice_spider import NoticeSpider
from spiders.settings import crawl_settings
from storage.db import open_database


@dataclass(frozen=True)
class SourceResult:
    source: Source
    outcome: str
    error: str | None
    list_pages: int
    links: int
    new: int
    changed: int
    baseline: bool
    requests: int
    list_not_modified: bool = False
    deferred: int = 0  # new notices not fetched this time, retried on the next crawl


def scrapy_settings(config: Config) -> dict:
    crawl = config.crawl
    user_agent = crawl.user_agent
    if crawl.contact and crawl.contact not in user_agent:
        user_agent = f"{user_agent} contact: {crawl.contact}"
    return crawl_settings(
        user_agent=user_agent,
        concurrency_per_host=crawl.concurrency_per_host,
        download_delay=crawl.download_delay,
        timeout=crawl.timeout,
        retries=crawl.retries,
        retry_backoff=crawl.retry_backoff,
        obey_robots=crawl.obey_robots,
        max_response_bytes=crawl.max_response_bytes,
    )


def select_sources(config: Config, source_ids: Sequence[str] = ()) -> list[Source]:
    """Enabled sources, or exactly the named ones (enabled or not)."""
    known = config.source_ids
    unknown = [source_id for source_id in source_ids if source_id not in known]
    if unknown:
        raise ConfigError(f"{config.path}: sources: no source with id {unknown[0]!r}")
    if source_ids:
        return [config.source(source_id) for source_id in source_ids]
    return [source for source in config.sources if source.enabled]


def run_crawl(
    config: Config,
    source_ids: Sequence[str] = (),
    observer: Callable[[RunState], None] | None = None,
) -> list[SourceResult]:
    """Crawl the sources once and store what they hold. Runs the Twisted reactor: once per process."""
    sessions = open_database(config.storage_url)
    recorder = Recorder(sessions, config, observer)
    process = CrawlerProcess(scrapy_settings(config))
    sources = select_sources(config, source_ids)
    for source in sources:
        start = recorder.begin(source)
        crawler = process.create_crawler(NoticeSpider)
        connect_recorder(crawler, recorder)
        process.crawl(crawler, spec=start.spec, known=recorder.known, recheck=start.recheck)
    if sources:
        process.start()
    results = []
    for source in sources:
        state = recorder.ledger.totals(source.id)
        run = state.finished or recorder.finish(source.id)
        results.append(
            SourceResult(
                source=source,
                outcome=run.outcome,
                error=run.error,
                list_pages=run.list_pages,
                links=run.links_found,
                new=run.new_count,
                changed=run.changed_count,
                baseline=state.baseline,
                requests=run.requests,
                list_not_modified=state.list_not_modified,
                deferred=state.deferred,
            )
        )
    return results
