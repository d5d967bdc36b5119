"""`papertrail import`: read a reading list in any known format and merge it into the library.

Parsing touches no database; the merge is one transaction. Large BibTeX files are
read in batches while the merge runs, so memory stays flat (a bad entry then still
rolls back everything when --strict is given).
Merging never overwrites what the user set: an existing paper gains topics and fills
fields it lacks, its status, note and dates stay as they are.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path

from papertrail.db.store import Store
from papertrail.errors import ImportFormatError, TopicError, UsageError
from papertrail.model.records import STATUSES, PaperRecord, ParsedList, title_key
from papertrail.model.same_paper import Known, PaperIndex, arxiv_from_doi, describe
from papertrail.model.slugs import topic_slug

_EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".mdown": "markdown",
    ".bib": "bibtex", ".bibtex": "bibtex", ".biblatex": "bibtex", ".json": "json",
    ".ris": "ris",
}  # fmt: skip
FORMATS = ("markdown", "bibtex", "json", "csl-json", "ris")
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class ImportReport:
    source: str
    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


def seed_path() -> Path:
    """The curated seed shipped inside the package (or, in a source checkout, data/)."""
    packaged = resources.files("papertrail") / "data" / "seed.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / "seed.json"


def detect_format(path: Path, given: str | None) -> str:
    if path.is_dir():
        raise ImportFormatError(f"{path} is a directory, not a reading list")
    """The format `--format` names, else the extension's (`.json`: by its shape, later)."""
    if given:
        return given
    if path.name.lower().endswith(".csl.json"):
        return "csl-json"
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {path.name}: use --format {'|'.join(FORMATS)}")
    return fmt


def read_text(path: Path) -> str:
    """A text file's contents, or a one-line error that names the file and what is wrong."""
    try:
        if path.is_dir():
            raise ImportFormatError(f"{path} is a directory, not a reading list")
        data = _read_capped(path)
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file") from None
    except OSError as error:
        raise ImportFormatError(f"cannot read {path}: {error.strerror or error}") from None
    if not data.strip():
        raise ImportFormatError(f"{path} is empty")
    return _decode(data, path)


def _read_capped(path: Path) -> bytes:
    """Read at most MAX_FILE_BYTES, counting what is read: a FIFO, /dev/zero or any stream
    has no size to ask for beforehand. Binary data is refused at its first block."""
    chunks: list[bytes] = []
    total = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            if not chunks and _bom_codec(chunk) is None and b"\x00" in chunk[:65536]:
                raise ImportFormatError(f"{path} is binary, not a text file")
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise ImportFormatError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB")
            chunks.append(chunk)
    return b"".join(chunks)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip - UTF-32 first: its little-endian mark begins with UTF-16's


def _bom_codec(data: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM), or UTF-16/32 announced by their byte-order mark, as
    Windows editors save them."""
    codec = _bom_codec(data) or "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"{path} is not {codec.upper().removesuffix('-SIG')} text "
            f"(byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    if codec != "utf-8-sig" and "\x00" in text[:65536]:
        raise ImportFormatError(f"{path} is binary, not a text file")
    return text


@dataclass
class ParseOptions:
    """What one `import` command shares across its files."""

    strict: bool = False  # a bad entry fails the whole import instead of being skipped
    # BibTeX @string macros (lower-case name -> text), seen by the files that come later.
    macros: dict[str, str] = field(default_factory=dict)


def parse_file(path: Path, fmt: str, options: ParseOptions | None = None) -> ParsedList:
    """Read one file into records; BibTeX's are read batch by batch as the merge goes."""
    options = options or ParseOptions()
    text = read_text(path)
    if fmt == "markdown":
        from papertrail.importers.markdown import parse_markdown

        return parse_markdown(text, path.name)
    if fmt == "bibtex":
        from papertrail.importers.bibtex import parse_bibtex

        return parse_bibtex(text, path.name, macros=options.macros, strict=options.strict)
    if fmt == "ris":
        from papertrail.importers.ris import parse_ris

        return parse_ris(text, path.name, strict=options.strict)
    return _parse_json(text, path.name, csl=True if fmt == "csl-json" else None)


