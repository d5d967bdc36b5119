"""Every paper with a title, authors and a year gets a citation key, kept from then on
(see papertrail.model.citation_keys): an index to find keys, and for each such paper that has
none, the key an export of the whole library gave it until now.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from papertrail.model.citation_keys import keys_to_store

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_paper_citation_key", "paper", ["citation_key"])
    bind = op.get_bind()
    papers = bind.exec_driver_sql(
        "SELECT id, citation_key, authors, year, title FROM paper ORDER BY added_at, id"
    )
    given = [{"key": key, "id": paper_id} for key, paper_id in keys_to_store(papers)]
    if given:
        bind.execute(sa.text("UPDATE paper SET citation_key = :key WHERE id = :id"), given)


def downgrade() -> None:
    op.drop_index("ix_paper_citation_key", table_name="paper")
