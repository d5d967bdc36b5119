"""BibTeX and BibLaTeX files, split with bibtexparser (v2) in chunks, streamed to the merge.

What is kept: entry type, citation key, title, authors (organisations braced), year and
BibLaTeX `date`, venue (journal, journaltitle or booktitle), volume, number, pages,
publisher (or school, institution), DOI, URL, abstract, keywords as tags, and the arXiv
id from wherever the entry names it (eprint, arxivid, arxiv, url_*, url, journal, doi...).

Field names are read case-insensitively (JabRef writes `Author`). @string macros apply
to the entries after them, in this file and in the files after it on the same command
line (`papertrail import macros.bib main.bib`). One bad entry is skipped and reported
with its line; `strict=True` makes it an error for the whole import instead.

Large files are split into chunks of entries, each split and turned into records only
when the merge asks for it: memory stays flat whatever the file's size.

bibtexparser is imported only for what the fast path cannot read (@string macros,
nested braces): most files are read without it, and every other command starts without it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from papertrail.errors import ImportFormatError, InvalidArxivId
from papertrail.importers import bibtex_values as values
from papertrail.importers.bibtex_fast import PlainEntry, split_plain
from papertrail.model.ids import ArxivId, find_arxiv_ids, parse_arxiv_id
from papertrail.model.records import PaperRecord, ParsedList
from papertrail.model.slugs import slugify

CHUNK_ENTRIES = 1000
# Where bibtexparser's splitter starts a block, at the start of a line: safe places to cut.
_BLOCK_START = re.compile(r"^[ \t]*@\w*[ \t]*[{(]", re.MULTILINE)
_KEYWORD_SEPARATORS = re.compile(r"[,;]")
_CATEGORY = re.compile(r"[a-z-]+\.[A-Za-z-]+")  # cs.CV, hep-th.x; not a bare archive
# Fields that may name the arXiv id, in the order they are trusted (url_* after the third).
# `crossref = {key}`: the entry inherits the fields it lacks from the entry `key` (BibTeX's
# rule), the target's title becoming its booktitle; what names one work is not inherited.
_CROSSREF = re.compile(r"\bcrossref\s*=\s*[{\"]?\s*([^\s,{}\"]+)", re.IGNORECASE)
_HEAD = re.compile(r"^[ \t]*@(\w+)[ \t]*[{(][ \t]*([^\s,{}()]+)[ \t]*,", re.MULTILINE)
_NOT_INHERITED = frozenset(
    ("title", "crossref", "doi", "url", "ee", "isbn", "issn", "eprint", "arxivid", "arxiv",
     "abstract", "keywords", "biburl", "bibsource", "timestamp", "editor", "pages", "note",
     "subtitle", "titleaddon", "eid", "urldate", "file")
)  # fmt: skip
# Volumes that other entries cite through crossref: containers, not papers.
_CONTAINERS = frozenset(
    ("proceedings", "mvproceedings", "book", "mvbook", "collection", "mvcollection",
     "reference", "mvreference", "periodical")
)  # fmt: skip
_ARXIV_FIELDS = ("arxivid", "arxiv", "eprint", "url", "journal", "journaltitle", "doi", "note",
                 "howpublished", "eid")  # fmt: skip


def parse_bibtex(
    text: str,
    source: str = "<bibtex>",
    *,
    macros: dict[str, str] | None = None,
    strict: bool = False,
) -> ParsedList:
    """Records of a BibTeX file, read chunk by chunk as the merge consumes `batches`.

    `macros` (lower-case name -> text) is read and extended: pass the same dict for
    every file of one command. Raises ImportFormatError for a file that holds no
    entry, or (strict) for the first bad entry.
    """
    if not _BLOCK_START.search(text):
        raise ImportFormatError(f"{source} holds no BibTeX entries")
    parsed = ParsedList()
    reader = _Reader(source, parsed, {} if macros is None else macros, strict)
    parsed.batches = reader.batches(text)
    return parsed


class _Reader:
    def __init__(
        self, source: str, parsed: ParsedList, macros: dict[str, str], strict: bool
    ) -> None:
        self.source = source
        self.parsed = parsed
        self.macros = macros
        self.strict = strict
        self.undefined = values.UndefinedMacros()
        self.entries = 0
        # crossref targets (lower-case key -> raw fields), found before the first chunk:
        # DBLP and JabRef put the volumes after the papers that cite them.
        self.targets: dict[str, list[tuple[str, str]]] = {}
        self.resolved: dict[str, dict[str, str]] = {}

    def batches(self, text: str) -> Iterator[list[PaperRecord]]:
        self.targets = _crossref_targets(text)
        for first_line, chunk in _chunks(text, CHUNK_ENTRIES):
            plain = split_plain(chunk)
            if plain is not None:
                records = [r for e in plain if (r := self._plain(e, first_line))]
            else:
                records = [r for b in _split(chunk) if (r := self._block(b, first_line))]
            if records:
                yield records
        self._finish()

    def _plain(self, entry: PlainEntry, first_line: int) -> PaperRecord | None:
        self.entries += 1
        return self._record(entry.entry_type, entry.key, entry.fields, entry.start_line, first_line)

    def _block(self, block: object, first_line: int) -> PaperRecord | None:
        """A record of one of bibtexparser's blocks (or None: a macro, a bad entry)."""
        from bibtexparser.model import (
            DuplicateBlockKeyBlock,
            DuplicateFieldKeyBlock,
            Entry,
            ParsingFailedBlock,
            String,
        )

        if isinstance(block, DuplicateBlockKeyBlock):
            # The same key twice: both come in (the merge joins them if they are one paper).
            block = block.ignore_error_block
        if isinstance(block, String):
            raw = block.value
            self.macros[block.key.lower()] = values.resolve(raw, self.macros, self.undefined)
        elif isinstance(block, Entry):
            self.entries += 1
            pairs = [(field.key, str(field.value)) for field in block.fields]
            return self._record(
                block.entry_type, block.key, pairs, block.start_line or 0, first_line
            )
        elif isinstance(block, DuplicateFieldKeyBlock):
            keys = ", ".join(sorted(block.duplicate_keys))
            self._bad(block, first_line, f"field given twice: {keys}")
        elif isinstance(block, ParsingFailedBlock):
            self._bad(block, first_line, _why(getattr(block.error, "abort_reason", "")))
        return None

    def _bad(self, block: object, first_line: int, why: str) -> None:
        line = first_line + (getattr(block, "start_line", 0) or 0) + 1
        head = _first_line(getattr(block, "raw", ""))[:60]
        if self.strict:
            raise ImportFormatError(
                f"{self.source}: the entry at line {line} is malformed"
                + (f" ({why})" if why else "")
                + f": {head!r}"
            )
        self.parsed.skipped.append((f"{self.source}:{line} {head}", why or "malformed entry"))

    def _finish(self) -> None:
        if self.undefined:
            names = sorted(self.undefined)
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            self.parsed.warnings.append(
                f"{self.source}: {len(names)} @string macro(s) used but not defined ({shown}), "
                "left empty; give the file that defines them first: "
                "papertrail import macros.bib main.bib"
            )
        if not self.entries and self.parsed.skipped and not self.macros:
            why = self.parsed.skipped[0]
            raise ImportFormatError(f"{self.source} holds no readable BibTeX entry ({why[1]})")

    def _record(
        self, entry_type: str, key: str, pairs: list[tuple[str, str]], line: int, first_line: int
    ) -> PaperRecord | None:
        where = f"{self.source}:{first_line + line + 1}"
        if key.lower() in self.targets and entry_type.lower() in _CONTAINERS:
            why = f"a {entry_type.lower()} volume that other entries cite through crossref"
            self.parsed.skipped.append((f"{where} @{key}", why))
            return None
        fields = self._fields(pairs)
        target = fields.get("crossref", "").strip().lower()
        if target in self.targets:
            _inherit(fields, self._target(target))
        return _record(fields, entry_type, key, where)

    def _fields(self, pairs: list[tuple[str, str]]) -> dict[str, str]:
        fields: dict[str, str] = {}
        for name, raw in pairs:
            name = name.lower()
            if name not in fields:  # JabRef's `Author` and a later `author`: the first wins
                fields[name] = values.resolve(raw, self.macros, self.undefined)
        return fields

    def _target(self, key: str) -> dict[str, str]:
        """A crossref target's fields, resolved with the macros known when first cited."""
        if key not in self.resolved:
            self.resolved[key] = self._fields(self.targets[key])
        return self.resolved[key]


