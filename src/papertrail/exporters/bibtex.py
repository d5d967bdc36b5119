"""BibTeX export: each paper as its bibliography described it (entry type, venue, volume,
pages, publisher, citation key), arXiv preprints with eprint/archivePrefix/primaryClass.

Keys: see papertrail.model.citation_keys. Organisations as authors are braced (`{World Health
Organization}`) so that no BibTeX style splits them into first and last names.

This exporter reads rows, not Paper objects (READS_ROWS): on a library of 100,000 papers,
building a Paper for each row cost about as much as writing its entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any, NamedTuple, TextIO

from papertrail.gc_pause import collector_paused
from papertrail.model.citation_keys import KeyMaker
from papertrail.model.entry_types import entry_fields
from papertrail.model.records import CorporateName, first_stored_author, split_authors

# What an entry writes: only these columns are read from the database, in this order
# (`_entry` unpacks a row by it), the paper's topics last.
COLUMNS = (
    "arxiv_id", "title", "authors", "abstract", "published", "year", "primary_category",
    "doi", "journal_ref", "url", "entry_type", "venue", "volume", "number", "pages",
    "publisher", "citation_key", "venue_year",
)  # fmt: skip
READS_ROWS = True
# Each row ends with the paper's files (model.files.AttachedFile): the `file` field, as
# JabRef and Zotero (Better BibTeX) write it, names the PDFs on this machine.
READS_FILES = True

# Anything that needs more than copying: braces, backslashes, specials, control characters.
_NEEDS_ESCAPE = re.compile(r"[{}\\&%$#_~^\x00-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The control characters in UTF-8 (see _has_control).
_ASCII_CONTROL = bytes(range(0x20)) + b"\x7f"
_UTF8_C1 = re.compile(b"\xc2[\x80-\x9f]")
_SHORT = 200  # characters: a title, a name (see _value)
# Every special escaped, so that the text reads back as written (braces and backslashes
# included: a title may hold `{x}` or `\\alpha`): each by str.replace, which costs nothing
# for a character the text lacks. The backslash goes first, through a placeholder, as the
# other escapes add backslashes and braces of their own.
_REPLACEMENTS = (("\\", "\ue004"), ("{", "\\{"), ("}", "\\}"), ("\ue004", "\\textbackslash{}"),
                 ("&", "\\&"), ("%", "\\%"), ("$", "\\$"), ("#", "\\#"), ("_", "\\_"),
                 ("~", "\\~{}"), ("^", "\\^{}"))  # fmt: skip
_URL_REPLACEMENTS = (("{", "%7B"), ("}", "%7D"), ("\\", "%5C"), (" ", "%20"))
_URL_NEEDS_WORK = re.compile(r"[{}\\\s\x00-\x1f\x7f-\x9f]")  # see _url
_AND = re.compile(r"[ \t]and[ \t]", re.IGNORECASE)  # a word BibTeX splits author lists at
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_PAGE_RANGE = re.compile(r"\s*[-‐‑‒–—]+\s*")
# Where a bibliography puts the publisher, by entry type.
_PUBLISHER_FIELD = {
    "phdthesis": "school", "mastersthesis": "school", "thesis": "school",
    "techreport": "institution", "report": "institution",
}  # fmt: skip


def write(
    rows: Iterable[Sequence[Any]],
    topic_parents: dict[str, str | None],
    out: TextIO,
    *,
    fields: frozenset[str] | None = None,
    biblatex: bool = False,
) -> int:
    """Write an entry for each row (the values of COLUMNS, then the topics, as
    `Store.iter_rows` reads them); return how many. `fields`: the fields to write (see
    model.entry_types.FIELD_NAMES; None: all); `biblatex`: biblatex's types and fields."""
    keys = KeyMaker()
    style = _Style(fields, biblatex)
    # The entries create no cycles, yet each thousand rows fetched started a collection
    # that went through all of them (a hundred collections for 100,000 papers).
    with collector_paused():
        # An entry at a time, each encoded on its own (most often as plain ASCII, the fast
        # way), and buffered by `out`.
        out.writelines(map(_entry, rows, repeat(keys), repeat(style)))
    return len(keys.taken)  # one key per entry


class _Style(NamedTuple):
    fields: frozenset[str] | None
    biblatex: bool

    def wants(self, name: str) -> bool:
        return self.fields is None or name in self.fields


_ALL_FIELDS = _Style(None, False)


def _value(text: str) -> str:
    """A field value that BibTeX reads back as the same text: specials escaped."""
    # Most text has nothing to escape. A regular expression finds that out fastest in short
    # text; in long text (abstracts) it is slow, as it looks at a character at a time.
    if len(text) < _SHORT and _NEEDS_ESCAPE.search(text) is None:
        return text
    if _has_control(text):  # newlines and the like: one line, nothing that drives a terminal
        text = " ".join(_CONTROL.sub(" ", text).split())
    for special, replacement in _REPLACEMENTS:
        if special in text:  # as fast as memchr
            text = text.replace(special, replacement)
    return text


