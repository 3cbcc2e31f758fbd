"""pending links, run and claim owners, due-since, event indexes for pruning

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 20:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("list_title", sa.Text(), nullable=False),
        sa.Column("list_date", sa.String(length=40), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("baseline", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("gave_up_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    with op.batch_alter_table("pending_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_links_source_id"), ["source_id"], unique=False)
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=200), nullable=True))
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_since", sa.DateTime(), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_crawl_run_id"), ["crawl_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_version_id"))
        batch_op.drop_index(batch_op.f("ix_events_crawl_run_id"))
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("due_since")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("complete")
        batch_op.drop_column("owner")
    with op.batch_alter_table("pending_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_links_source_id"))
    op.drop_table("pending_links")
