"""Entry types across formats. papertrail stores BibTeX/BibLaTeX's names (`article`,
`inproceedings`, `online`...); a CSL type with no BibTeX counterpart is stored as it is
(`post-weblog`), so that a CSL-JSON file comes back out with the types it went in with.
"""

from __future__ import annotations

import re
from typing import NamedTuple

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


# -- what a bibliography entry says of a paper ---------------------------------------------
# A paper often holds only arXiv's free-text journal reference ("Phys. Rev. D 76, 044016
# (2007)", "In Proc. ACM SIGSOFT ..., pages 14-26. ACM, 2020", "NeurIPS 2017"). An export
# reads it into fields where it is regular, so that no citation string lands in `journal`.

_CONFERENCE_WORDS = re.compile(
    r"\b(proc\.?|proceedings|conference|conf\.|workshop|symposium|meeting|congress|"
    r"colloquium|advances in neural information processing systems)\b",
    re.IGNORECASE,
)
# Conferences cited by their acronym, with the booktitle a bibliography gives them.
_CONFERENCES = {
    "neurips": "Advances in Neural Information Processing Systems",
    "nips": "Advances in Neural Information Processing Systems",
    "icml": "Proceedings of the International Conference on Machine Learning",
    "iclr": "International Conference on Learning Representations",
    "cvpr": "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
    "iccv": "Proceedings of the IEEE/CVF International Conference on Computer Vision",
    "eccv": "Proceedings of the European Conference on Computer Vision",
    "acl": "Proceedings of the Annual Meeting of the Association for Computational Linguistics",
    "emnlp": "Proceedings of the Conference on Empirical Methods in Natural Language Processing",
    "naacl": "Proceedings of the Conference of the North American Chapter of the Association "
    "for Computational Linguistics",
    "aaai": "Proceedings of the AAAI Conference on Artificial Intelligence",
    "ijcai": "Proceedings of the International Joint Conference on Artificial Intelligence",
    "kdd": "Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining",
    "sigir": "Proceedings of the International ACM SIGIR Conference on Research and "
    "Development in Information Retrieval",
    "www": "Proceedings of the ACM Web Conference",
    "aistats": "Proceedings of the International Conference on Artificial Intelligence and "
    "Statistics",
    "uai": "Proceedings of the Conference on Uncertainty in Artificial Intelligence",
    "colt": "Proceedings of the Conference on Learning Theory",
    "interspeech": "Proceedings of Interspeech",
    "icassp": "Proceedings of the IEEE International Conference on Acoustics, Speech and "
    "Signal Processing",
    "icse": "Proceedings of the International Conference on Software Engineering",
    "osdi": "Proceedings of the USENIX Symposium on Operating Systems Design and Implementation",
    "sosp": "Proceedings of the ACM Symposium on Operating Systems Principles",
    "stoc": "Proceedings of the ACM Symposium on Theory of Computing",
    "focs": "Proceedings of the IEEE Symposium on Foundations of Computer Science",
    "soda": "Proceedings of the ACM-SIAM Symposium on Discrete Algorithms",
}
_ACRONYM = re.compile(
    r"^\s*(?:in\s+)?(?:proc(?:eedings|\.)?\s+(?:of\s+)?(?:the\s+)?)?(?P<name>[A-Za-z]+)"
    r"[\s'’-]*(?P<year>(?:19|20)?\d\d)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_PMLR = re.compile(r"\bPMLR\s+(\d+)\s*:\s*(\d+\s*[-–]+\s*\d+)")
_TRAILING_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")
# "12 pages, 3 figures": what the paper is like, not where it was published.
_COUNTS = re.compile(r"[,;]?\s*\b\d+\s+(?:pages|figures?|tables?)\b[^()]*$", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_PAGES_IN = re.compile(r"\b(?:pages|pp\.?|p\.)\s*([A-Za-z]?\d+(?:\s*[-‐‑‒–—]+\s*[A-Za-z]?\d+)?)")
_PUBLISHERS = re.compile(
    r"(?:^|[.,]\s*)(ACM|IEEE(?: Computer Society)?|Springer(?:-Verlag)?|Elsevier|AAAI Press|"
    r"MIT Press|PMLR|OpenReview(?:\.net)?|Curran Associates(?:, Inc\.)?|USENIX Association|"
    r"Association for Computational Linguistics|SIAM|Morgan Kaufmann|IOS Press|JMLR)\b"
)
# "Phys. Rev. D 76, 044016 (2007)", "J. Mach. Learn. Res. 15(1):1929-1958, 2014",
# "Nature 521, 436-444 (2015)", "Neural Computation, vol. 9, no. 8, pp. 1735-1780, 1997".
_JOURNAL = re.compile(
    r"^(?P<journal>[^\d(]*?[^\d\s(,])[\s,]+(?:vol(?:ume|\.)?\s*)?(?P<volume>\d+)"
    r"(?:\s*\((?P<number>[^)]{1,12})\)|\s*,?\s*(?:no\.|number|issue)\s*(?P<number2>[\w-]+))?"
    r"\s*[,:]\s*(?:pp?\.?\s*|pages\s*)?(?P<pages>[A-Za-z]?\d+(?:\s*[-‐‑‒–—]+\s*[A-Za-z]?\d+)?)"
    r"\s*[,.]?\s*(?:\(?(?P<year>(?:19|20)\d\d)\)?)?\s*\.?\s*$",
    re.IGNORECASE,
)
# "Neural Computation (1997)", "Journal of X, 2019": a name and a year, nothing else.
_NAME_AND_YEAR = re.compile(r"^(?P<name>[^\d]+?)[\s,]*\(?(?P<year>(?:19|20)\d\d)\)?\.?$")


class Venue(NamedTuple):
    """What a free-text journal reference says, as bibliography fields."""

    kind: str  # "article" or "inproceedings"
    name: str  # the journal or the booktitle
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    year: int | None = None
    publisher: str | None = None


def is_conference(venue: str) -> bool:
    """Whether a venue's name reads as a conference or workshop (its proceedings)."""
    if _CONFERENCE_WORDS.search(venue):
        return True
    match = _ACRONYM.match(venue)
    return match is not None and match["name"].lower() in _CONFERENCES


def parse_journal_ref(text: str) -> Venue | None:
    """A journal reference read into fields, or None when it is not regular enough."""
    text = _COUNTS.sub("", " ".join(text.split())).strip(" .;,")
    if not text:
        return None
    acronym = _ACRONYM.match(text)
    if acronym and acronym["name"].lower() in _CONFERENCES and len(acronym["rest"]) < 40:
        year = _full_year(acronym["year"])
        booktitle = _CONFERENCES[acronym["name"].lower()]
        return Venue("inproceedings", booktitle, year=year, pages=_pages_in(acronym["rest"]))
    if _CONFERENCE_WORDS.search(text) or text.lower().startswith("in "):
        return _proceedings(text)
    journal = _JOURNAL.match(text)
    if journal:
        return Venue(
            "article", journal["journal"].strip(" ,"), journal["volume"],
            journal["number"] or journal["number2"], journal["pages"],
            int(journal["year"]) if journal["year"] else None,
        )  # fmt: skip
    named = _NAME_AND_YEAR.match(text)
    if named and len(named["name"]) <= 120:
        return Venue("article", named["name"].strip(" ,."), year=int(named["year"]))
    return None


def _full_year(text: str) -> int:
    year = int(text)
    return year if year >= 100 else (2000 + year if year < 70 else 1900 + year)


def _pages_in(text: str) -> str | None:
    found = _PAGES_IN.search(text)
    return found.group(1) if found else None


def _proceedings(text: str) -> Venue | None:
    """`In Proc. X, pages 14-26. ACM, 2020` -> booktitle, pages, publisher, year."""
    body = re.sub(r"^in\s+", "", text, flags=re.IGNORECASE)
    pages, volume = _pages_in(body), None
    pmlr = _PMLR.search(body)  # "PMLR 139:8748-8763": volume and pages of the series
    if pmlr:
        volume, pages = pmlr.group(1), pages or pmlr.group(2)
        body = body[: pmlr.start()] + body[pmlr.end() :]
    years = _YEAR.findall(body)
    body = _TRAILING_PARENTHESES.sub("", body)
    publisher = _PUBLISHERS.search(body)
    cut = len(body)
    for pattern in (_PAGES_IN, _PUBLISHERS, re.compile(r"[,(]?\s*\(?(?:19|20)\d\d\)?\s*$")):
        found = pattern.search(body)
        if found and 10 < found.start() < cut:
            cut = found.start()
    name = body[:cut].strip(" ,.;:(")
    if not name:
        return None
    return Venue(
        "inproceedings", name, volume, pages=pages, year=int(years[-1]) if years else None,
        publisher=publisher.group(1) if publisher else None,
    )  # fmt: skip


class EntryFields(NamedTuple):
    """The type and venue fields a bibliography entry of a paper takes."""

    kind: str
    venue_field: str | None  # "journal", "booktitle" (or biblatex's "journaltitle")
    venue: str | None
    volume: str | None
    number: str | None
    pages: str | None
    publisher: str | None
    year: int | None
    note: str | None  # a reference that could not be read into fields


def entry_fields(
    entry_type: str | None, venue: str | None, journal_ref: str | None, arxiv_id: str | None,
    volume: str | None, number: str | None, pages: str | None, publisher: str | None,
    year: int | None, *, biblatex: bool = False,
) -> EntryFields:  # fmt: skip
    """The entry a paper gets: its stored type when it has one; else what its venue (or its
    journal reference, read into fields) says: `@inproceedings` with `booktitle` for a
    conference, `@article` with `journal` otherwise; an arXiv preprint that was published
    nowhere is `@misc` (natbib) or `@online` (biblatex), cited by its eprint."""
    note = None
    kind = entry_type if entry_type in BIBTEX_TYPES else None
    if not venue and journal_ref:
        parsed = parse_journal_ref(journal_ref)
        if parsed is None:
            note = journal_ref  # a citation string is no journal's name
        else:
            venue = parsed.name
            kind = kind or parsed.kind
            volume, number = volume or parsed.volume, number or parsed.number
            pages, publisher = pages or parsed.pages, publisher or parsed.publisher
            year = year or parsed.year
    if kind is None:
        if venue:
            kind = "inproceedings" if is_conference(venue) else "article"
        elif arxiv_id and biblatex:
            kind = "online"
        else:
            kind = "misc"
    if biblatex and kind in ("electronic", "www"):
        kind = "online"
    field = None
    if venue:
        if kind in _BOOKTITLE_TYPES:
            field = "booktitle"
        elif kind in ("misc", "online", "unpublished", "electronic", "www"):
            field = "howpublished"  # a venue is no journal of a @misc
        else:
            field = "journaltitle" if biblatex else "journal"
    return EntryFields(kind, field, venue, volume, number, pages, publisher, year, note)


_BOOKTITLE_TYPES = frozenset({"inproceedings", "conference", "incollection", "inbook",
                              "bookinbook", "inreference"})  # fmt: skip


# -- which fields an entry writes (`export --fields`, `bib link --fields`) ------------------
FIELD_NAMES = (
    "title", "author", "venue", "year", "date", "volume", "number", "pages", "publisher",
    "eprint", "doi", "url", "note", "keywords", "abstract", "file",
)  # fmt: skip
# Other names a user may give a field by (BibTeX's, biblatex's, CSL's).
_FIELD_ALIASES = {
    "journal": "venue", "booktitle": "venue", "journaltitle": "venue",
    "howpublished": "venue", "container-title": "venue", "authors": "author",
    "archiveprefix": "eprint", "primaryclass": "eprint", "eprinttype": "eprint",
    "eprintclass": "eprint", "arxiv": "eprint", "keyword": "keywords", "topics": "keywords",
    "issue": "number", "page": "pages", "files": "file", "school": "publisher",
    "institution": "publisher", "issued": "year",
}  # fmt: skip
# "paper": what a manuscript's bibliography takes (no abstract, no keywords, no file).
PROFILES = {
    "full": frozenset(FIELD_NAMES),
    "paper": frozenset(FIELD_NAMES) - {"abstract", "keywords", "file"},
}


def parse_fields(text: str) -> frozenset[str]:
    """`paper`, `full`, or field names separated by commas (`title,author,year,doi`);
    ValueError names what is not a field."""
    wanted: set[str] = set()
    for word in (part.strip().lower() for part in text.split(",")):
        if not word:
            continue
        if word in PROFILES:
            wanted |= PROFILES[word]
            continue
        name = _FIELD_ALIASES.get(word, word)
        if name not in FIELD_NAMES:
            raise ValueError(
                f"no field {word!r}: use a profile (paper, full) or fields among "
                + ", ".join(FIELD_NAMES)
            )
        wanted.add(name)
    if not wanted:
        raise ValueError("no fields given: use a profile (paper, full) or field names")
    return frozenset(wanted)
