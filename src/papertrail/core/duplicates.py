"""Likely duplicates in the library, and merging two records of one paper into one.

Pairs are found by rules that hold for real libraries: the same DOI; an arXiv preprint
and its published version (same title, years within one); titles that are near-identical
once normalised (case, accents, punctuation), with agreeing year and first author.
Candidates are compared within blocks that share a title prefix or suffix, so the work
grows with the library, not with its square.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from papertrail.core.papers import paper_label
from papertrail.db.store import Store
from papertrail.errors import PapertrailError
from papertrail.model.query import PaperQuery
from papertrail.model.records import STATUSES, Paper

NEAR = 0.92  # SequenceMatcher ratio above which two normalised titles are the same title
BLOCK = 16  # characters of the normalised title that form a comparison block
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class Duplicate:
    first: Paper
    second: Paper
    reason: str


def normal_title(title: str | None) -> str:
    """Case, accents, punctuation and spacing aside."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _surname(paper: Paper) -> str:
    return normal_title(paper.authors[0]).split()[-1] if paper.authors else ""


def _agree(a: Paper, b: Paper, years: int) -> bool:
    """Year within `years` and first author's surname equal, where both are known."""
    if a.year and b.year and abs(a.year - b.year) > years:
        return False
    return not (_surname(a) and _surname(b) and _surname(a) != _surname(b))


def _title_reason(a: Paper, b: Paper) -> str | None:
    ta, tb = normal_title(a.title), normal_title(b.title)
    if not ta or not tb:
        return None
    same = ta == tb or SequenceMatcher(None, ta, tb).ratio() >= NEAR
    if not same:
        return None
    if (a.arxiv_id is None) != (b.arxiv_id is None) and _agree(a, b, years=1):
        return "preprint and published version"
    if a.arxiv_id and b.arxiv_id:
        return None  # two arXiv records are two papers, whatever their titles
    if _agree(a, b, years=0):
        return "same title" if ta == tb else "near-identical titles"
    return None


def find(store: Store) -> list[Duplicate]:
    papers = list(store.iter_papers(PaperQuery()))
    found: dict[tuple[int, int], str] = {}
    by_doi: dict[str, list[Paper]] = {}
    for paper in papers:
        if paper.doi:
            by_doi.setdefault(paper.doi.strip().lower(), []).append(paper)
    for doi, group in by_doi.items():
        for a, b in combinations(group, 2):
            found[(a.id, b.id)] = f"same DOI {doi}"
    for a, b in _title_candidates(papers):
        key = (min(a.id, b.id), max(a.id, b.id))
        if key not in found and (reason := _title_reason(a, b)):
            found[key] = reason
    by_id = {paper.id: paper for paper in papers}
    return [Duplicate(by_id[a], by_id[b], why) for (a, b), why in sorted(found.items())]


def _title_candidates(papers: Iterable[Paper]) -> Iterable[tuple[Paper, Paper]]:
    """Pairs sharing the start or the end of their normalised title (a typo is in one half)."""
    blocks: dict[str, list[Paper]] = {}
    for paper in papers:
        title = normal_title(paper.title)
        if len(title) >= 8:
            blocks.setdefault("<" + title[:BLOCK], []).append(paper)
            blocks.setdefault(">" + title[-BLOCK:], []).append(paper)
    seen: set[tuple[int, int]] = set()
    for group in blocks.values():
        for a, b in combinations(group, 2):
            key = (min(a.id, b.id), max(a.id, b.id))
            if key not in seen:
                seen.add(key)
                yield a, b


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
        keep, other = store.get(keep_id), store.get(other_id)
        keep_row = store.row("paper", {"id": keep_id}) or {}
        other_row = store.row("paper", {"id": other_id}) or {}
        order = store.queue_to_change()
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
