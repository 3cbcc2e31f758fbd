"""Shared fixtures: local mock sites on 127.0.0.1, configs, the CLI as a process, databases."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from monitor.demo import MockSiteServer, build_all_sites, start_sites, stop_all
from tests.receivers import flaky_webhook, smtp, webhook  # noqa: F401 (shared fixtures)

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "NOTICEWATCH_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_missing(what: str) -> None:
    """Skip (loudly) outside CI; in CI a missing service is a failure."""
    message = f"{what} is not reachable on 127.0.0.1: start it (see .ci/run)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(f"SERVICE MISSING — {message}")


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


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
    yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(
        f"{request.param}_url" if request.param == "sqlite" else "postgres_url"
    )


def source_toml(server: MockSiteServer, **options) -> str:
    lines = [
        "[[sources]]",
        f'id = "{server.site.source_id}"',
        f'name = "{server.site.name}"',
        f'url = "{server.list_url}"',
        *(f"{key} = {_toml_value(value)}" for key, value in options.items()),
    ]
    return "\n".join(lines) + "\n"


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def write_config(
    path: Path,
    storage_url: str,
    servers: list[MockSiteServer],
    *,
    extra: str = "",
    max_pages: int = 10,
    **source_options,
) -> Path:
    """A config crawling ``servers`` quickly (no delay); ``extra`` is appended TOML."""
    body = [
        f'[storage]\nurl = "{storage_url}"\n',
        "[crawl]\ndownload_delay = 0\nretries = 0\ntimeout = 10\n",
    ]
    body += [source_toml(server, max_pages=max_pages, **source_options) for server in servers]
    path.write_text("\n".join(body) + "\n" + extra, encoding="utf-8")
    return path


class CliProcess:
    """``noticewatch ARGS`` running in a child process, its output in a log file."""

    def __init__(self, config: Path, args: list[str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "monitor", "--config", str(config), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20) -> int:
        self.proc.send_signal(signum)
        return self.proc.wait(timeout)


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


def db_rows(url: str, statement) -> list:
    """The rows ``statement`` selects, read in a short-lived engine of its own."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(statement).all())
    finally:
        engine.dispose()


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    """The first truthy value of ``condition()`` within ``timeout`` seconds, else a failure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def run_cli(
    config: Path | None, *args: str, timeout: float = 120, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run ``noticewatch`` in a child process, as a user would."""
    command = [sys.executable, "-m", "monitor"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
