"""Remember which items of which reading list were imported.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_log",
        sa.Column("source", sa.String(), primary_key=True),
        sa.Column("item_key", sa.String(), primary_key=True),
        sa.Column("imported_at", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("import_log")
