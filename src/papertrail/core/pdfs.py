"""PDFs into the library: `import FILE.pdf|DIR` (each PDF identified from its text, the paper
added with arXiv's or Crossref's metadata, the file attached) and `fetch --pdf` / `add ID
--pdf` (arXiv's PDFs downloaded, stored and indexed).

Both go paper by paper (or a hundred PDFs at a time), each saved as soon as it is read or
downloaded: a batch stopped half-way (arXiv refusing, Ctrl-C) keeps what it did, and
running the same command again goes on from there. A file that cannot be read is one line
in the report, never the end of the batch.

The PDF reader (worker processes), the file store and the HTTP clients are imported only
by these commands (start-up).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from papertrail.config import Settings, cache_dir
from papertrail.core.files import (
    StoredText,
    extract_pool,
    files_for_writing,
    open_files,
    record_file,
    stored_text,
)
from papertrail.core.papers import add_arxiv
from papertrail.db.store import Store
from papertrail.errors import ArxivUnavailable, FileRejected, PapertrailError
from papertrail.model.files import PDF, paper_file_name
from papertrail.model.filetypes import arxiv_html_stub_id
from papertrail.model.ids import doi_url
from papertrail.model.pdf_identity import PdfIdentity, identify
from papertrail.model.records import Paper, PaperRecord, now_iso, paper_label
from papertrail.model.slugs import new_topic_slug

if TYPE_CHECKING:
    from papertrail.files import FileStore
    from papertrail.files.extract import Extraction

CHUNK = 100  # PDFs read, identified and saved together (one arXiv request per chunk)
STORE_THREADS = 4  # hashing and copying files overlaps the extraction workers

Progress = Callable[[int], None]


# -- import FILE.pdf | DIR -------------------------------------------------------------------


@dataclass
class PdfOutcome:
    """What became of one file: `action` is added, attached (to a paper already in the
    library), already (the library has this file) or skipped."""

    path: Path
    action: str
    paper: Paper | None = None
    how: str = ""  # what identified it: "arXiv 1510.00149v5", "DOI 10.1145/...", "title"
    note: str | None = None  # why it was skipped, or what to know (a scan)


@dataclass
class PdfImportReport:
    outcomes: list[PdfOutcome] = field(default_factory=list)
    offline_reason: str | None = None  # why metadata is pending, when it is
    dry_run: bool = False
    known: dict[Path, str] = field(default_factory=dict)  # files the library has: their hash

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)


def pdf_paths(paths: Iterable[Path]) -> list[Path]:
    """The files `import` reads: files as given, and the *.pdf files under directories
    (sorted, hidden ones left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() == PDF and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )  # fmt: skip
        else:
            found.append(path)
    return list(dict.fromkeys(found))


@dataclass
class _Read:
    """A file on its way in."""

    path: Path
    sha256: str = ""
    size: int = 0
    text: StoredText | None = None
    identity: PdfIdentity | None = None


def import_pdfs(
    store: Store,
    settings: Settings,
    paths: Sequence[Path],
    *,
    topics: Sequence[str] = (),
    dry_run: bool = False,
    ocr: bool = False,
    progress: Progress | None = None,
) -> PdfImportReport:
    """Identify each PDF and add its paper with the file (see the module's docstring);
    `ocr`: scans are read by tesseract (and may then be identified)."""
    report = PdfImportReport(dry_run=dry_run)
    slugs = [new_topic_slug(t) for t in topics]
    seen: dict[str, Path] = {}
    files = open_files(store) if dry_run else files_for_writing(store)
    done = 0
    with extract_pool(len(paths), ocr=ocr) as pool, ThreadPoolExecutor(STORE_THREADS) as threads:
        for start in range(0, len(paths), CHUNK):
            chunk = paths[start : start + CHUNK]
            reads = _read_chunk(store, pool, threads, chunk, seen, report)
            if ocr and not dry_run:
                _ocr_known_scans(store, pool, report)
            if reads:
                _save_chunk(store, settings, files, threads, reads, slugs, dry_run, report)
            done += len(chunk)
            if progress:
                progress(done)
    if not dry_run and report.count("added") + report.count("attached") >= CHUNK:
        store.optimize_index()
    order = {path: n for n, path in enumerate(paths)}
    report.outcomes.sort(key=lambda outcome: order.get(outcome.path, 0))
    return report


