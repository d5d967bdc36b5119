"""BibTeX export: each paper as its bibliography described it (entry type, venue, volume,
pages, publisher, citation key), arXiv preprints with eprint/archivePrefix/primaryClass.

Keys: see papertrail.exporters.keys. Organisations as authors are braced (`{World Health
Organization}`) so that no BibTeX style splits them into first and last names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from papertrail.bibtypes import bibtex_type
from papertrail.exporters.keys import KeyMaker
from papertrail.records import CorporateName, Paper

# What an entry writes: only these columns are read from the database.
COLUMNS = (
    "id", "arxiv_id", "title", "authors", "abstract", "published", "year", "primary_category",
    "doi", "journal_ref", "url", "entry_type", "venue", "volume", "number", "pages",
    "publisher", "citation_key", "venue_year",
)  # fmt: skip

# Anything that needs more than copying: braces, backslashes, specials, control characters.
_NEEDS_ESCAPE = re.compile(r"[{}\\&%$#_~^\x00-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Braces dropped (BibTeX would read them as grouping), a backslash made harmless, specials
# escaped: each by str.replace, which costs nothing for a character the text lacks.
_REPLACEMENTS = (("{", ""), ("}", ""), ("\\", "/"), ("&", "\\&"), ("%", "\\%"), ("$", "\\$"),
                 ("#", "\\#"), ("_", "\\_"), ("~", "\\~{}"), ("^", "\\^{}"))  # fmt: skip
_URL_REPLACEMENTS = (("{", "%7B"), ("}", "%7D"), ("\\", "%5C"), (" ", "%20"))
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_PAGE_RANGE = re.compile(r"\s*[-‐‑‒–—]+\s*")
# Where a bibliography puts the venue and the publisher, by entry type.
_BOOKTITLE_TYPES = {"inproceedings", "conference", "incollection", "inbook"}
_PUBLISHER_FIELD = {
    "phdthesis": "school", "mastersthesis": "school", "thesis": "school",
    "techreport": "institution", "report": "institution",
}  # fmt: skip


def write(papers: Iterable[Paper], topic_parents: dict[str, str | None], out: TextIO) -> int:
    keys = KeyMaker()
    count = 0
    for paper in papers:
        out.write(_entry(paper, keys.key(paper)))
        count += 1
    return count


def _value(text: str) -> str:
    """A field value that BibTeX reads back as the same text: braces dropped, specials escaped."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    if _CONTROL.search(text):  # newlines and the like: one line, nothing that drives a terminal
        text = " ".join(_CONTROL.sub(" ", text).split())
    for special, replacement in _REPLACEMENTS:
        if special in text:
            text = text.replace(special, replacement)
    return text


def _url(text: str) -> str:
    text = _CONTROL.sub("", text.strip())
    for special, replacement in _URL_REPLACEMENTS:
        if special in text:
            text = text.replace(special, replacement)
    return text


def _author(name: str) -> str:
    return "{" + _value(name) + "}" if isinstance(name, CorporateName) else _value(name)


def _entry(paper: Paper, key: str) -> str:
    kind = bibtex_type(paper.entry_type, bool(paper.journal_ref))
    venue = paper.venue or paper.journal_ref
    lines = [f"@{kind}{{{key}"]
    if paper.title:
        lines.append(f"  title = {{{{{_value(paper.title)}}}}}")
    if paper.authors:
        lines.append(f"  author = {{{' and '.join(map(_author, paper.authors))}}}")
    if venue:
        field = "booktitle" if kind in _BOOKTITLE_TYPES else "journal"
        lines.append(f"  {field} = {{{_value(venue)}}}")
    # A preprint that was published is cited as published: that version's year.
    year = paper.venue_year or paper.year
    if year:
        lines.append(f"  year = {{{year}}}")
    if paper.published and _DATE.fullmatch(paper.published):
        lines.append(f"  date = {{{paper.published}}}")
    if paper.volume:
        lines.append(f"  volume = {{{_value(paper.volume)}}}")
    if paper.number:
        lines.append(f"  number = {{{_value(paper.number)}}}")
    if paper.pages:
        lines.append(f"  pages = {{{_PAGE_RANGE.sub('--', _value(paper.pages))}}}")
    if paper.publisher:
        field = _PUBLISHER_FIELD.get(kind, "publisher")
        lines.append(f"  {field} = {{{_value(paper.publisher)}}}")
    if paper.arxiv_id:
        lines.append(f"  eprint = {{{paper.arxiv_id}}},\n  archivePrefix = {{arXiv}}")
        if paper.primary_category:
            lines.append(f"  primaryClass = {{{paper.primary_category}}}")
    if paper.doi:
        lines.append(f"  doi = {{{_url(paper.doi)}}}")
    if paper.url:
        lines.append(f"  url = {{{_url(paper.url)}}}")
    if paper.topics:
        lines.append(f"  keywords = {{{', '.join(paper.topics)}}}")
    if paper.abstract:
        lines.append(f"  abstract = {{{_value(paper.abstract)}}}")
    return ",\n".join(lines) + "\n}\n\n"
