"""Opening a library: find or create the database, check its schema revision, migrate.

Everyday opens cost one small query (the Alembic revision). A new SQLite library is
created from stored schema SQL (schema_sql.py); Alembic and SQLAlchemy are imported only
when a schema must be upgraded, or created on PostgreSQL.
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from papertrail.errors import StoreError
from papertrail.migrations import HEAD, REVISIONS
from papertrail.store import Dialect, PostgresDialect, Store

BUSY_TIMEOUT_S = 30.0


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql:", "postgresql+", "postgres:"))


def sqlite_path(db: str) -> Path:
    """The file a `--db` value names: a path, or a `sqlite:///` URL."""
    if db.startswith("sqlite:///"):
        db = db[len("sqlite:///") :]
    elif "://" in db:
        raise StoreError(
            f"unsupported database URL {db!r}: use a file path, sqlite:/// or postgresql://"
        )
    return Path(db).expanduser()


def sqlalchemy_url(db: str) -> str:
    if is_postgres(db):
        scheme, rest = db.split(":", 1)
        return "postgresql+psycopg:" + rest if "+" not in scheme else db
    return f"sqlite:///{sqlite_path(db).resolve()}"


def open_store(db: str, *, upgrade_older: bool | None = None) -> Store:
    """Open the library at `db` (path or URL), creating its schema on first use.

    A schema older than this papertrail is upgraded when `upgrade_older` says so; by
    default a SQLite file is (after a backup), while a shared PostgreSQL library waits
    for an explicit `papertrail db upgrade`.
    """
    if is_postgres(db):
        return _open_postgres(db, upgrade_older=bool(upgrade_older))
    return _open_sqlite(sqlite_path(db), upgrade_older=upgrade_older is not False)


# -- SQLite ---------------------------------------------------------------------------------


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: Store.transaction() issues BEGIN IMMEDIATE / COMMIT itself.
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot open the database {path}: {error}") from error
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a papertrail database ({error})") from error
    except OSError as error:
        raise StoreError(f"cannot open the database {path}: {error}") from error
    return connection


def _sqlite_revision(connection: sqlite3.Connection, path: Path) -> str | None:
    """The schema revision, or None for an empty file; refuse files that are not ours."""
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise StoreError(f"{path} is a SQLite database, but not a papertrail library")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a papertrail database ({error})") from error
    return row[0] if row else None


def _open_sqlite(path: Path, *, upgrade_older: bool) -> Store:
    connection = _connect_sqlite(path)
    try:
        _prepare_sqlite(connection, path, upgrade_older)
    except BaseException:
        connection.close()  # now, not whenever the error is collected: no WAL left behind
        raise
    return Store(connection, Dialect(), str(path))


def _prepare_sqlite(connection: sqlite3.Connection, path: Path, upgrade_older: bool) -> None:
    """Check the schema revision; create or upgrade the schema when needed."""
    revision = _sqlite_revision(connection, path)
    if revision != HEAD:
        _check_revision(revision, str(path), upgrade_older)
        with _file_lock(path.with_name(path.name + ".lock")):
            # Another process may have migrated while we waited for the lock.
            revision = _sqlite_revision(connection, path)
            if revision is None:
                _set_wal(connection, path)
                _create_sqlite(connection, path)
            elif revision != HEAD:
                backup_sqlite(connection, path, revision)
                upgrade(sqlalchemy_url(str(path)))


def _create_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    """A new library: from the stored schema SQL when it is current, else through Alembic."""
    from papertrail.schema_sql import create_sqlite_schema, stored_sqlite_schema

    script = stored_sqlite_schema()
    if script is None:
        upgrade(sqlalchemy_url(str(path)))
        return
    try:
        create_sqlite_schema(connection, script)
    except sqlite3.Error as error:
        raise StoreError(f"cannot create the library {path}: {error}") from error


def _set_wal(connection: sqlite3.Connection, path: Path) -> None:
    # WAL lets readers go on while a writer works; the mode is stored in the file.
    try:
        connection.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise StoreError(f"cannot write the database {path}: {error}") from error


def backup_sqlite(connection: sqlite3.Connection, path: Path, revision: str) -> Path:
    """Copy the library next to itself before changing its schema."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    with sqlite3.connect(target) as copy:
        connection.backup(copy)
    copy.close()
    return target