def _read_chunk(
    store: Store,
    pool: object,
    threads: ThreadPoolExecutor,
    chunk: Sequence[Path],
    seen: dict[str, Path],
    report: PdfImportReport,
) -> list[_Read]:
    """Hash the files, leave out those the library (or this import) has, read the others'
    text in the workers and identify them."""
    from papertrail.files.store import file_sha256  # import of PDFs, only

    def hashed(path: Path) -> _Read | str:
        try:
            return _Read(path, file_sha256(path), path.stat().st_size)
        except (FileRejected, OSError) as error:
            return str(error)

    reads: list[_Read] = []
    for path, found in zip(chunk, threads.map(hashed, chunk), strict=True):
        if isinstance(found, str):
            report.outcomes.append(PdfOutcome(path, "skipped", note=found))
        elif found.sha256 in seen:
            report.outcomes.append(
                PdfOutcome(path, "already", note=f"the same file as {seen[found.sha256]}")
            )
        else:
            seen[found.sha256] = path
            reads.append(found)
    reads = _without_known(store, reads, report)
    results = dict(pool.map([read.path for read in reads]))  # type: ignore[attr-defined]
    kept = []
    for read in reads:
        outcome = _identified(read, results[read.path])
        if outcome is not None:
            report.outcomes.append(outcome)
        else:
            kept.append(read)
    return kept


def _without_known(store: Store, reads: list[_Read], report: PdfImportReport) -> list[_Read]:
    known = store.known_hashes([read.sha256 for read in reads])
    kept = []
    for read in reads:
        file_id = store.file_id(read.sha256) if read.sha256 in known else None
        owners = store.papers_with_file(file_id) if file_id is not None else []
        if owners:
            paper = store.get(owners[0])
            report.outcomes.append(
                PdfOutcome(read.path, "already", paper, note="the library has this file")
            )
            report.known[read.path] = read.sha256
        else:
            kept.append(read)
    return kept


def _ocr_known_scans(store: Store, pool: object, report: PdfImportReport) -> None:
    """`import --ocr`: the scans of this chunk the library held already are read by OCR,
    their text stored (as `attach --ocr` does)."""
    scans = store.scan_hashes(list(report.known.values()))
    wanted = {path: sha256 for path, sha256 in report.known.items() if sha256 in scans}
    report.known.clear()
    if not wanted:
        return
    notes = {}
    for path, result in pool.map(list(wanted)):  # type: ignore[attr-defined]
        text = stored_text(result)
        file_id = store.file_id(wanted[path])
        if not text.ocr_pages or file_id is None:
            continue
        with store.transaction():
            store.set_file_text(file_id, text.texts, ocr_pages=text.ocr_pages)
            store.summary = "read scans by OCR"
        notes[path] = f"the library has this file; read by OCR now ({text.ocr_pages} page(s))"
    for outcome in report.outcomes:
        if outcome.path in notes:
            outcome.note = notes[outcome.path]


def _identified(read: _Read, result: Extraction) -> PdfOutcome | None:
    """None when `read` now has its text and identity; else why it is skipped."""
    from papertrail.files.extract import Unreadable  # import of PDFs, only

    if isinstance(result, Unreadable):
        return PdfOutcome(read.path, "skipped", note=_unreadable_note(read.path, result.message))
    read.text = stored_text(result)
    read.identity = identify(result.pages, result.metadata, result.lines)
    identity = read.identity
    if not (identity.arxiv_id or identity.doi or identity.title):
        why = (
            "a scan (no text layer): nothing names the paper; give it to one with "
            "`papertrail attach REF FILE`"
            if not result.searchable
            else "no arXiv id, DOI or title found in it"
        )
        return PdfOutcome(read.path, "skipped", note=why)
    return None


def _unreadable_note(path: Path, message: str) -> str:
    """The reader's message; for arXiv's 'PDF for ID' page, what to do instead."""
    try:
        stub = arxiv_html_stub_id(path.read_bytes()[:4096])
    except OSError:
        stub = None
    if stub:
        bare = stub.split("v")[0] if "v" in stub else stub
        return f"{message}; the paper is `papertrail add {bare} --pdf`"
    return message


def _how(identity: PdfIdentity) -> str:
    if identity.arxiv_id:
        version = f"v{identity.arxiv_version}" if identity.arxiv_version else ""
        return f"arXiv {identity.arxiv_id}{version}"
    if identity.doi:
        return f"DOI {identity.doi}"
    return "title from the PDF"


