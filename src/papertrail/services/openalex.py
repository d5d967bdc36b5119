"""OpenAlex (https://docs.openalex.org): a work by DOI, for the DOIs Crossref does not hold
(DataCite's, for example: Zenodo, figshare, institutional repositories), or by its PubMed
Central or PubMed id (`pmcid:PMC4726808`, `pmid:26717394`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from papertrail.model.works import MAX_AUTHORS, Work, mapping, text, year_of
from papertrail.services.config import ServiceSettings
from papertrail.services.http import BadAnswer, Reply, ServiceClient

ENTRY_TYPES = {
    "article": "article",
    "book-chapter": "incollection",
    "book": "book",
    "dissertation": "phdthesis",
    "report": "techreport",
    "preprint": "misc",
    "dataset": "misc",
}
MAX_BODY = 5_000_000


class OpenAlexClient(ServiceClient):
    def __init__(self, settings: ServiceSettings, transport: httpx.BaseTransport | None = None):
        service = settings.service("OpenAlex", "openalex", "PAPERTRAIL_OPENALEX_API")
        super().__init__(service, transport)
        self.base = settings.openalex_api
        self.polite = {"mailto": settings.mailto} if settings.mailto else {}

    def work(self, doi: str) -> Work | None:
        """The work a DOI names; None when OpenAlex does not know it."""
        return self.work_by(f"https://doi.org/{quote(doi, safe='/')}")

    def work_by(self, key: str) -> Work | None:
        """The work an id OpenAlex knows names (`pmcid:PMC4726808`, a DOI's address)."""
        url = f"{self.base}/works/{key}"
        return self.http.get(url, self._read, params=self.polite, max_bytes=MAX_BODY)

    def _read(self, reply: Reply) -> Work | None:
        if reply.status == 404:
            return None
        if reply.status != 200:
            raise self.http.refused(reply)
        work = reply.json()
        if not isinstance(work, dict) or "id" not in work:
            raise BadAnswer("not an OpenAlex work")
        return parse_work(work)


def parse_work(work: dict[str, Any]) -> Work:
    location = mapping(work.get("primary_location"))
    source = mapping(location.get("source"))
    biblio = mapping(work.get("biblio"))
    first, last = text(biblio.get("first_page")), text(biblio.get("last_page"))
    doi = text(work.get("doi"))
    return Work(
        title=text(work.get("title")) or text(work.get("display_name")),
        authors=_authors(work.get("authorships")),
        year=year_of(work.get("publication_year")),
        published=text(work.get("publication_date")),
        venue=text(source.get("display_name")),
        entry_type=ENTRY_TYPES.get(str(work.get("type"))),
        volume=text(biblio.get("volume")),
        number=text(biblio.get("issue")),
        pages=first if not last or last == first else f"{first}-{last}",
        publisher=text(source.get("host_organization_name")),
        doi=doi.removeprefix("https://doi.org/") if doi else None,
        url=doi,
        source="OpenAlex",
    )


def _authors(value: object) -> list[str]:
    names: list[str] = []
    for authorship in value[:MAX_AUTHORS] if isinstance(value, list) else []:
        author = authorship.get("author") if isinstance(authorship, dict) else None
        name = text(author.get("display_name")) if isinstance(author, dict) else None
        if name:
            names.append(name)
    return names
