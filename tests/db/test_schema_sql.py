"""New libraries come from stored schema SQL: it must be what the Alembic migrations make.
When this fails after adding a migration, run `python scripts/schema_sql.py --write`
(and `--write --postgres URL` with an empty PostgreSQL database)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from scripts.schema_sql import dump_postgres_schema, migrated_schema

from papertrail.db.migrations import HEAD
from papertrail.db.opening import open_store, sqlalchemy_url, upgrade
from papertrail.db.schema_sql import POSTGRES_SCHEMA, SQLITE_SCHEMA, stored_schema
from tests.support.cli import as_json, ok
from tests.support.postgres import PostgresServer

REGENERATE = "the stored schema is stale: run `python scripts/schema_sql.py --write`"


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
    assert stored_schema(SQLITE_SCHEMA) is not None, REGENERATE
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


# -- PostgreSQL -----------------------------------------------------------------------------

# What a library's schema is, read from the catalog: tables and columns with their types,
# defaults and nullability; constraints; indexes; sequences; the revision.
CATALOG = {
    "columns": "SELECT table_name, column_name, data_type, character_maximum_length, "
    "column_default, is_nullable FROM information_schema.columns "
    "WHERE table_schema = current_schema()",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
    "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = current_schema()",
    "sequences": "SELECT sequence_name, data_type, start_value, increment "
    "FROM information_schema.sequences WHERE sequence_schema = current_schema()",
    "revision": "SELECT version_num FROM alembic_version",
}


def catalog(url: str) -> dict[str, list[tuple[object, ...]]]:
    import psycopg

    with psycopg.connect("postgresql:" + url.split(":", 1)[1]) as connection:
        found = {name: connection.execute(sql).fetchall() for name, sql in CATALOG.items()}
    # A CHECK (status IN (...)) reads back with its casts in other places once dumped and
    # created again: the same constraint, compared without casts and parentheses.
    found["constraints"] = [(t, n, _uncast(d)) for t, n, d in found["constraints"]]
    return {name: sorted(rows) for name, rows in found.items()}


def _uncast(definition: str) -> str:
    return re.sub(r"::[a-z ]+(\[\])?|[()\s]", "", definition)


@pytest.fixture
def two_databases(postgres_server: PostgresServer) -> Iterator[tuple[str, str]]:
    urls = (postgres_server.new_database(), postgres_server.new_database())
    yield urls
    for url in urls:
        postgres_server.drop_database(url)


def test_the_stored_postgresql_schema_is_at_the_head_revision() -> None:
    assert stored_schema(POSTGRES_SCHEMA) is not None, REGENERATE


def test_a_new_postgresql_library_is_the_same_as_a_migrated_one(
    two_databases: tuple[str, str],
) -> None:
    created, migrated = two_databases
    store = open_store(created)  # an empty database: from the stored SQL
    assert store.migrated
    store.close()
    upgrade(sqlalchemy_url(migrated))  # every Alembic revision
    found = catalog(created)
    assert found == catalog(migrated), REGENERATE
    assert found["revision"] == [(HEAD,)]
    assert "ix_paper_search_trgm" in {index for _, index, _ in found["indexes"]}
    # And the stored file is what the migrations dump today.
    assert dump_postgres_schema(migrated) == POSTGRES_SCHEMA.read_text(encoding="utf-8")


def test_a_new_postgresql_library_is_created_without_alembic_or_sqlalchemy(
    two_databases: tuple[str, str],
) -> None:
    from tests.test_fast_paths import loaded_modules

    created, _ = two_databases
    loaded = loaded_modules("--db", created, "add", "--no-fetch", "1510.00149")
    assert not {name.split(".")[0] for name in loaded} & {"alembic", "sqlalchemy", "sqlmodel"}
    assert catalog(created)["revision"] == [(HEAD,)]


def test_a_user_who_may_not_create_extensions_gets_a_library_without_the_trigram_index(
    postgres_server: PostgresServer,
) -> None:
    import psycopg

    url = postgres_server.new_database()
    database = url.rsplit("/", 1)[1]
    role = f"plain_{database}"
    admin = "postgresql:" + url.split(":", 1)[1]
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE ROLE "{role}" LOGIN')  # no CREATE on the database
        connection.execute(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"')
    as_role = url.replace("://postgres@", f"://{role}@")
    try:
        store = open_store(as_role)  # from the stored SQL; the extension is refused
        store.close()
        found = catalog(as_role)
        assert found["revision"] == [(HEAD,)]
        assert "ix_paper_search_trgm" not in {index for _, index, _ in found["indexes"]}
        ok("--db", as_role, "add", "--title", "Binary quantization", "--url", "https://x.org/b")
        assert [p["title"] for p in as_json("--db", as_role, "list", "--search", "quantiz")] == [
            "Binary quantization"
        ]
    finally:
        postgres_server.drop_database(url)
        with psycopg.connect(admin.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')
