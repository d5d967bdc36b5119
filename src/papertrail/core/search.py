"""`papertrail search`: ask the arXiv API, mark what the library holds, add what is chosen.

No terminal here: the CLI renders SearchResults and asks which hits to add.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from papertrail.config import Settings
from papertrail.core.papers import AddResult, add_records, arxiv_client
from papertrail.db.store import Store
from papertrail.errors import ArxivUnavailable
from papertrail.model.query import PaperQuery
from papertrail.model.records import PaperRecord, PaperSummary
from papertrail.model.slugs import topic_slug
from papertrail.services.arxiv_query import SearchRequest, pages, query_params, search_query


@dataclass
class SearchHit:
    record: PaperRecord  # what arXiv says
    in_library: PaperSummary | None  # the library's copy (status, topics), if any

    def to_json(self) -> dict[str, object]:
        """One result of `search --json` (and of the MCP server's search_arxiv)."""
        record, known = self.record, self.in_library
        return {
            "arxiv_id": record.arxiv_id, "version": record.version, "title": record.title,
            "authors": record.authors, "abstract": record.abstract,
            "published": record.published, "updated": record.updated,
            "primary_category": record.primary_category, "categories": record.categories,
            "doi": record.doi, "journal_ref": record.journal_ref, "comment": record.comment,
            "url": record.url, "pdf_url": record.pdf_url,
            "in_library": None if known is None else
            {"id": known.id, "status": known.status, "topics": known.topics},
        }  # fmt: skip


@dataclass
class SearchResults:
    query: str  # the search_query sent
    total: int  # how many papers arXiv says match (may exceed the hits fetched)
    hits: list[SearchHit]


def search(store: Store, settings: Settings, request: SearchRequest) -> SearchResults:
    """Up to `request.limit` papers, fetched in pages of `settings.batch_size`."""
    query = search_query(request)  # a bad request fails here, before any network
    settings = settings.for_arxiv()
    plan = pages(request.limit, settings.batch_size)
    if settings.offline:
        raise ArxivUnavailable("offline (PAPERTRAIL_OFFLINE=1): not searching arXiv")
    records: dict[str, PaperRecord] = {}
    total = 0
    with arxiv_client(settings) as client:
        for start, count in plan:
            page = client.search(query_params(request, start, count, query))
            total = page.total
            for record in page.papers[:count]:  # never more than asked for
                # Pages of a changing index may overlap: each paper once.
                records.setdefault(record.arxiv_id or "", record)
            if len(page.papers) < count or start + count >= total:
                break
    return SearchResults(query, total, _mark_library(store, list(records.values())))


def _mark_library(store: Store, records: list[PaperRecord]) -> list[SearchHit]:
    known = store.find_arxiv(r.arxiv_id for r in records if r.arxiv_id)
    summaries = {
        s.arxiv_id: s for s in store.iter_summaries(PaperQuery(paper_ids=list(known.values())))
    } if known else {}  # fmt: skip
    return [SearchHit(r, summaries.get(r.arxiv_id)) for r in records]


def add_hits(store: Store, hits: Sequence[SearchHit], topics: Sequence[str] = ()) -> AddResult:
    """Add the papers of these hits (arXiv's metadata as found), tagged with `topics`."""
    slugs = [topic_slug(t) for t in topics]
    records = [replace(hit.record, topics=slugs) for hit in hits]
    return add_records(store, records, fetched=[r.arxiv_id for r in records if r.arxiv_id])
