"""The connection a library is open on: statements, their errors, transactions.

It speaks the DB-API directly (stdlib sqlite3, or psycopg for PostgreSQL) so that everyday
commands start fast: SQLAlchemy and SQLModel are imported only to create or migrate a
schema (db/opening.py). SQL is written once, with `?` placeholders, in the subset both
backends share (recursive CTEs, RETURNING, ON CONFLICT); `Dialect` covers the few places
where they differ.

A transaction collects the row images of every recorded write (db/history.py) and stores
them as the command's history entry when it commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NamedTuple, Self

from papertrail.db.deadline import Watchdog
from papertrail.db.dialect import Dialect
from papertrail.errors import StoreError
from papertrail.model.records import Change

# What the server's own words for a timeout mean for the user (see schema's limits).
_TIMEOUTS = {
    "lock timeout": "another client held a lock longer than PAPERTRAIL_DB_TIMEOUT allows",
    "statement timeout": "the statement ran longer than the server's statement_timeout",
    "database is locked": "another client held the library past PAPERTRAIL_DB_TIMEOUT",
}


def _explain(error: Exception) -> str:
    text = " ".join(str(error).split())
    for words, meaning in _TIMEOUTS.items():
        if words in text:
            return f"{text} ({meaning})"
    return text


# The primary key of every table the history records (see papertrail.db.history).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "paper": ("id",),
    "topic": ("id",),
    "paper_topic": ("paper_id", "topic_id"),
    "reading_queue": ("reader_id", "paper_id"),
    "reading": ("reader_id", "paper_id"),
    "reader_note": ("reader_id", "paper_id", "shared"),
    "reader": ("id",),
    "import_log": ("source", "item_key"),
    "feed": ("id",),
    "inbox_item": ("reader_id", "number"),
    "seen_paper": ("reader_id", "arxiv_id"),
    "paper_file": ("paper_id", "file_id"),
    "paper_key": ("key",),
    "tag": ("id",),
    "paper_tag": ("paper_id", "tag_id"),
    "distinct_pair": ("paper_a", "paper_b"),
}


class Inserted(NamedTuple):
    """Rows one statement inserted, noted at once: each row's values in `columns` order.

    The history holds each row as a Change(table, key, None, row); a bulk insert (an import
    of thousands of papers) notes them like this instead of one dict per row, and the
    history writes them in one statement (see HistoryWrites._write_entry).
    """

    table: str
    columns: tuple[str, ...]
    rows: Sequence[Sequence[Any]]

    def changes(self) -> list[Change]:
        """The rows as the Changes `record` would have noted, one by one."""
        key_columns = TABLE_KEYS[self.table]
        found = []
        for values in self.rows:
            after = dict(zip(self.columns, values, strict=True))
            key = {column: after[column] for column in key_columns}
            found.append(Change(self.table, key, None, after, paper_of(self.table, key)))
        return found


def paper_of(table: str, key: dict[str, Any]) -> Any:
    """The paper a row belongs to (history_change.paper_id), when it belongs to one."""
    return key.get("id") if table == "paper" else key.get("paper_id")


class Touched(NamedTuple):
    """What a committed transaction changed, for what follows a commit (linked
    bibliographies): the papers (None: too many to name, e.g. a bulk import noted in SQL)
    and the tables."""

    papers: frozenset[int] | None
    tables: frozenset[str]
    # "table.column" for each column an update changed; "table.*" for rows inserted or
    # deleted: a change to what no linked file writes (a status, a note) rewrites nothing.
    columns: frozenset[str] = frozenset()


class Database:
    """An open connection, with the history state of the command using it."""

    def __init__(self, connection: Any, dialect: Dialect, location: str) -> None:
        self.connection = connection
        self.dialect = dialect
        self.location = location
        self._in_transaction = False
        # The history of this command (see db/history.py): what it is called, what it
        # did, and the rows it changed so far in the open transaction.
        self.command = "papertrail"
        self.summary: str | None = None
        self.reverts: list[int] = []
        self.history_id: int | None = None
        self._changes: list[Change | Inserted] = []
        self.history_seq = 0
        # Whether opening it changed its schema (this process did, not another one).
        self.migrated = False
        self.watchdog: Watchdog | None = None  # a server's calls: their client-side deadline
        # Who reads (see `reader`): resolved once per connection, on first use.
        self.declared_reader: str | None = None  # --reader / PAPERTRAIL_READER / setting
        self._reader: tuple[int | None, str] | None = None
        # True: a PostgreSQL member as their own role, whom row-level security binds.
        self.reader_bound = False
        # Called after each transaction that changed recorded rows commits (the CLI
        # registers the rewrite of linked bibliographies); what they have to say goes to
        # `notices`, for the CLI to print.
        self.after_commit: list[Callable[[Touched], None]] = []
        self.notices: list[str] = []
        # Citation keys that changed by themselves (old, new), for the CLI to announce:
        # the old ones still name their papers (db/keys.py).
        self.key_changes: list[tuple[str, str]] = []
        self._touched_papers: set[int] | None = set()
        self._touched_tables: set[str] = set()
        self._touched_columns: set[str] = set()

    @property
    def file(self) -> Path | None:
        """The database file (SQLite), or None for a server."""
        return Path(self.location) if self.dialect.name == "sqlite" else None

    # -- plumbing -------------------------------------------------------------------

    def close(self) -> None:
        if self.watchdog is not None:
            self.watchdog.close()
        self.connection.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._errors():
            return self.connection.execute(self.dialect.sql(sql), params)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors (when running or fetching) become one clear StoreError; on a
        server, the call runs under the client-side deadline (db/deadline.py)."""
        watchdog = self.watchdog
        if watchdog is not None:
            watchdog.arm()
        try:
            yield
        except self.dialect.errors as error:
            if watchdog is not None and watchdog.fired:
                raise StoreError(f"{self.location}: {watchdog.message}") from error
            raise StoreError(f"database error in {self.location}: {_explain(error)}") from error
        finally:
            if watchdog is not None:
                watchdog.disarm()

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._errors():
                self.connection.cursor().executemany(self.dialect.sql(sql), rows)

    def flush_history(self) -> None:
        """Write the changes recorded so far to the history, inside the open transaction:
        a long import keeps only one batch of row images in memory."""
        self._write_history()
        self._changes = []

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        cursor = self.execute(sql, params)
        with self._errors():
            return cursor.fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.execute(sql, params)
        with self._errors():
            return cursor.fetchone()

    def stream(self, cursor: Any) -> Iterator[Sequence[Any]]:
        """A cursor's rows, fetched a thousand at a time: 100,000 papers stream."""
        while True:
            with self._errors():
                rows = cursor.fetchmany(1000)
            if not rows:
                return
            yield from rows

    @contextmanager
    def transaction(self, *, commit: bool = True) -> Iterator[Self]:
        """One atomic write: everything inside commits together or not at all.

        `commit=False` rolls back at the end: a dry run sees exactly what would happen.
        """
        if self._in_transaction:
            yield self
            return
        self.execute(self.dialect.begin_write)
        self._in_transaction = True
        # A rolled-back transaction takes its part of the history entry with it.
        history_before = (self.history_id, self.history_seq)
        key_changes_before = len(self.key_changes)  # a rollback takes its own back
        committed = False
        try:
            yield self
            if commit:
                self._write_history()
                self.execute("COMMIT")
                committed = True
            else:
                self._rollback()
                self.history_id, self.history_seq = history_before
                self._reader = None  # a reader row made in it is gone: look again
                del self.key_changes[key_changes_before:]
        except BaseException:
            self._rollback()
            self.history_id, self.history_seq = history_before
            self._reader = None
            del self.key_changes[key_changes_before:]
            raise
        finally:
            self._in_transaction = False
            self._changes = []
            touched = Touched(
                None if self._touched_papers is None else frozenset(self._touched_papers),
                frozenset(self._touched_tables),
                frozenset(self._touched_columns),
            )
            self._touched_papers, self._touched_tables = set(), set()
            self._touched_columns = set()
        if committed and touched.tables:
            for callback in self.after_commit:
                callback(touched)

    def new_entry(self, command: str, summary: str | None = None) -> None:
        """Start a new history entry: the writes that follow are recorded under `command`."""
        self.command, self.summary, self.reverts = command, summary, []
        self.history_id, self.history_seq = None, 0

    def _write_history(self) -> None:
        """Store the changes recorded in the open transaction (db/history.py does)."""
        raise NotImplementedError

    def _rollback(self) -> None:
        # After some errors (a full disk) SQLite has rolled back already; a ROLLBACK then
        # fails, and must not hide the error that caused it.
        if self.dialect.in_transaction(self.connection):
            with suppress(*self.dialect.errors):
                self.connection.execute("ROLLBACK")

    def has_table(self, table: str) -> bool:
        return self.one(self.dialect.table_exists, (table,)) is not None

    def highest_id(self, table: str) -> int:
        """The largest id `table` ever handed out, also to rows since removed."""
        return int(self.one(self.dialect.highest_id.format(table=table), (table,))[0] or 0)

    # -- the reader: whose status, queue, notes and history entries these are ------------

    @property
    def reader_id(self) -> int:
        """The reader's id, for joins (0 before their first write: no rows, all unread).
        Resolved once per connection: the hot paths pay no query for it."""
        return self._resolve_reader()[0] or 0

    @property
    def reader_name(self) -> str:
        return self._resolve_reader()[1]

    def _resolve_reader(self) -> tuple[int | None, str]:
        if self._reader is None:
            self._reader = self._find_reader()
        return self._reader

    def _find_reader(self) -> tuple[int | None, str]:
        """(id or None, name) of the reader this connection acts as.

        PostgreSQL, a member connecting as their own role (row-level security binds it):
        the role. Elsewhere the declared name, else the login; on SQLite a library with one
        reader and no name declared is that reader's (a personal library moved between
        accounts stays its owner's)."""
        from papertrail.config import declared_reader, reader_is_declared

        name = declared_reader() if self.declared_reader is None else self.declared_reader
        declared = self.declared_reader is not None or reader_is_declared()
        if self.dialect.name == "postgresql":
            role, bound = self.one(
                "SELECT current_user, NOT (r.rolsuper OR r.rolbypassrls OR "
                "pg_has_role(current_user, c.relowner, 'USAGE')) FROM pg_roles r, pg_class c "
                "WHERE r.rolname = current_user AND c.oid = to_regclass('reading')"
            ) or (None, False)
            if bound:
                if declared and name != role:
                    raise StoreError(
                        f"on {self.location} you read as your database role {role!r}: "
                        f"the reader cannot be {name!r} (see README, Sharing a library)"
                    )
                name, self.reader_bound = str(role), True
        row = self.one("SELECT id FROM reader WHERE name = ?", (name,))
        if row is None and not declared and self.dialect.name == "sqlite":
            row = self.one("SELECT max(id), max(name) FROM reader HAVING count(*) = 1")
            if row is not None:
                name = row[1]
        return (None if row is None else int(row[0])), name

    def writer_id(self) -> int:
        """The reader's id for a write, their row made on their first one."""
        found, name = self._resolve_reader()
        if found is not None:
            return found
        from datetime import UTC, datetime

        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.execute(
            "INSERT INTO reader (name, private, created_at) VALUES (?, 0, ?) "
            "ON CONFLICT (name) DO NOTHING",
            (name, now),
        )
        reader = int(self.one("SELECT id FROM reader WHERE name = ?", (name,))[0])
        self._reader = (reader, name)
        return reader

    # -- recorded writes: every change leaves its row images for the history ----------

    def row(self, table: str, key: dict[str, Any], *, lock: bool = False) -> dict[str, Any] | None:
        """A row of a recorded table as {column: value}, or None; `lock`: for update."""
        where = " AND ".join(f"{column} = ?" for column in key)
        suffix = self.dialect.lock_row if lock else ""
        cursor = self.execute(f"SELECT * FROM {table} WHERE {where}{suffix}", list(key.values()))
        with self._errors():
            values = cursor.fetchone()
            names = [d[0] for d in cursor.description]
        return None if values is None else dict(zip(names, values, strict=True))

    def rows_where(self, table: str, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        """The rows `where` selects, locked for update (they are about to change)."""
        sql = f"SELECT * FROM {table} WHERE {where}{self.dialect.lock_row}"
        cursor = self.execute(sql, params)
        with self._errors():
            rows = cursor.fetchall()
            names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in rows]

    def tracked(self, table: str, key: dict[str, Any], sql: str, params: Sequence[Any]) -> Any:
        """Run a statement that changes (at most) the row `key` names, and record it."""
        before = self.row(table, key, lock=True)
        cursor = self.execute(sql, params)
        self.record(table, key, before, self.row(table, key))
        return cursor

    def tracked_delete(self, table: str, where: str, params: Sequence[Any]) -> int:
        """Delete the rows `where` selects, recording each; return how many."""
        rows = self.rows_where(table, where, params)
        for row in rows:
            key = {column: row[column] for column in TABLE_KEYS[table]}
            where_key = " AND ".join(f"{column} = ?" for column in key)
            self.execute(f"DELETE FROM {table} WHERE {where_key}", list(key.values()))
            self.record(table, key, row, None)
        return len(rows)

    def record(
        self,
        table: str,
        key: dict[str, Any],
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Note a changed row; updates keep only the columns that changed."""
        if before is not None and after is not None:
            changed = [c for c in after if before.get(c) != after[c]]
            if not changed:
                return
            before = {c: before.get(c) for c in changed}
            after = {c: after[c] for c in changed}
            self._touched_columns.update(f"{table}.{c}" for c in changed)
        elif before is None and after is None:
            return
        else:
            self._touched_columns.add(f"{table}.*")
        self._check_in_transaction()
        paper = paper_of(table, key)
        if table == "paper_key":  # keyed by the key: the paper is in the row
            paper = (after or before or {}).get("paper_id")
        self._changes.append(Change(table, key, before, after, paper))
        self._touch(table, [paper])

    def record_inserted(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Note rows just inserted, each given as its values in `columns` order (every
        column of the row): as `record(table, key, None, row)` for each, at a bulk price."""
        if rows:
            self._check_in_transaction()
            self._changes.append(Inserted(table, tuple(columns), rows))
            column = "id" if table == "paper" else "paper_id"
            if column in columns:
                where = list(columns).index(column)
                self._touch(table, [row[where] for row in rows], rows=True)
            else:
                self._touch(table, [], rows=True)

    def _touch(self, table: str, papers: Sequence[Any], *, rows: bool = False) -> None:
        """Note what the open transaction changed (see Touched); `rows`: rows inserted."""
        self._touched_tables.add(table)
        if rows:
            self._touched_columns.add(f"{table}.*")
        if self._touched_papers is not None:
            self._touched_papers.update(p for p in papers if p is not None)

    def _check_in_transaction(self) -> None:
        if not self._in_transaction:
            raise StoreError("internal error: a change outside a transaction")
