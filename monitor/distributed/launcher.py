"""The daemon's launcher when ``[queue] url`` is set: crawls go to the workers through Redis."""

from __future__ import annotations

import json
import logging
import uuid

import redis

from monitor.config import Config
from monitor.daemon.dispatch import LaunchError
from monitor.distributed.queue import RedisQueue
from storage.db import utcnow

log = logging.getLogger(f"noticewatch.{__name__}")

# Queue a crawl message unless the source has one queued or running (one run per source).
_LAUNCH = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[3])
return 1
"""


class RedisLauncher:
    """Implements the daemon's ``Launcher``: ``launch`` queues the crawl and returns at once.

    A source whose previous crawl is still queued or running is skipped (the
    running crawl clears its mark when it ends; ``timeout`` seconds clear it
    if every worker died).
    """

    def __init__(self, config: Config) -> None:
        queue = RedisQueue.from_config(config)
        self.keys = queue.keys
        self.server = queue.connect()
        self.timeout = config.daemon.crawl_timeout
        self._launch = self.server.register_script(_LAUNCH)

    def launch(self, source_ids: list[str]) -> None:
        for source_id in source_ids:
            self._queue(source_id)

    def _queue(self, source_id: str) -> None:
        launch_id = uuid.uuid4().hex
        message = json.dumps(
            {"id": launch_id, "source": source_id, "queued_at": utcnow().isoformat()}
        )
        keys = [self.keys.active(source_id), self.keys.crawls]
        try:
            queued = self._launch(keys, [launch_id, int(self.timeout), message])
        except redis.RedisError as exc:  # the next scheduled run tries again
            raise LaunchError(f"cannot queue the crawl: {type(exc).__name__}: {exc}") from None
        if queued:
            log.info("%s: crawl queued for the workers", source_id)
        else:
            log.info("%s: previous crawl still queued or running: skipped", source_id)

    def check(self) -> None:
        """Raise ``redis.RedisError`` when Redis does not answer."""
        self.server.ping()

    def stop(self) -> None:
        """Nothing runs here: queued crawls wait for a worker, running ones go on."""
