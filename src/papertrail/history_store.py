"""The history tables' SQL: writing an entry, reading entries back, pruning, restoring rows.

Store's recorded writes (Store.tracked, Store.record) collect the row images of a
command; `write_entry` stores them when its transaction commits, as one `history` row
and the `history_change` rows of that command. Undo puts the `before` images back
through the same recorded writes, so an undo is itself an entry that can be undone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from papertrail.errors import HistoryConflict, StoreError
from papertrail.recorded import TABLE_KEYS
from papertrail.records import Change, HistoryEntry
from papertrail.store import Store

ENTRY_COLUMNS = "id, at, command, summary, reverts"
# Entries kept: older ones go, a hundred at a time, as new ones come (and on `log --prune`).
HISTORY_LIMIT = 10_000


def _dump(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def write_entry(store: Store, changes: list[Change]) -> None:
    """Store the changes of the open transaction under the command's entry (made on first use)."""
    summary = store.summary or f"{len(changes)} row(s) changed"
    if store.history_id is None:
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        reverts = " ".join(map(str, store.reverts)) or None
        row = store.one(
            "INSERT INTO history (at, command, summary, reverts) VALUES (?, ?, ?, ?) RETURNING id",
            (at, store.command, summary, reverts),
        )
        store.history_id = int(row[0])
        if store.history_id % 100 == 0:
            prune(store, HISTORY_LIMIT)
    else:  # a later transaction of the same command (fetch saves batch by batch)
        store.execute("UPDATE history SET summary = ? WHERE id = ?", (summary, store.history_id))
    rows = []
    for change in changes:
        store.history_seq += 1
        rows.append((
            store.history_id, store.history_seq, change.table, _dump(change.key),
            _dump(change.before), _dump(change.after), change.paper_id,
        ))  # fmt: skip
    store.execute_many(
        "INSERT INTO history_change (history_id, seq, table_name, row_key, before, after, "
        "paper_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _entry(row: tuple[Any, ...]) -> HistoryEntry:
    entry_id, at, command, summary, reverts = row
    return HistoryEntry(
        int(entry_id), at, command, summary, [int(r) for r in (reverts or "").split()]
    )


def entries(
    store: Store, *, limit: int | None = None, paper_id: int | None = None
) -> list[HistoryEntry]:
    """Entries newest first: all, or those that changed one paper."""
    sql = f"SELECT {ENTRY_COLUMNS} FROM history"
    params: list[Any] = []
    if paper_id is not None:
        sql += " WHERE id IN (SELECT history_id FROM history_change WHERE paper_id = ?)"
        params.append(paper_id)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_entry(row) for row in store.rows(sql, params)]


def entries_from(store: Store, first_id: int) -> list[HistoryEntry]:
    """Entry `first_id` and every later one, newest first."""
    rows = store.rows(
        f"SELECT {ENTRY_COLUMNS} FROM history WHERE id >= ? ORDER BY id DESC", (first_id,)
    )
    return [_entry(row) for row in rows]


def undo_links(store: Store) -> list[tuple[int, list[int]]]:
    """(undo entry, the entries it reverted), newest first."""
    rows = store.rows("SELECT id, reverts FROM history WHERE reverts IS NOT NULL ORDER BY id DESC")
    return [(int(entry_id), [int(r) for r in reverts.split()]) for entry_id, reverts in rows]


def changes(store: Store, entry_id: int) -> list[Change]:
    rows = store.rows(
        "SELECT table_name, row_key, before, after, paper_id FROM history_change "
        "WHERE history_id = ? ORDER BY seq",
        (entry_id,),
    )
    try:
        return [Change(t, _load(k), _load(b), _load(a), p) for t, k, b, a, p in rows]
    except ValueError as error:  # edited by hand, or damaged: say so, never a traceback
        raise StoreError(f"history entry #{entry_id} is damaged ({error})") from None


def prune(store: Store, keep: int) -> int:
    """Delete all but the newest `keep` entries; return how many went."""
    row = store.one("SELECT id FROM history ORDER BY id DESC LIMIT 1 OFFSET ?", (keep,))
    if row is None:
        return 0
    cutoff = int(row[0])
    count = int(store.one("SELECT count(*) FROM history WHERE id <= ?", (cutoff,))[0])
    store.execute("DELETE FROM history_change WHERE history_id <= ?", (cutoff,))
    store.execute("DELETE FROM history WHERE id <= ?", (cutoff,))
    return count


# -- restoring rows -------------------------------------------------------------------------


def _describe(change: Change) -> str:
    table = {"paper": "paper", "topic": "topic", "paper_topic": "topic of paper",
             "reading_queue": "queue place of paper", "import_log": "import record"}  # fmt: skip
    name = table.get(change.table, change.table)
    return f"{name} {change.paper_id if change.paper_id is not None else change.key}"


def _columns(store: Store, table: str) -> set[str]:
    cursor = store.execute(f"SELECT * FROM {table} LIMIT 0")
    return {d[0] for d in cursor.description}


def revert(store: Store, change: Change) -> None:
    """Put back the row as it was before `change`; refuse if it changed since."""
    if change.table not in TABLE_KEYS or sorted(change.key) != sorted(TABLE_KEYS[change.table]):
        raise StoreError(f"the history holds a change papertrail cannot undo ({change.table})")
    table, key = change.table, change.key
    current = store.row(table, key, lock=True)  # a concurrent undo waits, then sees it
    after = change.after
    unchanged = (
        (current is None)
        if after is None
        else (current is not None and all(current.get(c) == v for c, v in after.items()))
    )
    if not unchanged:
        raise HistoryConflict(f"{_describe(change)} has changed since")
    where = " AND ".join(f"{column} = ?" for column in key)
    if change.before is None:
        store.tracked_delete(table, where, list(key.values()))
        return
    known = _columns(store, table)
    values = {c: v for c, v in change.before.items() if c in known}
    if after is None:
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        store.tracked(table, key, sql, list(values.values()))
        return
    assignments = ", ".join(f"{column} = ?" for column in values)
    store.tracked(
        table, key, f"UPDATE {table} SET {assignments} WHERE {where}",
        [*values.values(), *key.values()],
    )  # fmt: skip
