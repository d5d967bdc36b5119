"""BibTeX files, read with bibtexparser (v2): arXiv ids from eprint, url, journal or doi."""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from papertrail.errors import ImportFormatError
from papertrail.ids import ArxivId, find_arxiv_ids, parse_arxiv_id
from papertrail.records import PaperRecord, ParsedList
from papertrail.topics import slugify

_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_BRACES = re.compile(r"[{}]")


def parse_bibtex(text: str, source: str = "<bibtex>") -> ParsedList:
    # bibtexparser logs each failed block itself; the error below says it once, in one line.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
            middlewares.MergeNameParts(style="first"),
        ],
    )
    parsed = ParsedList()
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            parsed.skipped.append(
                (f"{source}:{block.start_line + 1} @{block.key}", "duplicate citation key")
            )
        elif isinstance(block, ParsingFailedBlock):
            why = _first_line(block.error)
            raise ImportFormatError(
                f"{source}: the entry at line {block.start_line + 1} is malformed"
                + (f" ({why})" if why else "")
                + f": {_first_line(block.raw)[:60]!r}"
            )
    if not library.entries and not parsed.skipped:
        raise ImportFormatError(f"{source} holds no BibTeX entries")
    for entry in library.entries:
        parsed.records.append(_record(entry, source))
    return parsed


def _first_line(value: object) -> str:
    return str(value).strip().splitlines()[0] if str(value).strip() else ""


def _text(value: object) -> str | None:
    """A field as plain text: LaTeX accents decoded, braces dropped, whitespace collapsed."""
    if value is None:
        return None
    raw = str(value)
    if "\\" in raw:
        from pylatexenc.latex2text import LatexNodes2Text

        raw = LatexNodes2Text().latex_to_text(raw)
    text = " ".join(_BRACES.sub("", raw).split())
    return text or None


def _arxiv_id(fields: dict[str, object]) -> ArxivId | None:
    eprint = _text(fields.get("eprint"))
    prefix = (_text(fields.get("archiveprefix")) or "").lower()
    if eprint and prefix in {"", "arxiv"}:
        try:
            return parse_arxiv_id(eprint)
        except ImportFormatError:
            raise
        except Exception:
            pass
    for key in ("arxiv", "arxivid", "url", "journal", "doi", "note", "howpublished"):
        value = _text(fields.get(key))
        if not value:
            continue
        try:
            return parse_arxiv_id(value)
        except Exception:
            found = find_arxiv_ids(value)
            if found:
                return found[0]
    return None


def _record(entry: Entry, source: str) -> PaperRecord:
    fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    authors = fields.get("author")
    names = [n for n in (_text(a) for a in authors) if n] if isinstance(authors, list) else []
    year_match = _YEAR.search(str(fields.get("year", "")))
    keywords = _text(fields.get("keywords")) or ""
    arxiv = _arxiv_id(fields)
    return PaperRecord(
        arxiv_id=arxiv.id if arxiv else None,
        version=arxiv.version if arxiv else None,
        title=_text(fields.get("title")),
        authors=names,
        year=int(year_match.group()) if year_match else None,
        doi=_text(fields.get("doi")),
        url=_text(fields.get("url")),
        abstract=_text(fields.get("abstract")),
        topics=[s for s in (slugify(k) for k in re.split(r"[,;]", keywords)) if s],
        sources=[f"{source}:{entry.start_line + 1} @{entry.key}"],
    )