@contextmanager
def _file_lock(lock_path: Path) -> Iterator[None]:
    try:
        handle = open(lock_path, "a")  # noqa: SIM115 - held for the duration of the block
    except OSError as error:
        raise StoreError(f"cannot write next to the database ({lock_path}): {error}") from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            # Whoever waits on this (now unlinked) file re-checks the revision and finds
            # the work done, so removing it is safe and leaves no litter.
            lock_path.unlink(missing_ok=True)


def _check_revision(revision: str | None, location: str, upgrade_older: bool) -> None:
    """Refuse a schema newer than this papertrail, or an older one we may not upgrade."""
    if revision is None:
        return
    if revision not in REVISIONS:
        raise StoreError(
            f"{location} was written by a newer papertrail (schema {revision}); "
            "upgrade papertrail to use it"
        )
    if not upgrade_older:
        raise StoreError(
            f"{location} has schema {revision}, this papertrail needs {HEAD}: "
            "run `papertrail db upgrade`"
        )


# -- PostgreSQL -----------------------------------------------------------------------------


def _open_postgres(db: str, *, upgrade_older: bool) -> Store:
    store = _open_postgres_connection(db)
    try:
        _prepare_postgres(store, db, upgrade_older)
    except BaseException:
        store.close()
        raise
    return store


def _prepare_postgres(store: Store, db: str, upgrade_older: bool) -> None:
    if postgres_revision(store) != HEAD:
        # One migrator at a time across every client of the server. The revision is read
        # again under the lock: a library another client is creating shows its revisions
        # one by one (each commits), and is at HEAD once that client lets go.
        store.execute("SELECT pg_advisory_lock(4242)")
        try:
            revision = postgres_revision(store)
            if revision != HEAD:
                _check_revision(revision, store.location, upgrade_older)
                upgrade(sqlalchemy_url(db))
        finally:
            store.execute("SELECT pg_advisory_unlock(4242)")


def _open_postgres_connection(db: str) -> Store:
    try:
        import psycopg
    except ImportError as error:
        raise StoreError(
            "PostgreSQL needs the psycopg driver: pip install 'papertrail[postgres]'"
        ) from error
    dialect = PostgresDialect()
    dialect.errors = (psycopg.Error,)
    conninfo = "postgresql:" + db.split(":", 1)[1]
    try:
        connection = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        raise StoreError(f"cannot connect to PostgreSQL: {_first_line(error)}") from error
    return Store(connection, dialect, redact(db))


def postgres_revision(store: Store) -> str | None:
    if store.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is None:
        return None
    row = store.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        rest = f"{user}:***@{host}" if ":" in credentials else f"{user}@{host}"
    return scheme + sep + rest


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# -- Alembic --------------------------------------------------------------------------------


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "papertrail:migrations")
    # configparser reads % as interpolation: a password may contain one.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    try:
        command.upgrade(alembic_config(url), revision)
    except Exception as error:  # SQLAlchemy/Alembic errors: report, never a traceback
        raise StoreError(f"cannot migrate the database schema: {_first_line(error)}") from error


def peek_revision(db: str) -> str | None:
    """The schema revision of `db` without creating or changing anything (None: no library)."""
    if is_postgres(db):
        store = _open_postgres_connection(db)
        try:
            return postgres_revision(store)
        finally:
            store.close()
    path = sqlite_path(db)
    if not path.exists():
        return None
    connection = _connect_sqlite(path)
    try:
        return _sqlite_revision(connection, path)
    finally:
        connection.close()