def _has_control(text: str) -> bool:
    """Whether `text` has a control character (C0, DEL or C1: `_CONTROL`).

    Looked for in its UTF-8 bytes, in C at memory speed, several times faster than with
    `_CONTROL`: C0 and DEL are those bytes themselves, and a C1 character (U+0080 to U+009F)
    is 0xC2 then one of 0x80 to 0x9F, as nothing else is.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw.translate(None, _ASCII_CONTROL)) != len(raw):
        return True
    return not text.isascii() and _UTF8_C1.search(raw) is not None


def _url(text: str) -> str:
    if _URL_NEEDS_WORK.search(text) is None:  # most are: nothing to strip or escape
        return text
    text = _CONTROL.sub("", text.strip())
    for special, replacement in _URL_REPLACEMENTS:
        if special in text:
            text = text.replace(special, replacement)
    return text


def _author(name: str) -> str:
    # A name with " and " in it ("Procter and Gamble") is braced too: BibTeX would split it.
    braced = isinstance(name, CorporateName) or _AND.search(name) is not None
    return "{" + _value(name) + "}" if braced else _value(name)


def _authors(stored: str) -> str:
    """The author field from the authors column (one name a line, organisations braced)."""
    joined = stored.replace("\n", " and ")
    if _NEEDS_ESCAPE.search(joined) is None and _AND.search(stored) is None:
        return joined  # nothing to escape in any name, and no organisation (no brace)
    return " and ".join(map(_author, split_authors(stored)))


def _entry(row: Sequence[Any], keys: KeyMaker, style: _Style = _ALL_FIELDS) -> str:
    (
        arxiv_id, title, authors, abstract, published, year, primary_category,
        doi, journal_ref, url, entry_type, venue, volume, number, pages,
        publisher, citation_key, venue_year, topics, *rest,
    ) = row  # fmt: skip
    # Most often the paper's stored key, which skips making one.
    key = keys.own(citation_key) or keys.made(first_stored_author(authors), year, title)
    # A preprint that was published is cited as published: that version's year.
    entry = entry_fields(
        entry_type, venue, journal_ref, arxiv_id, volume, number, pages, publisher,
        venue_year, biblatex=style.biblatex,
    )  # fmt: skip
    kind, wants = entry.kind, style.wants
    lines = [f"@{kind}{{{key}"]
    if title and wants("title"):
        lines.append(f"  title = {{{{{_value(title)}}}}}")
    if authors and wants("author"):
        lines.append(f"  author = {{{_authors(authors)}}}")
    if entry.venue and entry.venue_field and wants("venue"):
        lines.append(f"  {entry.venue_field} = {{{_value(entry.venue)}}}")
    # biblatex: the date, or the year of the published version; BibTeX: both (styles
    # that know no `date` read the year).
    full_date = published if published and _DATE.fullmatch(published) else None
    if style.biblatex and entry.year is None and full_date:
        year = None
    year = entry.year or year
    if year and wants("year"):
        lines.append(f"  year = {{{year}}}")
    if full_date and wants("date") and not (style.biblatex and year):
        lines.append(f"  date = {{{full_date}}}")
    if entry.volume and wants("volume"):
        lines.append(f"  volume = {{{_value(entry.volume)}}}")
    if entry.number and wants("number"):
        lines.append(f"  number = {{{_value(entry.number)}}}")
    if entry.pages and wants("pages"):
        lines.append(f"  pages = {{{_PAGE_RANGE.sub('--', _value(entry.pages))}}}")
    if entry.publisher and wants("publisher"):
        field = _PUBLISHER_FIELD.get(kind, "publisher")
        lines.append(f"  {field} = {{{_value(entry.publisher)}}}")
    if arxiv_id and wants("eprint"):
        if style.biblatex:
            lines.append(f"  eprint = {{{arxiv_id}}},\n  eprinttype = {{arxiv}}")
            if primary_category:
                lines.append(f"  eprintclass = {{{primary_category}}}")
        else:
            lines.append(f"  eprint = {{{arxiv_id}}},\n  archivePrefix = {{arXiv}}")
            if primary_category:
                lines.append(f"  primaryClass = {{{primary_category}}}")
    if doi and wants("doi"):
        lines.append(f"  doi = {{{_url(doi)}}}")
    if url and wants("url"):
        lines.append(f"  url = {{{_url(url)}}}")
    if entry.note and wants("note"):
        lines.append(f"  note = {{{_value(entry.note)}}}")
    if topics and wants("keywords"):
        if "," in topics:
            topics = ", ".join(sorted(topics.split(",")))
        lines.append(f"  keywords = {{{topics}}}")
    if abstract and wants("abstract"):
        lines.append(f"  abstract = {{{_value(abstract)}}}")
    files = _file_field(rest[0]) if rest and rest[0] and wants("file") else None
    if files:
        lines.append(f"  file = {{{files}}}")
    return ",\n".join(lines) + "\n}\n\n"


def _file_field(attached: Sequence[Any]) -> str:
    """JabRef's `file` field: `name:path:PDF` for each file with a path on this machine,
    `;`-separated, with `\\`, `:` and `;` escaped by a backslash as JabRef reads them."""

    def escaped(text: str) -> str:
        text = _CONTROL.sub("", text).replace("{", "").replace("}", "")
        for special in ("\\", ":", ";"):
            text = text.replace(special, "\\" + special)
        return text

    parts = []
    for item in attached:
        if item.path:
            kind = "PDF" if item.is_pdf else item.suffix.lstrip(".").upper()
            parts.append(f"{escaped(item.name)}:{escaped(item.path)}:{kind}")
    return ";".join(parts)
