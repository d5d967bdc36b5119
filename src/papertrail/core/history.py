"""History and undo: what each command changed, and putting it back.

Every write goes through Store's recorded writes, so each command that changed the
library leaves one entry (see papertrail.db.history). An entry is *undone* while an
undo entry that reverted it stands itself; undoing an undo brings its entries back.
"""

from __future__ import annotations

from typing import NamedTuple

from papertrail.db.history import HISTORY_LIMIT
from papertrail.db.store import Store
from papertrail.errors import HistoryConflict, PaperNotFound, PapertrailError
from papertrail.model.records import HistoryEntry


def undone_by(store: Store) -> dict[int, int]:
    """entry id -> the undo entry that reverted it, for the entries that stay undone."""
    undone: dict[int, int] = {}
    for undo_id, targets in store.undo_links():  # newest first
        if undo_id in undone:
            continue  # this undo was undone: its targets stand again
        for target in targets:
            undone.setdefault(target, undo_id)
    return undone


def log(
    store: Store,
    *,
    paper_id: int | None = None,
    limit: int | None = None,
    changes: bool = False,
    offset: int = 0,
    reader: str | None = None,
    days: tuple[str | None, str | None] = (None, None),
) -> list[HistoryEntry]:
    """Entries newest first, each marked with the undo that reverted it (if it stands);
    `offset` skips the newest ones; `reader`: only that reader's; `days`: made from the
    first to the last day given (YYYY-MM-DD, either may be None)."""
    found = store.history_entries(
        limit=limit, paper_id=paper_id, offset=offset, reader=reader, days=days
    )
    undone = undone_by(store)
    for entry in found:
        entry.undone_by = undone.get(entry.id)
        if changes:
            entry.changes = store.history_changes(entry.id)
    return found


def count(store: Store, *, paper_id: int | None = None) -> int:
    """How many entries `log` has in all (of one paper, with `paper_id`)."""
    return store.count_history(paper_id=paper_id)


def paper_in_history(store: Store, ref: str) -> int:
    """The paper `log REF` is about. A number also names a removed paper, whose history
    stays; a number no entry mentions is no paper, as for any other command."""
    try:
        return store.resolve(ref)
    except PaperNotFound:
        text = ref.strip()
        number = int(text) if text.isascii() and text.isdigit() else None
        if number is not None and number < 2**63 and store.count_history(paper_id=number):
            return number
        raise


def _mine(store: Store, entry: HistoryEntry) -> bool:
    """Whether the reader made this entry (one from before readers is the library's own)."""
    return entry.reader is None or entry.reader == store.reader_name


def _last_undoable(store: Store) -> tuple[HistoryEntry, HistoryEntry | None]:
    """The reader's own last change that stands, and the newest standing change when
    another member made it (undo never takes back another's change silently)."""
    undone = undone_by(store)
    offset = 0
    others: HistoryEntry | None = None
    while True:
        batch = store.history_entries(limit=100 + offset)[offset:]
        if not batch:
            raise PapertrailError(
                "nothing to undo: the history is empty or all undone"
                if others is None
                else f"nothing of yours to undo (the last change, #{others.id}, is "
                f"{others.reader}'s: each member undoes their own)"
            )
        for entry in batch:
            if not entry.reverts and entry.id not in undone:
                if _mine(store, entry):
                    return entry, others
                others = others or entry
        offset += len(batch)


class Undone(NamedTuple):
    """What an undo did: its own entry, the entries it reverted (newest first), and the
    newest change when another member made it (left as it is)."""

    entry: HistoryEntry
    reverted: list[HistoryEntry]
    others: HistoryEntry | None = None


def undo(store: Store, target: int | None = None) -> Undone:
    """Revert the reader's last change that stands, or (with `target`) every change back to
    it.

    Returns the new undo entry and the entries it reverted. All or nothing: a conflict
    (a row changed since, outside this history) leaves the library as it was.
    """
    store.new_entry("undo")
    with store.transaction():
        store.execute(store.dialect.lock_history)  # as SQLite's one writer: undos take turns
        others = None
        if target is None:
            last, others = _last_undoable(store)
            reverted = [last]
        else:
            reverted = store.history_entries_from(target)
            if not reverted or reverted[-1].id != target:
                raise PapertrailError(f"no history entry #{target} (see `papertrail log`)")
            foreign = [entry for entry in reverted if not _mine(store, entry)]
            if foreign:
                raise PapertrailError(
                    f"#{foreign[0].id} after #{target} is {foreign[0].reader}'s: "
                    "undo takes back only your own changes"
                )
        papers: list[int] = []
        for entry in reverted:  # newest first; each entry's rows in reverse order
            for change in reversed(store.history_changes(entry.id)):
                if change.table == "paper" and isinstance(change.paper_id, int):
                    papers.append(change.paper_id)
                try:
                    store.revert_change(change)
                except HistoryConflict as error:
                    raise HistoryConflict(
                        f"cannot undo #{entry.id} ({entry.command}): {error} "
                        f"(undo the later changes first, or `papertrail undo {entry.id}`)"
                    ) from None
        # A paper brought back from an image older than citation keys (0008) gets one.
        store.ensure_citation_keys(papers)
        store.reverts = [entry.id for entry in reverted]
        store.summary = _undo_summary(reverted)
    assert store.history_id is not None
    new = HistoryEntry(store.history_id, "", "undo", store.summary, store.reverts)
    return Undone(new, reverted, others)


def _undo_summary(reverted: list[HistoryEntry]) -> str:
    if len(reverted) == 1:
        return f"undid #{reverted[0].id} {reverted[0].command}: {reverted[0].summary}"
    return f"undid #{reverted[-1].id} to #{reverted[0].id} ({len(reverted)} entries)"


def prune(store: Store, keep: int = HISTORY_LIMIT) -> int:
    with store.transaction():
        return store.prune_history(keep)
