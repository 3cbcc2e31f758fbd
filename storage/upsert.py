"""Insert-or-ignore on a unique key, the same on SQLite and PostgreSQL.

Concurrent writers (several workers, two notifiers) never create a duplicate
row and never fail on one: ``INSERT … ON CONFLICT DO NOTHING RETURNING id``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def _insert(session: Session, model: type[Any]) -> Any:
    """The dialect's INSERT (with ON CONFLICT); only the dialect in use is imported."""
    return _dialect_insert(session.get_bind().dialect.name, model)


def _dialect_insert(dialect: str, model: type[Any]) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(model)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(model)


_IGNORING: dict[tuple[str, Any, tuple[str, ...]], Any] = {}


def _ignoring(dialect: str, model: Any, unique: tuple[str, ...]) -> Any:
    """The statement, built once: a crawl inserts a notice per new page."""
    key = (dialect, model, unique)
    if key not in _IGNORING:
        _IGNORING[key] = (
            _dialect_insert(dialect, model)
            .on_conflict_do_nothing(index_elements=list(unique))
            .returning(model.id)
        )
    return _IGNORING[key]


def insert_ignore(
    session: Session, model: type[Any], values: dict[str, Any], unique: list[str]
) -> int | None:
    """Insert a row unless one with the same ``unique`` columns exists; the new id, or None."""
    statement = _ignoring(session.get_bind().dialect.name, model, tuple(unique))
    return session.execute(statement, values).scalar_one_or_none()


def insert_or_replace(
    session: Session, model: type[Any], values: dict[str, Any], unique: list[str]
) -> None:
    """Insert a row, or overwrite the other columns of the one with the same ``unique`` columns."""
    insert = _insert(session, model).values(**values)
    changes = {name: insert.excluded[name] for name in values if name not in unique}
    session.execute(insert.on_conflict_do_update(index_elements=unique, set_=changes))
