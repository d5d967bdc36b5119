"""What the user typed to name papers (REFs), read as papers of the library or as ids to
add. A REF is the number `list` shows, an arXiv id or URL, or a citation key."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from papertrail.db.store import Store
from papertrail.errors import InvalidArxivId
from papertrail.model.ids import ArxivId, parse_arxiv_id


def resolve_all(store: Store, refs: Iterable[str]) -> list[int]:
    """Paper ids for REFs, all or nothing: one unknown REF stops the command."""
    return list(dict.fromkeys(store.resolve(ref) for ref in refs))


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
