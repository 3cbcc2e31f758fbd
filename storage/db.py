"""Engine and session setup, and schema upgrades through Alembic.

Alembic is imported only when a schema needs work: a database already at the newest
revision (read from the migration files) is opened with one query."""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import DatabaseUnavailable, SchemaError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

if sys.platform != "win32":
    import fcntl

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_LOCK = 0x6E77_0001  # pg_advisory_xact_lock key held while noticewatch upgrades a schema


def utcnow() -> datetime:
    """Naive UTC now: every timestamp in the database is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def _use_wal(cursor, attempts: int = 100) -> None:
    """Switch the database file to WAL (it stays so). SQLite does not wait for a busy lock
    on this switch, so processes opening a new database together retry it."""
    for attempt in range(attempts):
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def _sqlite_pragmas(busy_timeout: float, dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    _use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite files get WAL mode and their folder is created.

    A write waits for another writer's lock up to ``?timeout=`` seconds in a SQLite URL
    (30 by default), then fails.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        busy_timeout = float(parsed.query.get("timeout", 30))  # type: ignore[arg-type]
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        event.listen(engine, "connect", partial(_sqlite_pragmas, busy_timeout))
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine, connection: Connection | None = None) -> AlembicConfig:
    """Alembic config for ``engine``; migrations run on ``connection`` when one is given."""
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


_REVISION_LINE = re.compile(r'^(revision|down_revision) = (?:"([^"]+)"|None)$', re.M)


@cache
def newest_revision() -> str | None:
    """The head of the migrations, read from their files (None unless there is exactly one)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        fields = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        revisions.add(fields["revision"])
        parents.add(fields.get("down_revision"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_newest(engine: Engine) -> bool:
    """Whether the database is stamped with the newest revision (one query, no Alembic)."""
    with engine.connect() as connection:
        try:
            stamped = connection.execute(text("SELECT version_num FROM alembic_version"))
            return set(stamped.scalars()) == {newest_revision()}
        except DBAPIError:  # no such table yet; Alembic's path says what else is wrong
            return False


def current_revisions(connection: Connection) -> set[str]:
    """The revisions stamped in ``alembic_version`` (empty for a new database)."""
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


def _is_at(scripts: ScriptDirectory, current: set[str], revision: str) -> bool:
    """Whether ``current`` is ``revision``; a revision unknown to this code is a SchemaError."""
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = sorted(current - known)
    if unknown:
        newest = ", ".join(scripts.get_heads())
        raise SchemaError(
            f"the database schema is newer than this noticewatch (revision "
            f"{', '.join(unknown)} is unknown; this version knows up to {newest}); "
            "upgrade noticewatch"
        )
    wanted = {script.revision for script in scripts.get_revisions(revision)}
    return current == wanted


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (where fcntl exists)."""
    if sys.platform == "win32":  # pragma: no cover - not POSIX
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine; None in memory."""
    database = engine.url.database
    if not database or database == ":memory:" or "memory" in str(engine.url.query.get("mode")):
        return None
    return Path(database).expanduser()


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other upgrader of this database runs beside."""
    if engine.dialect.name == "sqlite" and (database := _sqlite_file(engine)):
        with _file_lock(database.with_name(database.name + ".lock")), engine.begin() as connection:
            yield connection
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # released when the migration commits
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        yield connection


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the schema up to ``revision`` (Alembic); returns whether anything was applied.

    Cheap when the schema is already there. Concurrent callers are serialised
    (PostgreSQL advisory lock, a lock file beside a SQLite file). Raises
    :class:`SchemaError` for a database written by a newer noticewatch.
    """
    if revision == "head" and _at_newest(engine):
        return False
    from alembic import command

    scripts = _scripts()
    with engine.connect() as connection:
        if _is_at(scripts, current_revisions(connection), revision):
            return False
    with _schema_lock(engine) as connection:
        if _is_at(scripts, current_revisions(connection), revision):
            return False
        command.upgrade(alembic_config(engine, connection), revision)
    return True


def open_database(url: str) -> sessionmaker[Session]:
    """Engine for ``url`` with the schema upgraded, as a session factory."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        where = make_url(url).render_as_string(hide_password=True)
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise DatabaseUnavailable(f"database {where}: {reason}") from exc
    except Exception:
        engine.dispose()
        raise
    return sessionmaker(engine, expire_on_commit=False)


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE run through ``Session.execute`` changed."""
    return cast(CursorResult[Any], result).rowcount
