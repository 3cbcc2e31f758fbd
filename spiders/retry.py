"""Retries with exponential backoff: a 503 or a timeout is tried again after 1 s, 2 s, 4 s …"""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.settings import BaseSettings


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry rules, with a pause of ``RETRY_BACKOFF`` × 2ⁿ⁻¹ seconds (at most
    ``RETRY_BACKOFF_MAX``) before the n-th retry, so a struggling server gets air."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._pause(result)
        return result

    async def process_exception(self, request, exception, spider=None):
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._pause(result)
        return result

    async def _pause(self, retry: Request) -> None:
        attempt = retry.meta.get("retry_times", 1)
        await asyncio.sleep(min(self.backoff * 2 ** (attempt - 1), self.backoff_max))
