"""The CLI as a user runs it (one-off or as a long-running process), configs, waiting, reading rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from monitor.demo import MockSiteServer

ROOT = Path(__file__).resolve().parent.parent.parent


def source_toml(server: MockSiteServer, **options) -> str:
    lines = [
        "[[sources]]",
        f'id = "{server.site.source_id}"',
        f'name = "{server.site.name}"',
        f'url = "{server.list_url}"',
        *(f"{key} = {toml_value(value)}" for key, value in options.items()),
    ]
    return "\n".join(lines) + "\n"


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
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
