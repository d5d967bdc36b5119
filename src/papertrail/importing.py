"""`papertrail import`: read a reading list in any known format and merge it into the library.

Reading and parsing happen before the database is touched; the merge is one transaction.
Merging never overwrites what the user set: an existing paper gains topics and fills
fields it lacks, its status, note and dates stay as they are.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from papertrail.errors import ImportFormatError, PapertrailError, TopicError, UsageError
from papertrail.records import STATUSES, PaperRecord, ParsedList, title_key
from papertrail.store import Store, match_title
from papertrail.topics import topic_slug

_EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".mdown": "markdown",
    ".bib": "bibtex", ".bibtex": "bibtex", ".json": "json",
}  # fmt: skip
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class ImportReport:
    source: str
    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False


def seed_path() -> Path:
    """The curated seed shipped inside the package (or, in a source checkout, data/)."""
    packaged = resources.files("papertrail") / "data" / "seed.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / "seed.json"


def detect_format(path: Path, given: str | None) -> str:
    if path.is_dir():
        raise ImportFormatError(f"{path} is a directory, not a reading list")
    if given:
        return given
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"cannot tell the format of {path.name}: use --format markdown|bibtex|json"
        )
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


def parse_file(path: Path, fmt: str) -> ParsedList:
    text = read_text(path)
    parsers: dict[str, Callable[[str, str], ParsedList]] = {
        "markdown": _parse_markdown,
        "bibtex": _parse_bibtex,
        "json": _parse_json,
    }
    return parsers[fmt](text, path.name)


def _parse_markdown(text: str, source: str) -> ParsedList:
    from papertrail.importers.markdown import parse_markdown

    return parse_markdown(text, source)


def _parse_bibtex(text: str, source: str) -> ParsedList:
    from papertrail.importers.bibtex import parse_bibtex

    return parse_bibtex(text, source)


def _parse_json(text: str, source: str) -> ParsedList:
    from papertrail.importers.papertrail_json import parse_json

    return parse_json(text, source)


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
) -> ImportReport:
    """Merge parsed records into the library in one transaction (rolled back on a dry run).

    The import log remembers what lists brought in -- each paper, each topic given to it,
    each parent given to a topic -- whichever file or folder they came from: importing a
    list again (moved, renamed, or another list naming the same papers) brings only what
    is new, and never undoes what the user removed since.
    """
    report = ImportReport(source=source, skipped=list(parsed.skipped), dry_run=dry_run)
    extra = [topic_slug(t) for t in extra_topics]
    with store.transaction(commit=not dry_run):
        seen = store.imported_keys()
        logged = _merge_topic_tree(store, parsed.topic_parents, report, seen)
        slugs = {s for r in parsed.records for s in r.topics} | set(extra)
        topic_ids = store.topic_ids(sorted(slugs))
        by_arxiv = store.find_arxiv(r.arxiv_id for r in parsed.records if r.arxiv_id)
        by_title = store.titles_without_arxiv()
        for record in parsed.records:
            key = item_key(record)
            wanted = {s: topic_ids[s] for s in [*record.topics, *extra]}
            if key is not None and (key in seen or key.removeprefix(PAPER) in seen):
                logged += _merge_again(store, record, key, wanted, seen, by_arxiv, by_title, report)
                continue
            _merge_record(store, record, extra, topic_ids, by_arxiv, by_title, now, report,
                          distinct=parsed.distinct)  # fmt: skip
            if key is not None:
                logged += [key, *(f"{key} topic:{s}" for s in wanted)]
        store.log_imported(source_key, logged, now)
        store.summary = f"imported {source}: {len(report.added)} added, {len(report.merged)} merged"
    return report


def _merge_again(
    store: Store,
    record: PaperRecord,
    key: str,
    wanted: dict[str, int],
    seen: set[str],
    by_arxiv: dict[str, int],
    by_title: dict[str, list[tuple[int, str | None]]],
    report: ImportReport,
) -> list[str]:
    """A paper some list brought in before: only topics no list gave it before are added;
    a paper the user removed stays removed. Returns the new log keys."""
    if record.arxiv_id:
        paper_id = by_arxiv.get(record.arxiv_id)
    else:
        paper_id = match_title(by_title.get(title_key(record.title or ""), []), record.url)
    if paper_id is None:
        report.skipped.append((record.label, "removed from the library after an earlier import"))
        return []
    report.merged.append(record.label)
    if key not in seen:
        return []  # logged by an older papertrail, which did not log topics: leave them
    new = {slug: i for slug, i in wanted.items() if f"{key} topic:{slug}" not in seen}
    store.link_topics(paper_id, new)
    return [f"{key} topic:{slug}" for slug in new]


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


def _merge_record(
    store: Store,
    record: PaperRecord,
    extra: list[str],
    topic_ids: dict[str, int],
    by_arxiv: dict[str, int],
    by_title: dict[str, list[tuple[int, str | None]]],
    now: str,
    report: ImportReport,
    *,
    distinct: bool = False,
) -> None:
    """`distinct`: the records are distinct rows (papertrail's own export), so a paper added
    from one is never matched by a later record of the same file."""
    label = record.label
    key = title_key(record.title) if record.title else None
    if record.arxiv_id:
        existing = by_arxiv.get(record.arxiv_id)
    else:
        existing = match_title(by_title.get(key or "", []), record.url)
    wanted = {s: topic_ids[s] for s in [*record.topics, *extra]}
    if existing is not None:
        store.fill_missing(existing, record)
        store.link_topics(existing, wanted)
        report.merged.append(label)
        return
    if record.arxiv_id is None and not record.title:
        report.skipped.append((label, "no arXiv id and no title"))
        return
    if record.status is not None and record.status not in STATUSES:
        report.skipped.append((label, f"unknown status {record.status!r}"))
        return
    # Topics are linked with the ids looked up once for the whole file.
    paper_id = store.insert_new_paper(replace(record, topics=[]), now)
    if paper_id is None:  # another client added this arXiv paper a moment ago
        paper_id = store.find_arxiv([label])[label]  # the label of an arXiv paper is its id
        store.fill_missing(paper_id, record)
        report.merged.append(label)
    else:
        report.added.append(label)
    store.link_topics(paper_id, wanted)
    if record.arxiv_id:
        by_arxiv[record.arxiv_id] = paper_id
    elif key and not distinct:
        by_title.setdefault(key, []).append((paper_id, record.url))


# What `db copy` copies, parents before children; tables a library lacks are skipped.
COPIED_TABLES = (
    "topic", "paper", "paper_topic", "import_log", "reading_queue", "history", "history_change",
    "feed", "inbox_item", "seen_paper",
)  # fmt: skip


def copy_library(source: Store, target: Store) -> int:
    """Copy a whole library into an empty one, every row of every table exactly as it is:
    papers with their ids, statuses, dates, notes and topics, the whole topic tree (unused
    topics too), the import log, the queue and the history. Returns the papers copied.

    Nothing is matched or merged: two papers of the source are two papers of the copy.
    """
    with target.transaction():
        if target.count_papers() or target.rows("SELECT 1 FROM topic LIMIT 1"):
            raise PapertrailError(
                f"{target.location} already holds papers: copy into an empty library"
            )
        copied: dict[str, int] = {}
        for table in COPIED_TABLES:
            if source.has_table(table) and target.has_table(table):
                columns, rows = source.read_table(table)
                copied[table] = target.copy_table_in(table, columns, rows)
                if "id" in columns:
                    target.after_explicit_ids(table)
        target.copy_topic_parents(
            (child, parent)
            for child, parent in source.rows("SELECT id, parent_id FROM topic")
            if parent is not None
        )
    return copied.get("paper", 0)
