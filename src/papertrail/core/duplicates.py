"""`duplicates` and `merge`: likely duplicates in the library (as model/same_paper.py
judges them), and merging two records of one paper into one."""

from __future__ import annotations

from dataclasses import dataclass

from papertrail.db.store import Store
from papertrail.errors import PapertrailError
from papertrail.model.query import PaperQuery
from papertrail.model.records import STATUSES, Paper, now_iso, paper_label
from papertrail.model.same_paper import Known, family_name, known, likely_duplicates


@dataclass
class Duplicate:
    first: Paper
    second: Paper
    reason: str


def find(store: Store) -> list[Duplicate]:
    """Likely duplicate pairs, as model/same_paper.py judges them."""
    papers = [
        known(int(paper_id), arxiv_id, doi, title, year, family_name(first) or None)
        for paper_id, arxiv_id, doi, title, year, first in store.match_rows()
    ]
    distinct = store.distinct_pairs()  # judged different by the user: never again
    pairs = sorted(
        (low, high, why)
        for a, b, why in likely_duplicates(papers)
        if ((low := min(_id(a), _id(b))), (high := max(_id(a), _id(b)))) not in distinct
    )
    wanted = list({paper_id for a, b, _ in pairs for paper_id in (a, b)})
    by_id = {paper.id: paper for paper in store.iter_papers(PaperQuery(paper_ids=wanted))}
    return [Duplicate(by_id[a], by_id[b], why) for a, b, why in pairs]


def mark_distinct(store: Store, first: str, second: str) -> tuple[Paper, Paper, bool]:
    """`duplicates --not A B`: the two are different papers; whether that is news."""
    a, b = store.resolve(first), store.resolve(second)
    if a == b:
        raise PapertrailError(f"{first} and {second} are one paper")
    with store.transaction():
        new = store.mark_distinct(a, b, now_iso())
        store.summary = f"marked papers {min(a, b)} and {max(a, b)} distinct"
    return store.get(a), store.get(b), new


def _id(paper: Known) -> int:
    assert isinstance(paper.ref, int), "a library's papers are known by their ids"
    return paper.ref


# -- merge ----------------------------------------------------------------------------------

# Columns the kept paper takes from the other when it lacks them.
FILLED = ("arxiv_id", "version", "title", "authors", "abstract", "published", "updated", "year",
          "primary_category", "categories", "doi", "journal_ref", "comment", "url", "pdf_url",
          "venue", "fetched_at")  # fmt: skip


def _earliest(*values: str | None) -> str | None:
    known = [v for v in values if v]
    return min(known) if known else None


def merge(store: Store, keep_id: int, other_id: int) -> Paper:
    """Make OTHER part of KEEP: topics united, notes joined, the furthest status, the
    earliest dates, identifiers combined; OTHER is removed. Recorded, so undoable."""
    if keep_id == other_id:
        raise PapertrailError("a paper cannot be merged with itself")
    with store.transaction():
        # The queue first, as every change to it takes it first; then both rows, locked
        # before they are read: a note or status committed meanwhile is merged, not lost.
        order = store.queue_to_change()
        keep_row = store.row("paper", {"id": keep_id}, lock=True) or {}
        other_row = store.row("paper", {"id": other_id}, lock=True) or {}
        store.lock_reading([keep_id, other_id])  # the reader's own: status, dates, notes
        keep, other = store.get(keep_id), store.get(other_id)
        files = store.files_of(other_id)  # OTHER's files become KEEP's
        # OTHER's keys go on naming the paper (a manuscript may cite them): KEEP's aliases.
        old_keys = [k for k in (other.citation_key, *store.aliases_of(other_id)) if k]
        store.delete_paper(other_id)  # first: its arXiv id may move to KEEP
        values = {c: other_row[c] for c in FILLED if keep_row.get(c) is None and other_row.get(c)}
        if "arxiv_id" not in values:  # the version and fetch date go with the arXiv id
            values.pop("version", None)
            values.pop("fetched_at", None)
        values.update(_reading_values(keep, other))
        edited = set((keep_row.get("edited") or "").split()) | set(
            (other_row.get("edited") or "").split()
        )
        if edited:
            values["edited"] = " ".join(sorted(edited))
        store.update_paper(keep_id, values)
        store.add_topics(keep_id, other.topics)
        store.alias_keys([k for k in old_keys if k != keep.citation_key], keep_id)
        for attached in files:
            store.attach_file(keep_id, attached.file_id, attached.name, attached.added_at)
        if other_id in order:
            place = order.index(other_id)
            order = [i for i in order if i != keep_id]
            order.insert(min(place, len(order)), keep_id)
            store.set_queue([i for i in order if i != other_id])
        merged = store.get(keep_id)
        store.summary = f"merged [{other_id}] into {paper_label(merged)}"
    return merged


def _reading_values(keep: Paper, other: Paper) -> dict[str, str | None]:
    status = max(keep.status, other.status, key=STATUSES.index)
    notes = [n.strip() for n in (keep.note, other.note) if n and n.strip()]
    note = "\n\n".join(dict.fromkeys(notes)) or None
    values: dict[str, str | None] = {
        "status": status,
        "note": note,
        "added_at": _earliest(keep.added_at, other.added_at),
        "started_at": _earliest(keep.started_at, other.started_at) if status != "unread" else None,
        "read_at": _earliest(keep.read_at, other.read_at) if status == "read" else None,
    }
    return values
