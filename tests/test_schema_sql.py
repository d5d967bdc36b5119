"""New SQLite libraries come from stored schema SQL: it must be what the Alembic migrations
make. When this fails after adding a migration, run `python -m papertrail.schema_sql --write`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from papertrail.migrations import HEAD
from papertrail.schema import open_store, sqlalchemy_url, upgrade
from papertrail.schema_sql import SQLITE_SCHEMA, migrated_schema, stored_sqlite_schema

REGENERATE = "the stored schema is stale: run `python -m papertrail.schema_sql --write`"


def schema_and_rows(db: Path) -> tuple[set[tuple[str, ...]], dict[str, list[tuple]]]:
    """Every table, index, trigger and view with its SQL, and every table's rows."""
    connection = sqlite3.connect(db)
    try:
        objects = set(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        tables = [name for kind, name, _, _ in objects if kind == "table"]
        rows = {t: sorted(connection.execute(f'SELECT * FROM "{t}"')) for t in tables}
        return objects, rows
    finally:
        connection.close()


def test_the_stored_schema_is_at_the_head_revision() -> None:
    assert stored_sqlite_schema() is not None, REGENERATE
    assert SQLITE_SCHEMA.read_text(encoding="utf-8") == migrated_schema(), REGENERATE


def test_a_new_library_is_the_same_as_a_migrated_one(tmp_path: Path) -> None:
    created, migrated = tmp_path / "created.db", tmp_path / "migrated.db"
    open_store(str(created)).close()  # a new file: from the stored SQL
    upgrade(sqlalchemy_url(str(migrated)))  # every Alembic revision
    assert schema_and_rows(created) == schema_and_rows(migrated), REGENERATE
    connection = sqlite3.connect(created)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()
