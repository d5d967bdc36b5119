"""Feeds, the inbox, the set of seen announcements, and newer versions of papers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("paper") as batch:
        batch.add_column(sa.Column("newer_version", sa.Integer(), nullable=True))
    op.create_table(
        "feed",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("categories", sa.String(), nullable=False),
        sa.Column("keywords", sa.String(), nullable=True),
        sa.Column("authors", sa.String(), nullable=True),
        sa.Column("topic", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
    )
    op.create_table(
        "inbox_item",
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("arxiv_id", sa.String(), nullable=False, unique=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("authors", sa.String(), nullable=True),
        sa.Column("abstract", sa.String(), nullable=True),
        sa.Column("categories", sa.String(), nullable=True),
        sa.Column("announce_type", sa.String(), nullable=False),
        sa.Column("doi", sa.String(), nullable=True),
        sa.Column("journal_ref", sa.String(), nullable=True),
        sa.Column("announced", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("topics", sa.String(), nullable=True),
        sa.Column("first_seen", sa.String(), nullable=False),
    )
    op.create_index("ix_inbox_item_first_seen", "inbox_item", ["first_seen"])
    op.create_table(
        "seen_paper",
        sa.Column("arxiv_id", sa.String(), primary_key=True),
        sa.Column("first_seen", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.CheckConstraint(
            "state IN ('inbox', 'added', 'dismissed', 'expired')", name="ck_seen_paper_state"
        ),
    )


def downgrade() -> None:
    op.drop_table("seen_paper")
    op.drop_index("ix_inbox_item_first_seen", table_name="inbox_item")
    op.drop_table("inbox_item")
    op.drop_table("feed")
    with op.batch_alter_table("paper") as batch:
        batch.drop_column("newer_version")
