"""notice_search: the full-text index of notices (FTS5 trigram and character pairs on
SQLite, pg_trgm on PostgreSQL), filled from the stored notices' latest versions; indexes
for the web UI's list and source health

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:00:00
"""

import logging

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from storage.models import NoticeVersion
from storage.search import document, index_documents

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 500
log = logging.getLogger("noticewatch.storage.migrations")


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE notice_search USING fts5(title, body, tokenize='trigram')")
        op.execute(  # one- and two-character Chinese terms (see storage/search.py)
            "CREATE VIRTUAL TABLE notice_search_pairs USING fts5(words, tokenize='unicode61')"
        )
    else:
        op.create_table(
            "notice_search",
            sa.Column(
                "notice_id",
                sa.Integer(),
                sa.ForeignKey("notices.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
        )
        _trigram_indexes(connection)
    op.create_index("ix_notices_source_first_seen", "notices", ["source_id", "first_seen"])
    op.create_index(  # the list: first copies (not reposts), newest first
        "ix_notices_listing", "notices", ["duplicate_of_id", "published", "first_seen"]
    )
    _index_existing(connection)


def _trigram_indexes(connection: sa.Connection) -> None:
    """GIN trigram indexes when pg_trgm is installed or this role may install it; without
    it searches still work, by scanning (a warning says so)."""
    schema = connection.scalar(
        sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname='pg_trgm'")
    )
    if schema is None:
        available = connection.scalar(
            sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        )
        if not available:
            return
        schema = connection.scalar(  # public outlives the schemas other tenants come and go in
            sa.text(
                "SELECT coalesce((SELECT 'public' FROM pg_namespace WHERE nspname = 'public'),"
                " current_schema())"
            )
        )
        try:
            with connection.begin_nested():
                connection.execute(
                    sa.text(f'CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA "{schema}"')
                )
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            log.warning(
                "search without pg_trgm indexes (it scans): cannot install pg_trgm: %s", reason
            )
            return
    for name in ("title", "body"):
        op.execute(
            f"CREATE INDEX ix_notice_search_{name} ON notice_search "
            f'USING gin ({name} "{schema}".gin_trgm_ops)'
        )


def _index_existing(connection: sa.Connection) -> None:
    """Index every notice's latest version, a batch at a time."""
    session = Session(bind=connection)
    latest = (
        sa.select(sa.func.max(NoticeVersion.id)).group_by(NoticeVersion.notice_id).scalar_subquery()
    )
    after = 0
    while True:
        versions = session.scalars(
            sa.select(NoticeVersion)
            .where(NoticeVersion.id.in_(latest), NoticeVersion.id > after)
            .order_by(NoticeVersion.id)
            .limit(BATCH)
        ).all()
        if not versions:
            return
        index_documents(connection, [(v.notice_id, *document(v)) for v in versions])
        after = versions[-1].id
        session.expunge_all()


def downgrade() -> None:
    op.drop_index("ix_notices_listing", table_name="notices")
    op.drop_index("ix_notices_source_first_seen", table_name="notices")
    op.execute("DROP TABLE notice_search")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE notice_search_pairs")
