"""A private Redis server for one test, to stop and start for outages.

Its own free port on 127.0.0.1, no persistence (a restart loses what was
queued, as an unpersisted production Redis would). Missing ``redis-server``
skips the test loudly, or fails it in CI. The server is always stopped
afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import redis

from tests.support.cli import wait_for
from tests.support.receivers import free_port
from tests.support.services import service_missing


class ThrowawayRedis:
    """One ``redis-server`` process on a free port of 127.0.0.1."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, prefix: str) -> str:
        return f"redis://127.0.0.1:{self.port}/0?prefix={prefix}"

    def start(self) -> ThrowawayRedis:
        """Start the server and wait until it answers PING."""
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis("127.0.0.1", self.port, socket_timeout=1)
        try:
            wait_for(lambda: self._answers(client), 20, f"redis-server on port {self.port}")
        finally:
            client.close()
        return self

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Stop the server (its clients see refused connections until it starts again)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(20)
            self.process = None


@pytest.fixture(name="throwaway_redis")
def throwaway_redis_fixture() -> Iterator[ThrowawayRedis]:
    """A running private Redis server (``.url(prefix)``, ``.stop()``, ``.start()``)."""
    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("redis-server (the binary, for outage tests)")
    server = ThrowawayRedis(binary).start()
    try:
        yield server
    finally:
        server.stop()
