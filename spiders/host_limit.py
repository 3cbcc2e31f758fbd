"""Per-host politeness held strictly for every crawler of a process, and a cap on the process.

Scrapy counts concurrency and delays per downloader slot, and a crawler has a
downloader of its own. A crawl process runs one crawler for all its sources
(``spiders.batch``), whose slots hold each host's limit in the common case; but
a loaded full test run once had three requests in flight on a host limited to
two, so the limit is also held here, strictly, and across crawlers should a
process run more than one. This downloader middleware holds one gate per host for the whole process: at
most ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests in flight on a host and
``DOWNLOAD_DELAY`` seconds (±50 %) between two starts on it, whichever source
asks; and at most ``CONCURRENT_REQUESTS`` requests in flight in the process.
A request takes its host's permit before the process's, so a busy host never
holds the process's permits while it waits. Permits go back when the answer
(or the error) arrives, or when the request's crawler closes.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import deque
from dataclasses import dataclass, field

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

PERMIT = "process_permit"  # request meta: the number of the permit the request holds


@dataclass
class Gate:
    """Up to ``limit`` holders at once, first come first served; optionally spaced starts."""

    limit: int
    spacing: float = 0.0  # seconds between two starts (±50 %)
    held: int = 0
    next_start: float = 0.0  # loop time before which no request may start
    waiters: deque[asyncio.Future[None]] = field(default_factory=deque)

    async def enter(self) -> None:
        if self.held >= self.limit or self.waiters:
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                await waiter  # the permit is handed over by leave()
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self.leave()
                elif waiter in self.waiters:
                    self.waiters.remove(waiter)
                raise
        else:
            self.held += 1
        if self.spacing > 0:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self.next_start)
            self.next_start = start + self.spacing * random.uniform(0.5, 1.5)
            if start > now:
                await asyncio.sleep(start - now)

    def leave(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the permit passes on: ``held`` stays
                return
        self.held -= 1


@dataclass
class ProcessGates:
    """The gates of this process: one per host and one for the process."""

    per_host: int
    spacing: float
    total: Gate
    hosts: dict[str, Gate] = field(default_factory=dict)

    def host(self, name: str) -> Gate:
        gate = self.hosts.get(name)
        if gate is None:
            gate = self.hosts[name] = Gate(self.per_host, self.spacing)
        return gate


_gates: ProcessGates | None = None  # shared by the middleware of every crawler in the process
_numbers = itertools.count()


def process_gates(per_host: int, spacing: float, total: int) -> ProcessGates:
    """This process's gates, made on first use (every crawler of a crawl shares its settings)."""
    global _gates
    if _gates is None:
        _gates = ProcessGates(per_host, spacing, Gate(total))
    return _gates


class ProcessHostLimit:
    """Downloader middleware; place it last before the download (e.g. priority 940)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.gates = process_gates(
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            settings.getfloat("DOWNLOAD_DELAY"),
            settings.getint("CONCURRENT_REQUESTS"),
        )
        self.held: dict[int, str] = {}  # permit number -> host, for this crawler's requests
        crawler.signals.connect(self.release_all, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProcessHostLimit:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        gate = self.gates.host(host)
        await gate.enter()
        try:
            await self.gates.total.enter()
        except BaseException:
            gate.leave()
            raise
        number = next(_numbers)
        self.held[number] = host
        request.meta[PERMIT] = number

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request.meta.pop(PERMIT, None))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request.meta.pop(PERMIT, None))

    def release_all(self) -> None:
        """The crawler closed: requests it dropped give their permits back."""
        for number in list(self.held):
            self._release(number)

    def _release(self, number: int | None) -> None:
        host = self.held.pop(number, None) if number is not None else None
        if host is not None:
            self.gates.total.leave()
            self.gates.host(host).leave()
