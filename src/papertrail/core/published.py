"""Where preprints were published, and citation counts (`fetch --published`,
`fetch --citations`).

Published version, in this order: what arXiv said (the DOI and journal reference of the
entry); Semantic Scholar's batch endpoint (one POST per 500 papers); DBLP by title for
computer-science venues without a DOI; then, for a DOI found, Crossref's record of it: the
structured venue (journal or proceedings, entry type, volume, issue, pages, publisher),
preferred to the free-text reference. What a paper already has is never replaced.

The services' clients (httpx) are imported only when a service is asked
(start-up).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from papertrail.db.store import Store
from papertrail.errors import ServiceUnavailable
from papertrail.model.records import Paper
from papertrail.model.same_paper import best_match

if TYPE_CHECKING:
    from papertrail.model.works import Work
    from papertrail.services.config import ServiceSettings

# Venues that are arXiv itself, as Semantic Scholar and DBLP name it.
PREPRINT_VENUES = {"arxiv", "arxiv.org", "corr", "arxiv (cornell university)"}
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass
class Published:
    paper: Paper
    doi: str | None
    venue: str | None
    year: int | None
    source: str
    entry_type: str | None = None
    # What Crossref's record of the DOI says, field by field (a structured venue, not
    # arXiv's free-text journal reference).
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None


@dataclass
class ServicesResult:
    published: list[Published] = field(default_factory=list)
    citations: list[tuple[Paper, int]] = field(default_factory=list)
    unknown: list[Paper] = field(default_factory=list)  # Semantic Scholar knows nothing
    warnings: list[str] = field(default_factory=list)


def s2_id(paper: Paper) -> str | None:
    """How Semantic Scholar names a paper: by arXiv id, else by DOI."""
    if paper.arxiv_id:
        return f"ARXIV:{paper.arxiv_id}"
    return f"DOI:{paper.doi}" if paper.doi else None


def fetch_published_and_citations(
    store: Store,
    settings: ServiceSettings,
    papers: Sequence[Paper],
    *,
    published: bool,
    citations: bool,
) -> ServicesResult:
    result = ServicesResult()
    named = {ident: p for p in papers if (ident := s2_id(p)) is not None}
    works = _semantic_scholar(settings, list(named), result)
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    for ident, paper in named.items():
        work = works.get(ident)
        if work is None:
            result.unknown.append(paper)
        elif citations and work.citations is not None:
            with store.transaction():
                store.set_citations(paper.id, work.citations, today)
            result.citations.append((paper, work.citations))
    if published:
        arxiv_papers = [p for p in papers if p.arxiv_id]
        _find_published(store, settings, arxiv_papers, works, result)
    return result


def _semantic_scholar(
    settings: ServiceSettings, ids: list[str], result: ServicesResult
) -> dict[str, Work]:
    from papertrail.services.semanticscholar import SemanticScholarClient

    works: dict[str, Work] = {}
    if not ids:
        return works
    try:
        with SemanticScholarClient(settings) as s2:
            for batch in s2.batch(ids):
                works.update(batch)
    except ServiceUnavailable as error:
        result.warnings.append(str(error))
        return works
    return works


def _find_published(
    store: Store,
    settings: ServiceSettings,
    papers: list[Paper],
    works: dict[str, Work],
    result: ServicesResult,
) -> None:
    needing_dblp: list[Paper] = []
    found_all: list[Published] = []
    for paper in papers:
        found = _merge(_from_arxiv(paper), _from_work(paper, works.get(f"ARXIV:{paper.arxiv_id}")))
        if found is None or (found.venue is None and found.doi is None):
            needing_dblp.append(paper)
        elif found is not None:
            found_all.append(found)
    found_all += _from_dblp(settings, needing_dblp, result)
    for found in _with_crossref(settings, found_all, result):
        _save(store, found, result)


def _with_crossref(
    settings: ServiceSettings, found: list[Published], result: ServicesResult
) -> list[Published]:
    """Each published version with a DOI completed from Crossref's record of that DOI."""
    from papertrail.services.crossref import CrossrefClient

    if not any(one.doi for one in found):
        return found
    completed: list[Published] = []
    try:
        with CrossrefClient(settings) as crossref:
            for one in found:
                work = crossref.work(one.doi) if one.doi else None
                completed.append(_completed(one, work))
    except ServiceUnavailable as error:
        result.warnings.append(str(error))
        return completed + found[len(completed) :]
    return completed


def _completed(found: Published, work: Work | None) -> Published:
    if work is None or not work.venue or work.entry_type in (None, "misc", "online"):
        return found  # Crossref knows no venue for it (a posted preprint, a dataset...)
    return Published(
        found.paper, found.doi, work.venue, work.year or found.year,
        f"{found.source}, Crossref", work.entry_type, work.volume, work.number, work.pages,
        work.publisher,
    )  # fmt: skip


def _merge(arxiv: Published | None, other: Published | None) -> Published | None:
    """arXiv's DOI first; the venue and year from the service that names them."""
    if arxiv is None or other is None:
        return arxiv or other
    return Published(arxiv.paper, arxiv.doi or other.doi, other.venue, other.year or arxiv.year,
                     f"arXiv, {other.source}", other.entry_type)  # fmt: skip


def _from_arxiv(paper: Paper) -> Published | None:
    """arXiv's own record: the DOI and journal reference the authors gave."""
    doi = paper.doi if paper.doi and not paper.doi.lower().startswith("10.48550/") else None
    if doi is None and not paper.journal_ref:
        return None
    years = _YEAR_RE.findall(paper.journal_ref or "")
    year = int(years[-1]) if years else None
    return Published(paper, doi, None, year, "arXiv")


def _from_work(paper: Paper, work: Work | None) -> Published | None:
    if work is None:
        return None
    venue = work.venue if (work.venue or "").lower() not in PREPRINT_VENUES else None
    doi = work.doi if work.doi and not work.doi.lower().startswith("10.48550/") else None
    if venue is None and doi is None:
        return None
    return Published(paper, doi, venue, work.year, "Semantic Scholar", work.entry_type)


def _from_dblp(
    settings: ServiceSettings, papers: list[Paper], result: ServicesResult
) -> list[Published]:
    from papertrail.services.dblp import DblpClient, is_preprint

    found: list[Published] = []
    try:
        with DblpClient(settings) as dblp:
            for paper in papers:
                if not paper.title:
                    continue
                hits = [w for w in dblp.search(paper.title) if not is_preprint(w)]
                first = paper.authors[0] if paper.authors else None
                accepted, _ = best_match(hits, paper.title, None, first)
                if accepted is not None:
                    work = accepted.work
                    found.append(
                        Published(paper, work.doi, work.venue, work.year, "DBLP", work.entry_type)
                    )
    except ServiceUnavailable as error:
        result.warnings.append(str(error))
    return found


def _save(store: Store, found: Published, result: ServicesResult) -> None:
    with store.transaction():
        store.set_published(
            found.paper.id, found.doi, found.venue, found.year, found.entry_type,
            {"volume": found.volume, "number": found.number, "pages": found.pages,
             "publisher": found.publisher},
        )  # fmt: skip
    result.published.append(found)
