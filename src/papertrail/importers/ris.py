"""RIS files (EndNote, Mendeley, Zotero, Web of Science), read with rispy.

Each reference (`TY  - ` ... `ER  - `) is read on its own, so one that rispy cannot
read is skipped and reported with its line, and the rest come in (`strict`: an error).
Web of Science's tagged export (`FN Clarivate...`, `PT J` ... `ER`) is read too.

rispy is imported only when a RIS file is read (start-up).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from papertrail.errors import ImportFormatError, InvalidArxivId
from papertrail.importers.bibtex_values import name as bibtex_name
from papertrail.model.ids import ArxivId, bare_doi, find_arxiv_ids, parse_arxiv_id
from papertrail.model.records import CorporateName, PaperRecord, ParsedList
from papertrail.model.slugs import slugify

_RIS_TYPES = {
    "JOUR": "article", "JFULL": "article", "MGZN": "article", "NEWS": "article",
    "EJOUR": "article", "CONF": "inproceedings", "CPAPER": "inproceedings",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CHAP": "incollection",
    "ECHAP": "incollection", "THES": "thesis", "RPRT": "report", "ELEC": "online",
    "WEB": "online", "BLOG": "online", "UNPB": "unpublished", "MANSCPT": "unpublished",
    "DATA": "dataset", "COMP": "software", "PAT": "patent", "GEN": "misc",
}  # fmt: skip
_WOS_TYPES = {"J": "article", "C": "inproceedings", "B": "book", "S": "incollection"}
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_DATE = re.compile(r"^(\d{4})[/-](\d\d)[/-](\d\d)")


def parse_ris(text: str, source: str = "<ris>", *, strict: bool = False) -> ParsedList:
    wos = text.lstrip("\ufeff").startswith("FN ")
    start = re.compile(r"^PT " if wos else r"^TY  -", re.MULTILINE)
    if not start.search(text):
        raise ImportFormatError(f"{source} holds no RIS references (no `TY  - ` line)")
    import rispy

    parser = rispy.WokParser if wos else rispy.RisParser
    # Every link of a reference, not only its first: L1/L2 repeat (file and full-text links).
    options = {} if wos else {"list_tags": [*rispy.LIST_TYPE_TAGS, "L1", "L2"]}
    parsed = ParsedList()
    for line, chunk in _references(text, start):
        where = f"{source}:{line}"
        if not _END.search(chunk):  # the last reference, its `ER  -` line lost: still one
            chunk = chunk.rstrip() + ("\nER\n" if wos else "\nER  - \n")
        try:
            entries = rispy.loads(chunk, implementation=parser, **options)
        except Exception as error:  # rispy's errors have no common base
            if strict:
                raise ImportFormatError(f"{where}: unreadable RIS reference ({error})") from None
            parsed.skipped.append((where, f"unreadable RIS reference ({error})"))
            continue
        if not entries:
            parsed.skipped.append((where, "a RIS reference rispy reads as nothing"))
        parsed.records += [(_wos_record if wos else _record)(e, where) for e in entries]
    return parsed


_END = re.compile(r"^ER(?:  -|\s*$)", re.M)


def _references(text: str, start: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each reference."""
    starts = [m.start() for m in start.finditer(text)] + [len(text)]
    for begin, end in itertools.pairwise(starts):
        yield text.count("\n", 0, begin) + 1, text[begin:end]


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _record(entry: dict[str, Any], where: str) -> PaperRecord:
    date = _first(entry, "date", "publication_year", "year") or ""
    first, last = _first(entry, "start_page"), _first(entry, "end_page")
    return _build(
        entry, where,
        entry_type=_RIS_TYPES.get((_first(entry, "type_of_reference") or "").upper(), "misc"),
        title=_first(entry, "title", "primary_title", "translated_title"),
        authors=[*entry.get("authors", []), *entry.get("first_authors", [])],
        year=_year(_first(entry, "year", "publication_year") or date),
        published=_date(date),
        venue=_first(entry, "journal_name", "secondary_title", "alternate_title3",
                     "alternate_title1", "alternate_title2"),
        pages=f"{first}–{last}" if first and last and first != last else first,
        key=_first(entry, "label", "id"),
        keywords=entry.get("keywords", []),
        urls=entry.get("urls", []),
    )  # fmt: skip


def _wos_record(entry: dict[str, Any], where: str) -> PaperRecord:
    first, last = _first(entry, "beginning_page"), _first(entry, "ending_page")
    return _build(
        entry, where,
        entry_type=_WOS_TYPES.get((_first(entry, "publication_type") or "").upper(), "misc"),
        title=_first(entry, "document_title"),
        authors=entry.get("author_full_name") or entry.get("authors") or [],
        year=_year(_first(entry, "publication_year") or ""),
        published=None,
        venue=_first(entry, "publication_name", "conference_title"),
        pages=f"{first}–{last}" if first and last and first != last else first,
        key=_first(entry, "unique_article_identifier"),
        keywords=(_first(entry, "author_keywords") or "").split(";"),
        urls=[],
    )  # fmt: skip


def _build(entry: dict[str, Any], where: str, **found: Any) -> PaperRecord:
    doi = bare_doi(_first(entry, "doi"))
    # L1/L2 (file and full-text links: Citavi, EndNote) may name the arXiv copy too.
    links = [
        link
        for key in ("file_attachments1", "file_attachments2")
        for link in _strings(entry.get(key))
    ]
    texts = [*found["urls"], doi or "", _first(entry, "notes", "note") or "",
             found["venue"] or "", *links]  # fmt: skip
    arxiv = _arxiv_id(texts)
    authors = [_author(a) for a in found["authors"] if isinstance(a, str)]
    return PaperRecord(
        arxiv_id=arxiv.id if arxiv else None,
        version=arxiv.version if arxiv else None,
        title=found["title"],
        authors=list(dict.fromkeys(a for a in authors if a)),
        year=found["year"],
        published=found["published"],
        doi=doi,
        url=next((u for u in found["urls"] if isinstance(u, str) and u.strip()), None),
        abstract=_first(entry, "abstract", "notes_abstract"),
        entry_type=found["entry_type"],
        venue=found["venue"],
        volume=_first(entry, "volume"),
        number=_first(entry, "number", "issue"),
        pages=found["pages"],
        publisher=_first(entry, "publisher"),
        citation_key=found["key"],
        tags=[s for s in (slugify(k) for k in found["keywords"] if isinstance(k, str)) if s],
        sources=[where],
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _author(raw: str) -> str | None:
    """RIS writes people `Last, First`: a name of several words without a comma is an
    organisation (`World Health Organization`)."""
    if "," not in raw and len(raw.split()) > 1:
        return CorporateName(" ".join(raw.split()))
    return bibtex_name(raw)


def _arxiv_id(texts: list[str]) -> ArxivId | None:
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        try:
            return parse_arxiv_id(text)
        except InvalidArxivId:
            found = find_arxiv_ids(text)
            if found:
                return found[0]
    return None


def _year(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group()) if match else None


def _date(text: str) -> str | None:
    match = _DATE.match(text)
    return "-".join(match.groups()) if match else None
