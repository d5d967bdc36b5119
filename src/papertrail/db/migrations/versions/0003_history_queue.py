"""History of changes (for log and undo), the reading queue, venue, and hand-edited fields.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("paper") as batch:
        batch.add_column(sa.Column("venue", sa.String(), nullable=True))
        batch.add_column(sa.Column("edited", sa.String(), nullable=True))
    op.create_table(
        "reading_queue",
        sa.Column(
            "paper_id",
            sa.Integer(),
            sa.ForeignKey("paper.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("reverts", sa.String(), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "history_change",
        sa.Column(
            "history_id",
            sa.Integer(),
            sa.ForeignKey("history.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("row_key", sa.String(), nullable=False),
        sa.Column("before", sa.String(), nullable=True),
        sa.Column("after", sa.String(), nullable=True),
        sa.Column("paper_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_history_change_paper_id", "history_change", ["paper_id"])


def downgrade() -> None:
    op.drop_index("ix_history_change_paper_id", "history_change")
    op.drop_table("history_change")
    op.drop_table("history")
    op.drop_table("reading_queue")
    with op.batch_alter_table("paper") as batch:
        batch.drop_column("edited")
        batch.drop_column("venue")
