"""DBLP's publication search (https://dblp.org/faq/How+to+use+the+dblp+search+API.html).

DBLP knows computer-science venues, including conference papers that have no DOI
(NeurIPS, ICLR). Its arXiv copies are listed under the venue "CoRR"; those are
preprints, not where a paper was published.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from papertrail.model.works import MAX_AUTHORS, Work, text, year_of
from papertrail.services.config import ServiceSettings
from papertrail.services.http import BadAnswer, Reply, ServiceClient

ENTRY_TYPES = {
    "Conference and Workshop Papers": "inproceedings",
    "Journal Articles": "article",
    "Books and Theses": "book",
    "Parts in Books or Collections": "incollection",
    "Informal and Other Publications": "misc",
}
PREPRINT_VENUES = {"corr", "arxiv"}
MAX_BODY = 5_000_000
# DBLP disambiguates homonyms with a number: "Xiaopeng Zhang 0009".
_HOMONYM_RE = re.compile(r"\s+\d{4}$")


class DblpClient(ServiceClient):
    def __init__(self, settings: ServiceSettings, transport: httpx.BaseTransport | None = None):
        super().__init__(settings.service("DBLP", "dblp", "PAPERTRAIL_DBLP_API"), transport)
        self.url = settings.dblp_api

    def search(self, title: str, hits: int = 5) -> list[Work]:
        """Publications matching a title, best first."""
        params = {"q": title, "format": "json", "h": str(hits)}
        return self.http.get(self.url, self._read, params=params, max_bytes=MAX_BODY)

    def _read(self, reply: Reply) -> list[Work]:
        if reply.status != 200:
            raise self.http.refused(reply)
        payload = reply.json()
        result = payload.get("result") if isinstance(payload, dict) else None
        if not isinstance(result, dict):
            raise BadAnswer("not a DBLP search result")
        hit = (result.get("hits") or {}).get("hit") or []
        hit = hit if isinstance(hit, list) else [hit]
        return [parse_hit(h["info"]) for h in hit if isinstance(h, dict) and "info" in h]


def parse_hit(info: Any) -> Work:
    if not isinstance(info, dict):
        return Work(source="DBLP")
    title = text(info.get("title"))
    return Work(
        # DBLP ends every title with a full stop.
        title=title[:-1] if title and title.endswith(".") else title,
        authors=_authors((info.get("authors") or {}).get("author")),
        year=year_of(info.get("year")),
        venue=text(info.get("venue")),
        entry_type=ENTRY_TYPES.get(str(info.get("type"))),
        volume=text(info.get("volume")),
        number=text(info.get("number")),
        pages=text(info.get("pages")),
        doi=text(info.get("doi")),
        url=text(info.get("ee")) or text(info.get("url")),
        source="DBLP",
    )


def is_preprint(work: Work) -> bool:
    return (work.venue or "").lower() in PREPRINT_VENUES


def _authors(value: object) -> list[str]:
    people = value if isinstance(value, list) else [value]
    names = []
    for person in people[:MAX_AUTHORS]:
        name = text(person.get("text")) if isinstance(person, dict) else text(person)
        if name:
            names.append(_HOMONYM_RE.sub("", name))
    return names
