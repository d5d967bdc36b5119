"""`papertrail import`: read a reading list in any known format and merge it into the library.

Reading and parsing happen before the database is touched; the merge is one transaction.
Merging never overwrites what the user set: an existing paper gains topics and fills
fields it lacks, its status, note and dates stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from papertrail.errors import ImportFormatError, PapertrailError, TopicError, UsageError
from papertrail.library import now_iso
from papertrail.records import STATUSES, PaperRecord, ParsedList
from papertrail.store import PaperQuery, Store, match_title
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
) -> ImportReport:
    """Merge parsed records into the library in one transaction (rolled back on a dry run).

    Items this list brought in before are left alone: re-importing a list changes nothing,
    whatever the user did to those papers since.
    """
    report = ImportReport(source=source, skipped=list(parsed.skipped), dry_run=dry_run)
    extra = [topic_slug(t) for t in extra_topics]
    with store.transaction(commit=not dry_run):
        seen = store.imported_keys(source_key)
        if not seen:
            _merge_topic_tree(store, parsed.topic_parents, report)
        slugs = {s for r in parsed.records for s in r.topics} | set(extra)
        topic_ids = store.topic_ids(sorted(slugs))
        by_arxiv = store.find_arxiv(r.arxiv_id for r in parsed.records if r.arxiv_id)
        by_title = store.titles_without_arxiv()
        imported = []
        for record in parsed.records:
            key = item_key(record)
            if key in seen:
                report.merged.append(record.label)
                continue
            _merge_record(store, record, extra, topic_ids, by_arxiv, by_title, now, report)
            if key is not None:
                imported.append(key)
        store.log_imported(source_key, imported, now)
        store.summary = (
            f"imported {source}: {len(report.added)} added, {len(report.merged)} merged"
        )
    return report


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


def _merge_record(
    store: Store,
    record: PaperRecord,
    extra: list[str],
    topic_ids: dict[str, int],
    by_arxiv: dict[str, int],
    by_title: dict[str, list[tuple[int, str | None]]],
    now: str,
    report: ImportReport,
) -> None:
    label = record.label
    title_key = record.title.lower() if record.title else None
    if record.arxiv_id:
        existing = by_arxiv.get(record.arxiv_id)
    else:
        existing = match_title(by_title.get(title_key or "", []), record.url)
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
    paper_id = store.insert_paper(replace(record, topics=[]), now)
    store.link_topics(paper_id, wanted)
    if record.arxiv_id:
        by_arxiv[record.arxiv_id] = paper_id
    elif title_key:
        by_title.setdefault(title_key, []).append((paper_id, record.url))
    report.added.append(label)


def copy_library(source: Store, target: Store) -> int:
    """Copy every paper (status, dates, note, topics) and the topic tree into an empty library."""
    if target.count_papers():
        raise PapertrailError(f"{target.location} already holds papers: copy into an empty library")
    papers = list(source.iter_papers(PaperQuery()))
    parsed = ParsedList(records=list(papers), topic_parents=source.topic_parents())
    report = merge(
        target, parsed, source=source.location, source_key=f"copy:{source.location}", now=now_iso()
    )
    return len(report.added)
