"""Crawl runs on a worker: open them, record their pages, close them (the spider's ``Runs``).

A run is opened by the worker that claims its crawl message, its pages are
recorded by whichever worker fetched them, and it is closed by the worker that
settles its last request; the run's counts live in Redis
(:class:`~monitor.distributed.tally.RedisLedger`).
"""

from __future__ import annotations

import logging

import redis

from monitor.config import Config
from monitor.distributed.tally import RedisLedger
from monitor.recorder import Recorder
from spiders.items import KnownNotice
from spiders.queued import RunPlan
from spiders.redis_queue import QueueKeys, RunRef
from storage.db import open_database

log = logging.getLogger(f"noticewatch.{__name__}")


class QueueRuns:
    def __init__(self, config: Config, server: redis.Redis, keys: QueueKeys) -> None:
        self.config = config
        self.server = server
        self.keys = keys
        self.ledger = RedisLedger(server, keys, config)
        self.recorder = Recorder(open_database(config.storage_url), config, ledger=self.ledger)

    def known(self, urls: list[str]) -> dict[str, KnownNotice]:
        return self.recorder.known(urls)

    def start(self, source_id: str) -> RunPlan | None:
        """Open a crawl run of the source; None (and the source free to be queued again) if it cannot be."""
        try:
            start = self.recorder.begin(self.config.source(source_id))
        except KeyError:
            log.error("%s: cannot crawl: not in %s", source_id, self.config.path)
            self.server.delete(self.keys.active(source_id))
            return None
        except Exception as exc:  # the database is away: the daemon queues it again later
            log.error("%s: cannot start the crawl: %s: %s", source_id, type(exc).__name__, exc)
            self.server.delete(self.keys.active(source_id))
            return None
        run = RunRef(source_id, start.state.run_id, start.state.baseline)
        return RunPlan(run, start.spec, start.recheck)

    def finish(self, run: RunRef) -> None:
        """Close the run with the counts of every worker, and let its source be queued again."""
        with self.ledger.recording(run):
            result = self.recorder.finish(run.source_id)
        self.ledger.clear(run.run_id)
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
