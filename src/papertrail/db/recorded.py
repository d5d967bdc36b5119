"""Recorded writes: every change to a library table leaves its row images for the history.

Store's write methods go through these (Store inherits them), so that each command's
changes can be stored as one history entry (papertrail.db.history) and undone.
A plain `execute("UPDATE ...")` on these tables would be invisible to undo.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from papertrail.errors import StoreError
from papertrail.model.records import Change

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

# The primary key of every table the history records (see papertrail.db.history).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "paper": ("id",),
    "topic": ("id",),
    "paper_topic": ("paper_id", "topic_id"),
    "reading_queue": ("paper_id",),
    "import_log": ("source", "item_key"),
    "feed": ("id",),
    "inbox_item": ("number",),
    "seen_paper": ("arxiv_id",),
}


class Inserted(NamedTuple):
    """Rows one statement inserted, noted at once: each row's values in `columns` order.

    The history holds each row as a Change(table, key, None, row); a bulk insert (an import
    of thousands of papers) notes them like this instead of one dict per row, and the
    history writes them in one statement (see history_store.write_entry).
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


class RecordedWrites:
    """The recorded-write half of Store: it needs Store's `execute`, `_errors`, `dialect`."""

    dialect: Any
    _in_transaction: bool
    _changes: list[Change | Inserted]

    if TYPE_CHECKING:  # provided by Store

        def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

        def _errors(self) -> AbstractContextManager[None]: ...

        def flush_history(self) -> None: ...

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
        elif before is None and after is None:
            return
        self._check_in_transaction()
        self._changes.append(Change(table, key, before, after, paper_of(table, key)))

    def record_inserted(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Note rows just inserted, each given as its values in `columns` order (every
        column of the row): as `record(table, key, None, row)` for each, at a bulk price."""
        if rows:
            self._check_in_transaction()
            self._changes.append(Inserted(table, tuple(columns), rows))

    def record_selected(
        self, table: str, columns: Sequence[str], where: str, params: Sequence[Any]
    ) -> None:
        """Note the rows `where` selects, all of them just inserted, as `record_inserted`
        would (SQLite only): the history takes their images from the table, at once."""
        from papertrail.db import history as history_store
        self._check_in_transaction()
        self.flush_history()  # the changes noted before come first in the history
        history_store.write_selected(self, table, columns, where, params)  # type: ignore[arg-type]

    def _check_in_transaction(self) -> None:
        if not self._in_transaction:
            raise StoreError("internal error: a change outside a transaction")
