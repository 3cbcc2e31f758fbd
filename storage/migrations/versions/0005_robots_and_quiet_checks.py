"""robots_files: robots.txt kept across crawls; notices.quiet_checks: re-check backoff

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 21:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "robots_files",
        sa.Column("origin", sa.String(300), primary_key=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quiet_checks", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_column("quiet_checks")
    op.drop_table("robots_files")
