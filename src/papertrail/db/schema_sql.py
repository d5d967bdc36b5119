"""A new library from stored schema SQL, instead of running every Alembic migration.

Creating a library through Alembic imports Alembic and SQLAlchemy and replays each revision
(about 1.5 s); `schema.sqlite.sql` and `schema.postgresql.sql`, next to this module, are
what those migrations produce, dumped from freshly migrated databases, so a new library
takes one script. Each file's first line names the revision it was made at: when that is
not the head (a migration was added since), libraries are created through Alembic as
before, and tests/db/test_schema_sql.py says to regenerate them with the maintainer script
scripts/schema_sql.py (outside the package: papertrail never runs it).

The PostgreSQL script leaves out the pg_trgm extension and its index, and the unaccent
extension (its text search configuration maps words to the stemmer alone): creating an
extension needs a privilege a shared library's user may lack, so they are tried apart,
as migrations 0001 and 0011 do, and search works without them (slower; accents count).

psycopg is imported only when a PostgreSQL library is created (start-up).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from papertrail.db.dialect import SEARCH_TEXT
from papertrail.db.migrations import HEAD

SQLITE_SCHEMA = Path(__file__).with_name("schema.sqlite.sql")
POSTGRES_SCHEMA = Path(__file__).with_name("schema.postgresql.sql")
HEADER = "-- papertrail schema, revision "


def stored_schema(path: Path) -> str | None:
    """The stored SQL if it was made at the head revision, else None (use Alembic)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    first_line = text.split("\n", 1)[0]
    return text if first_line == f"{HEADER}{HEAD}" else None


def create_sqlite_schema(connection: sqlite3.Connection, script: str) -> None:
    """Create the whole schema, stamped at the head revision, in one transaction."""
    connection.executescript(f"BEGIN IMMEDIATE;\n{script}\nCOMMIT;")


# Created apart (see the module's docstring), as migration 0001 creates them.
TRIGRAM_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
TRIGRAM_INDEX = f"CREATE INDEX ix_paper_search_trgm ON paper USING gin ({SEARCH_TEXT} gin_trgm_ops)"
TRIGRAM = re.compile(r"CREATE EXTENSION .*pg_trgm|CREATE INDEX ix_paper_search_trgm ")
# `find` ignores accents where unaccent may be created (migration 0011).
UNACCENT_EXTENSION = "CREATE EXTENSION IF NOT EXISTS unaccent"
UNACCENT = re.compile(r"CREATE EXTENSION .*unaccent")
UNACCENT_MAPPING = (
    "ALTER TEXT SEARCH CONFIGURATION papertrail ALTER MAPPING FOR asciiword, asciihword, "
    "hword_asciipart, word, hword, hword_part WITH unaccent, papertrail_stem"
)


def create_postgres_schema(connection: Any, script: str) -> None:
    """Create the whole schema, stamped at the head revision, in one transaction (the
    statements of one query string run as one); then try the trigram index and unaccent."""
    import psycopg

    connection.execute(script)
    try:
        with connection.transaction():
            connection.execute(TRIGRAM_EXTENSION)
            connection.execute(TRIGRAM_INDEX)
    except psycopg.Error:  # no privilege, no pg_trgm on the server, not in the search path
        pass  # no index: `--search` scans the papers, and finds the same
    try:
        with connection.transaction():
            connection.execute(UNACCENT_EXTENSION)
            connection.execute(UNACCENT_MAPPING)
    except psycopg.Error:  # as above: then `find` tells accented letters from plain ones
        pass
