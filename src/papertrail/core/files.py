"""Papers' files: the file store a library uses, attaching and detaching files, reading their
text into the index, `find`, what `show`, `open` and the exports need, `files --prune`,
and carrying files along with `db copy`. core/pdfs.py imports PDFs and downloads arXiv's.

The PDF reader runs in worker processes (files/extract.py) and the file store is opened
only by the commands that need them: `show` and `list` read the file rows alone
(start-up).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from papertrail.config import cache_dir, data_dir, files_setting, s3_endpoint_setting
from papertrail.db.store import Store
from papertrail.errors import FileRejected, PapertrailError, UsageError
from papertrail.model.files import PDF, AttachedFile, PaperHit, blob_name, file_suffix
from papertrail.model.filetypes import SNIFF_BYTES, describe_non_pdf, is_pdf
from papertrail.model.records import Paper, now_iso, paper_label

if TYPE_CHECKING:
    from papertrail.files import FileStore
    from papertrail.files.extract import Extraction, ExtractPool

# Extraction workers: two cores read 200 PDFs in about ten seconds (see benchmarks/).
MAX_WORKERS = 2
# A file's time bound when pages without text go to tesseract (about 15 s a page).
OCR_SECONDS = 900.0


# -- the file store -------------------------------------------------------------------------


def store_location(store: Store) -> str:
    """Where a library's files are: the `files` setting, else `files/` beside a SQLite
    library, else `files/` in the user data directory (a shared PostgreSQL library needs
    the setting, pointing at a place every member reaches)."""
    configured = files_setting()
    if configured:
        return configured
    if store.file is not None:
        return str(store.file.parent / "files")
    return str(data_dir() / "files")


def open_files(store: Store) -> FileStore:
    """The library's file store (opening an s3:// one imports fsspec and s3fs)."""
    return _open_store_at(store_location(store))


def library_name(store: Store) -> str:
    """How a library is named in the file stores it uses: a SQLite file's absolute path, a
    PostgreSQL URL without its password."""
    if store.file is not None:
        return str(store.file.resolve())
    scheme, sep, rest = store.location.partition("://")
    credentials, at, host = rest.rpartition("@")
    return scheme + sep + (credentials.split(":", 1)[0] + at + host if at else rest)


def library_key(name: str) -> str:
    """A library however it is reached: a URL without its user (the members of a lab reach
    one library as different roles)."""
    scheme, sep, rest = name.partition("://")
    _, at, host = rest.rpartition("@")
    return scheme + sep + host if sep and at else name


def files_for_writing(store: Store) -> FileStore:
    """The library's file store, the library noted in it as one that keeps files there."""
    files = open_files(store)
    name = library_name(store)
    files.register(name, library_key(name))
    return files


def _open_store_at(location: str) -> FileStore:
    from papertrail.files import open_file_store  # the commands that use files, only

    return open_file_store(location, cache=cache_dir() / "files", endpoint=s3_endpoint_setting())


def extract_pool(files: int = MAX_WORKERS, *, ocr: bool = False) -> ExtractPool:
    """Workers that read PDFs: as many as there are files to read, at most MAX_WORKERS and
    the machine's cores. `ocr`: pages without a text layer are read by tesseract."""
    from papertrail.files.extract import ExtractPool, Limits  # the commands that read PDFs

    limits = Limits(ocr=True, seconds=OCR_SECONDS) if ocr else None
    return ExtractPool(workers=max(1, min(files, MAX_WORKERS, os.cpu_count() or 1)), limits=limits)


def ocr_available() -> bool:
    """Whether this machine can OCR scans (tesseract on PATH): optional, never required."""
    return shutil.which("tesseract") is not None


def blob_paths(store: Store, attached: Sequence[AttachedFile]) -> list[AttachedFile]:
    """The files with the path of their blob on this machine (None in a bucket), worked out
    from the store's location: nothing is opened or imported."""
    location = store_location(store)
    if "://" in location:
        return list(attached)
    root = Path(location).expanduser()
    return [
        replace(item, path=str(root / blob_name(item.sha256, item.suffix))) for item in attached
    ]