def _save_chunk(
    store: Store,
    settings: Settings,
    files: FileStore,
    threads: ThreadPoolExecutor,
    reads: list[_Read],
    slugs: list[str],
    dry_run: bool,
    report: PdfImportReport,
) -> None:
    """Find or add each file's paper, store the files and attach them (one transaction)."""
    existing = _existing_papers(store, reads)
    if dry_run:
        for read in reads:
            assert read.identity is not None
            paper_id = existing.get(read.path)
            action = "attached" if paper_id is not None else "added"
            paper = store.get(paper_id) if paper_id is not None else None
            report.outcomes.append(
                PdfOutcome(read.path, action, paper, _how(read.identity), _scan_note(read))
            )
        return
    # The files first: a paper is added only once its file is safe in the store (a store
    # out of reach adds nothing, rather than papers without the files they came from).
    stored = dict(
        zip([r.path for r in reads], threads.map(lambda r: _put(files, r), reads), strict=True)
    )
    kept = [r for r in reads if stored[r.path] is None and r.path not in existing]
    papers = _add_papers(store, settings, kept, slugs, report)
    papers.update(existing)
    now = now_iso()
    with store.transaction():
        for read in reads:
            assert read.identity is not None
            outcome = stored[read.path]
            paper_id = papers.get(read.path)
            if isinstance(outcome, str) or paper_id is None:
                why = outcome if isinstance(outcome, str) else "the paper could not be added"
                report.outcomes.append(PdfOutcome(read.path, "skipped", note=why))
                continue
            file_id = record_file(store, read.sha256, read.size, PDF, read.text, now)
            store.attach_file(paper_id, file_id, read.path.name, now)
            if slugs:
                store.add_topics(paper_id, slugs)
            action = "attached" if read.path in existing else "added"
            report.outcomes.append(
                PdfOutcome(
                    read.path, action, store.get(paper_id), _how(read.identity), _scan_note(read)
                )
            )
        total = report.count("added") + report.count("attached")
        store.summary = f"imported {total} PDF(s)"


def _scan_note(read: _Read) -> str | None:
    if read.text is not None and read.text.texts and not any(read.text.texts):
        return "a scan (no text layer): not searchable"
    return None


def _put(files: FileStore, read: _Read) -> str | None:
    """Store the file; the error, in one line, when it cannot be."""
    try:
        stored = files.put(read.path)
    except (FileRejected, PapertrailError) as error:
        return str(error)
    read.sha256, read.size = stored.sha256, stored.size  # what was stored, if it changed
    return None


def _existing_papers(store: Store, reads: Sequence[_Read]) -> dict[Path, int]:
    """The paper each file is of, for files whose paper the library holds (same arXiv id,
    same DOI, or the same title for a paper not on arXiv)."""
    found: dict[Path, int] = {}
    arxiv = store.find_arxiv(
        r.identity.arxiv_id for r in reads if r.identity and r.identity.arxiv_id
    )
    for read in reads:
        identity = read.identity
        assert identity is not None
        paper_id: int | None = None
        if identity.arxiv_id:
            paper_id = arxiv.get(identity.arxiv_id)
        elif identity.doi:
            paper_id = store.find_doi(identity.doi)
        if paper_id is None and not identity.arxiv_id and identity.title:
            paper_id = store.find_without_arxiv(identity.title, None)
        if paper_id is not None:
            found[read.path] = paper_id
    return found


def _add_papers(
    store: Store,
    settings: Settings,
    reads: Sequence[_Read],
    slugs: list[str],
    report: PdfImportReport,
) -> dict[Path, int]:
    """Add the papers of new files: arXiv's in one request, DOIs through Crossref (offline:
    pending, as `add --no-fetch` would), the rest by the title the PDF gives."""
    found: dict[Path, int] = {}
    by_arxiv = [r for r in reads if r.identity and r.identity.arxiv_id]
    if by_arxiv:
        refs = [_versioned(r.identity) for r in by_arxiv if r.identity]
        result = add_arxiv(store, settings, refs, topics=slugs)
        report.offline_reason = report.offline_reason or result.offline_reason
        ids = store.find_arxiv(
            r.identity.arxiv_id for r in by_arxiv if r.identity and r.identity.arxiv_id
        )
        for read in by_arxiv:
            if read.identity and read.identity.arxiv_id in ids:
                found[read.path] = ids[read.identity.arxiv_id]
    by_doi = [r for r in reads if r.identity and not r.identity.arxiv_id and r.identity.doi]
    if by_doi:
        found.update(_add_by_doi(store, settings, by_doi, slugs, report))
    titled = [r for r in reads if r.identity and not r.identity.arxiv_id and not r.identity.doi]
    with store.transaction():
        for read in titled:
            assert read.identity is not None and read.identity.title
            found[read.path] = _title_paper(store, PaperRecord(title=read.identity.title), slugs)
        if titled:
            store.summary = f"added {len(titled)} paper(s) from their PDFs"
    return found


def _versioned(identity: PdfIdentity | None) -> str:
    assert identity is not None and identity.arxiv_id
    version = f"v{identity.arxiv_version}" if identity.arxiv_version else ""
    return identity.arxiv_id + version


