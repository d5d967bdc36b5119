"""Published versions and citations from the bibliographic services: the year of the
published version (its DOI and venue go in `doi` and `venue`), the citation count and
the date it was fetched.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: papers already in a library have none of these until `fetch` finds them.
    with op.batch_alter_table("paper") as batch:
        batch.add_column(sa.Column("venue_year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("citations", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("citations_at", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("paper") as batch:
        for name in ("citations_at", "citations", "venue_year"):
            batch.drop_column(name)
