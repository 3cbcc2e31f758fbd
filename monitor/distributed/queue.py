"""Where a deployment's Redis is, from ``[queue] url`` (optionally ``?prefix=NAME`` for its keys)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis

from monitor.config import Config, ConfigError
from spiders.redis_queue import QueueKeys

DEFAULT_PREFIX = "noticewatch"


@dataclass(frozen=True)
class RedisQueue:
    """The deployment's Redis and the key names under its prefix."""

    url: str  # as redis-py reads it (without ``prefix``)
    keys: QueueKeys

    @classmethod
    def from_config(cls, config: Config) -> RedisQueue:
        if not config.queue.url:
            raise ConfigError(
                f'{config.path}: queue.url: not set (workers need [queue] url = "redis://HOST:6379/0")'
            )
        parts = urlsplit(config.queue.url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        prefix = dict(query).get("prefix") or DEFAULT_PREFIX
        rest = urlencode([(name, value) for name, value in query if name != "prefix"])
        return cls(urlunsplit(parts._replace(query=rest)), QueueKeys(prefix))

    def connect(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)
