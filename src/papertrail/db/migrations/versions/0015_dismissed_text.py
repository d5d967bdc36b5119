"""The text of a dismissed inbox item, kept for the reader model (issue 23).

Dismissing an inbox item deletes its row; the reader model learns from dismissals as
negatives ("not this"), so `seen_paper` now keeps the title, authors and abstract of an
item when it is dismissed. The columns are filled by the dismissal itself (a recorded
write: `undo` of the dismissal clears them again with the state); items dismissed before
this revision have no text and teach the model nothing.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = ("title", "authors", "abstract")


def upgrade() -> None:
    with op.batch_alter_table("seen_paper") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("seen_paper") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
