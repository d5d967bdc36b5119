"""Crossref's REST API (https://api.crossref.org): a work by DOI, works by title.

Requests carry `mailto` when PAPERTRAIL_MAILTO is set, which puts them in Crossref's
"polite" pool. Search asks only for the fields papertrail reads (`select`).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

import httpx

from papertrail.model.works import MAX_AUTHORS, Work, listing, mapping, text, year_of
from papertrail.services.config import ServiceSettings
from papertrail.services.http import BadAnswer, Reply, ServiceClient

# Crossref's work types, as BibTeX names them.
ENTRY_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book-part": "incollection",
    "book-section": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "posted-content": "misc",
    "report": "techreport",
    "dissertation": "phdthesis",
}
SEARCH_FIELDS = (
    "DOI,title,author,issued,published,container-title,type,volume,issue,page,publisher,URL"
)
MAX_BODY = 5_000_000


class CrossrefClient(ServiceClient):
    def __init__(self, settings: ServiceSettings, transport: httpx.BaseTransport | None = None):
        service = settings.service("Crossref", "crossref", "PAPERTRAIL_CROSSREF_API")
        super().__init__(service, transport)
        self.base = settings.crossref_api
        self.polite = {"mailto": settings.mailto} if settings.mailto else {}

    def work(self, doi: str) -> Work | None:
        """The work a DOI names; None when Crossref does not know the DOI."""
        url = f"{self.base}/works/{quote(doi, safe='/')}"
        return self.http.get(url, self._read_work, params=self.polite, max_bytes=MAX_BODY)

    def search(self, title: str, rows: int = 5) -> list[Work]:
        """The best `rows` matches for a title (query.bibliographic), best first."""
        params = {"query.bibliographic": title, "rows": str(rows), "select": SEARCH_FIELDS}
        url = f"{self.base}/works"
        return self.http.get(url, self._read_list, params={**params, **self.polite},
                             max_bytes=MAX_BODY)  # fmt: skip

    def _read_work(self, reply: Reply) -> Work | None:
        if reply.status == 404:
            return None
        if reply.status != 200:
            raise self.http.refused(reply)
        message = _message(reply.json(), "work")
        return parse_work(message)

    def _read_list(self, reply: Reply) -> list[Work]:
        if reply.status != 200:
            raise self.http.refused(reply)
        items = _message(reply.json(), "work-list").get("items")
        if not isinstance(items, list):
            raise BadAnswer("no items in a work list")
        return [parse_work(item) for item in items if isinstance(item, dict)]


def _message(payload: Any, kind: str) -> dict[str, Any]:
    if not isinstance(payload, dict) or payload.get("message-type") != kind:
        raise BadAnswer(f"not a Crossref {kind}")
    message = payload.get("message")
    if not isinstance(message, dict):
        raise BadAnswer(f"not a Crossref {kind}")
    return message


def parse_work(item: dict[str, Any]) -> Work:
    """A Crossref work (the `message` of /works/{doi}, or an item of a search)."""
    date = _date_parts(item)
    return Work(
        title=_title(item),
        authors=_authors(item.get("author")),
        year=year_of(date[0]) if date else None,
        published="-".join(f"{int(p):02d}" for p in date) if date else None,
        venue=text(item.get("container-title")),
        entry_type=ENTRY_TYPES.get(str(item.get("type")), "misc" if item.get("type") else None),
        volume=text(item.get("volume")),
        number=text(item.get("issue")),
        pages=text(item.get("page")),
        publisher=text(item.get("publisher")),
        doi=text(item.get("DOI")),
        url=text(item.get("URL")),
        source="Crossref",
    )


def _title(item: dict[str, Any]) -> str | None:
    title = text(item.get("title"))
    subtitle = text(item.get("subtitle"))
    if title and subtitle and subtitle.lower() not in title.lower():
        return f"{title}: {subtitle}"
    return title


def _authors(value: object) -> list[str]:
    names: list[str] = []
    for person in value[:MAX_AUTHORS] if isinstance(value, list) else []:
        if not isinstance(person, dict):
            continue
        given, family = text(person.get("given")), text(person.get("family"))
        name = " ".join(p for p in (given, family) if p) or text(person.get("name"))
        if name:
            names.append(name)
    return names


def _date_parts(item: dict[str, Any]) -> list[int]:
    """[year, month, day] (as many as known) of the first date Crossref gives."""
    for key in ("issued", "published", "published-print", "published-online"):
        parts = listing(mapping(item.get(key)).get("date-parts"))
        first = listing(parts[0]) if parts else []
        usable = first and all(isinstance(p, int) for p in first[:3])
        if usable and year_of(first[0]) is not None and _valid(first[:3]):
            return list(first[:3])
    return []


def _valid(parts: list[int]) -> bool:
    year, month, day = [*parts, 1, 1][:3]
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True
