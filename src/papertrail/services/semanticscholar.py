"""Semantic Scholar's Academic Graph API (https://api.semanticscholar.org/api-docs/graph):
papers in batches, citation counts, references and citations (paged).

PAPERTRAIL_S2_API_KEY, when set, goes in the `x-api-key` header and nowhere else.
Requests ask only for the fields papertrail reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from papertrail.errors import PapertrailError
from papertrail.model.works import MAX_AUTHORS, Work, listing, mapping, text, year_of
from papertrail.services.config import ServiceSettings
from papertrail.services.http import BadAnswer, Reply, ServiceClient

BATCH_LIMIT = 500  # ids per POST /paper/batch (the API's own limit)
PAGE_LIMIT = 100  # references or citations per page
MAX_LINKED = 10_000  # the API pages at most this far
PAPER_FIELDS = "title,authors,year,venue,externalIds,citationCount,publicationDate,publicationTypes"
LINK_FIELDS = "title,authors,year,venue,externalIds"
RECOMMENDED_FIELDS = "title,authors,year,venue,externalIds,abstract"
MAX_RECOMMENDED = 500  # the recommendations endpoint's own limit
MAX_BODY = 20_000_000


class SemanticScholarClient(ServiceClient):
    def __init__(self, settings: ServiceSettings, transport: httpx.BaseTransport | None = None):
        headers = {"x-api-key": settings.s2_api_key} if settings.s2_api_key else {}
        service = settings.service("Semantic Scholar", "semanticscholar", "PAPERTRAIL_S2_API",
                                   **headers)  # fmt: skip
        super().__init__(service, transport)
        self.base = settings.s2_api

    def batch(self, ids: Sequence[str]) -> Iterator[dict[str, Work]]:
        """Papers by id ("ARXIV:1706.03762", "DOI:10.1145/..."), in requests of at most
        500 ids; each yields {id asked: Work} for the ids Semantic Scholar knows."""
        for start in range(0, len(ids), BATCH_LIMIT):
            chunk = list(ids[start : start + BATCH_LIMIT])
            answers = self.http.post(
                f"{self.base}/paper/batch", self._read_batch, params={"fields": PAPER_FIELDS},
                json_body={"ids": chunk}, max_bytes=MAX_BODY,
            )  # fmt: skip
            if len(answers) != len(chunk):
                raise self.http.service.error(
                    f"Semantic Scholar answered {len(answers)} papers for {len(chunk)} ids"
                )
            yield {i: parse_paper(a) for i, a in zip(chunk, answers, strict=True) if a}

    def linked(self, paper: str, direction: str) -> Iterator[tuple[Work, bool]]:
        """The references ("references") or citing papers ("citations") of a paper, page
        by page: (work, identified), identified False for an entry Semantic Scholar could
        not tie to a paper of its own (no paperId: often a title only)."""
        key = "citedPaper" if direction == "references" else "citingPaper"
        url = f"{self.base}/paper/{quote(paper, safe=':')}/{direction}"
        offset: int | None = 0
        while offset is not None and offset < MAX_LINKED:
            params = {"fields": LINK_FIELDS, "offset": str(offset), "limit": str(PAGE_LIMIT)}
            page = self.http.get(url, self._read_page, params=params, max_bytes=MAX_BODY)
            for entry in page["data"]:
                linked = entry.get(key) if isinstance(entry, dict) else None
                if isinstance(linked, dict):
                    yield parse_paper(linked), bool(linked.get("paperId"))
            following = page.get("next")
            offset = following if isinstance(following, int) and following > offset else None

    def recommendations(
        self, positive: Sequence[str], negative: Sequence[str] = (), limit: int = 100
    ) -> list[tuple[Work, str | None]]:
        """Papers like the positive ones and unlike the negative ones (ids as `batch`
        takes them), from the recommendations API: (work, abstract)."""
        url = recommendations_url(self.base)
        params = {"fields": RECOMMENDED_FIELDS, "limit": str(min(limit, MAX_RECOMMENDED))}
        body = {"positivePaperIds": list(positive), "negativePaperIds": list(negative)}
        answer = self.http.post(
            url, self._read_recommended, params=params, json_body=body, max_bytes=MAX_BODY
        )
        return [(parse_paper(p), text(p.get("abstract"))) for p in answer if isinstance(p, dict)]

    def _read_recommended(self, reply: Reply) -> list[Any]:
        if reply.status != 200:
            raise self.http.refused(reply)
        answer = reply.json()
        if not isinstance(answer, dict):
            raise BadAnswer("not an object of recommended papers")
        return listing(answer.get("recommendedPapers"))

    def _read_batch(self, reply: Reply) -> list[Any]:
        if reply.status != 200:
            raise self.http.refused(reply)
        answers = reply.json()
        if not isinstance(answers, list):
            raise BadAnswer("not a list of papers")
        return [a if isinstance(a, dict) else None for a in answers]

    def _read_page(self, reply: Reply) -> dict[str, Any]:
        if reply.status == 404:
            raise PapertrailError("Semantic Scholar does not know this paper")
        if reply.status != 200:
            raise self.http.refused(reply)
        page = reply.json()
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise BadAnswer("not a page of papers")
        return page


def recommendations_url(graph_base: str) -> str:
    """The recommendations API beside the graph API: `https://api.semanticscholar.org/
    graph/v1` -> `.../recommendations/v1/papers`; another base (a local stand-in) has it
    under itself."""
    root = graph_base.removesuffix("/").removesuffix("/graph/v1")
    return f"{root}/recommendations/v1/papers"


def parse_paper(paper: dict[str, Any]) -> Work:
    ids = mapping(paper.get("externalIds"))
    doi = text(ids.get("DOI"))
    authors = listing(paper.get("authors"))
    count = paper.get("citationCount")
    return Work(
        title=text(paper.get("title")),
        authors=[n for a in authors[:MAX_AUTHORS] if isinstance(a, dict)
                 if (n := text(a.get("name")))],
        year=year_of(paper.get("year")),
        published=text(paper.get("publicationDate")),
        venue=text(paper.get("venue")),
        entry_type=_entry_type(paper.get("publicationTypes")),
        doi=doi,
        arxiv_id=text(ids.get("ArXiv")),
        citations=count if isinstance(count, int) and not isinstance(count, bool) else None,
        source="Semantic Scholar",
    )  # fmt: skip


def _entry_type(types: object) -> str | None:
    """BibTeX's name for Semantic Scholar's publication types (a conference first: papers
    at NeurIPS are listed as both)."""
    kinds = types if isinstance(types, list) else []
    if "Conference" in kinds:
        return "inproceedings"
    if "JournalArticle" in kinds:
        return "article"
    return None
