"""A crash-safe shared request queue for Scrapy, built on scrapy-redis.

scrapy-redis pops a request from Redis and forgets it, so a worker killed
mid-request loses it. Here a pop *moves* the entry to the worker's own
in-flight list (``LMOVE``), and it leaves that list only when everything its
callback produced is stored (:meth:`RunScheduler.settle`). Each worker renews
a heartbeat key; when one stops, any other worker moves its in-flight entries
back to the queue. Every entry is in exactly one Redis list at any time.

Requests belong to a crawl run (:class:`RunRef` in ``request.meta["run"]``).
A per-run counter of unsettled requests says when the run is complete, and the
scrapy-redis dupefilter keeps one fingerprint set per run, so a notice linked
twice is fetched once per run but is re-checked by the next run.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import deque
from dataclasses import dataclass

from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

log = logging.getLogger(f"noticewatch.{__name__}")

CLAIM = "claim_id"  # request meta: which queue entry (or crawl message) the request is
HELD = "claim_held"  # request meta: claimed by the spider itself, to be started here
RUN = "run"  # request meta: the RunRef
KEY_TTL = 2 * 86400  # seconds: per-run keys left behind by a lost run expire

# Count the request unless the run has fingerprinted it already; push it (front: next out).
_ENQUEUE = """
if ARGV[1] ~= '' then
  if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
  redis.call('EXPIRE', KEYS[2], ARGV[4])
