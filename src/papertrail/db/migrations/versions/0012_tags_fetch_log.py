"""Tags, the fetch log and pairs known distinct.

- `tag` and `paper_tag`: keywords as bibliographies bring them, a flat list beside the
  topic tree (recorded in the history, as paper_topic is);
- `fetch_log`: what `fetch` asked which service about a paper, when, and the outcome,
  so a run does not ask again what an earlier one was told (derived data: no history);
- `distinct_pair`: two papers `duplicates --not` said are different (in the history).

Keywords that earlier imports made topics stay topics: nothing tells them apart from the
user's own; `topic prune` cleans them up.

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


def _paper(name: str) -> sa.Column:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True
    )


def upgrade() -> None:
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.UniqueConstraint("name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "paper_tag",
        _paper("paper_id"),
        sa.Column(
            "tag_id", sa.Integer(), sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_index("ix_paper_tag_tag_paper", "paper_tag", ["tag_id", "paper_id"])
    op.create_table(
        "fetch_log",
        _paper("paper_id"),
        sa.Column("service", sa.String(), primary_key=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("asked_at", sa.String(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('found', 'missing', 'failed')", name="ck_fetch_log_outcome"
        ),
    )
    op.create_table(
        "distinct_pair",
        _paper("paper_a"),
        _paper("paper_b"),
        sa.Column("marked_at", sa.String(), nullable=False),
        sa.CheckConstraint("paper_a < paper_b", name="ck_distinct_pair_order"),
    )


def downgrade() -> None:
    op.drop_table("distinct_pair")
    op.drop_table("fetch_log")
    op.drop_index("ix_paper_tag_tag_paper", "paper_tag")
    op.drop_table("paper_tag")
    op.drop_table("tag")
