"""Insert-or-ignore on a unique key, the same on SQLite and PostgreSQL.

Concurrent writers (several workers, two notifiers) never create a duplicate
row and never fail on one: ``INSERT … ON CONFLICT DO NOTHING RETURNING id``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(
    session: Session, model: type[Any], values: dict[str, Any], unique: list[str]
) -> int | None:
    """Insert a row unless one with the same ``unique`` columns exists; the new id, or None."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)
    statement = (
        insert.values(**values).on_conflict_do_nothing(index_elements=unique).returning(model.id)
    )
    return session.execute(statement).scalar_one_or_none()
