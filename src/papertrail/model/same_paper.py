"""Which paper an imported record is: the same paper from two sources is one record.

A record is the paper that has its arXiv id, or its DOI (case aside; an arXiv DOI
`10.48550/arXiv.X` is arXiv id X), or the same title once normalised (Unicode-aware,
accents, punctuation and case aside) -- unless the two disagree: different arXiv ids,
different DOIs, different years, or different first authors' family names. Where one
side lacks a value there is nothing to disagree about.

The index holds what matching needs of every paper (library and file alike), so a
file of 100,000 entries is matched without a query per entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from papertrail.errors import InvalidArxivId
from papertrail.model.ids import parse_arxiv_id
from papertrail.model.records import PaperRecord

_WORDS = re.compile(r"[^\W_]+")
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normal_title(title: str | None) -> str:
    """`Über die  Quantisierung!` -> `uber die quantisierung`: words of any script only."""
    if not title:
        return ""
    if not title.isascii():
        decomposed = unicodedata.normalize("NFKD", title)
        title = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORDS.findall(title.casefold()))


def bare_doi(doi: str | None) -> str | None:
    """A DOI as stored: without `https://doi.org/` or `doi:` (its case kept)."""
    if not doi:
        return None
    return _DOI_PREFIX.sub("", doi.strip()) or None


def normal_doi(doi: str | None) -> str | None:
    """A DOI as compared: DOIs are case-insensitive."""
    bare = bare_doi(doi)
    return bare.lower() if bare else None


def arxiv_from_doi(doi: str | None) -> str | None:
    """The arXiv id of an arXiv DOI (10.48550/arXiv.2301.00001), else None."""
    if not doi or "10.48550/" not in doi.lower():
        return None
    try:
        return parse_arxiv_id(doi).id
    except InvalidArxivId:
        return None


def family_name(authors: list[str]) -> str | None:
    """The first author's family name, compared without case and accents."""
    if not authors:
        return None
    words = [w for w in normal_title(authors[0]).split() if w not in _NAME_SUFFIXES]
    return words[-1] if words else None


@dataclass(slots=True)
class Known:
    """What matching needs of one paper. `ref` is a paper id, or a record not yet stored."""

    ref: int | PaperRecord | None
    arxiv_id: str | None
    doi: str | None
    year: int | None
    family: str | None
    title: str  # normalised

    def agrees(self, other: Known) -> bool:
        """Nothing that both know tells them apart."""
        return not any(
            _differ(a, b)
            for a, b in (
                (self.arxiv_id, other.arxiv_id),
                (self.doi, other.doi),
                (self.year, other.year),
                (self.family, other.family),
            )
        )


def _differ(a: object, b: object) -> bool:
    return a is not None and b is not None and a != b


def describe(record: PaperRecord, ref: int | PaperRecord | None = None) -> Known:
    """What matching needs of a record."""
    arxiv_id = record.arxiv_id or arxiv_from_doi(record.doi)
    doi = normal_doi(record.doi)
    if doi and arxiv_from_doi(doi):
        doi = None  # an arXiv DOI is the arXiv id, compared as such
    family = family_name(record.authors)
    return Known(ref, arxiv_id, doi, record.year, family, normal_title(record.title))


class PaperIndex:
    """Papers by arXiv id, DOI and normalised title."""

    def __init__(self) -> None:
        self.by_arxiv: dict[str, Known] = {}
        self.by_doi: dict[str, Known] = {}
        self.by_title: dict[str, list[Known]] = {}

    def find(self, probe: Known) -> Known | None:
        """The paper a record (as `describe` gives it) is, if the index has it."""
        if probe.arxiv_id and probe.arxiv_id in self.by_arxiv:
            return self.by_arxiv[probe.arxiv_id]  # one arXiv id, one paper, whatever else
        same_doi = self.by_doi.get(probe.doi) if probe.doi else None
        if same_doi is not None and not _differ(same_doi.arxiv_id, probe.arxiv_id):
            return same_doi
        for known in self.by_title.get(probe.title, ()):
            if known.agrees(probe):
                return known
        return None

    def add(self, known: Known, *, only_arxiv: bool = False) -> Known:
        """Index a paper; `only_arxiv`: by its arXiv id alone (see ParsedList.distinct)."""
        if known.arxiv_id:
            self.by_arxiv.setdefault(known.arxiv_id, known)
        if only_arxiv:
            return known
        if known.doi:
            self.by_doi.setdefault(known.doi, known)
        if known.title:
            same = self.by_title.setdefault(known.title, [])
            if not any(k is known for k in same):
                same.append(known)
        return known

    def learn(self, known: Known, probe: Known) -> None:
        """A merge filled what `known` lacked: index it by its new ids and title too."""
        for name in ("arxiv_id", "doi", "year", "family"):
            if getattr(known, name) is None:
                setattr(known, name, getattr(probe, name))
        self.add(known)
        if probe.title and probe.title != known.title:
            self.by_title.setdefault(probe.title, []).append(known)
