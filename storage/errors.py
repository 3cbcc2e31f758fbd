"""Why the database cannot be used: exceptions that cost no import of SQLAlchemy or Alembic."""


class SchemaError(Exception):
    """The database schema cannot be used by this code; the message is one line for the user."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened (away, read-only, corrupt); one line naming it."""