def _parse_json(text: str, source: str, csl: bool | None) -> ParsedList:
    """papertrail's JSON or CSL-JSON, told apart by shape when the format was not given."""
    from papertrail.importers import csl_json, papertrail_json

    data = papertrail_json.load(text, source)
    if csl or (csl is None and csl_json.looks_like_csl(data)):
        return csl_json.parse_items(data, source)
    return papertrail_json.parse_data(data, source)


# -- merging --------------------------------------------------------------------------------


def source_key(path: Path) -> str:
    """How the import log names a reading list: the bundled seed, or the file's full path."""
    return "seed" if path == seed_path() else str(path.resolve())


def item_key(record: PaperRecord) -> str | None:
    """How the import log names a paper; its topics are logged as `<key> topic:<slug>`.

    `paper:` marks keys whose topics are logged too; an older papertrail logged the same
    key without it (and no topics).
    """
    if record.arxiv_id:
        return f"{PAPER}arxiv:{record.arxiv_id}"
    if not record.title:
        return None
    return f"{PAPER}title:{title_key(record.title)} {record.url or ''}".rstrip()


PAPER = "paper:"


def merge(
    store: Store,
    parsed: ParsedList,
    *,
    source: str,
    source_key: str,
    now: str,
    extra_topics: Sequence[str] = (),
    dry_run: bool = False,
    match: bool = True,
) -> ImportReport:
    """Merge parsed records into the library in one transaction (rolled back on a dry run).

    The import log remembers what lists brought in -- each paper, each topic given to it,
    each parent given to a topic -- whichever file or folder they came from: importing a
    list again (moved, renamed, or another list naming the same papers) brings only what
    is new, and never undoes what the user removed since. A record that is a paper already
    there (see papertrail.model.same_paper) fills what that paper lacks and adds its topics.
    `match=False` takes every record as a paper of its own.
    """
    report = ImportReport(source=source, dry_run=dry_run)
    with store.transaction(commit=not dry_run):
        seen = store.imported_keys()
        parents_given = _merge_topic_tree(store, parsed.topic_parents, report, seen)
        store.log_imported(source_key, parents_given, now)
        merger = _Merger(store, report, seen, now, [topic_slug(t) for t in extra_topics])
        if match:
            merger.load_index()
        for batch in parsed.record_batches():
            merged = merger.merge_batch(batch, distinct=parsed.distinct or not match)
            keys = [k for k in dict.fromkeys(merged) if k not in seen]
            store.log_imported(source_key, keys, now)
            seen.update(keys)
            store.summary = (
                f"imported {source}: {len(report.added)} added, {len(report.merged)} merged"
            )
            store.flush_history()  # memory stays flat, however long the file
    report.skipped[:0] = parsed.skipped
    report.warnings += parsed.warnings
    return report


