"""Opening a library: find or create the database, check its schema revision, migrate.

Everyday opens cost one small query (the Alembic revision). A new SQLite library is
created from stored schema SQL (schema_sql.py); Alembic and SQLAlchemy are imported only
when a schema must be upgraded, or created on PostgreSQL.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from papertrail.config import db_timeout, statement_timeout
from papertrail.db.deadline import Watchdog
from papertrail.db.dialect import Dialect, PostgresDialect
from papertrail.db.migrations import HEAD, REVISIONS
from papertrail.db.store import Store
from papertrail.errors import StoreError, UsageError

_POSTGRES_URL = re.compile(r"^postgres(ql)?(\+\w+)?://", re.IGNORECASE)
# A URL scheme (`name:`), or one of ours with its colon missing (`postgresql//me@host/db`).
_LOOKS_LIKE_URL = re.compile(
    r"^([a-z][a-z0-9+.-]*:|(postgres(ql)?|sqlite)(\+\w+)?//)", re.IGNORECASE
)
_URL_FORMS = "a file path, sqlite:///path or postgresql+psycopg://user@host/database"


def is_postgres(db: str) -> bool:
    return db.lower().startswith(("postgresql:", "postgresql+", "postgres:", "postgres+"))


def sqlite_path(db: str) -> Path:
    """The file a `--db` value names: a path, or a `sqlite:///` URL.

    Anything else that looks like a URL is a mistake to point out, not a path to create
    directories for (`postgresql//me@host/db`).
    """
    if db.startswith("sqlite:///"):
        return Path(db[len("sqlite:///") :]).expanduser()
    if _LOOKS_LIKE_URL.match(db):
        raise UsageError(f"not a database URL papertrail knows: {redact(db)!r}; use {_URL_FORMS}")
    return Path(db).expanduser()


def _check_postgres_url(db: str) -> None:
    if not _POSTGRES_URL.match(db):
        raise UsageError(f"not a valid PostgreSQL URL: {redact(db)!r}; use {_URL_FORMS}")


def sqlalchemy_url(db: str) -> str:
    if is_postgres(db):
        _check_postgres_url(db)
        scheme, rest = db.split(":", 1)
        return "postgresql+psycopg:" + rest if "+" not in scheme else db
    return f"sqlite:///{sqlite_path(db).resolve()}"


def open_store(db: str, *, upgrade_older: bool | None = None, create: bool = True) -> Store:
    """Open the library at `db` (path or URL), creating its schema on first use.

    A schema older than this papertrail is upgraded when `upgrade_older` says so; by
    default a SQLite file is (after a backup), while a shared PostgreSQL library waits
    for an explicit `papertrail db upgrade`. `create=False` is for commands that only
    read: a library that does not exist is then an error, and nothing is created.
    """
    if is_postgres(db):
        return _open_postgres(db, upgrade_older=bool(upgrade_older), create=create)
    return _open_sqlite(sqlite_path(db), upgrade_older=upgrade_older is not False, create=create)


@contextmanager
def dry_run_store(db: str) -> Iterator[Store]:
    """A library a dry run may write to and throw away (its caller never commits).

    The library itself when it is there at this papertrail's schema; otherwise a scratch
    library in a temporary folder (empty where there is no library, an upgraded copy of an
    older SQLite file), so that a dry run creates nothing and upgrades nothing. An older
    PostgreSQL library asks for `papertrail db upgrade` first.
    """
    revision = peek_revision(db)
    if revision == HEAD:
        store = open_store(db, create=False, upgrade_older=False)
        try:
            yield store
        finally:
            store.close()
        return
    if revision is not None and (is_postgres(db) or revision not in REVISIONS):
        _check_revision(revision, redact(db), upgrade_older=False)
    folder = Path(tempfile.mkdtemp(prefix="papertrail-dry-run-"))
    try:
        scratch = folder / "library.db"
        if revision is not None:
            _copy_sqlite(sqlite_path(db), scratch)
        store = open_store(str(scratch))
        try:
            yield store
        finally:
            store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy_sqlite(source: Path, target: Path) -> None:
    connection = _connect_sqlite(source)
    try:
        _copy_into(connection, target)
    finally:
        connection.close()


def _missing(location: str) -> StoreError:
    return StoreError(
        f"cannot open the database {location}: there is no papertrail library there yet "
        "(`papertrail add` or `papertrail import` creates one)"
    )


# -- SQLite ---------------------------------------------------------------------------------


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: Store.transaction() issues BEGIN IMMEDIATE / COMMIT itself.
        # Waits up to PAPERTRAIL_DB_TIMEOUT for another papertrail's write to finish.
        connection = sqlite3.connect(path, timeout=db_timeout(), isolation_level=None)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.create_function("pt_fold", 1, _fold, deterministic=True)
        connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot open the database {path}: {error}") from error
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a papertrail database ({error})") from error
    except OSError as error:
        raise StoreError(f"cannot open the database {path}: {error}") from error
    return connection


def _fold(text: str | None) -> str | None:
    """Unicode case folding for SQL (`MÜLLER` finds `Müller`), which SQLite lacks."""
    return text.casefold() if isinstance(text, str) else text


def _sqlite_revision(connection: sqlite3.Connection, path: Path) -> str | None:
    """The schema revision, or None for an empty file; refuse files that are not ours."""
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        row = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a papertrail database ({error})") from error
    return _our_revision(row[0] if row else None, tables, f"{path} is a SQLite database, but")


# Our revisions are numbered (0001, 0002...); a newer papertrail's are too, on our tables.
_PAPERTRAIL_REVISION = re.compile(r"^\d{4}")
_PAPERTRAIL_TABLES = {"paper", "topic", "paper_topic"}


def _our_revision(revision: str | None, tables: set[str], what: str) -> str | None:
    """The revision of a papertrail library (None: an empty database, ours to create).

    Anything else -- another application's tables, or its own Alembic history -- is
    refused, never taken over nor mistaken for a newer papertrail.
    """
    if revision is None:
        others = sorted(tables - {"alembic_version"})
        if not others:
            return None
        shown = ", ".join(others[:4]) + (", ..." if len(others) > 4 else "")
        raise StoreError(f"{what} not a papertrail library: it holds other tables ({shown})")
    if revision in REVISIONS:
        return revision
    if _PAPERTRAIL_REVISION.match(revision) and tables >= _PAPERTRAIL_TABLES:
        return revision  # a newer papertrail: _check_revision says so
    raise StoreError(
        f"{what} not a papertrail library: another application's schema (revision {revision})"
    )


def _open_sqlite(path: Path, *, upgrade_older: bool, create: bool) -> Store:
    if not create and not path.is_dir() and not path.exists():
        raise _missing(str(path))
    connection = _connect_sqlite(path)
    try:
        migrated = _prepare_sqlite(connection, path, upgrade_older, create)
    except BaseException:
        connection.close()  # now, not whenever the error is collected: no WAL left behind
        raise
    store = Store(connection, Dialect(), str(path))
    store.migrated = migrated
    return store


def _prepare_sqlite(
    connection: sqlite3.Connection, path: Path, upgrade_older: bool, create: bool
) -> bool:
    """Check the schema revision; create or upgrade the schema when needed. Returns whether
    this process changed it (another one may have done it while we waited)."""
    revision = _sqlite_revision(connection, path)
    if revision is None and not create:
        raise _missing(str(path))
    if revision == HEAD:
        return False
    _check_revision(revision, str(path), upgrade_older)
    with _file_lock(path.with_name(path.name + ".lock")):
        # Another process may have migrated while we waited for the lock.
        revision = _sqlite_revision(connection, path)
        if revision is None:
            _set_wal(connection, path)
            _create_sqlite(connection, path)
            return True
        if revision != HEAD:
            backup_sqlite(connection, path, revision)
            upgrade(sqlalchemy_url(str(path)))
            return True
    return False


def _create_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    """A new library: from the stored schema SQL when it is current, else through Alembic."""
    from papertrail.db.schema_sql import SQLITE_SCHEMA, create_sqlite_schema, stored_schema

    script = stored_schema(SQLITE_SCHEMA)
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
    _copy_into(connection, target)
    return target


def _copy_into(connection: sqlite3.Connection, target: Path) -> None:
    """The open library, copied page by page (SQLite's backup API) into a new file."""
    with sqlite3.connect(target) as copy:
        connection.backup(copy)
    copy.close()


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


def _open_postgres(db: str, *, upgrade_older: bool, create: bool) -> Store:
    store = _open_postgres_connection(db)
    try:
        _prepare_postgres(store, db, upgrade_older, create)
    except BaseException:
        store.close()
        raise
    return store


def _prepare_postgres(store: Store, db: str, upgrade_older: bool, create: bool) -> None:
    revision = postgres_revision(store)
    if revision is None and not create:
        raise _missing(store.location)
    if revision != HEAD:
        # One migrator at a time across every client of the server. The revision is read
        # again under the lock: a library another client is creating shows its revisions
        # one by one (each commits), and is at HEAD once that client lets go.
        store.execute("SELECT pg_advisory_lock(4242)")
        try:
            revision = postgres_revision(store)
            if revision is None:
                _create_postgres(store, db)
                store.migrated = True
            elif revision != HEAD:
                _check_revision(revision, store.location, upgrade_older)
                upgrade(sqlalchemy_url(db))
                store.migrated = True
        finally:
            store.execute("SELECT pg_advisory_unlock(4242)")


def _create_postgres(store: Store, db: str) -> None:
    """A new library: from the stored schema SQL when it is current, else through Alembic."""
    from papertrail.db.schema_sql import POSTGRES_SCHEMA, create_postgres_schema, stored_schema

    script = stored_schema(POSTGRES_SCHEMA)
    if script is None:
        upgrade(sqlalchemy_url(db))
        return
    with store._errors():
        create_postgres_schema(store.connection, script)


def _open_postgres_connection(db: str) -> Store:
    try:
        import psycopg
    except ImportError as error:
        raise StoreError(
            "PostgreSQL needs the psycopg driver: pip install 'papertrail[postgres]'"
        ) from error
    _check_postgres_url(db)
    dialect = PostgresDialect()
    dialect.errors = (psycopg.Error,)
    conninfo = "postgresql:" + db.split(":", 1)[1]
    timeout = db_timeout()
    # A server that never answers, a lock another client never releases, a statement that
    # never ends, a peer that vanished: each has a bound, and the message names which one.
    limits: dict[str, Any] = {
        "connect_timeout": max(2, round(timeout)),
        "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
    }  # fmt: skip
    if "options=" not in db:  # the URL's own server options win
        # jit=off: the planner guesses a recursive topic query (`topics`, `next`) large
        # enough to compile, which took 2 s on every call for a library of 60 papers.
        limits["options"] = (
            f"-c lock_timeout={round(timeout * 1000)} "
            f"-c statement_timeout={round(statement_timeout() * 1000)} -c jit=off"
        )
    try:
        connection = psycopg.connect(conninfo, autocommit=True, **limits)
    except psycopg.Error as error:
        message = _first_line(error)
        if "timeout expired" in message:
            message = f"no answer within {limits['connect_timeout']} s (connect_timeout)"
        raise StoreError(f"cannot connect to PostgreSQL at {redact(db)}: {message}") from error
    store = Store(connection, dialect, redact(db))
    # Past the server's own bounds (a statement, then a lock): the server is frozen.
    store.watchdog = Watchdog(connection, statement_timeout() + timeout + 5)
    return store


def postgres_revision(store: Store) -> str | None:
    tables = {
        row[0]
        for row in store.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    }
    row = None
    if "alembic_version" in tables:
        row = store.execute("SELECT version_num FROM alembic_version").fetchone()
    return _our_revision(row[0] if row else None, tables, f"{store.location} is a database, but")


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
    config.set_main_option("script_location", "papertrail.db:migrations")
    # configparser reads % as interpolation: a password may contain one.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(url)
    try:
        if url.startswith("sqlite:///"):
            _upgrade_sqlite_file(config, url[len("sqlite:///") :], revision)
        else:
            command.upgrade(config, revision)
    except Exception as error:  # SQLAlchemy/Alembic errors: report, never a traceback
        raise StoreError(f"cannot migrate the database schema: {_first_line(error)}") from error


def _upgrade_sqlite_file(config: Any, path: str, revision: str) -> None:
    """Migrate exactly this file: as URL text, `?` or `%41` in its name would be read as
    URL syntax and the schema would go to another file."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.engine import URL

    engine = create_engine(URL.create("sqlite", database=path))
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
    finally:
        engine.dispose()


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
