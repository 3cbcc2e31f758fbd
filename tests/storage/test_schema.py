"""Schema checks: a newer database is one clear error; concurrent first upgrades are safe."""

from __future__ import annotations

import fcntl
import multiprocessing
import threading
from datetime import datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import (
    MIGRATIONS,
    SchemaError,
    _scripts,
    make_engine,
    newest_revision,
    open_database,
    upgrade,
)
from storage.models import Source
from tests.support.cli import run_cli

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
UPGRADERS = 4


def write_config(path: Path, url: str) -> Path:
    path.write_text(
        f'[storage]\nurl = "{url}"\n\n'
        '[[sources]]\nid = "a"\nname = "A"\nurl = "http://127.0.0.1:9/"\n',
        encoding="utf-8",
    )
    return path


def stored(url: str) -> tuple[list[str], list[str], list[str]]:
    """Alembic revisions, source ids and table names of the database at ``url``."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revisions = list(connection.scalars(text("SELECT version_num FROM alembic_version")))
            sources = list(connection.scalars(text("SELECT id FROM sources ORDER BY id")))
            tables = sorted(inspect(connection).get_table_names())
        return revisions, sources, tables
    finally:
        engine.dispose()


@pytest.fixture
def newer_database(db_url: str) -> str:
    """A database at head with one source, then stamped with revision 0099."""
    sessions = open_database(db_url)
    with sessions.begin() as session:
        session.add(
            Source(id="a", name="A", url="http://127.0.0.1:9/", created_at=datetime(2025, 1, 1))
        )
        session.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    sessions.kw["bind"].dispose()
    return db_url


@pytest.mark.parametrize(
    "command",
    [("status",), ("db", "upgrade"), ("db", "prune", "--dry-run"), ("notices", "list"), ("run",)],
    ids="-".join,
)
def test_a_newer_schema_is_one_line_and_exit_2(tmp_path, newer_database, command):
    before = stored(newer_database)
    config = write_config(tmp_path / "noticewatch.toml", newer_database)
    result = run_cli(config, *command, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line == (
        "noticewatch: the database schema is newer than this noticewatch (revision 0099 is "
        f"unknown; this version knows up to {HEAD}); upgrade noticewatch"
    )
    assert stored(newer_database) == before
    assert before[:2] == (["0099"], ["a"])


def test_open_database_raises_schema_error(newer_database):
    with pytest.raises(SchemaError, match="revision 0099 is unknown"):
        open_database(newer_database)


def test_an_older_schema_is_upgraded_and_one_at_head_is_left_alone(db_url):
    engine = make_engine(db_url)
    try:
        assert upgrade(engine, "0001") is True
        assert "pending_links" not in inspect(engine).get_table_names()
        assert upgrade(engine) is True
        assert "pending_links" in inspect(engine).get_table_names()
        assert upgrade(engine) is False
    finally:
        engine.dispose()
    assert stored(db_url)[0] == [HEAD]


def test_at_head_no_upgrade_lock_is_taken(sqlite_url):
    """An upgrade holding the lock file does not hold up a start on a database at head."""
    open_database(sqlite_url).kw["bind"].dispose()
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    engine = make_engine(sqlite_url)
    results: list[bool] = []
    with database.with_name(database.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        starter = threading.Thread(target=lambda: results.append(upgrade(engine)), daemon=True)
        starter.start()
        starter.join(30)
        while_held = list(results)
        fcntl.flock(lock, fcntl.LOCK_UN)
    starter.join(60)
    engine.dispose()
    assert while_held == [False], "a start at head waited for the upgrade lock"


def _open(url: str, barrier) -> None:
    barrier.wait(180)
    open_database(url).kw["bind"].dispose()


def test_concurrent_first_upgrades_all_succeed(db_url):
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(UPGRADERS)
    children = [spawn.Process(target=_open, args=(db_url, barrier)) for _ in range(UPGRADERS)]
    for child in children:
        child.start()
    for child in children:
        child.join(240)
    assert [child.exitcode for child in children] == [0] * UPGRADERS
    revisions, _sources, tables = stored(db_url)
    assert revisions == [HEAD]
    assert {"sources", "notices", "deliveries", "pending_links"} <= set(tables)


@pytest.mark.parametrize("command", [("status",), ("notices", "list"), ("run",)], ids="-".join)
def test_a_corrupt_database_file_is_one_line_naming_it_and_left_alone(tmp_path, command):
    database = tmp_path / "notices.db"
    database.write_bytes(b"not a database, but somebody's notes\n" * 200)
    before = database.read_bytes()
    config = write_config(tmp_path / "noticewatch.toml", f"sqlite:///{database}")
    result = run_cli(config, *command, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line == f"noticewatch: database sqlite:///{database}: file is not a database"
    assert database.read_bytes() == before


def test_the_newest_revision_read_from_the_files_is_alembics_head():
    assert newest_revision() == _scripts().get_current_head()
