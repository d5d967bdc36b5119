"""The history: each command's recorded changes stored as one entry, read back, pruned,
and reverted.

A transaction collects the row images of the recorded writes (db/database.py); when it
commits, `_write_history` stores them as one `history` row and the `history_change` rows
of that command. Undo puts the `before` images back through the same recorded writes, so
an undo is itself an entry that can be undone.

`json` is imported only when an entry is written or read: commands that change nothing
start without it (start-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from papertrail.db.database import TABLE_KEYS, Database, Inserted, paper_of
from papertrail.errors import HistoryConflict, StoreError
from papertrail.model.records import Change, HistoryEntry

if TYPE_CHECKING:
    import json

ENTRY_COLUMNS = "h.id, h.at, h.command, h.summary, h.reverts, rd.name"
# Entries with the name of the reader who made each.
_ENTRIES = "history h LEFT JOIN reader rd ON rd.id = h.reader_id"
# Entries kept: older ones go, a hundred at a time, as new ones come (and on `log --prune`).
HISTORY_LIMIT = 10_000
NO_LIMIT = 2**63 - 1  # LIMIT takes a number on both databases: "all" is the largest one


@cache
def _encoder() -> json.JSONEncoder:
    """One encoder for every value: json.dumps with options builds a new one per call."""
    import json

    return json.JSONEncoder(ensure_ascii=False, sort_keys=True)


_INSERT_CHANGE = (
    "INSERT INTO history_change (history_id, seq, table_name, row_key, before, after, paper_id) "
)


def _dump(value: object) -> str | None:
    return None if value is None else _encoder().encode(value)


def _load(text: str | None) -> Any:
    import json

    return None if text is None else json.loads(text)


def _count(changes: Sequence[Change | Inserted]) -> int:
    return sum(len(c.rows) if isinstance(c, Inserted) else 1 for c in changes)


# Inserted rows on SQLite: its json_object builds the key and row images in the database,
# for a fraction of what encoding them in Python costs (most of an import's history).
# Read back, they are the Changes(table, key, None, row) that `Inserted.changes` gives.


def _json_object(values: dict[str, str]) -> str:
    """SQLite's JSON object of column name -> SQL expression (names from papertrail's code)."""
    return "json_object(" + ", ".join(f"'{name}', {expr}" for name, expr in values.items()) + ")"


def _entry(row: tuple[Any, ...]) -> HistoryEntry:
    entry_id, at, command, summary, reverts, reader = row
    return HistoryEntry(
        int(entry_id), at, command, summary, [int(r) for r in (reverts or "").split()],
        reader=reader,
    )  # fmt: skip


def _of_paper(
    paper_id: int | None,
    reader: str | None = None,
    days: tuple[str | None, str | None] = (None, None),
) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) of the entries that changed one paper, and
    (`reader`) that one reader made, and (`days`: first, last, as YYYY-MM-DD) made then."""
    clauses: list[str] = []
    params: list[Any] = []
    first, last = days
    if first is not None:
        clauses.append("h.at >= ?")
        params.append(first)
    if last is not None:
        clauses.append("h.at < ?")  # "2023-05-31T..." < "2023-05-31~": the whole last day
        params.append(last + "~")
    if paper_id is not None:
        clauses.append("h.id IN (SELECT history_id FROM history_change WHERE paper_id = ?)")
        params.append(paper_id)
    if reader is not None:
        clauses.append("rd.name = ?")
        params.append(reader)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


# -- restoring rows -------------------------------------------------------------------------


def _describe(change: Change) -> str:
    table = {"paper": "paper", "topic": "topic", "paper_topic": "topic of paper",
             "reading_queue": "queue place of paper", "reading": "reading status of paper",
             "reader_note": "note on paper", "import_log": "import record",
             "feed": "feed", "inbox_item": "inbox item", "seen_paper": "announcement",
             "paper_file": "file of paper", "reader": "privacy of reader",
             "paper_key": "citation key", "tag": "tag", "paper_tag": "tag of paper",
             "distinct_pair": "pair known distinct"}  # fmt: skip
    name = table.get(change.table, change.table)
    return f"{name} {change.paper_id if change.paper_id is not None else change.key}"


# Columns a migration filled in every row: an image older than the migration holds NULL
# there, which matches whatever the row holds now (0008 gave every paper a citation key).
_FILLED_BY_MIGRATIONS = {("paper", "citation_key")}


