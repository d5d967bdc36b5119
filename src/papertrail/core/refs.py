"""Naming papers both ways: what the user typed (REFs) read as papers of the library or as
ids to add, and a set of papers named for the history. A REF is the number `list` shows,
an arXiv id or URL, or a citation key."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from papertrail.db.store import Store
from papertrail.errors import InvalidArxivId
from papertrail.model.ids import ArxivId, parse_arxiv_id
from papertrail.model.records import papers_label


def resolve_all(store: Store, refs: Iterable[str]) -> list[int]:
    """Paper ids for REFs, in order and each once, all or nothing: one unknown REF stops
    the command. Numbers (`list --ids | papertrail queue -`) are checked in batches."""
    refs = list(refs)
    numbers = [int(ref) for ref in refs if _is_number(ref)]
    known = store.existing_ids(numbers)
    ids = [
        int(ref) if _is_number(ref) and int(ref) in known else store.resolve(ref) for ref in refs
    ]
    return list(dict.fromkeys(ids))


def _is_number(ref: str) -> bool:
    text = ref.strip()
    return text.isascii() and text.isdigit() and len(text) < 19


def parse_refs(refs: Sequence[str]) -> tuple[list[ArxivId], list[tuple[str, str]]]:
    """Split REFs into arXiv ids (versions of one paper merged, highest kept) and rejects."""
    ids: dict[str, ArxivId] = {}
    rejected: list[tuple[str, str]] = []
    for ref in refs:
        try:
            parsed = parse_arxiv_id(ref)
        except InvalidArxivId as error:
            rejected.append((ref, str(error)))
            continue
        known = ids.get(parsed.id)
        if known is None or (parsed.version or 0) > (known.version or 0):
            ids[parsed.id] = parsed
    return list(ids.values()), rejected


def ids_label(store: Store, paper_ids: Sequence[int]) -> str:
    """Papers as the history names them (`[12] 1510.00149 Deep...; and 40 more`), reading
    only the three it shows."""
    return papers_label(store.get_many(list(paper_ids[:3])), len(paper_ids))