def _inherit(fields: dict[str, str], target: dict[str, str]) -> None:
    """BibTeX's crossref rule: the fields the entry lacks come from its target."""
    for name, value in target.items():
        if name not in fields and name not in _NOT_INHERITED:
            fields[name] = value
    if "booktitle" not in fields and "journal" not in fields and target.get("title"):
        fields["booktitle"] = target["title"]


def _crossref_targets(text: str) -> dict[str, list[tuple[str, str]]]:
    """The raw fields of every entry some entry of `text` names in `crossref`."""
    wanted = {m.group(1).lower() for m in _CROSSREF.finditer(text)}
    found: dict[str, list[tuple[str, str]]] = {}
    if not wanted:
        return found
    for head in _HEAD.finditer(text):
        key = head.group(2).lower()
        if key not in wanted or key in found:
            continue
        following = _BLOCK_START.search(text, head.end())
        block = text[head.start() : following.start() if following else len(text)]
        plain = split_plain(block)
        if plain:
            found[key] = plain[0].fields
            continue
        for parsed in _split(block):
            fields = getattr(parsed, "fields", None)
            if fields is not None:
                found[key] = [(f.key, str(f.value)) for f in fields]
                break
    return found


def _record(fields: dict[str, str], entry_type: str, key: str, where: str) -> PaperRecord:
    get = fields.get
    arxiv = _arxiv_id(fields)
    year, published = values.year_and_date(get("year"), get("date"))
    keywords = values.text(get("keywords")) or ""
    category = (values.url(get("primaryclass") or get("eprintclass")) or "").split(",")[0]
    return PaperRecord(
        arxiv_id=arxiv.id if arxiv else None,
        version=arxiv.version if arxiv else None,
        primary_category=category if arxiv and _CATEGORY.fullmatch(category) else None,
        title=values.text(get("title")),
        authors=values.names(get("author")),
        year=year,
        published=published,
        doi=values.doi(get("doi")),
        url=values.url(get("url")),
        abstract=values.text(get("abstract")),
        entry_type=entry_type.lower(),
        venue=values.text(get("journal") or get("journaltitle") or get("booktitle")),
        volume=values.text(get("volume")),
        number=values.text(get("number") or get("issue")),
        pages=values.pages(get("pages")),
        publisher=values.text(get("publisher") or get("school") or get("institution")),
        citation_key=key,
        tags=[s for s in (slugify(k) for k in _KEYWORD_SEPARATORS.split(keywords)) if s],
        sources=[f"{where} @{key}"],
    )


