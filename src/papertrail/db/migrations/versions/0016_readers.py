"""Readers: a lab shares one library, each member keeps their own reading.

- `reader`: who reads (a declared name, or the PostgreSQL role of a member connecting as
  themselves), and whether they keep their reading out of the lab's view (`private`);
- `reading`: one reader's status of one paper and its dates (no row: unread);
- `reader_note`: one reader's notes on a paper, the private one and the shared one;
- `reading_queue` gains the reader (each member has their own queue);
- `history` gains the reader who made each entry (`log --reader`, `undo` of one's own);
- `feed`, `inbox_item` and `seen_paper` gain the reader: each member follows their own
  feeds, and has their own inbox and seen set (numbered per reader).

`paper` loses `status`, `note`, `started_at` and `read_at`: an existing library's reading
state moves, row for row, to one reader -- the `reader` setting (PAPERTRAIL_READER, or the
settings file), else the login name -- who also becomes the author of its history. The
search index of papers no longer holds notes: notes are searched per reader.

On PostgreSQL, row-level security keeps a member's private rows theirs when members
connect as their own roles (the roles that own the tables, as a lab sharing one role does,
are not bound by it: there the reader is a declared name, trust-based).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from papertrail.config import declared_reader

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FTS_COLUMNS = "title, abstract, authors"
INBOX_COLUMNS = (
    "number", "arxiv_id", "version", "title", "authors", "abstract", "categories",
    "announce_type", "doi", "journal_ref", "announced", "reason", "topics", "first_seen",
)  # fmt: skip
OLD_SEARCH_INDEX = "ix_paper_search_trgm"
SEARCH_TEXT = (
    "(coalesce(title, '') || ' ' || coalesce(abstract, '') || ' ' || coalesce(authors, ''))"
)
_MOVED = ("status", "note", "started_at", "read_at")
# The reader a member's role is (PostgreSQL row-level security).
ME = "(SELECT r.id FROM reader r WHERE r.name = current_user)"
# Readers who show their reading to the lab.
OPEN = "(SELECT r.id FROM reader r WHERE r.private = 0)"
# The tables each of which holds one reader's rows (reader_id), and who else may read them.
POLICIES = {
    "reading": f"reader_id IN {OPEN}",
    "reading_queue": f"reader_id IN {OPEN}",
    "reader_note": "shared = 1",
    "feed": "false",
    "inbox_item": "false",
    "seen_paper": "false",
}


def upgrade() -> None:
    op.create_table(
        "reader",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("private", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.UniqueConstraint("name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "reading",
        _reader_column(),
        _paper_column(),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("started_at", sa.String(), nullable=True),
        sa.Column("read_at", sa.String(), nullable=True),
        sa.CheckConstraint("status IN ('unread', 'reading', 'read')", name="ck_reading_status"),
    )
    op.create_index("ix_reading_paper_id", "reading", ["paper_id"])
    op.create_index("ix_reading_reader_status", "reading", ["reader_id", "status"])
    op.create_table(
        "reader_note",
        _reader_column(),
        _paper_column(),
        sa.Column("shared", sa.Integer(), primary_key=True),
        sa.Column("text", sa.String(), nullable=False),
    )
    op.create_index("ix_reader_note_paper_id", "reader_note", ["paper_id"])
    op.create_table(
        "reader_queue",
        _reader_column(),
        _paper_column(),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("reader_id", sa.Integer(), nullable=True))
    op.create_index("ix_history_reader_id", "history", ["reader_id"])
    op.add_column("feed", sa.Column("reader_id", sa.Integer(), nullable=True))
    op.create_index("ix_feed_reader_id", "feed", ["reader_id"])
    _create_inbox_tables()
    _move_reading_state()
    for table in ("reading_queue", "inbox_item", "seen_paper"):
        op.drop_table(table)
    op.rename_table("reader_queue", "reading_queue")
    op.rename_table("reader_inbox_item", "inbox_item")
    op.rename_table("reader_seen_paper", "seen_paper")
    op.create_index("ix_inbox_item_first_seen", "inbox_item", ["first_seen"])
    _drop_paper_columns()
    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _create_inbox_tables() -> None:
    """inbox_item and seen_paper keyed by reader (renamed to their names once filled)."""
    op.create_table(
        "reader_inbox_item",
        _reader_column(),
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("arxiv_id", sa.String(), nullable=False),
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
        sa.UniqueConstraint("reader_id", "arxiv_id"),
    )
    op.create_table(
        "reader_seen_paper",
        _reader_column(),
        sa.Column("arxiv_id", sa.String(), primary_key=True),
        sa.Column("first_seen", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("authors", sa.String(), nullable=True),
        sa.Column("abstract", sa.String(), nullable=True),
        sa.CheckConstraint(
            "state IN ('inbox', 'added', 'dismissed', 'expired')", name="ck_seen_paper_state"
        ),
    )


def _reader_column() -> sa.Column:
    return sa.Column(
        "reader_id",
        sa.Integer(),
        sa.ForeignKey("reader.id", ondelete="CASCADE"),
        primary_key=True,
    )


def _paper_column() -> sa.Column:
    return sa.Column(
        "paper_id",
        sa.Integer(),
        sa.ForeignKey("paper.id", ondelete="CASCADE"),
        primary_key=True,
    )


def _move_reading_state() -> None:
    """The library's reading state becomes one reader's, history included."""
    bind = op.get_bind()
    has_state = bind.exec_driver_sql(
        "SELECT 1 FROM paper UNION ALL SELECT 1 FROM history UNION ALL SELECT 1 FROM feed "
        "UNION ALL SELECT 1 FROM seen_paper LIMIT 1"
    ).first()
    if not has_state:
        return
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    bind.execute(
        sa.text("INSERT INTO reader (name, private, created_at) VALUES (:name, 0, :now)"),
        {"name": declared_reader(), "now": now},
    )
    (reader,) = bind.exec_driver_sql("SELECT max(id) FROM reader").one()
    bind.execute(
        sa.text(
            "INSERT INTO reading (reader_id, paper_id, status, started_at, read_at) "
            "SELECT :r, id, status, started_at, read_at FROM paper "
            "WHERE status <> 'unread' OR started_at IS NOT NULL OR read_at IS NOT NULL"
        ),
        {"r": reader},
    )
    bind.execute(
        sa.text(
            "INSERT INTO reader_note (reader_id, paper_id, shared, text) "
            "SELECT :r, id, 0, note FROM paper WHERE note IS NOT NULL AND note <> ''"
        ),
        {"r": reader},
    )
    bind.execute(
        sa.text(
            "INSERT INTO reader_queue (reader_id, paper_id, position) "
            "SELECT :r, paper_id, position FROM reading_queue"
        ),
        {"r": reader},
    )
    bind.execute(sa.text("UPDATE history SET reader_id = :r"), {"r": reader})
    bind.execute(sa.text("UPDATE feed SET reader_id = :r"), {"r": reader})
    columns = ", ".join(INBOX_COLUMNS)
    bind.execute(
        sa.text(
            f"INSERT INTO reader_inbox_item (reader_id, {columns}) "
            f"SELECT :r, {columns} FROM inbox_item"
        ),
        {"r": reader},
    )
    bind.execute(
        sa.text(
            "INSERT INTO reader_seen_paper "
            "(reader_id, arxiv_id, first_seen, state, title, authors, abstract) "
            "SELECT :r, arxiv_id, first_seen, state, title, authors, abstract FROM seen_paper"
        ),
        {"r": reader},
    )
    _rewrite_images(reader)
    _split_paper_images(reader)


# The recorded tables whose rows now name their reader: in the key, or in the row only.
_KEYED_BY_READER = ("reading_queue", "inbox_item", "seen_paper")


def _rewrite_images(reader: int) -> None:
    """The history's images of the rows that are now a reader's name that reader: what was
    undoable stays so."""
    import json  # only libraries with a history of such changes need it

    bind = op.get_bind()
    rows = bind.exec_driver_sql(
        "SELECT history_id, seq, table_name, row_key, before, after FROM history_change "
        "WHERE table_name IN ('reading_queue', 'inbox_item', 'seen_paper', 'feed')"
    ).all()
    for history_id, seq, table, key, before, after in rows:
        images = [json.loads(text) if text else None for text in (key, before, after)]
        for index, image in enumerate(images):
            in_key = index == 0 and table in _KEYED_BY_READER
            if image is not None and (index > 0 or in_key):
                image["reader_id"] = reader
        key_text, before_text, after_text = (
            None if image is None else json.dumps(image, ensure_ascii=False, sort_keys=True)
            for image in images
        )
        bind.execute(
            sa.text(
                "UPDATE history_change SET row_key = :k, before = :b, after = :a "
                "WHERE history_id = :h AND seq = :s"
            ),
            {"k": key_text, "b": before_text, "a": after_text, "h": history_id, "s": seq},
        )


# paper's columns that became a reader's rows, and the rows they became.
_MOVED = ("status", "started_at", "read_at", "note")


def _split_paper_images(reader: int) -> None:
    """The history's images of `paper` rows held the reading state: each becomes a `paper`
    image without it, beside the `reading` and `reader_note` changes it made, so that undo
    reaches back past this upgrade (a status or note changed before it is undone too)."""
    import json  # only libraries with a history of paper changes need it

    bind = op.get_bind()
    entries = [
        history_id
        for (history_id,) in bind.exec_driver_sql(
            "SELECT DISTINCT history_id FROM history_change WHERE table_name = 'paper'"
        )
    ]
    for history_id in entries:
        rows = bind.execute(
            sa.text(
                "SELECT table_name, row_key, before, after, paper_id FROM history_change "
                "WHERE history_id = :h ORDER BY seq"
            ),
            {"h": history_id},
        ).all()
        changes = [change for row in rows for change in _split(row, reader, json)]
        bind.execute(sa.text("DELETE FROM history_change WHERE history_id = :h"), {"h": history_id})
        for seq, (table, key, before, after, paper_id) in enumerate(changes, 1):
            bind.execute(
                sa.text(
                    "INSERT INTO history_change (history_id, seq, table_name, row_key, before, "
                    "after, paper_id) VALUES (:h, :s, :t, :k, :b, :a, :p)"
                ),
                {"h": history_id, "s": seq, "t": table, "k": key, "b": before, "a": after,
                 "p": paper_id},
            )  # fmt: skip


def _split(row: Any, reader: int, json: Any) -> list[tuple[Any, ...]]:
    """One history change as it reads after 0016 (a paper change: up to three)."""
    table, key, before, after, paper_id = row
    if table != "paper":
        return [tuple(row)]
    images = [json.loads(text) if text else None for text in (before, after)]
    paper_id = json.loads(key)["id"]

    def dump(image: dict[str, Any] | None) -> str | None:
        return None if image is None else json.dumps(image, ensure_ascii=False, sort_keys=True)

    def reading(image: dict[str, Any] | None) -> dict[str, Any] | None:
        if image is None or not _has_reading(image):
            return None
        return {"reader_id": reader, "paper_id": paper_id, "status": image.get("status"),
                "started_at": image.get("started_at"), "read_at": image.get("read_at")}  # fmt: skip

    def note(image: dict[str, Any] | None) -> dict[str, Any] | None:
        if image is None or not image.get("note"):
            return None
        return {"reader_id": reader, "paper_id": paper_id, "shared": 0, "text": image["note"]}

    paper = [
        None if image is None else {c: v for c, v in image.items() if c not in _MOVED}
        for image in images
    ]
    split = [("paper", key, dump(paper[0]), dump(paper[1]), paper_id)]
    for name, image_of, row_key in (
        ("reading", reading, {"reader_id": reader, "paper_id": paper_id}),
        ("reader_note", note, {"reader_id": reader, "paper_id": paper_id, "shared": 0}),
    ):
        old, new = (image_of(image) for image in images)
        if old != new:
            split.append((name, dump(row_key), dump(old), dump(new), paper_id))
    # A paper added: its row first; removed: its reading and note go before it.
    return split[1:] + split[:1] if images[1] is None else split


def _has_reading(image: dict[str, Any]) -> bool:
    return (image.get("status") or "unread") != "unread" or bool(
        image.get("started_at") or image.get("read_at")
    )


def _drop_paper_columns() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("paper_fts_insert", "paper_fts_delete", "paper_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS paper_fts")
    else:
        op.execute(f"DROP INDEX IF EXISTS {OLD_SEARCH_INDEX}")
    op.drop_index("ix_paper_status_added", table_name="paper")
    op.drop_index("ix_paper_read_at", table_name="paper")
    if bind.dialect.name == "sqlite":
        _rebuild_sqlite_paper()
        _create_sqlite_fts()
    else:
        op.drop_constraint("ck_paper_status", "paper", type_="check")
        for column in ("status", "note", "started_at", "read_at"):
            op.drop_column("paper", column)
        _create_postgres_trigram_index()


def _rebuild_sqlite_paper() -> None:
    """SQLite cannot drop a column a table CHECK names: the table is rebuilt (SQLite's
    documented procedure, as in 0005), with every row, id, index and trigger."""
    bind = op.get_bind()
    (table_sql,) = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'paper'"
    ).one()
    new_sql = _without_moved(table_sql)
    if any(re.search(rf"\b{column}\b", new_sql) for column in _MOVED):
        raise RuntimeError("unexpected definition of the paper table; not rebuilding it")
    extras = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'paper' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
        )
    ]
    kept = [
        row[1] for row in bind.exec_driver_sql("PRAGMA table_info(paper)") if row[1] not in _MOVED
    ]
    columns = ", ".join(kept)
    op.execute(re.sub(r'CREATE TABLE "?paper"?', "CREATE TABLE paper_rebuilt", new_sql, count=1))
    op.execute(f"INSERT INTO paper_rebuilt ({columns}) SELECT {columns} FROM paper")
    op.execute("DROP TABLE paper")
    op.execute("ALTER TABLE paper_rebuilt RENAME TO paper")
    for sql in extras:
        op.execute(sql)
    if bind.exec_driver_sql("SELECT 1 FROM paper LIMIT 1").first() is None:
        # An empty library (a new one): exactly as the stored schema creates it.
        op.execute("DELETE FROM sqlite_sequence WHERE name = 'paper'")


def _without_moved(table_sql: str) -> str:
    """CREATE TABLE paper without the moved columns and the CHECK on status: its parts
    split at the commas outside parentheses, however the columns came (0001, or added)."""
    head, body = table_sql.split("(", 1)
    body, tail = body.rsplit(")", 1)
    parts, depth, current = [], 0, ""
    for char in body:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    parts.append(current)
    kept = [
        part
        for part in parts
        if part.split()[0].strip('"') not in _MOVED and "ck_paper_status" not in part
    ]
    return f"{head}({','.join(kept)}){tail}"


def _create_sqlite_fts() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE paper_fts USING fts5({FTS_COLUMNS}, "
        "content='paper', content_rowid='id', tokenize='trigram')"
    )
    new = "new.title, new.abstract, new.authors"
    old = "old.title, old.abstract, old.authors"
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
    if op.get_bind().exec_driver_sql("SELECT 1 FROM paper LIMIT 1").first():
        op.execute("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')")


def _create_postgres_trigram_index() -> None:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        op.execute(
            f"CREATE INDEX {OLD_SEARCH_INDEX} ON paper USING gin ({SEARCH_TEXT} gin_trgm_ops)"
        )


def _row_level_security() -> None:
    """Members connecting as their own roles: each one's private rows are theirs alone.

    Roles that own the tables (a lab sharing one role; whoever ran the migrations) are not
    bound by these policies (ENABLE, not FORCE)."""
    op.execute("ALTER TABLE reader ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY reader_read ON reader FOR SELECT USING (true)")
    op.execute(
        "CREATE POLICY reader_own ON reader FOR ALL USING (name = current_user) "
        "WITH CHECK (name = current_user)"
    )
    for table, visible in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {table}_lab ON {table} FOR SELECT USING (reader_id = {ME} OR {visible})"
        )
        op.execute(
            f"CREATE POLICY {table}_own ON {table} FOR ALL USING (reader_id = {ME}) "
            f"WITH CHECK (reader_id = {ME})"
        )
    # The history: anyone sees what was done; a member writes entries in their own name,
    # and the row images of another member's private rows stay theirs.
    op.execute("ALTER TABLE history ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY history_lab ON history FOR SELECT USING (true)")
    op.execute(
        f"CREATE POLICY history_own ON history FOR ALL USING (reader_id = {ME}) "
        f"WITH CHECK (reader_id = {ME})"
    )
    op.execute("ALTER TABLE history_change ENABLE ROW LEVEL SECURITY")
    mine = f"history_id IN (SELECT h.id FROM history h WHERE h.reader_id = {ME})"
    op.execute(
        "CREATE POLICY history_change_lab ON history_change FOR SELECT USING "
        "(table_name NOT IN ('reading', 'reading_queue', 'reader_note', 'feed', 'inbox_item', "
        f"'seen_paper') OR {mine})"
    )
    op.execute(
        f"CREATE POLICY history_change_own ON history_change FOR ALL USING ({mine}) "
        f"WITH CHECK ({mine})"
    )


def downgrade() -> None:
    raise NotImplementedError("0016 moves reading state to readers: restore the backup instead")
