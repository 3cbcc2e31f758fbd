"""Retries with exponential backoff, and none where a retry cannot help.

A 503 or a timeout is tried again after 1 s, 2 s, 4 s … But a name that does
not resolve and a refused connection are not retried within a crawl (the next
crawl tries again), robots.txt is asked once, and once a host has timed out,
its further timeouts are not retried: a dead server costs two timeouts, not
six.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from scrapy.settings import BaseSettings
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError

_HOPELESS = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DNSLookupError,
    ConnectionRefusedError,
)
_TIMEOUTS = (DownloadTimeoutError, TimeoutError)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry rules, with a pause of ``RETRY_BACKOFF`` × 2ⁿ⁻¹ seconds (at most
    ``RETRY_BACKOFF_MAX``) before the n-th retry, so a struggling server gets air."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.timed_out: set[str] = set()  # hosts that have let a request time out

    async def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._pause(result)
        return result

    async def process_exception(self, request, exception, spider=None):
        if not self._worth_retrying(request, exception):
            return None
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._pause(result)
        return result

    def _worth_retrying(self, request: Request, exception: Exception) -> bool:
        if isinstance(exception, _HOPELESS):
            return False
        robots = request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt")
        if isinstance(exception, _TIMEOUTS):
            host = urlsplit(request.url).netloc
            first = host not in self.timed_out
            self.timed_out.add(host)
            return first and not robots
        return not robots

    async def _pause(self, retry: Request) -> None:
        attempt = retry.meta.get("retry_times", 1)
        await asyncio.sleep(min(self.backoff * 2 ** (attempt - 1), self.backoff_max))
