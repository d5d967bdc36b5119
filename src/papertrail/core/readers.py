"""A lab sharing one library: who read what, shared notes, each member's progress, privacy.

Each command acts as one reader (db/database.py resolves who, once per connection): its
status, dates, queue and private notes are that reader's own. What is here is the lab's
side: what the others may see of one another, and what one chooses to show.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from papertrail.db.store import Store
from papertrail.errors import UsageError
from papertrail.model.records import LabMember, Paper, ReaderOfPaper, SharedNote


class LabView(NamedTuple):
    """What the lab shows of one paper: who read it, and the notes they share."""

    readers: list[ReaderOfPaper]
    shared_notes: list[SharedNote]

    def to_json(self) -> dict[str, object]:
        return {
            "readers": [r.to_json() for r in self.readers],
            "shared_notes": [n.to_json() for n in self.shared_notes],
        }


def lab_view(store: Store, paper_id: int) -> LabView:
    return LabView(store.readers_of(paper_id), store.shared_notes(paper_id))


def who_read(store: Store, ref: str) -> tuple[Paper, LabView]:
    paper_id = store.resolve(ref)
    return store.get(paper_id), lab_view(store, paper_id)


def share_note(
    store: Store, ref: str, text: str, *, replace: bool = False, today: str | None = None
) -> tuple[Paper, str | None]:
    """Add a dated paragraph to one's shared note on a paper (`replace`: replace it, empty
    text clears it); returns the paper and the shared note now."""
    from papertrail.core.papers import paper_label  # the label, as notes say it

    if not replace and not text.strip():
        raise UsageError('the note to add is empty (`note REF --shared --replace ""` clears it)')
    paper_id = store.resolve(ref)
    day = today or datetime.now(UTC).strftime("%Y-%m-%d")
    with store.transaction():
        if replace:
            store.set_note(paper_id, text.strip() or None, shared=True)
        else:
            store.append_note(paper_id, f"{day}: {text.strip()}", shared=True)
        paper = store.get(paper_id)
        shared = store.shared_note(paper_id)
        verb = "shared a note on" if shared else "cleared the shared note of"
        store.summary = f"{verb} {paper_label(paper)}"
    return paper, shared


def lab_stats(store: Store, month: str | None = None) -> list[LabMember]:
    """Per member the lab may see: read this month, reading now, queue length."""
    return store.lab_members(month or datetime.now(UTC).strftime("%Y-%m"))


def set_privacy(store: Store, private: bool) -> bool:
    """Keep one's reading out of the lab's view (True) or show it; returns whether it
    changed."""
    with store.transaction():
        before = store.is_private()
        if before != private:
            store.set_private(private)
            store.summary = "kept my reading private" if private else "showed my reading to the lab"
    return before != private
