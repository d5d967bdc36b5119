"""`papertrail import`: read a reading list in any known format and merge it into the library.

Parsing touches no database; the merge is one transaction. Large BibTeX files are
read in batches while the merge runs, so memory stays flat (a bad entry then still
rolls back everything when --strict is given).
Merging never overwrites what the user set: an existing paper gains topics and fills
fields it lacks, its status, note and dates stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path

from papertrail.dedup import Known, PaperIndex, arxiv_from_doi, describe
from papertrail.errors import ImportFormatError, PapertrailError, TopicError, UsageError
from papertrail.library import now_iso
from papertrail.records import STATUSES, Paper, PaperRecord, ParsedList
from papertrail.store import PaperQuery, Store
from papertrail.topics import topic_slug

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
    return Path(__file__).resolve().parents[2] / "data" / "seed.json"


def detect_format(path: Path, given: str | None) -> str:
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
            raise ImportFormatError(f"{path} is a directory, not a file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFormatError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file") from None
    except OSError as error:
        raise ImportFormatError(f"cannot read {path}: {error.strerror or error}") from None
    if not data.strip():
        raise ImportFormatError(f"{path} is empty")
    if b"\x00" in data[:65536]:
        raise ImportFormatError(f"{path} is binary, not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"{path} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


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
    if record.arxiv_id:
        return f"arxiv:{record.arxiv_id}"
    return f"title:{record.title.lower()} {record.url or ''}".rstrip() if record.title else None


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

    Items this list brought in before are left alone: re-importing a list changes nothing,
    whatever the user did to those papers since. A record that is a paper already there
    (see papertrail.dedup) fills what that paper lacks and adds its topics. `match=False`
    (copying a library) takes every record as a paper of its own.
    """
    report = ImportReport(source=source, dry_run=dry_run)
    with store.transaction(commit=not dry_run):
        seen = store.imported_keys(source_key)
        if not seen:
            _merge_topic_tree(store, parsed.topic_parents, report)
        merger = _Merger(store, report, seen, now, [topic_slug(t) for t in extra_topics])
        if match:
            merger.load_index()
        for batch in parsed.record_batches():
            merged = merger.merge_batch(batch, distinct=parsed.distinct or not match)
            keys = [k for k in merged if k not in seen]
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
            if key in self.seen:
                self.report.merged.append(record.label)
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
                keys.append(key)
        ids = self.store.insert_papers([record for record, _ in new], self.now)
        for (_, known), paper_id in zip(new, ids, strict=True):
            known.ref = paper_id
        self.store.link_new([
            (paper_id, topic_id)
            for (record, _), paper_id in zip(new, ids, strict=True)
            for topic_id in self._topic_ids(record.topics).values()
        ])  # fmt: skip
        return keys

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


def _merge_topic_tree(store: Store, parents: dict[str, str | None], report: ImportReport) -> None:
    """Give parentless topics the parent the file says; a parent the user chose stays."""
    if not parents:
        return
    store.topic_ids(parents)
    current = store.topic_parents()
    for child, parent in parents.items():
        if parent is None or current.get(child) is not None:
            continue
        try:
            store.set_topic_parent(child, parent)
        except TopicError as error:
            report.skipped.append((f"topic {child} under {parent}", str(error)))


def copy_library(source: Store, target: Store) -> int:
    """Copy every paper (status, dates, note, topics) and the topic tree into an empty library."""
    if target.count_papers():
        raise PapertrailError(f"{target.location} already holds papers: copy into an empty library")
    parsed = ParsedList(batches=_batches(source.iter_papers(PaperQuery())))
    parsed.topic_parents = source.topic_parents()
    report = merge(
        target, parsed, source=source.location, source_key=f"copy:{source.location}",
        now=now_iso(), match=False,
    )  # fmt: skip
    return len(report.added)


def _batches(papers: Iterator[Paper], size: int = 1000) -> Iterator[list[PaperRecord]]:
    batch: list[PaperRecord] = []
    for paper in papers:
        batch.append(paper)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