def _add_by_doi(
    store: Store,
    settings: Settings,
    reads: Sequence[_Read],
    slugs: list[str],
    report: PdfImportReport,
) -> dict[Path, int]:
    from papertrail.core.not_on_arxiv import add_dois  # Crossref: only when a PDF names a DOI

    config = None
    if not settings.offline:
        from papertrail.services.config import ServiceSettings  # as above

        config = ServiceSettings.load(settings.offline)
    dois = [r.identity.doi for r in reads if r.identity and r.identity.doi]
    result = add_dois(store, config, dois, topics=slugs, fetch=config is not None)
    if result.offline_reason and not report.offline_reason:
        report.offline_reason = (
            "offline (PAPERTRAIL_OFFLINE)" if settings.offline else result.offline_reason
        )
    found: dict[Path, int] = {}
    with store.transaction():
        for read in reads:
            assert read.identity is not None and read.identity.doi
            paper_id = store.find_doi(read.identity.doi)
            if paper_id is None:  # a DOI Crossref and OpenAlex do not know: the PDF's title
                record = PaperRecord(
                    title=read.identity.title, doi=read.identity.doi, url=doi_url(read.identity.doi)
                )
                paper_id = _title_paper(store, record, slugs)
            found[read.path] = paper_id
    return found


def _title_paper(store: Store, record: PaperRecord, slugs: list[str]) -> int:
    """The paper not on arXiv with this title, or a new one (completed later by `fetch`)."""
    if record.title:
        known = store.find_without_arxiv(record.title, None)
        if known is not None:
            return known
    record.topics = slugs
    return store.insert_paper(record, now_iso())


# -- fetch --pdf ------------------------------------------------------------------------------


@dataclass
class PdfFetchReport:
    fetched: list[Paper] = field(default_factory=list)
    failed: list[tuple[Paper, str]] = field(default_factory=list)
    not_on_arxiv: list[Paper] = field(default_factory=list)
    stopped: str | None = None  # why the batch stopped (arXiv refused, unreachable)
    remaining: int = 0


def pdf_targets(store: Store, refs: Sequence[str]) -> tuple[list[int], list[Paper]]:
    """The arXiv papers without a PDF among `refs` (all, with none), and the papers named
    that are not on arXiv."""
    if not refs:
        return store.arxiv_papers_without_pdf(), []
    ids = list(dict.fromkeys(store.resolve(ref) for ref in refs))
    others = [paper for paper in map(store.get, ids) if paper.arxiv_id is None]
    return store.arxiv_papers_without_pdf(ids), others


def fetch_pdfs(
    store: Store, settings: Settings, paper_ids: Sequence[int], progress: Progress | None = None
) -> PdfFetchReport:
    """Download each paper's PDF from arXiv, store, index and attach it at once."""
    from papertrail.services.arxiv_pdf import ArxivPdfClient, PdfNotAvailable  # fetch --pdf

    report = PdfFetchReport()
    if not paper_ids:
        return report
    if settings.offline:
        raise ArxivUnavailable("offline (PAPERTRAIL_OFFLINE=1): not downloading PDFs")
    files = files_for_writing(store)
    settings = settings.for_arxiv()
    client = ArxivPdfClient(
        settings.arxiv_pdf, settings.arxiv_delay, timeout=max(settings.arxiv_timeout, 1.0) * 4,
        spacing_file=cache_dir() / "arxiv-last-request",
    )  # fmt: skip
    with client, extract_pool(1) as pool:
        for done, paper_id in enumerate(paper_ids):
            paper = store.get(paper_id)
            assert paper.arxiv_id is not None
            try:
                data = client.download(paper.arxiv_id, paper.version)
                _keep_pdf(store, files, pool, paper, data)
            except (PdfNotAvailable, FileRejected) as error:
                report.failed.append((paper, str(error)))
            except ArxivUnavailable as error:
                report.stopped = str(error)
                report.remaining = len(paper_ids) - done
                break
            else:
                report.fetched.append(store.get(paper_id))
            if progress:
                progress(done + 1)
    return report


def _keep_pdf(store: Store, files: FileStore, pool: object, paper: Paper, data: bytes) -> None:
    """Store a downloaded PDF, read its text and attach it to the paper (one transaction)."""
    stored = files.put_bytes(data)
    text = None
    if store.file_id(stored.sha256) is None:
        text = stored_text(_extract_bytes(pool, data))
    name = paper_file_name(paper.arxiv_id, paper.version, paper.title)
    now = now_iso()
    with store.transaction():
        file_id = record_file(store, stored.sha256, stored.size, PDF, text, now)
        store.attach_file(paper.id, file_id, name, now)
        store.summary = f"downloaded the PDF of {paper_label(paper)}"


def _extract_bytes(pool: object, data: bytes) -> Extraction:
    """The text of a PDF held in memory, read by a worker from a temporary file."""
    directory = cache_dir() / "files" / "tmp"
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=directory, prefix="download-", suffix=".pdf")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        return pool.extract(Path(name))  # type: ignore[attr-defined]
    finally:
        Path(name).unlink(missing_ok=True)
