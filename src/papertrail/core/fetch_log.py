"""What `fetch` asked before: a paper a service answered about (found, or said it does not
know) is not asked again for FETCH_AGAIN_DAYS, unless `--retry`; a paper named on the
command line is always asked. Failures (a service down) are asked again next run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from papertrail.db.store import Store

FETCH_AGAIN_DAYS = 30
# The services the log names: arXiv's metadata, the completion of papers not on arXiv
# (Crossref and DBLP), Semantic Scholar's published versions and citation counts.
ARXIV, COMPLETE, SEMANTIC_SCHOLAR = "arxiv", "crossref+dblp", "semanticscholar"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Unasked(NamedTuple):
    ask: list[int]  # paper ids to ask about
    skipped: int  # asked within the window: not asked again


def unasked(store: Store, service: str, paper_ids: Sequence[int], *, retry: bool) -> Unasked:
    """The papers to ask `service` about: those it did not answer about lately."""
    if retry or not paper_ids:
        return Unasked(list(paper_ids), 0)
    since = (datetime.now(UTC) - timedelta(days=FETCH_AGAIN_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = store.asked_since(service, paper_ids, since)
    return Unasked([i for i in paper_ids if i not in recent], len(recent))


def remember(store: Store, service: str, found: Iterable[int], missing: Iterable[int] = ()) -> None:
    """What the service answered: found (something stored), or missing (it has no such
    paper, or nothing that matched)."""
    outcomes = [(i, "found") for i in found] + [(i, "missing") for i in missing]
    store.log_asked(service, outcomes, now_iso())


def arxiv_paper_ids(store: Store, arxiv_ids: Sequence[str]) -> dict[str, int]:
    """arXiv id -> paper id, for the log (which names papers)."""
    return store.find_arxiv(arxiv_ids)
