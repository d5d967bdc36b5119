"""Crossref, Semantic Scholar and DBLP played by one local HTTP server on 127.0.0.1.

    world = ServicesWorld(stub)                    # stub: a running ArxivStub
    world.crossref_work("10.1145/x", body)         # GET /crossref/works/10.1145/x
    world.crossref_search("attention", body)       # GET /crossref/works?query.bibliographic=...
    world.s2_paper("ARXIV:1706.03762", {...})      # POST /s2/paper/batch answers it (else null)
    world.s2_pages("ARXIV:1706.03762", "references", [page0, page1])
    world.dblp_search("attention", body)           # GET /dblp?q=...
    world.openalex_by("pmcid:PMC4726808", body)    # GET /openalex/works/pmcid:PMC4726808
    monkeypatch.setenv(...) for world.env()

Searches match when the query contains the key (case-insensitive); anything unknown gets
the answer the real service gives for it (404, an empty list, a null in a batch).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from tests.support.arxiv_stub import ArxivStub, RecordedRequest, echo_papers

JSON = {"Content-Type": "application/json"}
EMPTY_CROSSREF = {"status": "ok", "message-type": "work-list",
                  "message": {"total-results": 0, "items": []}}  # fmt: skip
EMPTY_DBLP = {"result": {"status": {"@code": "200"}, "hits": {"@total": "0", "@sent": "0"}}}


class ServicesWorld:
    def __init__(self, stub: ArxivStub) -> None:
        self.stub = stub
        self.works: dict[str, bytes] = {}
        self.searches: dict[str, bytes] = {}
        self.papers: dict[str, Any] = {}
        self.pages: dict[tuple[str, str], list[bytes]] = {}
        self.dblp: dict[str, bytes] = {}
        self.openalex: dict[str, bytes] = {}
        self.recommended: bytes | None = None  # the recommendations endpoint's answer
        stub.respond_with(self.answer)

    @property
    def base(self) -> str:
        return self.stub.url.rsplit("/api/query", 1)[0]

    def env(self) -> dict[str, str]:
        return {
            "PAPERTRAIL_CROSSREF_API": f"{self.base}/crossref",
            "PAPERTRAIL_S2_API": f"{self.base}/s2",
            "PAPERTRAIL_DBLP_API": f"{self.base}/dblp",
            "PAPERTRAIL_OPENALEX_API": f"{self.base}/openalex",
            "PAPERTRAIL_ARXIV_API": self.stub.url,
        }

    def requests(self, prefix: str) -> list[RecordedRequest]:
        return [r for r in self.stub.requests if r.path.startswith(prefix)]

    # ---------------------------------------------------------------- scripting

    def crossref_work(self, doi: str, body: bytes) -> None:
        self.works[doi.lower()] = body

    def crossref_search(self, key: str, body: bytes) -> None:
        self.searches[key.lower()] = body

    def s2_paper(self, ident: str, paper: Any) -> None:
        self.papers[ident] = paper

    def s2_pages(self, ident: str, direction: str, pages: list[bytes]) -> None:
        self.pages[(ident, direction)] = pages

    def s2_recommendations(self, body: bytes) -> None:
        self.recommended = body

    def dblp_search(self, key: str, body: bytes) -> None:
        self.dblp[key.lower()] = body

    def openalex_work(self, doi: str, body: bytes) -> None:
        self.openalex_by("https://doi.org/" + doi, body)

    def openalex_by(self, key: str, body: bytes) -> None:
        """GET /openalex/works/<key>: `https://doi.org/10...`, `pmcid:PMC...`, `pmid:...`."""
        self.openalex[key.lower()] = body

    # ---------------------------------------------------------------- answering

    def answer(self, request: RecordedRequest) -> tuple[int, Mapping[str, str], bytes]:
        path = unquote(request.path)
        if path == "/api/query":  # arXiv: a paper for every id asked
            return echo_papers(request)
        if path.startswith("/crossref/works/"):
            body = self.works.get(path.removeprefix("/crossref/works/").lower())
            return (200, JSON, body) if body else (404, {}, b"Resource not found.")
        if path == "/crossref/works":
            query = request.params.get("query.bibliographic", "").lower()
            hit = next((b for k, b in self.searches.items() if k in query), None)
            return 200, JSON, hit or json.dumps(EMPTY_CROSSREF).encode()
        if path == "/s2/paper/batch" and request.method == "POST":
            ids = json.loads(request.body)["ids"]
            return 200, JSON, json.dumps([self.papers.get(i) for i in ids]).encode()
        if path == "/s2/recommendations/v1/papers" and request.method == "POST":
            if self.recommended is None:
                return 404, JSON, b'{"error":"no recommendations scripted"}'
            return 200, JSON, self.recommended
        if path.startswith("/s2/paper/"):
            return self._page(path.removeprefix("/s2/paper/"), request)
        if path.startswith("/openalex/works/"):
            body = self.openalex.get(path.removeprefix("/openalex/works/").lower())
            return (200, JSON, body) if body else (404, JSON, b'{"error":"Not Found"}')
        if path == "/dblp":
            query = request.params.get("q", "").lower()
            hit = next((b for k, b in self.dblp.items() if k in query), None)
            return 200, JSON, hit or json.dumps(EMPTY_DBLP).encode()
        return 404, {}, b"no such endpoint"

    def _page(self, rest: str, request: RecordedRequest) -> tuple[int, Mapping[str, str], bytes]:
        ident, _, direction = rest.rpartition("/")
        pages = self.pages.get((ident, direction))
        if pages is None:
            return 404, JSON, b'{"error":"Paper with id 0 not found"}'
        offset = int(request.params.get("offset", "0"))
        for page in pages:
            if json.loads(page).get("offset", 0) == offset:
                return 200, JSON, page
        return 200, JSON, json.dumps({"offset": offset, "data": []}).encode()
