"""What a bibliography holds: entry type, volume, number, pages, publisher, citation key
(the venue came with 0003).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("entry_type", "volume", "number", "pages", "publisher", "citation_key")


def upgrade() -> None:
    # Nullable: papers already in a library simply have none of these yet.
    with op.batch_alter_table("paper") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("paper") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
