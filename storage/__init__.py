"""SQLAlchemy storage: models, engine/session setup, queries, migrations.

SQLite (WAL) by default; PostgreSQL through the same code. Never imports
``monitor`` or ``spiders``.
"""
