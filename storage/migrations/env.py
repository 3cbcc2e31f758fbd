"""Alembic environment: runs on the connection (or engine) handed over by storage.db."""

from alembic import context
from sqlalchemy import Connection

from storage.models import Base


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:  # storage.db.upgrade: in its transaction, under its lock
    run_on(connection)
else:
    with context.config.attributes["engine"].begin() as connection:
        run_on(connection)