end
if ARGV[3] == '1' then redis.call('RPUSH', KEYS[1], ARGV[2]) else redis.call('LPUSH', KEYS[1], ARGV[2]) end
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[4])
return 1
"""
# Drop a claimed entry and count its run down; -1 if it was not ours any more (reaped).
_SETTLE = """
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return -1 end
return redis.call('DECR', KEYS[2])
"""
# A retry or redirect of a claimed request replaces it in the queue (same count).
_HAND_OVER = """
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
if ARGV[3] == '1' then redis.call('RPUSH', KEYS[2], ARGV[2]) else redis.call('LPUSH', KEYS[2], ARGV[2]) end
return 1
"""


@dataclass(frozen=True)
class RunRef:
    """The crawl run a queued request belongs to."""

    source_id: str
    run_id: int
    baseline: bool


@dataclass(frozen=True)
class QueueKeys:
    """Every Redis key of one deployment, under ``prefix``."""

    prefix: str

    @property
    def crawls(self) -> str:
        """LIST of crawl messages from the scheduling daemon."""
        return f"{self.prefix}:crawls"

    @property
    def requests(self) -> str:
        """LIST of serialized requests, shared by every worker."""
        return f"{self.prefix}:requests"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:workers"

    @property
    def seen(self) -> str:
        """Base of the per-run dupefilter sets (``<seen>:<run id>``)."""
        return f"{self.prefix}:seen"

    def inflight(self, worker: str) -> str:
        return f"{self.prefix}:inflight:{worker}"

    def claimed(self, worker: str) -> str:
        return f"{self.prefix}:claimed:{worker}"

    def heartbeat(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def pending(self, run_id: int) -> str:
        return f"{self.prefix}:pending:{run_id}"

    def run(self, run_id: int, part: str) -> str:
        """Per-run data kept by the application (its tally)."""
        return f"{self.prefix}:run:{run_id}:{part}"

    def active(self, source_id: str) -> str:
        """Set while a crawl of the source is queued or running."""
        return f"{self.prefix}:active:{source_id}"

    def host(self, hostname: str) -> str:
        return f"{self.prefix}:host:{hostname}"

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> QueueKeys:
        return cls(settings["NOTICEWATCH_QUEUE_PREFIX"])


class ReliableQueue(Base):
    """The shared FIFO of requests with per-worker claims (list pages go to the front)."""

    def __init__(self, server, spider: Spider, key: str, serializer=None) -> None:
        super().__init__(server, spider, key, serializer)
        settings = spider.settings
        self.keys = QueueKeys.from_settings(settings)
        self.worker: str = settings["NOTICEWATCH_WORKER_ID"]
        self.lease_ms = int(settings.getfloat("NOTICEWATCH_WORKER_LEASE") * 1000)
        self.claims: dict[str, tuple[str, bytes]] = {}  # claim id -> (its list, its entry)
        self._enqueue = server.register_script(_ENQUEUE)
        self._settle = server.register_script(_SETTLE)
        self._hand_over = server.register_script(_HAND_OVER)

    def __len__(self) -> int:
        return self.server.llen(self.key)

    def push(self, request: Request, fingerprint: str = "") -> bool:
        """Queue a new request of its run; False if the run has fingerprinted it already."""
        run_id = request.meta[RUN].run_id
        request.meta[CLAIM] = uuid.uuid4().hex
        keys = [self.key, f"{self.keys.seen}:{run_id}", self.keys.pending(run_id)]
        entry = self._encode_request(request)
        return bool(self._enqueue(keys, [fingerprint, entry, _front(request), KEY_TTL]))

    def hand_over(self, request: Request) -> bool:
        """Put a retry or redirect of a claimed request back in the queue in its place."""
        _, entry = self.claims.pop(request.meta[CLAIM])
        keys = [self.keys.inflight(self.worker), self.key]
        return bool(self._hand_over(keys, [entry, self._encode_request(request), _front(request)]))

    def pop(self) -> Request | None:
        """Claim the next request (it stays in this worker's in-flight list until settled)."""
        inflight = self.keys.inflight(self.worker)
        entry = self.server.lmove(self.key, inflight, "RIGHT", "LEFT")
        if entry is None:
            return None
        try:
            request = self._decode_request(entry)
        except Exception as exc:  # e.g. a callback this version does not have
            log.error("dropped an undecodable queued request: %s: %s", type(exc).__name__, exc)
            self.server.lrem(inflight, 1, entry)
            return None
        self.claims[request.meta[CLAIM]] = (inflight, entry)
        return request

    def claim_crawls(self, count: int) -> list[tuple[str, str]]:
        """Up to ``count`` crawl messages as (claim id, source id), claimed like requests."""
        claimed_key = self.keys.claimed(self.worker)
        found = []
        for _ in range(count):
            entry = self.server.lmove(self.keys.crawls, claimed_key, "RIGHT", "LEFT")
            if entry is None:
                break
            try:
                message = json.loads(entry)
                claim_id, source_id = str(message["id"]), str(message["source"])
            except (ValueError, KeyError, TypeError):
                log.error("dropped a malformed crawl message: %r", entry[:200])
                self.server.lrem(claimed_key, 1, entry)
                continue
            self.claims[claim_id] = (claimed_key, entry)
            found.append((claim_id, source_id))
        return found

    def open_run(self, run_id: int) -> None:
        """Count the crawl message of a run being started as one of its unsettled requests."""
        with self.server.pipeline() as pipe:
            pipe.incr(self.keys.pending(run_id)).expire(self.keys.pending(run_id), KEY_TTL)
            pipe.execute()

    def settle(self, claim_id: str, run_id: int) -> int:
        """Release a claim; the run's unsettled count after it (-1: the claim was reaped)."""
        claimed_list, entry = self.claims.pop(claim_id)
        return int(self._settle([claimed_list, self.keys.pending(run_id)], [entry]))

    def drop(self, claim_id: str) -> None:
        """Release a claim that belongs to no run (a crawl that could not start)."""
        claimed_list, entry = self.claims.pop(claim_id)
        self.server.lrem(claimed_list, 1, entry)

    def forget_run(self, run_id: int) -> None:
        self.server.delete(self.keys.pending(run_id), f"{self.keys.seen}:{run_id}")

    # -- liveness ------------------------------------------------------------
    def join(self) -> None:
        """Start as a worker; what an earlier process of the same name held goes back first."""
        self._return_claims(self.worker)
        self.beat()

    def beat(self) -> None:
        """Say this worker is alive for one more lease."""
        with self.server.pipeline() as pipe:
            pipe.set(self.keys.heartbeat(self.worker), "1", px=self.lease_ms)
            pipe.sadd(self.keys.workers, self.worker)
            pipe.execute()

    def reap(self) -> None:
        """Give the claims of workers whose heartbeat expired back to the queues."""
        for raw in self.server.smembers(self.keys.workers):
            worker = raw.decode()
            if worker != self.worker and not self.server.exists(self.keys.heartbeat(worker)):
                moved = self._return_claims(worker)
                self.server.srem(self.keys.workers, worker)
                log.warning(
                    "worker %s stopped answering; %d of its claims are back in the queue",
                    worker,
                    moved,
                )

    def leave(self) -> None:
        """On a clean stop: return any claim left and stop being a worker."""
        self._return_claims(self.worker)
        self.server.delete(self.keys.heartbeat(self.worker))
        self.server.srem(self.keys.workers, self.worker)

    def _return_claims(self, worker: str) -> int:
        moved = 0
        for source, target in (
            (self.keys.inflight(worker), self.key),
            (self.keys.claimed(worker), self.keys.crawls),
        ):
            while self.server.lmove(source, target, "RIGHT", "RIGHT") is not None:
                moved += 1
        return moved


def _front(request: Request) -> str:
    return "1" if request.priority > 0 else "0"


class RunScheduler(Scheduler):
    """scrapy-redis's scheduler over :class:`ReliableQueue` (settings as documented there, plus
    ``NOTICEWATCH_QUEUE_PREFIX``, ``NOTICEWATCH_WORKER_ID`` and ``NOTICEWATCH_WORKER_LEASE``)."""

    queue: ReliableQueue

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self._held: deque[Request] = deque()  # claimed by the spider, not started yet
        self.queue = ReliableQueue(self.server, spider, self.queue_key, self.serializer)
        self.df = load_object(self.dupefilter_cls).from_spider(spider)
        self.queue.join()
        self._liveness = LoopingCall(self._keep_alive)
        self._liveness.start(self.queue.lease_ms / 3000, now=False)

    def close(self, reason: str) -> None:
        if self._liveness.running:
            self._liveness.stop()
        self.queue.leave()

    def _keep_alive(self) -> None:
        try:
            self.queue.beat()
            self.queue.reap()
        except Exception as exc:  # Redis away for a moment: the next beat tries again
            log.warning("worker heartbeat failed: %s: %s", type(exc).__name__, exc)

    def claim_next(self) -> Request | None:
        """Claim the next queued request for the spider to hand to the engine (see ``start()``)."""
        request = self.queue.pop()
        if request is not None:
            request.meta[HELD] = True
        return request

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.pop(HELD, False):
            self._held.append(request)
            return True
        if CLAIM in request.meta:
            return self.queue.hand_over(request)
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        return self.queue.push(request, fingerprint)

    def next_request(self) -> Request | None:
        return self._held.popleft() if self._held else self.queue.pop()

    def has_pending_requests(self) -> bool:
        return bool(self._held) or len(self.queue) > 0
