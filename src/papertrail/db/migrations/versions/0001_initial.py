"""Initial schema: papers, topics (a tree), the papers of each topic, and search indexes.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# What `list --search` matches; the PostgreSQL trigram index is built on this exact
# expression (papertrail.db.store uses the same text so the planner can use the index).
SEARCH_TEXT = (
    "(coalesce(title, '') || ' ' || coalesce(abstract, '') || ' ' || "
    "coalesce(authors, '') || ' ' || coalesce(note, ''))"
)
FTS_COLUMNS = "title, abstract, authors, note"


def upgrade() -> None:
    op.create_table(
        "paper",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("arxiv_id", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("authors", sa.String(), nullable=True),
        sa.Column("abstract", sa.String(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("updated", sa.String(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("primary_category", sa.String(), nullable=True),
        sa.Column("categories", sa.String(), nullable=True),
        sa.Column("doi", sa.String(), nullable=True),
        sa.Column("journal_ref", sa.String(), nullable=True),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("pdf_url", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("added_at", sa.String(), nullable=False),
        sa.Column("started_at", sa.String(), nullable=True),
        sa.Column("read_at", sa.String(), nullable=True),
        sa.Column("fetched_at", sa.String(), nullable=True),
        sa.CheckConstraint("status IN ('unread', 'reading', 'read')", name="ck_paper_status"),
        sa.UniqueConstraint("arxiv_id"),
    )
    op.create_index("ix_paper_published", "paper", ["published"])
    op.create_index("ix_paper_year", "paper", ["year"])
    op.create_index("ix_paper_added_at", "paper", ["added_at"])
    op.create_index("ix_paper_read_at", "paper", ["read_at"])
    op.create_index("ix_paper_status_added", "paper", ["status", "added_at"])

    op.create_table(
        "topic",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column(
            "parent_id", sa.Integer(), sa.ForeignKey("topic.id", ondelete="SET NULL"), nullable=True
        ),
        sa.UniqueConstraint("slug"),
    )
    op.create_index("ix_topic_parent_id", "topic", ["parent_id"])

    op.create_table(
        "paper_topic",
        sa.Column(
            "paper_id",
            sa.Integer(),
            sa.ForeignKey("paper.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "topic_id",
            sa.Integer(),
            sa.ForeignKey("topic.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_paper_topic_topic_paper", "paper_topic", ["topic_id", "paper_id"])

    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_fts()
    else:
        _create_postgres_trigram_index()


def _create_postgres_trigram_index() -> None:
    # pg_trgm ships with PostgreSQL, but creating an extension needs a privilege a shared
    # library's user may lack: then search still runs in the database, without the index.
    bind = op.get_bind()
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return
    savepoint.commit()
    op.execute(f"CREATE INDEX ix_paper_search_trgm ON paper USING gin ({SEARCH_TEXT} gin_trgm_ops)")


def _create_sqlite_fts() -> None:
    # An external-content FTS5 table kept in step by triggers; the trigram tokenizer
    # gives substring matches ("quant" finds "quantization") in any script.
    op.execute(
        f"CREATE VIRTUAL TABLE paper_fts USING fts5({FTS_COLUMNS}, "
        "content='paper', content_rowid='id', tokenize='trigram')"
    )
    new = "new.title, new.abstract, new.authors, new.note"
    old = "old.title, old.abstract, old.authors, old.note"
    op.execute(
        "CREATE TRIGGER paper_fts_insert AFTER INSERT ON paper BEGIN "
        f"INSERT INTO paper_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN "
        f"INSERT INTO paper_fts(paper_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER paper_fts_update AFTER UPDATE OF {FTS_COLUMNS} ON paper BEGIN "
        f"INSERT INTO paper_fts(paper_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO paper_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new}); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("paper_fts_insert", "paper_fts_delete", "paper_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS paper_fts")
    op.drop_table("paper_topic")
    op.drop_table("topic")
    op.drop_table("paper")
