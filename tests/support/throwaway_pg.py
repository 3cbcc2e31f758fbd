"""A private PostgreSQL server for one test, to stop and start for outages.

Its own data directory (a fresh temporary directory), its own free port on
127.0.0.1, trust authentication, durability off (fast, and a stopped server
loses nothing: the OS keeps the files). The server binaries come from
``/usr/lib/postgresql/*/bin`` (or ``PATH``); as root they run as the ``postgres``
OS user through ``runuser``, because ``initdb`` refuses to run as root. Missing
binaries skip the test loudly, or fail it in CI. The server is always stopped
and its directory removed afterwards.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.receivers import free_port
from tests.support.services import IN_CI

OS_USER = "postgres"
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "32MB",
}


def _missing(what: str) -> None:
    """Skip (loudly) outside CI; in CI a missing PostgreSQL installation is a failure."""
    message = f"{what}: install the PostgreSQL server package (see .ci/run)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(f"SERVICE MISSING — {message}")


def find_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` holding initdb and pg_ctl, else PATH's, else None."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(Path(path).parent.name) if Path(path).parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in candidates:
        if all(Path(directory, tool).is_file() for tool in ("initdb", "pg_ctl")):
            return Path(directory)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


class ThrowawayPostgres:
    """One PostgreSQL server in a temporary directory, on a free port of 127.0.0.1."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="nw-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.running = False
        if self.as_root:
            entry = pwd.getpwnam(OS_USER)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the server's ``postgres`` database."""
        return f"postgresql+psycopg://{OS_USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bindir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", OS_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{tool} {' '.join(args)} exited {done.returncode}: "
                f"{(done.stderr or done.stdout).strip()[-2000:]}\n{log}"
            )

    def init(self) -> ThrowawayPostgres:
        """Create the cluster (trust auth, superuser ``postgres``) and write its settings."""
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            OS_USER,
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        settings = {**SETTINGS, "port": str(self.port), "unix_socket_directories": f"'{self.root}'"}
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("".join(f"\n{key} = {value}" for key, value in settings.items()) + "\n")
        return self

    def start(self) -> ThrowawayPostgres:
        """Start the server and wait until it accepts connections."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        self.running = True
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: clients are disconnected; ``immediate``: like a crash)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def destroy(self) -> None:
        """Stop the server if it runs and remove its directory."""
        try:
            if self.running:
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(name="throwaway_pg")
def throwaway_pg_fixture() -> Iterator[ThrowawayPostgres]:
    """A running private PostgreSQL server (``.url``, ``.stop()``, ``.start()``), removed afterwards."""
    bindir = find_bindir()
    if bindir is None:
        _missing(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            _missing(f"no {OS_USER!r} OS user to run the PostgreSQL server as (tests run as root)")
        if shutil.which("runuser") is None:
            _missing("runuser (util-linux) not found: needed to run initdb as a non-root user")
    server = ThrowawayPostgres(bindir)
    try:
        server.init().start()
        yield server
    finally:
        server.destroy()
