"""The run ledger of workers: a crawl run's counts, summed in Redis over every worker.

A run is opened by one worker, its pages are recorded by whichever worker
fetched them, and it is closed by the worker that settles its last request.
So each page is recorded into a fresh :class:`~monitor.ledger.RunState` of
the run named by :meth:`RedisLedger.recording`, and what that state collected
is added to the run's totals in Redis; :meth:`RedisLedger.totals` rebuilds
the whole run for :meth:`~monitor.recorder.Recorder.finish`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

import redis

from monitor.config import Config
from monitor.events import COUNTED
from monitor.ledger import RunState
from spiders.items import FetchProblem, ListEntry
from spiders.redis_queue import KEY_TTL, QueueKeys, RunRef

_COUNTS = ("list_pages", "details", "extract_failures", *COUNTED)  # RunState fields


class RedisLedger:
    """Implements :class:`~monitor.ledger.RunLedger` across workers."""

    def __init__(self, server: redis.Redis, keys: QueueKeys, config: Config) -> None:
        self.server = server
        self.keys = keys
        self.config = config
        self._run: RunRef | None = None  # items are recorded one at a time (CONCURRENT_ITEMS 1)

    @contextmanager
    def recording(self, run: RunRef) -> Iterator[None]:
        """What is recorded meanwhile belongs to ``run``."""
        self._run = run
        try:
            yield
        finally:
            self._run = None

    def open(self, state: RunState) -> None:
        """A run's totals start empty: nothing to keep."""

    @contextmanager
    def page(self, source_id: str) -> Iterator[RunState]:
        run = self._current(source_id)
        state = RunState(self.config.source(source_id), run.run_id, run.baseline)
        yield state
        self._add(state)

    def totals(self, source_id: str) -> RunState:
        run = self._current(source_id)
        counts_key, links_key, problems_key = self._keys(run.run_id)
        counts = {k.decode(): v.decode() for k, v in self.server.hgetall(counts_key).items()}
        status = counts.get("list_status")
        entries = (ListEntry(**json.loads(v)) for v in self.server.hvals(links_key))
        state = RunState(
            self.config.source(source_id),
            run.run_id,
            run.baseline,
            list_status=int(status) if status else None,
            list_not_modified=counts.get("list_not_modified") == "1",
            list_etag=counts.get("list_etag") or None,
            list_modified=counts.get("list_modified") or None,
            entries={entry.url: entry for entry in sorted(entries, key=lambda e: e.url)},
            problems=[
                FetchProblem(**json.loads(p)) for p in self.server.lrange(problems_key, 0, -1)
            ],
        )
        for name in _COUNTS:
            setattr(state, name, int(counts.get(name, 0)))
        return state

    def clear(self, run_id: int) -> None:
        self.server.delete(*self._keys(run_id))

    def _current(self, source_id: str) -> RunRef:
        if self._run is None or self._run.source_id != source_id:
            raise RuntimeError(f"{source_id}: recorded outside RedisLedger.recording()")
        return self._run

    def _keys(self, run_id: int) -> tuple[str, str, str]:
        counts, links, problems = (
            self.keys.run(run_id, part) for part in ("counts", "links", "problems")
        )
        return counts, links, problems

    def _add(self, state: RunState) -> None:
        """Add what ``state`` collected (from nothing) to its run's totals."""
        counts, links, problems = self._keys(state.run_id)
        with self.server.pipeline(transaction=True) as pipe:
            for name in _COUNTS:
                if value := getattr(state, name):
                    pipe.hincrby(counts, name, value)
            if state.list_status is not None:
                first_page: dict[str | bytes, str | int] = {
                    "list_status": state.list_status,
                    "list_not_modified": int(state.list_not_modified),
                    "list_etag": state.list_etag or "",
                    "list_modified": state.list_modified or "",
                }
                pipe.hset(counts, mapping=first_page)
            for url, entry in state.entries.items():  # the first sighting stays, as in one process
                pipe.hsetnx(links, url, json.dumps(asdict(entry)))
            if state.problems:
                pipe.rpush(problems, *(json.dumps(asdict(p)) for p in state.problems))
            for key in (counts, links, problems):
                pipe.expire(key, KEY_TTL)
            pipe.execute()
