"""CSL-JSON export (for Zotero, Mendeley, pandoc): one item per paper, read back by
`papertrail import` as CSL-JSON. arXiv papers carry `note: arXiv:ID`, as Zotero writes it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from papertrail.model.citation_keys import KeyMaker
from papertrail.model.entry_types import to_csl
from papertrail.model.records import CorporateName, Paper
from papertrail.model.text import writes_unicode

COLUMNS = (
    "id", "arxiv_id", "title", "authors", "abstract", "published", "year", "doi",
    "journal_ref", "url", "entry_type", "venue", "volume", "number", "pages", "publisher",
    "citation_key",
)  # fmt: skip
# Lower-case words that start a family name ("van der Maaten", "de Verclos").
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le",
              "dos", "das", "ter", "ten", "zu", "al", "el", "bin", "ibn"}  # fmt: skip


def write(papers: Iterable[Paper], topic_parents: dict[str, str | None], out: TextIO) -> int:
    ascii_only = not writes_unicode(out)  # a C or latin-1 locale: escaped, still JSON
    keys = KeyMaker()
    out.write("[")
    count = 0
    for paper in papers:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(item(paper, keys.key(paper)), ensure_ascii=ascii_only))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _rich(text: str | None) -> str | None:
    if text is None or not ("&" in text or "<" in text or ">" in text):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def item(paper: Paper, key: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": key,
        "type": to_csl(paper.entry_type or ("article" if paper.journal_ref else None)),
        "citation-key": key,
        # CSL titles are rich text (`<i>`, `<sup>`): `&`, `<` and `>` as entities.
        "title": _rich(paper.title),
        "author": [_person(name) for name in paper.authors] or None,
        "issued": _issued(paper),
        "container-title": paper.venue or paper.journal_ref,
        "volume": paper.volume,
        "issue": paper.number,
        "page": paper.pages,
        "publisher": paper.publisher,
        "DOI": paper.doi,
        "URL": paper.url,
        "note": f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else None,
        "abstract": paper.abstract,
        # Keywords: the tags a bibliography gave, then the topics (CSL has no tree).
        "keyword": ", ".join(dict.fromkeys([*paper.tags, *paper.topics])) or None,
    }
    return {name: value for name, value in fields.items() if value is not None}


def _person(name: str) -> dict[str, str]:
    """`Laurens van der Maaten` -> given, particle, family; organisations as `literal`."""
    words = name.split()
    if isinstance(name, CorporateName) or not words:
        return {"literal": name}
    if len(words) == 1:
        return {"family": name}
    start = len(words) - 1  # where the family name (with its particles) starts
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    person = {"given": " ".join(words[:start]), "family": words[-1]}
    if start < len(words) - 1:
        person["non-dropping-particle"] = " ".join(words[start:-1])
    return person


def _issued(paper: Paper) -> dict[str, Any] | None:
    if paper.published and len(paper.published) == 10:
        year, month, day = paper.published.split("-")
        if year.isdigit() and month.isdigit() and day.isdigit():
            return {"date-parts": [[int(year), int(month), int(day)]]}
    return {"date-parts": [[paper.year]]} if paper.year else None
