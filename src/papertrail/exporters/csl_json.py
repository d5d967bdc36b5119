"""CSL-JSON export (for Zotero, Mendeley, pandoc): one item per paper, read back by
`papertrail import` as CSL-JSON. arXiv papers carry `note: arXiv:ID`, as Zotero writes it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from papertrail.model.citation_keys import KeyMaker
from papertrail.model.entry_types import entry_fields, to_csl
from papertrail.model.records import CorporateName, Paper
from papertrail.model.text import writes_unicode

COLUMNS = (
    "id", "arxiv_id", "title", "authors", "abstract", "published", "year", "doi",
    "journal_ref", "url", "entry_type", "venue", "volume", "number", "pages", "publisher",
    "citation_key", "venue_year",
)  # fmt: skip
_DOUBLE_DASH = re.compile(r"\s*-{2,}\s*")  # BibTeX's en dash: CSL ranges take one hyphen
# Lower-case words that start a family name ("van der Maaten", "de Verclos").
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le",
              "dos", "das", "ter", "ten", "zu", "al", "el", "bin", "ibn"}  # fmt: skip


def write(
    papers: Iterable[Paper],
    topic_parents: dict[str, str | None],
    out: TextIO,
    *,
    fields: frozenset[str] | None = None,
) -> int:
    """One item per paper; `fields`: those to write (model.entry_types.FIELD_NAMES; None:
    all)."""
    ascii_only = not writes_unicode(out)  # a C or latin-1 locale: escaped, still JSON
    keys = KeyMaker()
    out.write("[")
    count = 0
    for paper in papers:
        out.write(",\n  " if count else "\n  ")
        found = item(paper, keys.key(paper))
        if fields is not None:
            found = {name: value for name, value in found.items()
                     if _FIELD_OF.get(name) is None or _FIELD_OF[name] in fields}  # fmt: skip
        out.write(json.dumps(found, ensure_ascii=ascii_only))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


# The CSL variables each field of model.entry_types.FIELD_NAMES stands for (id, type and
# citation-key are always written).
_FIELD_OF = {
    "title": "title", "author": "author", "container-title": "venue", "issued": "year",
    "volume": "volume", "issue": "number", "page": "pages", "publisher": "publisher",
    "DOI": "doi", "URL": "url", "note": "eprint", "abstract": "abstract",
    "keyword": "keywords",
}  # fmt: skip


def _rich(text: str | None) -> str | None:
    if text is None or not ("&" in text or "<" in text or ">" in text):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def item(paper: Paper, key: str) -> dict[str, Any]:
    entry = entry_fields(
        paper.entry_type, paper.venue, paper.journal_ref, paper.arxiv_id, paper.volume,
        paper.number, paper.pages, paper.publisher, paper.venue_year,
    )  # fmt: skip
    # The stored type as it is (a CSL type BibTeX lacks too); else what the venue says.
    kind = paper.entry_type or (None if entry.kind == "misc" else entry.kind)
    fields: dict[str, Any] = {
        "id": key,
        "type": to_csl(kind),
        "citation-key": key,
        # CSL titles are rich text (`<i>`, `<sup>`): `&`, `<` and `>` as entities.
        "title": _rich(paper.title),
        "author": [_person(name) for name in paper.authors] or None,
        "issued": _issued(paper, entry.year),
        "container-title": entry.venue,  # never a citation string (that goes to note)
        "volume": entry.volume,
        "issue": entry.number,
        "page": _DOUBLE_DASH.sub("-", entry.pages) if entry.pages else None,
        "publisher": entry.publisher,
        "DOI": paper.doi,
        "URL": paper.url,
        "note": "; ".join(
            part
            for part in (f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "", entry.note)
            if part
        )
        or None,
        "abstract": paper.abstract,
        # Keywords: the tags a bibliography gave, then the topics (CSL has no tree).
        "keyword": ", ".join(dict.fromkeys([*paper.tags, *paper.topics])) or None,
    }
    return {name: value for name, value in fields.items() if value is not None}


def _person(name: str) -> dict[str, str]:
    """`Laurens van der Maaten` or `van der Maaten, Laurens` -> given, particle, family
    (`LeCun, Yann`: family LeCun, given Yann); organisations as `literal`."""
    words = name.split()
    if isinstance(name, CorporateName) or not words or " and " in name.lower():
        return {"literal": name}  # an organisation ("Procter and Gamble")
    if "," in name:  # "Family, Given" (and "Family, Jr., Given"), as BibTeX writes them
        family, _, given = (part.strip() for part in name.partition(","))
        suffix = None
        if "," in given:
            suffix, _, given = (part.strip() for part in given.partition(","))
        particle, family_words = [], family.split()
        while len(family_words) > 1 and family_words[0] in _PARTICLES:
            particle.append(family_words.pop(0))
        person = {"given": given, "family": " ".join(family_words)} if given else {
            "family": " ".join(family_words)}  # fmt: skip
        if particle:
            person["non-dropping-particle"] = " ".join(particle)
        if suffix:
            person["suffix"] = suffix
        return person
    if len(words) == 1:
        return {"family": name}
    start = len(words) - 1  # where the family name (with its particles) starts
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    person = {"given": " ".join(words[:start]), "family": words[-1]}
    if start < len(words) - 1:
        person["non-dropping-particle"] = " ".join(words[start:-1])
    return person


def _issued(paper: Paper, published_year: int | None) -> dict[str, Any] | None:
    if published_year is not None:  # the year of the published version
        return {"date-parts": [[published_year]]}
    if paper.published and len(paper.published) == 10:
        year, month, day = paper.published.split("-")
        if year.isdigit() and month.isdigit() and day.isdigit():
            return {"date-parts": [[int(year), int(month), int(day)]]}
    return {"date-parts": [[paper.year]]} if paper.year else None
