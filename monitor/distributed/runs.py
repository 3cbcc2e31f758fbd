"""Crawl runs on a worker: open them, record their pages, close them (the spider's ``Runs``).

A run is opened by the worker that claims its crawl message, its pages are
recorded by whichever worker fetched them, and it is closed by the worker that
settles its last request. Per-run state therefore lives in Redis
(:class:`~monitor.distributed.tally.RunTally`), not in one process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from scrapy.exceptions import DropItem

from monitor.config import Config, Source
from monitor.distributed.tally import RunTally
from monitor.recorder import Recorder, RunState
from spiders.items import KnownNotice
from spiders.queued import RunPlan
from spiders.redis_queue import QueueKeys, RunRef

log = logging.getLogger(__name__)


class QueueRuns:
    def __init__(
        self, recorder: Recorder, config: Config, server: redis.Redis, keys: QueueKeys
    ) -> None:
        self.recorder = recorder
        self.config = config
        self.server = server
        self.keys = keys
        self.tally = RunTally(server, keys)

    def known(self, urls: list[str]) -> dict[str, KnownNotice]:
        return self.recorder.known(urls)

    def start(self, source_id: str) -> RunPlan | None:
        """Open a crawl run of the source; None (and the source free to be queued again) if it cannot be."""
        try:
            recheck, spec = self.recorder.begin(self.config.source(source_id))
        except KeyError:
            log.error("%s: cannot crawl: not in %s", source_id, self.config.path)
            self.server.delete(self.keys.active(source_id))
            return None
        except Exception as exc:  # the database is away: the daemon queues it again later
            log.error("%s: cannot start the crawl: %s: %s", source_id, type(exc).__name__, exc)
            self.server.delete(self.keys.active(source_id))
            return None
        state = self.recorder.runs[source_id]
        return RunPlan(RunRef(source_id, state.run_id, state.baseline), spec, recheck)

    @contextmanager
    def recording(self, run: RunRef) -> Iterator[None]:
        """Record into a fresh state of the run; its counts go to the run's tally afterwards."""
        state = RunState(self._source(run), run.run_id, run.baseline)
        self.recorder.runs[run.source_id] = state
        yield
        self.tally.add(state)

    def finish(self, run: RunRef) -> None:
        """Close the run with the counts of every worker, and let its source be queued again."""
        state = self.tally.load(self._source(run), run)
        self.recorder.runs[run.source_id] = state
        result = self.recorder.finish(run.source_id)
        self.tally.clear(run.run_id)
        self.server.delete(self.keys.active(run.source_id))
        log.info(
            "%s: %s; %d links, %d new, %d changed, %d requests%s",
            run.source_id,
            result.outcome,
            result.links_found,
            result.new_count,
            result.changed_count,
            result.requests,
            f"; {result.error}" if result.error else "",
        )

    def _source(self, run: RunRef) -> Source:
        try:
            return self.config.source(run.source_id)
        except KeyError:
            raise DropItem(f"{run.source_id}: not in {self.config.path}") from None
