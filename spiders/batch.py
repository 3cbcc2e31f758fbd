"""One spider for every source of a crawl process: one Scrapy Crawler, one engine.

A Crawler per source costs its own settings copy, engine, downloader and
middlewares (about 10 ms of CPU each, most of a quiet source's cost), and
its per-host limits count only its own requests. Here the sources share one
Crawler: Scrapy's downloader slots hold each host's limit and delay whichever
source asks, and ``CONCURRENT_REQUESTS`` caps the whole process.

Each source's pages are read by its own :class:`~spiders.notice_spider.NoticeSpider`
*view* (the page logic, as the Redis worker's :mod:`spiders.queued` does); this
spider relays every callback to the view of the request's source and rebinds
the requests the view yields to itself. A source is finished when nothing it
started is open: every request it made (a ticket, kept across retries and
redirects, which copy the request's meta) has been answered and its callback's
output handed on, and every item it yielded has been handled (the application
calls :meth:`BatchSpider.handled` once an item is stored). Then the spider
calls the ``finished(source_id)`` it was given; the application closes the
source's run there while the crawl goes on with the others.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from spiders.items import DetailPage, FileWanted, KnownNotice
from spiders.notice_spider import KnownLookup, ListSpec, NoticeSpider

log = logging.getLogger(f"noticewatch.{__name__}")

TICKET = "ticket"  # request meta: what the request keeps open of its source
SPEC = "spec"  # request meta: the source's ListSpec (the site guard and robots.txt read it)


@dataclass(frozen=True)
class SourceStart:
    """One source of the batch: its spec and the known notices to re-check."""

    spec: ListSpec
    recheck: list[KnownNotice]


@dataclass(frozen=True)
class SourceItem:
    """A view's item (ListPage, DetailPage, FetchProblem, ListsFound) and its ticket."""

    ticket: int
    item: Any

    @property
    def source_id(self) -> str:
        return self.item.source_id


class BatchSpider(scrapy.Spider):
    name = "noticewatch"

    def __init__(
        self,
        sources: Iterable[SourceStart],
        known: KnownLookup,
        finished: Callable[[str], None],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.starts = list(sources)
        self.known = known
        self.finished = finished
        self.views: dict[str, NoticeSpider] = {}
        self._open: dict[str, set[int]] = {}  # source → its open tickets
        self._tickets = itertools.count(1)

    @property
    def source_ids(self) -> list[str]:
        return [start.spec.source_id for start in self.starts]

    async def start(self):
        """Each source's opening requests in turn; a source with nothing to fetch is done."""
        for start in self.starts:
            source_id = start.spec.source_id
            view = NoticeSpider(start.spec, self.known, start.recheck)
            view.settings = getattr(self, "settings", None)  # what the crawl can do (rendering)
            self.views[source_id] = view
            ticket = self._ticket(source_id)
            async for output in view.start():
                yield self._adopt(output, source_id)
            self._close(source_id, ticket)

    # -- callbacks: the view of the request's source does the work --------------
    def parse_list(self, response: Response) -> Iterator:
        return self._relay(_request(response), lambda view: view.parse_list(response))

    def parse_detail(self, response: Response) -> Iterator:
        return self._relay(_request(response), lambda view: view.parse_detail(response))

    def parse_file(self, response: Response) -> Iterator:
        return self._relay(_request(response), lambda view: view.parse_file(response))

    def failed(self, failure: Failure) -> Iterator:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errbacks
        return self._relay(request, lambda view: view.failed(failure))

    def file_failed(self, failure: Failure) -> Iterator:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errbacks
        return self._relay(request, lambda view: view.file_failed(failure))

    def fetch_files(self, page: DetailPage, wanted: tuple[FileWanted, ...]) -> scrapy.Request:
        """The first request of a page's attachment chain (see ``NoticeSpider.fetch_files``)."""
        request = self.views[page.source_id].fetch_files(page, wanted)
        return cast(scrapy.Request, self._adopt(request, page.source_id))

    def handled(self, item: SourceItem) -> None:
        """The application is done with ``item`` (stored, its files' chain started)."""
        self._close(item.source_id, item.ticket)

    def _relay(self, request: scrapy.Request, call: Callable[[NoticeSpider], Iterable]) -> Iterator:
        source_id, ticket = request.meta["source_id"], request.meta[TICKET]
        try:
            for output in call(self.views[source_id]):
                yield self._adopt(output, source_id)
        except GeneratorExit:  # the crawl is closing: what was not taken leaves it open
            raise
        except Exception:  # one broken page never stops the others, nor its source's end
            log.exception("%s: failed on %s", source_id, request.url)
        self._close(source_id, ticket)  # every output taken: requests scheduled, items open

    # -- tickets ---------------------------------------------------------------
    def _adopt(self, output: object, source_id: str) -> object:
        """A view's output with a ticket of its source: requests rebound to this spider."""
        ticket = self._ticket(source_id)
        if not isinstance(output, scrapy.Request):
            return SourceItem(ticket, output)
        return output.replace(
            callback=getattr(self, cast(Callable, output.callback).__name__),
            errback=getattr(self, cast(Callable, output.errback).__name__),
            meta={**output.meta, TICKET: ticket, SPEC: self.views[source_id].spec},
        )

    def _ticket(self, source_id: str) -> int:
        ticket = next(self._tickets)
        self._open.setdefault(source_id, set()).add(ticket)
        return ticket

    def _close(self, source_id: str, ticket: int) -> None:
        open_tickets = self._open[source_id]
        if ticket not in open_tickets:
            return
        open_tickets.discard(ticket)
        if not open_tickets:
            self.finished(source_id)


def _request(response: Response) -> scrapy.Request:
    """The request ``response`` answers (always set on responses handed to callbacks)."""
    return cast(scrapy.Request, response.request)