def with_files(store: Store, papers: Iterable[Paper], *, few: bool = False) -> Iterator[Paper]:
    """The papers, each with its files and their paths: for `show`, `list --json` and the
    exports. One query when no paper has a file; `few`: ask paper by paper (`show`)."""
    if not store.any_paper_file():
        yield from papers
        return
    by_paper = None if few else store.files_of_papers()
    for paper in papers:
        attached = store.files_of(paper.id) if by_paper is None else by_paper.get(paper.id, [])
        paper.files = blob_paths(store, attached) if attached else []
        yield paper


# -- reading files --------------------------------------------------------------------------


def sniff(path: Path) -> bytes:
    """A file's first bytes (FileRejected when it cannot be read: the message says why, the
    caller names the file)."""
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise FileRejected("no such file") from None
    except IsADirectoryError:
        raise FileRejected("is a directory") from None
    except OSError as error:
        raise FileRejected(f"cannot read it: {error.strerror or error}") from None


@dataclass
class StoredText:
    """What reading a stored file found, ready for its `file` row and pages."""

    pages: int | None = None
    texts: Sequence[str] = ()
    ocr_pages: int | None = None
    problem: str | None = None


def stored_text(result: Extraction) -> StoredText:
    from papertrail.files.extract import Unreadable  # the commands that read PDFs, only

    if isinstance(result, Unreadable):
        return StoredText(problem=result.message)
    return StoredText(result.page_count, result.pages, len(result.ocr_pages) or None)


def record_file(
    store: Store, sha256: str, size: int, suffix: str, text: StoredText | None, now: str
) -> int:
    """The file's row (and its pages, the first time), in the caller's transaction."""
    known = store.file_id(sha256)
    if known is not None:
        return known
    text = text or StoredText()
    file_id = store.insert_file(
        sha256, size, suffix, now, pages=text.pages, problem=text.problem,
        text_pages=0 if suffix == PDF and not text.problem else None,
    )  # fmt: skip
    if text.texts:
        store.set_file_text(file_id, text.texts, ocr_pages=text.ocr_pages)
    return file_id


# -- attach, detach -------------------------------------------------------------------------


@dataclass
class AttachReport:
    paper: Paper
    attached: list[AttachedFile] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # names the paper had already
    ocr_read: list[AttachedFile] = field(default_factory=list)  # stored scans OCR'd now
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def attach(store: Store, ref: str, paths: Sequence[Path], *, ocr: bool = False) -> AttachReport:
    """Give a paper files: PDFs (their text read and indexed), or any other file, kept as an
    attachment without text. A file that cannot be taken is one line in `failed`; the others
    are attached. `ocr`: scans are read by tesseract, a scan stored before included."""
    paper = store.get(store.resolve(ref))
    report = AttachReport(paper)
    files = files_for_writing(store)
    pdfs: list[tuple[Path, str]] = []
    for path in paths:
        try:
            kind = _kind(path)
        except FileRejected as error:
            report.failed.append((str(path), str(error)))
            continue
        pdfs.append((path, kind))
    readable = [path for path, kind in pdfs if kind == PDF]
    texts = _read_new(store, readable, ocr=ocr)
    now = now_iso()
    ocr_read: set[int] = set()
    for path, suffix in pdfs:
        try:
            stored = files.put(path, require_pdf=suffix == PDF, suffix=suffix)
        except FileRejected as error:
            report.failed.append((str(path), str(error)))
            continue
        with store.transaction():
            text = texts.get(path)
            known = store.file_id(stored.sha256)
            file_id = record_file(store, stored.sha256, stored.size, suffix, text, now)
            if known is not None and text is not None and text.ocr_pages:
                store.set_file_text(file_id, text.texts, ocr_pages=text.ocr_pages)
                ocr_read.add(file_id)
            if store.attach_file(paper.id, file_id, path.name, now):
                store.summary = f"attached files to {paper_label(paper)}"
            else:
                report.already.append(path.name)
    have = {item.name: item for item in store.files_of(paper.id)}
    report.attached = [
        have[p.name] for p, _ in pdfs if p.name in have and p.name not in report.already
    ]
    report.ocr_read = [item for item in have.values() if item.file_id in ocr_read]
    return report


def _kind(path: Path) -> str:
    """The suffix a file is stored with: .pdf for a PDF; an attachment keeps its own. A
    file named .pdf that is not one (arXiv's HTML page, saved by a script) is refused."""
    head = sniff(path)
    if is_pdf(head):
        return PDF
    if path.suffix.lower() == PDF:
        raise FileRejected(f"not a PDF: {describe_non_pdf(head)}")
    return file_suffix(path.name)


