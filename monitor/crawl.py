"""A one-off crawl: every enabled source once, in one Scrapy process and one spider."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scrapy.crawler import CrawlerProcess

from monitor.config import Config, ConfigError, Source
from monitor.interrupt import stop_on_signal
from monitor.ledger import RunState
from monitor.pipeline import (
    close_runs,
    connect_recorder,
    finish_in_recorder_thread,
    in_recorder_thread,
)
from monitor.recorder import Recorder
from spiders.batch import BatchSpider, SourceStart
from spiders.settings import crawl_settings
from storage.db import open_database
from storage.models import CrawlRun


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
    settings = crawl_settings(
        user_agent=user_agent,
        concurrency_per_host=crawl.concurrency_per_host,
        download_delay=crawl.download_delay,
        timeout=crawl.timeout,
        retries=crawl.retries,
        retry_backoff=crawl.retry_backoff,
        obey_robots=crawl.obey_robots,
        max_response_bytes=crawl.max_response_bytes,
        render=any(source.render for source in config.sources),
        chromium_path=crawl.chromium_path,
        render_timeout=crawl.render_timeout,
    )
    # hosts' limits held strictly, whatever Scrapy's slots let through (spiders/host_limit.py)
    settings["DOWNLOADER_MIDDLEWARES"] = {
        **settings["DOWNLOADER_MIDDLEWARES"],
        "spiders.host_limit.ProcessHostLimit": 940,
    }
    return settings


def select_sources(config: Config, source_ids: Sequence[str] = ()) -> list[Source]:
    """Enabled sources, or exactly the named ones (enabled or not)."""
    known = config.source_ids
    unknown = [source_id for source_id in source_ids if source_id not in known]
    if unknown:
        raise ConfigError(f"{config.path}: sources: no source with id {unknown[0]!r}")
    if source_ids:
        return [config.source(source_id) for source_id in source_ids]
    return [source for source in config.sources if source.enabled]


@dataclass(frozen=True)
class CrawlReport:
    results: list[SourceResult]
    interrupted_by: int | None = None  # the signal that cut the crawl short


def result_of(state: RunState, run: CrawlRun) -> SourceResult:
    """What one source's finished run comes to, for the summary."""
    return SourceResult(
        source=state.source,
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


def run_crawl(
    config: Config,
    source_ids: Sequence[str] = (),
    observer: Callable[[RunState], None] | None = None,
) -> CrawlReport:
    """Crawl the sources once and store what they hold. Runs the Twisted reactor: once per process.

    SIGINT or SIGTERM stops the crawl at once, stalled requests and all: the runs not
    finished end ``interrupted`` with what they recorded (every list link is stored or
    pending, so the next crawl picks up the rest). A second signal exits on the spot.
    """
    sessions = open_database(config.storage_url)
    recorder = Recorder(sessions, config, observer, fetch_files=True)
    process = CrawlerProcess(scrapy_settings(config))
    sources = select_sources(config, source_ids)
    with stop_on_signal() as stop:
        starts = [SourceStart(s.spec, s.recheck) for s in recorder.begin_all(sources)]
        crawler = process.create_crawler(BatchSpider)
        connect_recorder(crawler, recorder)
        finished = finish_in_recorder_thread(recorder)
        process.crawl(crawler, sources=starts, known=recorder.known, finished=finished)
        if sources and stop.signum is None:
            process.start(install_signal_handlers=False)
    if stop.signum is not None:  # a spider cut short closes no runs: close them, in order
        in_recorder_thread(lambda: close_runs(recorder, [s.id for s in sources], "interrupted"))
    results = []
    for source in sources:
        state = recorder.ledger.totals(source.id)
        results.append(result_of(state, state.finished or recorder.finish(source.id)))
    return CrawlReport(results, stop.signum)
