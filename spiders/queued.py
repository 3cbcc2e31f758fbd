"""The notice spider fed from Redis: one long-running spider per ``noticewatch worker``.

Its endless ``start()`` claims "crawl source X" messages, asks the application
to open a crawl run, and sends the run's requests through the shared queue
(:mod:`spiders.redis_queue`), so any worker may fetch any page.
The page logic is :class:`~spiders.notice_spider.NoticeSpider`'s, run by one
view per crawl run; requests it yields are rebound to this spider's methods
so they can be serialized. Items are wrapped with their run (:class:`RunItem`);
each callback ends with :class:`Done`, which the item pipeline settles after
the items before it are stored (``CONCURRENT_ITEMS = 1`` keeps that order).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast

import scrapy
from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from spiders.items import KnownNotice
from spiders.notice_spider import KnownLookup, ListSpec, NoticeSpider
from spiders.redis_queue import CLAIM, RUN, ReliableQueue, RunRef, RunScheduler

log = logging.getLogger(f"noticewatch.{__name__}")

SPEC = "spec"  # request meta: the source's ListSpec
POLL = 0.05  # seconds between looks at Redis while the worker is full or the queue empty
VIEWS = 64  # crawl runs whose NoticeSpider view a worker keeps


@dataclass(frozen=True)
class RunPlan:
    """A crawl run just opened: what to fetch first."""

    run: RunRef
    spec: ListSpec
    recheck: list[KnownNotice]


class Runs(Protocol):
    """What the application gives the spider: runs to open and close, and what is known."""

    known: KnownLookup

    def start(self, source_id: str) -> RunPlan | None:
        """Open a run of the source (None: it cannot be crawled now)."""

    def finish(self, run: RunRef) -> None:
        """Close a run whose every request is settled."""


@dataclass(frozen=True)
class RunItem:
    """A page item (ListPage, DetailPage, FetchProblem) and the run it belongs to."""

    run: RunRef
    item: Any


@dataclass(frozen=True)
class Done:
    """Everything one claimed request (or crawl message) produced has been handed on."""

    run: RunRef
    claim_id: str


class QueuedNoticeSpider(scrapy.Spider):
    name = "noticewatch"

    def __init__(self, runs: Runs, **kwargs) -> None:
        super().__init__(**kwargs)
        self.runs = runs
        self._views: OrderedDict[int, NoticeSpider] = OrderedDict()

    @property
    def scheduler(self) -> RunScheduler:
        return cast(RunScheduler, self.crawler.engine.scheduler)  # SCHEDULER names it

    @property
    def queue(self) -> ReliableQueue:
        return self.scheduler.queue

    # -- feeding the worker ------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        """Never ends: whenever this worker has room, claim work from Redis.

        Runs are started when the shared queue runs short; otherwise the next
        queued request is claimed and handed to the engine, which then keeps
        taking from the queue while it has room (on its own it looks at an
        empty scheduler again only every 5 s).
        """
        engine = self.crawler.engine
        room = self.settings.getint("CONCURRENT_REQUESTS")
        failing_since = logged_at = 0.0  # an outage is logged when it starts, then once a minute
        while True:
            try:
                if engine.needs_backout():
                    await asyncio.sleep(POLL)
                    continue
                if len(self.queue) < room:
                    for claim_id, source_id in self.queue.claim_crawls(1):
                        async for request in self._start_run(claim_id, source_id):
                            yield request
                claimed = self.scheduler.claim_next()
                if failing_since:
                    log.info(
                        "the queue answers again after %.0f s", time.monotonic() - failing_since
                    )
                    failing_since = 0.0
                if claimed is None:
                    await asyncio.sleep(POLL)
                else:
                    yield claimed
            except Exception as exc:  # e.g. Redis away for a moment: try again
                now = time.monotonic()
                failing_since = failing_since or now
                if now - logged_at >= 60.0:
                    logged_at = now
                    log.error(
                        "cannot take work from the queue (for %.0f s): %s: %s",
                        now - failing_since,
                        type(exc).__name__,
                        exc,
                    )
                await asyncio.sleep(1.0)

    async def _start_run(self, claim_id: str, source_id: str) -> AsyncIterator[Request]:
        plan = self.runs.start(source_id)
        if plan is None:
            self.queue.drop(claim_id)
            return
        self.queue.open_run(plan.run.run_id)  # the message counts until its requests are queued
        async for request in self._view(plan.run, plan.spec, plan.recheck).start():
            yield self._adopt(request, plan.run, plan.spec)
        self.settle(Done(plan.run, claim_id))

    def settle(self, done: Done) -> None:
        """Release a finished claim; close the run when it was the last one."""
        if self.queue.settle(done.claim_id, done.run.run_id) == 0:
            self.runs.finish(done.run)
            self.queue.forget_run(done.run.run_id)

    # -- callbacks: the NoticeSpider view of the request's run does the work -----
    def parse_list(self, response: Response) -> Iterator:
        return self._relay(_request(response), lambda view: view.parse_list(response))

    def parse_detail(self, response: Response) -> Iterator:
        return self._relay(_request(response), lambda view: view.parse_detail(response))

    def failed(self, failure: Failure) -> Iterator:
        return self._relay(failure.request, lambda view: view.failed(failure))  # type: ignore[attr-defined]  # Scrapy sets it

    def _relay(self, request: Request, call: Callable[[NoticeSpider], Iterable]) -> Iterator:
        """The view's output: requests first, the next list page foremost (Scrapy hands outputs
        on one at a time, between other responses' items), then items, then ``Done``."""
        run, spec = request.meta[RUN], request.meta[SPEC]
        outputs: list[Any] = []
        try:
            outputs.extend(call(self._view(run, spec)))
        except Exception:  # one broken page never stops the others; its request still settles
            log.exception("%s: failed on %s", run.source_id, request.url)
        outputs.sort(key=_relay_order)
        for output in outputs:
            yield (
                self._adopt(output, run, spec)
                if isinstance(output, Request)
                else RunItem(run, output)
            )
        yield Done(run, request.meta[CLAIM])

    def _adopt(self, request: Request, run: RunRef, spec: ListSpec) -> Request:
        """The view's request, bound to this spider, deduplicated per run, list pages first."""
        is_list = bool(request.meta.get("is_list"))
        return request.replace(
            callback=getattr(self, cast(Callable, request.callback).__name__),
            errback=getattr(self, cast(Callable, request.errback).__name__),
            dont_filter=False,
            priority=1 if is_list else 0,
            meta={**request.meta, RUN: run, SPEC: spec},
        )

    def _view(
        self, run: RunRef, spec: ListSpec, recheck: Iterable[KnownNotice] = ()
    ) -> NoticeSpider:
        view = self._views.pop(run.run_id, None) or NoticeSpider(spec, self.runs.known, recheck)
        view.settings = self.settings  # what the crawl can do (rendering) is the worker's
        self._views[run.run_id] = view
        if len(self._views) > VIEWS:
            self._views.popitem(last=False)
        return view


def _request(response: Response) -> Request:
    """The request ``response`` answers (always set on responses handed to callbacks)."""
    return cast(Request, response.request)


def _relay_order(output: object) -> int:
    if isinstance(output, Request):
        return 0 if output.meta.get("is_list") else 1
    return 2
