"""`db copy`: every table of one library into another, ids included, on either database.

Functions on an open library, not Store methods: only `db copy` loads this module."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from papertrail.db.database import Database
from papertrail.errors import PapertrailError

# Columns a database computes itself (PostgreSQL's tsvector of a page): never copied.
_COPIED_COLUMNS = {"file_page": "id, text"}


def read_table(
    db: Database, table: str, reader: int | None = None
) -> tuple[list[str], Iterator[Sequence[Any]]]:
    """A table's column names and all its rows (one reader's, of a reader's table), streamed."""
    sql = f"SELECT {_COPIED_COLUMNS.get(table, '*')} FROM {table}"
    params: list[Any] = []
    if reader is not None and table in _ONE_READER:
        sql += f" WHERE {_ONE_READER[table]}"
        params.append(reader)
    cursor = db.execute(sql, params)
    return [d[0] for d in cursor.description], db.stream(cursor)


def copy_table_in(
    db: Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert rows of another library's table as they are, ids included. Topics come in
    without their parents, which `copy_topic_parents` sets once every topic exists."""
    names = list(columns)
    parent = names.index("parent_id") if table == "topic" else None
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    count = 0
    chunk: list[Sequence[Any]] = []
    for row in rows:
        row = list(row)
        if parent is not None:
            row[parent] = None
        chunk.append(row)
        count += 1
        if len(chunk) == 1000:
            db.execute_many(sql, chunk)
            chunk = []
    if chunk:
        db.execute_many(sql, chunk)
    return count


def copy_topic_parents(db: Database, parents: Iterable[tuple[int, int]]) -> None:
    db.execute_many("UPDATE topic SET parent_id = ? WHERE id = ?", [(p, c) for c, p in parents])


def after_explicit_ids(db: Database, table: str, highest: int) -> None:
    """Let new rows be numbered after the ids just copied in, and after `highest`, the
    largest id the copied library ever handed out: a removed paper's id stays unused."""
    db.execute(db.dialect.sync_ids.format(table=table), (highest,))


# What `db copy` copies, parents before children; tables a library lacks are skipped.
COPIED_TABLES = (
    "topic", "paper", "paper_topic", "import_log", "reader", "reading", "reader_note",
    "reading_queue", "history", "history_change", "feed", "inbox_item", "seen_paper", "file",
    "paper_file", "file_page", "paper_key", "bib_link", "tag", "paper_tag", "fetch_log",
    "distinct_pair",
)  # fmt: skip
# Tables whose ids a sequence hands out (file_page's are made from the file's).
_NUMBERED = {"topic", "paper", "history", "feed", "file", "reader", "bib_link", "tag"}
# One reader's rows (`db copy --reader`): the reader, their reading, and their history.
_ONE_READER = {
    "reader": "id = ?",
    "reading": "reader_id = ?",
    "reader_note": "reader_id = ?",
    "reading_queue": "reader_id = ?",
    "history": "reader_id = ?",
    "history_change": "history_id IN (SELECT id FROM history WHERE reader_id = ?)",
    "feed": "reader_id = ?",
    "inbox_item": "reader_id = ?",
    "seen_paper": "reader_id = ?",
}


def copy_library(source: Database, target: Database, reader: str | None = None) -> int:
    """Copy a whole library into an empty one, every row of every table exactly as it is:
    papers with their ids, statuses, dates, notes and topics, the whole topic tree (unused
    topics too), the import log, the queue, the history, and the papers' files with the text
    of their pages (the target indexes it as it comes in). Returns the papers copied.

    Nothing is matched or merged: two papers of the source are two papers of the copy.
    `reader`: of the readers, only this one, with their reading and their history entries.
    """
    only = None
    if reader is not None:
        row = source.one("SELECT id FROM reader WHERE name = ?", (reader,))
        if row is None:
            raise PapertrailError(f"no reader {reader!r} in {source.location}")
        only = int(row[0])
    with target.transaction():
        if target.one("SELECT 1 FROM paper LIMIT 1") or target.one("SELECT 1 FROM topic LIMIT 1"):
            raise PapertrailError(
                f"{target.location} already holds papers: copy into an empty library"
            )
        copied: dict[str, int] = {}
        for table in COPIED_TABLES:
            if source.has_table(table) and target.has_table(table):
                columns, rows = read_table(source, table, only)
                copied[table] = copy_table_in(target, table, columns, rows)
                if "id" in columns and table in _NUMBERED:
                    after_explicit_ids(target, table, source.highest_id(table))
        parents = source.rows("SELECT id, parent_id FROM topic WHERE parent_id IS NOT NULL")
        copy_topic_parents(target, [(child, parent) for child, parent in parents])
    return copied.get("paper", 0)