def _read_new(store: Store, paths: Sequence[Path], *, ocr: bool) -> dict[Path, StoredText]:
    """The text of each PDF the library does not hold yet (by hash), read in workers; with
    `ocr`, of the scans it holds too."""
    if not paths:
        return {}
    from papertrail.files.store import file_sha256  # the commands that store files, only

    hashes = {path: file_sha256(path) for path in paths}
    known = store.known_hashes(list(hashes.values()))
    if ocr:
        known -= store.scan_hashes(list(known))
    wanted = [path for path in paths if hashes[path] not in known]
    if not wanted:
        return {}
    with extract_pool(len(wanted), ocr=ocr) as pool:
        return {path: stored_text(result) for path, result in pool.map(wanted)}


def detach(
    store: Store, ref: str, names: Sequence[str], *, every: bool = False
) -> tuple[Paper, list[AttachedFile]]:
    """Take files from a paper (by name, by the start of their hash, or by number in the
    order `show` lists them); the blobs stay until `files --prune`, so `undo` brings them
    back."""
    paper = store.get(store.resolve(ref))
    attached = store.files_of(paper.id)
    if not attached:
        raise PapertrailError(f"paper {paper.id} has no files")
    chosen = list(attached) if every else [_pick(attached, name) for name in names]
    if not chosen:
        if len(attached) > 1:
            listed = "; ".join(f"{n}: {item.name}" for n, item in enumerate(attached, 1))
            raise UsageError(
                f"paper {paper.id} has {len(attached)} files ({listed}): say which, or --all"
            )
        chosen = attached
    with store.transaction():
        for item in chosen:
            store.detach_file(paper.id, item.file_id)
        store.summary = f"detached {len(chosen)} file(s) from {paper_label(paper)}"
    return paper, chosen


def _pick(attached: Sequence[AttachedFile], name: str) -> AttachedFile:
    if name.isdigit() and 1 <= int(name) <= len(attached):
        return attached[int(name) - 1]
    for item in attached:
        if name in (item.name, Path(name).name) or (
            len(name) >= 6 and item.sha256.startswith(name.lower())
        ):
            return item
    raise PapertrailError(f"the paper has no file {name!r} (see `papertrail show`)")


# -- find -----------------------------------------------------------------------------------


def find(
    store: Store,
    text: str,
    *,
    topic: str | None = None,
    status: str | None = None,
    limit: int = 20,
) -> list[tuple[Paper, PaperHit]]:
    """The papers whose files' pages match `text` (model/search_query.py), best first."""
    from papertrail.model.search_query import parse  # only `find` reads its language

    query = parse(text)
    hits = store.find_pages(query, limit=limit, status=status, topic=topic)
    papers = {paper.id: paper for paper in store.get_many([hit.paper_id for hit in hits])}
    return [(papers[hit.paper_id], hit) for hit in hits if hit.paper_id in papers]


def nothing_to_search(store: Store) -> bool:
    """True when no file of the library has text: `find` then says how to get some."""
    return not store.any_page_text()


def hit_json(paper: Paper, hit: PaperHit) -> dict[str, object]:
    """A paper `find` found, as `find --json` gives it: the paper, its score, its pages."""
    pages = [{"page": page.page, "snippet": page.snippet} for page in hit.pages]
    return {**paper.to_json(), "score": round(hit.score, 6), "pages": pages}


def text_start(store: Store, paper_id: int, chars: int) -> dict[str, object] | None:
    """The first `chars` characters of the paper's text (its first PDF with text) and how
    many pages it has; None when it has none."""
    for item in store.files_of(paper_id):
        pages = store.page_texts(item.file_id) if item.is_pdf else []
        if any(text.strip() for _, text in pages):
            text = "\n\n".join(text for _, text in pages)
            return {"pages": len(pages), "excerpt": text[:chars]}
    return None


# -- open -----------------------------------------------------------------------------------