def _same(table: str, column: str, now: object, then: object) -> bool:
    return now == then or (then is None and (table, column) in _FILLED_BY_MIGRATIONS)


class HistoryWrites(Database):
    """The history tables' SQL, for the recorded writes of Database."""

    def _write_history(self) -> None:
        if self._changes:
            self._write_entry(self._changes)

    def record_selected(
        self, table: str, columns: Sequence[str], where: str, params: Sequence[Any]
    ) -> None:
        """Note the rows `where` selects, all of them just inserted, as `record_inserted`
        would (SQLite only): the history takes their images from the table, at once."""
        self._check_in_transaction()
        self.flush_history()  # the changes noted before come first in the history
        self._touched_tables.add(table)
        self._touched_columns.add(f"{table}.*")
        self._touched_papers = None  # rows named in SQL: which papers, unknown here
        self._write_selected(table, columns, where, params)

    def _write_entry(self, changes: Sequence[Change | Inserted]) -> None:
        """Store the open transaction's changes under the command's entry (made on first
        use)."""
        entry = self._open_entry(self.summary or f"{_count(changes)} row(s) changed")
        rows = []
        for change in changes:
            if isinstance(change, Inserted) and self.dialect.name == "sqlite":
                self._write_inserted(entry, change)
                continue
            for one in change.changes() if isinstance(change, Inserted) else [change]:
                self.history_seq += 1
                rows.append((
                    entry, self.history_seq, one.table, _dump(one.key), _dump(one.before),
                    _dump(one.after), one.paper_id,
                ))  # fmt: skip
        self.execute_many(_INSERT_CHANGE + "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _open_entry(self, summary: str) -> int:
        """The id of the command's entry, made now if this is its first change."""
        if self.history_id is None:
            at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            reverts = " ".join(map(str, self.reverts)) or None
            row = self.one(
                "INSERT INTO history (at, command, summary, reverts, reader_id) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (at, self.command, summary, reverts, self.writer_id()),
            )
            self.history_id = int(row[0])
            if self.history_id % 100 == 0:
                self.prune_history(HISTORY_LIMIT)
        else:  # a later transaction of the same command (fetch saves batch by batch)
            self.execute("UPDATE history SET summary = ? WHERE id = ?", (summary, self.history_id))
        return self.history_id

    def _write_inserted(self, entry: int, inserted: Inserted) -> None:
        """Store rows inserted as the values given, in one statement (SQLite).

        Numbered parameters (?1 the entry, ?2 the seq, ?3... the row's values) let the key
        and the row image share the values.
        """
        table, columns = inserted.table, inserted.columns
        number = {column: f"?{index}" for index, column in enumerate(columns, start=3)}
        key = {column: number[column] for column in TABLE_KEYS[table]}
        paper = paper_of(table, key) or "NULL"
        images = f"{_json_object(key)}, NULL, {_json_object(number)}"
        sql = f"VALUES (?1, ?2, '{table}', {images}, {paper})"
        first = self.history_seq + 1
        self.history_seq += len(inserted.rows)
        self.execute_many(
            _INSERT_CHANGE + sql,
            [(entry, seq, *values) for seq, values in enumerate(inserted.rows, first)],
        )

    def _write_selected(
        self, table: str, columns: Sequence[str], where: str, params: Sequence[Any]
    ) -> None:
        """Store rows just inserted -- those `where` selects -- with the images of `columns`,
        made from the rows themselves in one statement (SQLite): thousands of papers' values
        are not bound to a statement a second time. Write the changes noted before first."""
        entry = self._open_entry(self.summary or "rows inserted")
        key = {column: column for column in TABLE_KEYS[table]}
        paper = paper_of(table, key) or "NULL"
        sql = (
            f"SELECT ?, ? + row_number() OVER (ORDER BY {', '.join(key)}), '{table}', "
            f"{_json_object(key)}, NULL, {_json_object({c: c for c in columns})}, {paper} "
            f"FROM {table} WHERE {where}"
        )
        cursor = self.execute(_INSERT_CHANGE + sql, [entry, self.history_seq, *params])
        self.history_seq += cursor.rowcount

    def history_entries(
        self, *, limit: int | None = None, paper_id: int | None = None, offset: int = 0,
        reader: str | None = None, days: tuple[str | None, str | None] = (None, None),
    ) -> list[HistoryEntry]:  # fmt: skip
        """Entries newest first: all, or those that changed one paper, or one reader made,
        or made within `days`; `offset` skips the newest ones (a page after the first)."""
        where, params = _of_paper(paper_id, reader, days)
        sql = f"SELECT {ENTRY_COLUMNS} FROM {_ENTRIES}{where} ORDER BY h.id DESC"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [NO_LIMIT if limit is None else limit, offset]
        return [_entry(row) for row in self.rows(sql, params)]

    def count_history(self, *, paper_id: int | None = None, reader: str | None = None) -> int:
        """How many entries `history_entries` would give without limit."""
        where, params = _of_paper(paper_id, reader)
        return int(self.one(f"SELECT count(*) FROM {_ENTRIES}{where}", params)[0])

    def history_entries_from(self, first_id: int) -> list[HistoryEntry]:
        """Entry `first_id` and every later one, newest first."""
        rows = self.rows(
            f"SELECT {ENTRY_COLUMNS} FROM {_ENTRIES} WHERE h.id >= ? ORDER BY h.id DESC",
            (first_id,),
        )
        return [_entry(row) for row in rows]

    def undo_links(self) -> list[tuple[int, list[int]]]:
        """(undo entry, the entries it reverted), newest first."""
        rows = self.rows(
            "SELECT id, reverts FROM history WHERE reverts IS NOT NULL ORDER BY id DESC"
        )
        return [(int(entry_id), [int(r) for r in reverts.split()]) for entry_id, reverts in rows]

    def history_changes(self, entry_id: int) -> list[Change]:
        rows = self.rows(
            "SELECT table_name, row_key, before, after, paper_id FROM history_change "
            "WHERE history_id = ? ORDER BY seq",
            (entry_id,),
        )
        try:
            return [Change(t, _load(k), _load(b), _load(a), p) for t, k, b, a, p in rows]
        except ValueError as error:  # edited by hand, or damaged: say so, never a traceback
            raise StoreError(f"history entry #{entry_id} is damaged ({error})") from None

    def prune_history(self, keep: int) -> int:
        """Delete all but the newest `keep` entries; return how many went."""
        row = self.one("SELECT id FROM history ORDER BY id DESC LIMIT 1 OFFSET ?", (keep,))
        if row is None:
            return 0
        cutoff = int(row[0])
        count = int(self.one("SELECT count(*) FROM history WHERE id <= ?", (cutoff,))[0])
        self.execute("DELETE FROM history_change WHERE history_id <= ?", (cutoff,))
        self.execute("DELETE FROM history WHERE id <= ?", (cutoff,))
        return count

    def _columns(self, table: str) -> set[str]:
        cursor = self.execute(f"SELECT * FROM {table} LIMIT 0")
        return {d[0] for d in cursor.description}

    def _before_restore(self, change: Change) -> None:
        """A table group's own check before `change` is reverted (HistoryConflict if it
        cannot be): see FileTables."""

    def revert_change(self, change: Change) -> None:
        """Put back the row as it was before `change`; refuse if it changed since."""
        if change.table not in TABLE_KEYS or sorted(change.key) != sorted(TABLE_KEYS[change.table]):
            raise StoreError(f"the history holds a change papertrail cannot undo ({change.table})")
        table, key = change.table, change.key
        current = self.row(table, key, lock=True)  # a concurrent undo waits, then sees it
        after = change.after
        unchanged = (
            (current is None)
            if after is None
            else (
                current is not None
                and all(_same(table, c, current.get(c), v) for c, v in after.items())
            )
        )
        if not unchanged:
            raise HistoryConflict(f"{_describe(change)} has changed since")
        self._before_restore(change)
        where = " AND ".join(f"{column} = ?" for column in key)
        if change.before is None:
            self.tracked_delete(table, where, list(key.values()))
            return
        known = self._columns(table)
        values = {c: v for c, v in change.before.items() if c in known}
        if after is None:
            columns = ", ".join(values)
            marks = ", ".join("?" * len(values))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            self.tracked(table, key, sql, list(values.values()))
            return
        assignments = ", ".join(f"{column} = ?" for column in values)
        self.tracked(
            table, key, f"UPDATE {table} SET {assignments} WHERE {where}",
            [*values.values(), *key.values()],
        )  # fmt: skip
