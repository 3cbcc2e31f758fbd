"""Per-host politeness shared by every worker: concurrency and spacing kept in Redis.

Scrapy's per-domain slots count one process only; with N workers a host would
see N times the configured load. This downloader middleware takes a lease on
one of ``NOTICEWATCH_HOST_CONCURRENCY`` slots of the host (a sorted set of
leases) and respects ``NOTICEWATCH_HOST_DELAY`` seconds (±50 %) between two
request starts on the host, cluster-wide, before the download; the lease is
given back when the answer (or the error) arrives. A lease outlives neither
the download timeout nor the worker holding it (its heartbeat key).
"""

from __future__ import annotations

import asyncio
import random
import uuid

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.connection import get_redis_from_settings

from spiders.redis_queue import QueueKeys

LEASE = "host_lease"  # request meta: (host key, lease member)
POLL = 0.05  # seconds between tries while every slot of the host is taken

# 0: taken; >0: milliseconds until the host's next start is allowed; -1: all slots busy.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local worker = string.match(member, '^(.*)|')
  if redis.call('EXISTS', ARGV[5] .. worker) == 0 then redis.call('ZREM', KEYS[1], member) end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_start then return next_start - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', ARGV[3]) end
return 0
"""


class SharedHostLimit:
    """Downloader middleware; place it last before the download (e.g. priority 950)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.server = get_redis_from_settings(settings)
        self.keys = QueueKeys.from_settings(settings)
        self.worker: str = settings["NOTICEWATCH_WORKER_ID"]
        self.limit = settings.getint("NOTICEWATCH_HOST_CONCURRENCY")
        self.delay = settings.getfloat("NOTICEWATCH_HOST_DELAY")
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + 30) * 1000)
        self._acquire = self.server.register_script(_ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostLimit:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = self.keys.host(urlparse_cached(request).hostname or "")
        member = f"{self.worker}|{uuid.uuid4().hex}"
        while True:
            spacing = int(self.delay * random.uniform(0.5, 1.5) * 1000)
            keys = [host, f"{host}:next"]
            args = [member, self.limit, spacing, self.lease_ms, self.keys.heartbeat("")]
            wait = self._acquire(keys, args)
            if wait == 0:
                request.meta[LEASE] = (host, member)
                return
            await asyncio.sleep(POLL if wait < 0 else wait / 1000)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        lease = request.meta.pop(LEASE, None)
        if lease:
            self.server.zrem(*lease)