def _arxiv_id(fields: dict[str, str]) -> ArxivId | None:
    eprint_type = values.url(fields.get("eprinttype") or fields.get("archiveprefix"))
    url_fields = sorted(k for k in fields if k.startswith("url_"))  # url_arxiv, url_pdf...
    for name in (*_ARXIV_FIELDS[:3], *url_fields, *_ARXIV_FIELDS[3:]):
        value = fields.get(name)
        if not value or (name == "eprint" and (eprint_type or "arxiv").lower() != "arxiv"):
            continue
        found = _arxiv_in(value)
        if found is not None:
            return found
    # DBLP: `journal = {CoRR}, volume = {abs/1512.03385}`
    volume = fields.get("volume") or ""
    if (fields.get("journal") or "").strip("{} ").lower() == "corr" and "abs/" in volume:
        return _arxiv_in(volume.split("abs/", 1)[1])
    return None


def _arxiv_in(value: str) -> ArxivId | None:
    """The arXiv id a field value is, or names (`arXiv preprint arXiv:1602.02830`)."""
    try:
        return parse_arxiv_id(values.url(value) or "")
    except InvalidArxivId:
        found = find_arxiv_ids(values.text(value) or "")
        return found[0] if found else None


def _split(chunk: str) -> list[object]:
    """bibtexparser's blocks of a chunk the fast path does not take (imported only then)."""
    from bibtexparser.splitter import Splitter

    # bibtexparser logs each failed block itself; the report says it once.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    return list(Splitter(bibstr=chunk).split().blocks)


def _chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """(lines before it, text) pieces of `size` entries, cut where a block starts a line."""
    start = lines_before = 0
    for count, match in enumerate(_BLOCK_START.finditer(text), start=1):
        if count % size == 0 and match.start() > start:
            piece = text[start : match.start()]
            yield lines_before, piece
            lines_before += piece.count("\n")
            start = match.start()
    yield lines_before, text[start:]


def _why(abort_reason: str) -> str:
    """bibtexparser's reason for a failed block, in the user's terms."""
    reason = _first_line(abort_reason)
    if reason.startswith("Unexpected block start"):
        return "not closed before the next entry"
    if reason.startswith("Unexpectedly reached end of file"):
        return "not closed before the end of the file"
    return reason


def _first_line(value: object) -> str:
    stripped = str(value or "").strip()
    return stripped.splitlines()[0] if stripped else ""
