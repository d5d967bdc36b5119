"""Files and their text: the PDFs (and other attachments) of papers, and a full-text index of
their pages for `papertrail find`.

- `file`: one row per stored content (the file store names blobs by SHA-256), with what
  reading it found (pages, pages with text, why it could not be read);
- `paper_file`: which paper has which file, under which name (recorded in the history);
- `file_page`: one row per page with text, id = file id << 16 | page number.

The index: on SQLite an FTS5 table over file_page.text (external content, kept in step by
triggers as paper_fts is), with the porter stemmer over unicode61 without diacritics; on
PostgreSQL a stored tsvector column with a GIN index, in a text search configuration of
its own that does what FTS5 does: an English Snowball stemmer with no stop words ("the"
and "to be or not to be" are found on both), and diacritics removed by the unaccent
extension when the user may create it (a trusted extension: a database owner may).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TOKENIZER = "porter unicode61 remove_diacritics 2"
# The token types of PostgreSQL's default parser that hold words (numbers, e-mail
# addresses, URLs and the rest keep `simple`'s lower-casing).
WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def upgrade() -> None:
    op.create_table(
        "file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("suffix", sa.String(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("text_pages", sa.Integer(), nullable=True),
        sa.Column("ocr_pages", sa.Integer(), nullable=True),
        sa.Column("problem", sa.String(), nullable=True),
        sa.Column("added_at", sa.String(), nullable=False),
        sa.UniqueConstraint("sha256"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "paper_file",
        sa.Column(
            "paper_id",
            sa.Integer(),
            sa.ForeignKey("paper.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("file.id"), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("added_at", sa.String(), nullable=False),
    )
    op.create_index("ix_paper_file_file", "paper_file", ["file_id", "paper_id"])
    op.create_table(
        "file_page",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("text", sa.String(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_index()
    else:
        _create_postgres_index()


def _create_sqlite_index() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE file_page_fts USING fts5(text, content='file_page', "
        f"content_rowid='id', tokenize='{TOKENIZER}')"
    )
    op.execute(
        "CREATE TRIGGER file_page_fts_insert AFTER INSERT ON file_page BEGIN "
        "INSERT INTO file_page_fts(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER file_page_fts_delete AFTER DELETE ON file_page BEGIN "
        "INSERT INTO file_page_fts(file_page_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER file_page_fts_update AFTER UPDATE OF text ON file_page BEGIN "
        "INSERT INTO file_page_fts(file_page_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); "
        "INSERT INTO file_page_fts(rowid, text) VALUES (new.id, new.text); END"
    )


def _create_postgres_index() -> None:
    op.execute(
        "CREATE TEXT SEARCH DICTIONARY papertrail_stem (TEMPLATE = snowball, Language = english)"
    )
    op.execute("CREATE TEXT SEARCH CONFIGURATION papertrail (COPY = simple)")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION papertrail ALTER MAPPING FOR {WORD_TOKENS} "
        "WITH papertrail_stem"
    )
    _unaccent_if_allowed()
    op.execute(
        "ALTER TABLE file_page ADD COLUMN tsv tsvector "
        "GENERATED ALWAYS AS (to_tsvector('papertrail'::regconfig, text)) STORED"
    )
    op.execute("CREATE INDEX ix_file_page_tsv ON file_page USING gin (tsv)")


def _unaccent_if_allowed() -> None:
    # Creating an extension needs a privilege a shared library's user may lack: then
    # accents count (`resume` does not find `résumé`), and everything else works.
    bind = op.get_bind()
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return
    savepoint.commit()
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION papertrail ALTER MAPPING FOR {WORD_TOKENS} "
        "WITH unaccent, papertrail_stem"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("file_page_fts_insert", "file_page_fts_delete", "file_page_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS file_page_fts")
    op.drop_table("file_page")
    op.drop_index("ix_paper_file_file", "paper_file")
    op.drop_table("paper_file")
    op.drop_table("file")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS papertrail")
        op.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS papertrail_stem")
