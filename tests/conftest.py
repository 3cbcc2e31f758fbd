"""Shared fixtures: local mock sites on 127.0.0.1, databases, the CLI as a process, alert receivers.

Helpers live in ``tests/support/`` (importable by tests and by ``bench/``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from monitor.demo import MockSiteServer, build_all_sites, start_sites, stop_all
from tests.support.cli import CliProcess
from tests.support.receivers import flaky_webhook, smtp, webhook  # noqa: F401 (shared fixtures)
from tests.support.services import (
    PG_ADMIN_URL,
    REDIS_HOST,
    REDIS_PORT,
    port_open,
    service_missing,
)


@pytest.fixture
def sites() -> Iterator[dict[str, MockSiteServer]]:
    """Fresh mock sites (trs, vsb, discuz, big5, dede, hanweb), served on 127.0.0.1, by style."""
    servers = start_sites(build_all_sites())
    yield {server.site.style: server for server in servers}
    stop_all(servers)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'notices.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL ``test`` database, dropped afterwards."""
    if not port_open("127.0.0.1", 5432):
        service_missing("PostgreSQL")
    schema = f"nw_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}&application_name={schema}"
    with admin.connect() as connection:  # a process of the test may outlive it (a notifier child)
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :s"
            ),
            {"s": schema},
        )
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(
        f"{request.param}_url" if request.param == "sqlite" else "postgres_url"
    )


@pytest.fixture
def start_cli(tmp_path: Path) -> Iterator[Callable[..., CliProcess]]:
    """``start_cli(config, "worker", "--id", "w1")``; whatever still runs is killed at the end."""
    started: list[CliProcess] = []

    def launch(config: Path, *args: str) -> CliProcess:
        process = CliProcess(config, list(args), tmp_path / f"{args[0]}-{len(started)}.log")
        started.append(process)
        return process

    yield launch
    for process in started:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the local Redis; its keys are deleted afterwards."""
    if not port_open(REDIS_HOST, REDIS_PORT):
        service_missing("Redis")
    prefix = f"nwtest-{uuid.uuid4().hex[:10]}"
    yield prefix
    server = redis.Redis(REDIS_HOST, REDIS_PORT)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)
    server.close()
