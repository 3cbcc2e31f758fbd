"""A crawl run's counts, summed in Redis over every worker that stored a page of it.

Each page is recorded into a fresh :class:`~monitor.recorder.RunState`; what
that state collected is added here. When the run is complete, :meth:`load`
rebuilds the whole run's state for :meth:`~monitor.recorder.Recorder.finish`.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import redis

from monitor.config import Source
from monitor.recorder import RunState
from spiders.items import FetchProblem, ListEntry
from spiders.redis_queue import KEY_TTL, QueueKeys, RunRef

_COUNTS = ("list_pages", "details", "extract_failures", "new", "changed")


class RunTally:
    def __init__(self, server: redis.Redis, keys: QueueKeys) -> None:
        self.server = server
        self.keys = keys

    def _keys(self, run_id: int) -> tuple[str, str, str]:
        return tuple(self.keys.run(run_id, part) for part in ("counts", "links", "problems"))

    def add(self, state: RunState) -> None:
        """Add what ``state`` collected (from nothing) to its run's totals."""
        counts, links, problems = self._keys(state.run_id)
        with self.server.pipeline(transaction=True) as pipe:
            for name in _COUNTS:
                if value := getattr(state, name):
                    pipe.hincrby(counts, name, value)
            if state.list_status is not None:
                first_page = {
                    "list_status": state.list_status,
                    "list_not_modified": int(state.list_not_modified),
                    "list_etag": state.list_etag or "",
                    "list_modified": state.list_modified or "",
                }
                pipe.hset(counts, mapping=first_page)
            if state.entries:
                pipe.sadd(links, *state.entries)
            if state.problems:
                pipe.rpush(problems, *(json.dumps(asdict(p)) for p in state.problems))
            for key in (counts, links, problems):
                pipe.expire(key, KEY_TTL)
            pipe.execute()

    def load(self, source: Source, run: RunRef) -> RunState:
        """The whole run as one state."""
        counts_key, links_key, problems_key = self._keys(run.run_id)
        counts = {k.decode(): v.decode() for k, v in self.server.hgetall(counts_key).items()}
        status = counts.get("list_status")
        return RunState(
            source,
            run.run_id,
            run.baseline,
            **{name: int(counts.get(name, 0)) for name in _COUNTS},
            list_status=int(status) if status else None,
            list_not_modified=counts.get("list_not_modified") == "1",
            list_etag=counts.get("list_etag") or None,
            list_modified=counts.get("list_modified") or None,
            entries={
                url: ListEntry(url, "")
                for url in sorted(u.decode() for u in self.server.smembers(links_key))
            },
            problems=[
                FetchProblem(**json.loads(p)) for p in self.server.lrange(problems_key, 0, -1)
            ],
        )

    def clear(self, run_id: int) -> None:
        self.server.delete(*self._keys(run_id))
