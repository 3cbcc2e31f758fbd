"""Extraction on the other cores: a big crawl's detail pages extracted in worker processes.

The recorder stores pages one after another in its thread, beside the reactor,
and both share one core (and the GIL). On a first crawl, extraction is a third
of that work; here it moves to worker processes, fed from the reactor as the
pages arrive, so pages of many sources are extracted side by side on the
other cores while the recorder stores the ones already extracted.

The workers start only once a crawl has extracted ``POOL_AFTER`` pages in the
recorder's thread: a quiet or small crawl (most daemon crawls, every test of a
few pages) never pays for their start (an interpreter and ``monitor.extract``,
about 0.3 s of CPU each). They are spawned, not forked: the crawl process has
threads, and a fork would copy their locks.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date

from monitor.extract import ExtractedNotice, extract_notice, parse_cn_date
from spiders.items import DetailPage

POOL_AFTER = 20
"""Pages a crawl extracts in the recorder's thread before it starts worker processes."""


@dataclass(frozen=True)
class PageText:
    """What extracting one detail page takes (picklable: it travels to a worker)."""

    body: bytes
    url: str
    content_type: str | None
    list_title: str | None
    list_date: date | None
    budget_seconds: float

    @classmethod
    def of(cls, item: DetailPage, budget_seconds: float) -> PageText:
        entry = item.entry
        return cls(
            item.body,
            item.final_url,
            item.content_type,
            entry.title if entry else None,
            parse_cn_date(entry.date_text) if entry and entry.date_text else None,
            budget_seconds,
        )

    def extract(self) -> ExtractedNotice:
        return extract_notice(
            self.body,
            self.url,
            self.content_type,
            list_title=self.list_title,
            list_date=self.list_date,
            budget_seconds=self.budget_seconds,
        )


def _extract(page: PageText) -> ExtractedNotice:
    return page.extract()


class ExtractionPool:
    """Worker processes for extraction, started when a crawl turns out to be big."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._seen = 0

    def submit(self, page: PageText) -> Future[ExtractedNotice] | None:
        """The page's extraction in a worker, or None: extract it in the recorder's thread
        (no workers configured, or not ``POOL_AFTER`` pages yet)."""
        self._seen += 1
        if self.processes < 1 or self._seen <= POOL_AFTER:
            return None
        if self._pool is None:
            spawn = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.processes, mp_context=spawn)
        return self._pool.submit(_extract, page)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
