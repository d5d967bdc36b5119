"""Read a library's raw rows, on either backend: what "the database is untouched" compares."""

from __future__ import annotations

from papertrail.db.opening import open_store

TABLES = ("paper", "topic", "paper_topic", "import_log")


def dump(db: str) -> dict[str, list[tuple]]:
    store = open_store(db)
    try:
        return {
            table: [tuple(row) for row in store.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
            for table in TABLES
        }
    finally:
        store.close()
