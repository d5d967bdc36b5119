"""Bibliographies kept up to date, and citation keys that never change once written out.

- `paper_key`: every key papertrail wrote out for a paper (an export, a linked file) or
  that a merge folded into it. While the paper holds that key, the key is frozen (no
  automatic re-making); once the paper holds another, the old one stays a REF for it (an
  alias). Recorded in the history, so undoing a merge takes its aliases back.
- `bib_link`: a file tied to a selection of the library (`bib link`), rewritten after
  every command that changes that selection, with what papertrail last wrote to it (the
  hash of the file, the papers in it) to leave a hand-edited file alone. A link belongs to
  the machine (user@host) that made it: on a library shared on PostgreSQL, another
  member's commands leave it alone (`bib sync` on its own machine). Not recorded.

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper_key",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column(
            "paper_id",
            sa.Integer(),
            sa.ForeignKey("paper.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("written_at", sa.String(), nullable=False),
    )
    op.create_index("ix_paper_key_paper_id", "paper_key", ["paper_id"])
    op.create_table(
        "bib_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("machine", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("topics", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("query", sa.String(), nullable=True),
        sa.Column("aux", sa.String(), nullable=True),
        sa.Column("fields", sa.String(), nullable=True),
        sa.Column("written_hash", sa.String(), nullable=True),
        sa.Column("written_ids", sa.String(), nullable=True),
        sa.Column("written_at", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.UniqueConstraint("machine", "path"),
    )


def downgrade() -> None:
    op.drop_table("bib_link")
    op.drop_index("ix_paper_key_paper_id", table_name="paper_key")
    op.drop_table("paper_key")