def local_pdf(store: Store, paper: Paper) -> Path | None:
    """A path on this machine to the paper's PDF, under a readable name (a link in the cache
    to the blob, whose own name is its hash); None when the paper has no PDF."""
    pdfs = [item for item in store.files_of(paper.id) if item.is_pdf]
    if not pdfs:
        return None
    item = pdfs[0]
    blob = open_files(store).local_path(item.sha256, item.suffix)
    link = cache_dir() / "open" / str(paper.id) / item.name
    try:
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            if link.resolve() == blob.resolve():
                return link
            link.unlink()
        link.symlink_to(blob)
    except OSError:
        return blob  # no links here: the blob itself (named by its hash)
    return link


# -- prune ----------------------------------------------------------------------------------


@dataclass
class PruneReport:
    files: int = 0
    bytes: int = 0
    missing: int = 0  # blobs that were already gone from the store
    kept: int = 0  # blobs kept: another library sharing the store has them
    sharing: list[str] = field(default_factory=list)  # those libraries
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (library, why)


def prune(store: Store, *, dry_run: bool = False, forget: Sequence[str] = ()) -> PruneReport:
    """Delete the files no paper has any more: their rows and pages, and their blobs unless
    another library keeping files in the same store has them. An undo cannot bring a
    paper's file back after this. `forget`: libraries gone, struck off the store's list."""
    report = PruneReport()
    unused = store.unused_files()
    files = open_files(store) if unused or not dry_run or forget else None
    if files is not None and not dry_run:
        for gone in forget:
            files.unregister(library_key(gone))
    elsewhere = (
        _used_elsewhere(store, files, [sha for _, sha, _, _ in unused], report, dry_run)
        if files is not None and unused
        else set()
    )
    with store.transaction(commit=not dry_run):
        for file_id, sha256, suffix, size in unused:
            if sha256 in elsewhere and report.unchecked:
                continue  # the row stays too: a later prune asks again
            report.files += 1
            store.delete_file(file_id)
            if sha256 in elsewhere:
                report.kept += 1
                continue
            report.bytes += size
            if files is not None and not dry_run and not files.delete(sha256, suffix):
                report.missing += 1
    if files is not None and not dry_run and hasattr(files, "prune_temporary"):
        files.prune_temporary()
    return report


def _used_elsewhere(
    store: Store, files: FileStore, hashes: list[str], report: PruneReport, dry_run: bool
) -> set[str]:
    """Those of `hashes` another library of the store has (all of them when one of those
    libraries cannot be asked); a SQLite library that is gone is struck off."""
    from papertrail.db.opening import open_store  # `files --prune` of a shared store only

    me = library_key(library_name(store))
    kept: set[str] = set()
    for other in files.libraries():
        if library_key(other) == me:
            continue
        if "://" not in other and not Path(other).exists():
            if not dry_run:
                files.unregister(library_key(other))
            continue
        try:
            library = open_store(other, create=False, upgrade_older=False)
            try:
                found = library.known_hashes(hashes)
            finally:
                library.close()
        except PapertrailError as error:
            report.unchecked.append((other, str(error)))
            return set(hashes)
        if found:
            report.sharing.append(other)
            kept |= found
    return kept


# -- db copy --------------------------------------------------------------------------------


@dataclass
class BlobCopy:
    copied: int = 0
    missing: int = 0  # in neither store: the target has the rows, not the content
    origin: str = ""


def copy_blobs(source: Store, target: Store, source_files: str | None = None) -> BlobCopy:
    """After `db copy`: the target's file store gets every blob it lacks from the source's
    (when both use the same store, that it has them). `source_files`: where the
    source's files are when not where the settings say (a library moving from a directory
    to the lab's bucket)."""
    origin_location = source_files or store_location(source)
    report = BlobCopy(origin=origin_location)
    if not source.any_paper_file() and not source.all_files():
        return report
    destination = files_for_writing(target)
    same = origin_location == store_location(target)  # a shared store: only checked
    origin = destination if same else _open_store_at(origin_location)
    if not source_files:
        name = library_name(source)
        origin.register(name, library_key(name))
    for _, sha256, suffix in target.all_files():
        if destination.exists(sha256, suffix):
            continue
        if not origin.exists(sha256, suffix):
            report.missing += 1
            continue
        with origin.open(sha256, suffix) as handle:
            from papertrail.files.store import read_chunks  # `db copy` of files, only

            destination.put_stream(read_chunks(handle), require_pdf=suffix == PDF, suffix=suffix)
        report.copied += 1
    return report
