"""Entry types across formats. papertrail stores BibTeX/BibLaTeX's names (`article`,
`inproceedings`, `online`...); a CSL type with no BibTeX counterpart is stored as it is
(`post-weblog`), so that a CSL-JSON file comes back out with the types it went in with.
"""

from __future__ import annotations

# BibTeX's and BibLaTeX's entry types: an export writes any other stored type as @misc.
BIBTEX_TYPES = frozenset((
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings",
    "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    "online", "report", "thesis", "dataset", "software", "patent", "periodical", "collection",
    "reference", "mvbook", "mvcollection", "bookinbook", "suppbook", "suppcollection",
    "suppperiodical", "inreference", "mvreference", "mvproceedings", "electronic", "www",
))  # fmt: skip

# Each CSL type with its one BibTeX name (both directions).
_CSL_AND_BIBTEX = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "book": "book",
    "chapter": "incollection",
    "report": "report",
    "thesis": "thesis",
    "webpage": "online",
    "manuscript": "unpublished",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "article": "misc",  # CSL's "article": a preprint or working paper
    "pamphlet": "booklet",
    "entry-encyclopedia": "inreference",
    "periodical": "periodical",
}
# Other BibTeX names, and what CSL calls them.
_MORE_BIBTEX_TO_CSL = {
    "conference": "paper-conference",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "proceedings": "book",
    "mvbook": "book",
    "collection": "book",
    "manual": "report",
    "electronic": "webpage",
    "www": "webpage",
    "reference": "book",
}
_BIBTEX_TO_CSL = {bib: csl for csl, bib in _CSL_AND_BIBTEX.items()} | _MORE_BIBTEX_TO_CSL


def from_csl(csl_type: str) -> str:
    """A CSL type as papertrail stores it."""
    kind = csl_type.strip().lower()
    return _CSL_AND_BIBTEX.get(kind, kind)


def to_csl(entry_type: str | None) -> str:
    """The CSL type of a stored entry type (none: an arXiv preprint, CSL's "article")."""
    if not entry_type:
        return "article"
    if entry_type in _BIBTEX_TO_CSL:
        return _BIBTEX_TO_CSL[entry_type]
    return "document" if entry_type in BIBTEX_TYPES else entry_type


def bibtex_type(entry_type: str | None, has_journal: bool) -> str:
    """The @type a BibTeX export writes."""
    if entry_type in BIBTEX_TYPES:
        return entry_type
    return "article" if has_journal and not entry_type else "misc"