class _Merger:
    def __init__(
        self, store: Store, report: ImportReport, seen: set[str], now: str, extra: list[str]
    ) -> None:
        self.store = store
        self.report = report
        self.seen = seen
        self.now = now
        self.extra = extra
        self.index = PaperIndex()
        self.topic_ids: dict[str, int] = {}

    def load_index(self) -> None:
        for paper_id, arxiv_id, doi, title, year, first in self.store.match_rows():
            record = PaperRecord(arxiv_id=arxiv_id, doi=doi, title=title, year=year)
            record.authors = [first] if first else []
            self.index.add(describe(record, int(paper_id)))

    def merge_batch(self, batch: list[PaperRecord], *, distinct: bool) -> list[str]:
        """Merge one batch; return the import-log keys of what it brought in.

        `distinct`: the records are distinct papers; only an arXiv id (unique in a library)
        joins two of them.
        """
        new: list[tuple[PaperRecord, Known]] = []
        keys: list[str] = []
        for record in batch:
            key = item_key(record)
            if key is not None and (key in self.seen or key.removeprefix(PAPER) in self.seen):
                keys += self._merge_again(record, key)
                continue
            problem = _problem(record)
            if problem:
                where = f" ({record.sources[0]})" if record.sources else ""
                self.report.skipped.append((record.label + where, problem))
                continue
            record.arxiv_id = record.arxiv_id or arxiv_from_doi(record.doi)
            record.topics = list(dict.fromkeys([*record.topics, *self.extra]))
            probe = describe(record, record)
            known = self.index.find(probe)
            if known is None:
                new.append((record, self.index.add(probe, only_arxiv=distinct)))
                self.report.added.append(record.label)
            else:
                self._merge_into(known, record, probe)
                self.report.merged.append(record.label)
            if key is not None:
                keys += [key, *(f"{key} topic:{slug}" for slug in record.topics)]
        inserted = self.store.insert_papers([record for record, _ in new], self.now)
        for (record, known), (paper_id, is_new) in zip(new, inserted, strict=True):
            known.ref = paper_id
            if not is_new:  # another client added this arXiv paper a moment ago
                self.store.fill_missing(paper_id, record)
                self.store.link_topics(paper_id, self._topic_ids(record.topics))
                self.report.added.remove(record.label)
                self.report.merged.append(record.label)
        ids = [paper_id for paper_id, is_new in inserted if is_new]
        new = [pair for pair, (_, is_new) in zip(new, inserted, strict=True) if is_new]
        self.store.link_new([
            (paper_id, topic_id)
            for (record, _), paper_id in zip(new, ids, strict=True)
            for topic_id in self._topic_ids(record.topics).values()
        ])  # fmt: skip
        return keys

    def _merge_again(self, record: PaperRecord, key: str) -> list[str]:
        """A paper some list brought in before: only topics no list gave it before are added;
        a paper the user removed stays removed. Returns the new log keys."""
        record.arxiv_id = record.arxiv_id or arxiv_from_doi(record.doi)
        known = self.index.find(describe(record, record))
        if known is None or known.ref is None:
            self.report.skipped.append(
                (record.label, "removed from the library after an earlier import")
            )
            return []
        self.report.merged.append(record.label)
        if key not in self.seen or isinstance(known.ref, PaperRecord):
            return []  # logged by an older papertrail, which did not log topics: leave them
        wanted = list(dict.fromkeys([*record.topics, *self.extra]))
        new = [slug for slug in wanted if f"{key} topic:{slug}" not in self.seen]
        self.store.link_topics(known.ref, self._topic_ids(new))
        return [f"{key} topic:{slug}" for slug in new]

    def _merge_into(self, known: Known, record: PaperRecord, probe: Known) -> None:
        if isinstance(known.ref, PaperRecord):  # a paper of this batch, not stored yet
            fill_record(known.ref, record)
        elif known.ref is not None:
            self.store.fill_missing(known.ref, record)
            self.store.link_topics(known.ref, self._topic_ids(record.topics))
        self.index.learn(known, probe)

    def _topic_ids(self, slugs: list[str]) -> dict[str, int]:
        """slug -> topic id, looked up (or created) once per import."""
        wanted = [slug for slug in slugs if slug not in self.topic_ids]
        if wanted:
            self.topic_ids.update(self.store.topic_ids(wanted))
        return {slug: self.topic_ids[slug] for slug in slugs}


def _problem(record: PaperRecord) -> str | None:
    if record.arxiv_id is None and not record.title:
        return "no arXiv id and no title"
    if record.status is not None and record.status not in STATUSES:
        return f"unknown status {record.status!r}"
    return None


def fill_record(target: PaperRecord, other: PaperRecord) -> None:
    """Merge two records of one file: `target` keeps its values, gains what it lacks."""
    for name in _FILLABLE:
        if getattr(target, name) in (None, []) and getattr(other, name) not in (None, []):
            setattr(target, name, getattr(other, name))
    target.topics += [t for t in other.topics if t not in target.topics]
    target.sources += other.sources


_FILLABLE = [f.name for f in fields(PaperRecord) if f.name not in ("topics", "sources")]


def _merge_topic_tree(
    store: Store, parents: dict[str, str | None], report: ImportReport, seen: set[str]
) -> list[str]:
    """Give parentless topics the parent the file says, unless a list gave that parent
    before (the user may have moved it since); a parent the user chose stays. Returns the
    log keys of the parents given."""
    if not parents:
        return []
    store.topic_ids(parents)
    edges = {c: p for c, p in parents.items() if p is not None and f"parent:{c}>{p}" not in seen}
    current = store.topic_parents()
    for child, parent in edges.items():
        if current.get(child) is not None:
            continue
        try:
            store.set_topic_parent(child, parent)
        except TopicError as error:
            report.skipped.append((f"topic {child} under {parent}", str(error)))
    return [f"parent:{child}>{parent}" for child, parent in edges.items()]
