"""Papers: `add` (arXiv ids, records from a search or a feed, a title by hand), `fetch`'s
arXiv part, reading status, notes, `remove`, and what `show`, `open` and the
`mark-read` picker need.

Functions take an open Store (and Settings where arXiv is involved), do the work in short
transactions, and return plain results for the CLI to render. They raise
papertrail.errors exceptions; they never print.

The arXiv client (httpx, feedparser) is imported only when arXiv is asked:
`add --no-fetch`, `mark-read` and the rest start without it (start-up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from papertrail.config import Settings, cache_dir
from papertrail.core.refs import ids_label, parse_refs, resolve_all
from papertrail.db.store import Store
from papertrail.errors import ArxivUnavailable, PapertrailError, UsageError
from papertrail.model.ids import ArxivId, abs_url, is_web_address, pdf_url, web_address
from papertrail.model.query import PaperQuery
from papertrail.model.records import (
    Paper,
    PaperRecord,
    PaperSummary,
    clean_title,
    now_iso,
    paper_label,
    papers_label,
)
from papertrail.model.slugs import new_topic_slug

if TYPE_CHECKING:
    from papertrail.services.arxiv import ArxivClient


# -- arXiv ----------------------------------------------------------------------------------


def arxiv_client(settings: Settings) -> ArxivClient:
    """The HTTP client, imported only by the commands that talk to arXiv."""
    from papertrail.services.arxiv import ArxivClient

    settings = settings.for_arxiv()
    return ArxivClient(
        settings.arxiv_api,
        settings.arxiv_delay,
        batch_size=settings.batch_size,
        timeout=settings.arxiv_timeout,
        # Shared by every papertrail process of this user: the delay holds across commands.
        spacing_file=cache_dir() / "arxiv-last-request",
        offline=settings.offline,
        rss_url=settings.arxiv_rss,
    )


# -- add ------------------------------------------------------------------------------------


@dataclass
class AddResult:
    added: list[Paper] = field(default_factory=list)
    already_present: list[tuple[Paper, list[str]]] = field(default_factory=list)
    not_on_arxiv: list[str] = field(default_factory=list)  # well-formed ids arXiv lacks
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (ref, why)
    offline_reason: str | None = None  # why metadata is pending, when it is

    @property
    def pending(self) -> list[Paper]:
        return [paper for paper in self.added if paper.metadata_pending]


def add_arxiv(
    store: Store,
    settings: Settings,
    refs: Sequence[str],
    *,
    topics: Sequence[str] = (),
    status: str | None = None,
    note: str | None = None,
    fetch: bool = True,
) -> AddResult:
    ids, rejected = parse_refs(refs)
    slugs = [new_topic_slug(t) for t in topics]
    result = AddResult(rejected=rejected)
    existing = store.find_arxiv(i.id for i in ids)
    new_ids = [i for i in ids if i.id not in existing]

    metadata: dict[str, PaperRecord] = {}
    if new_ids:
        metadata, result.offline_reason = _fetch_for_add(settings, new_ids, fetch, result)

    unwanted = set(result.not_on_arxiv) | {ref for ref, _ in result.rejected}
    now = now_iso()
    with store.transaction():
        # Asked again inside the transaction: another client may have added some meanwhile.
        present = store.find_arxiv(i.id for i in ids)
        for arxiv_id in ids:
            paper_id = present.get(arxiv_id.id)
            if paper_id is None:
                if arxiv_id.id in unwanted:
                    continue
                record = metadata.get(arxiv_id.id) or PaperRecord(
                    arxiv_id=arxiv_id.id, version=arxiv_id.version, url=abs_url(arxiv_id.id)
                )
                record.topics, record.status, record.note = slugs, status, note
                fetched = arxiv_id.id in metadata
                paper_id = store.insert_new_paper(record, now, fetched=fetched)
                if paper_id is not None:
                    result.added.append(store.get(paper_id))
                    continue
                paper_id = store.find_arxiv([arxiv_id.id])[arxiv_id.id]  # added just now
            _add_to_present(
                store, paper_id, arxiv_id, metadata.get(arxiv_id.id), slugs, now, result
            )
        store.summary = _add_summary(result)
    return result


def _add_summary(result: AddResult) -> str:
    parts = [f"added {papers_label(result.added)}"] if result.added else []
    tagged = [paper for paper, topics in result.already_present if topics]
    if tagged:
        parts.append(f"tagged {papers_label(tagged)}")
    return ", ".join(parts)


def add_records(
    store: Store, records: Sequence[PaperRecord], fetched: Iterable[str] = ()
) -> AddResult:
    """Add arXiv papers described by records (a search, a feed), each with its topics.

    A paper already in the library only gains the record's topics. `fetched` names the
    arXiv ids whose records carry arXiv's full metadata; the others stay pending.
    """
    complete = set(fetched)
    result = AddResult()
    now = now_iso()
    with store.transaction():
        existing = store.find_arxiv(r.arxiv_id for r in records if r.arxiv_id)
        for record in records:
            assert record.arxiv_id is not None, "add_records takes arXiv papers"
            paper_id = existing.get(record.arxiv_id)
            if paper_id is not None:
                if record.arxiv_id in complete and store.get(paper_id).metadata_pending:
                    store.update_metadata(paper_id, record, now)  # found what it lacked
                new_topics = store.add_topics(paper_id, record.topics)
                result.already_present.append((store.get(paper_id), new_topics))
                continue
            paper_id = store.insert_paper(record, now, fetched=record.arxiv_id in complete)
            existing[record.arxiv_id] = paper_id
            result.added.append(store.get(paper_id))
        store.summary = _add_summary(result)
    return result


def _add_to_present(
    store: Store,
    paper_id: int,
    arxiv_id: ArxivId,
    fetched: PaperRecord | None,
    slugs: list[str],
    now: str,
    result: AddResult,
) -> None:
    """A paper already in the library gains the topics; metadata we fetched is not thrown
    away when the stored paper still lacks it."""
    store.fill_missing(paper_id, PaperRecord(version=arxiv_id.version))
    if fetched is not None and store.get(paper_id).metadata_pending:
        store.update_metadata(paper_id, fetched, now)
    result.already_present.append((store.get(paper_id), store.add_topics(paper_id, slugs)))


def _fetch_for_add(
    settings: Settings, ids: list[ArxivId], fetch: bool, result: AddResult
) -> tuple[dict[str, PaperRecord], str | None]:
    """Metadata for new papers in one request, or the reason there is none."""
    if not fetch:
        return {}, "--no-fetch"
    if settings.offline:
        return {}, "offline (PAPERTRAIL_OFFLINE)"
    try:
        with arxiv_client(settings) as client:
            batch = client.fetch([i.id for i in ids])
    except ArxivUnavailable as error:
        return {}, str(error)
    result.not_on_arxiv.extend(batch.missing)
    result.rejected.extend(batch.errors.items())
    return batch.papers, None


def add_manual(
    store: Store,
    *,
    title: str,
    url: str | None,
    year: int | None = None,
    authors: Sequence[str] = (),
    topics: Sequence[str] = (),
    status: str | None = None,
    note: str | None = None,
) -> tuple[Paper, bool]:
    """Add a paper that is not on arXiv; return it and whether it was new."""
    if not title.strip():
        raise UsageError("--title cannot be empty")
    if url is not None and web_address(url) is None:
        raise UsageError(f"--url must be a web address (http:// or https://), not {url!r}")
    slugs = [new_topic_slug(t) for t in topics]
    with store.transaction():
        paper_id = store.find_without_arxiv(title, url)
        if paper_id is None:  # an arXiv paper of that title, year and first author?
            paper_id = _arxiv_paper_titled(store, title, year, authors)
        if paper_id is not None:
            store.add_topics(paper_id, slugs)
            paper = store.get(paper_id)
            store.summary = f"tagged {paper_label(paper)}: {', '.join(slugs)}"
            return paper, False
        record = PaperRecord(
            title=clean_title(title),
            url=url,
            year=year,
            authors=[a.strip() for a in authors if a.strip()],
            topics=slugs,
            status=status,
            note=note,
        )
        paper_id = store.insert_paper(record, now_iso())
        paper = store.get(paper_id)
        store.summary = f"added {paper_label(paper)}"
        return paper, True


def _arxiv_paper_titled(
    store: Store, title: str, year: int | None, authors: Sequence[str]
) -> int | None:
    """The arXiv paper of the library that `add --title` names, as same_paper judges it."""
    from papertrail.model.same_paper import (  # only `add --title` asks
        PaperIndex,
        describe,
        family_name,
        known,
    )

    index = PaperIndex()
    for paper_id, arxiv_id, doi, known_title, known_year, first in store.match_rows():
        if arxiv_id:
            family = family_name(first) or None
            index.add(known(int(paper_id), arxiv_id, doi, known_title, known_year, family))
    probe = PaperRecord(title=title, year=year, authors=[a.strip() for a in authors if a.strip()])
    found = index.find(describe(probe))
    return found.ref if found is not None and isinstance(found.ref, int) else None


# -- fetch ----------------------------------------------------------------------------------


@dataclass
class FetchResult:
    updated: int = 0
    newer_versions: list[tuple[Paper, int | None]] = field(default_factory=list)  # (paper, old)
    not_on_arxiv: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    failure: str | None = None  # why the remaining papers were not fetched
    remaining: int = 0


def fetch_targets(store: Store, refs: Sequence[str], refresh: bool) -> list[str]:
    """The arXiv ids `fetch` should ask for."""
    if not refs:
        return store.all_arxiv_ids() if refresh else store.pending_arxiv_ids()
    targets = []
    for ref in refs:
        paper = store.get(store.resolve(ref))
        if paper.arxiv_id is None:
            continue  # not on arXiv: completed from other services (not_on_arxiv.py)
        if refresh or paper.metadata_pending:
            targets.append(paper.arxiv_id)
    return list(dict.fromkeys(targets))


def fetch_metadata(
    store: Store,
    settings: Settings,
    arxiv_ids: Sequence[str],
    progress: Callable[[int], None] | None = None,
) -> FetchResult:
    """Fetch in batches; each batch is saved as it arrives, so a failure loses nothing."""
    result = FetchResult()
    if settings.offline:
        raise ArxivUnavailable("offline (PAPERTRAIL_OFFLINE=1): not fetching")
    done = 0
    try:
        with arxiv_client(settings) as client:
            for batch in client.fetch_batches(arxiv_ids):
                _save_batch(store, batch.papers, result)
                result.not_on_arxiv.extend(batch.missing)
                result.rejected.extend(batch.errors.items())
                done += len(batch.papers) + len(batch.missing) + len(batch.errors)
                if progress:
                    progress(done)
    except ArxivUnavailable as error:
        result.failure = str(error)
        result.remaining = len(arxiv_ids) - done
    return result


def _save_batch(store: Store, papers: dict[str, PaperRecord], result: FetchResult) -> None:
    now = now_iso()
    with store.transaction():
        for arxiv_id, paper_id in store.find_arxiv(papers).items():  # not those removed meanwhile
            record = papers[arxiv_id]
            before = store.get(paper_id)
            store.update_metadata(paper_id, record, now)
            result.updated += 1
            if before.fetched_at and (before.version or 0) < (record.version or 0):
                result.newer_versions.append((store.get(paper_id), before.version))
        store.summary = f"fetched metadata for {result.updated} paper(s)"


# -- status, topics, notes -------------------------------------------------------------------


def set_status(
    store: Store, refs: Sequence[str], status: str, *, on: str | None = None
) -> list[Paper]:
    """Set the reading status; `on` (a timestamp) back-dates when reading started or ended.

    A paper being read goes to the top of the queue, a read paper leaves it.
    """
    from papertrail.core.queue import after_status_change  # start-up of the other commands

    paper_ids = resolve_all(store, refs)
    with store.transaction():
        # The queue first, as every change to it locks it first: no two clients wait on
        # each other (one on a paper's row, the other on the queue).
        order = store.queue_to_change()
        for paper_id in paper_ids:
            store.set_status(paper_id, status, on or now_iso())
            if on is not None and status != "unread":
                store.update_paper(paper_id, {"read_at" if status == "read" else "started_at": on})
        after_status_change(store, order, paper_ids, status)
        papers = store.get_many(paper_ids)
        store.summary = f"marked {status}: {papers_label(papers)}"
    return papers


def set_note(store: Store, ref: str, text: str) -> Paper:
    """Replace a paper's note (empty text clears it)."""
    paper_id = store.resolve(ref)
    with store.transaction():
        store.set_note(paper_id, text.strip() or None)
        paper = store.get(paper_id)
        verb = "replaced" if paper.note else "cleared"
        store.summary = f"{verb} the note of {paper_label(paper)}"
    return paper


class NoteConflict(PapertrailError):
    """The note was rewritten by someone else while the user edited it."""


def edit_note(store: Store, paper_id: int, text: str, started_from: str | None) -> Paper:
    """The note as edited from `started_from`. Paragraphs added meanwhile (`note REF TEXT`
    appends) stay after the edited text; any other change meanwhile is a conflict."""
    base = started_from or ""
    with store.transaction():
        store.row("paper", {"id": paper_id}, lock=True)  # read, compare, write: under its lock
        store.lock_reading([paper_id])  # the note is the reader's own row (0016)
        current = store.get(paper_id).note or ""
        if not current.startswith(base):
            raise NoteConflict(f"the note of paper {paper_id} changed while you edited it")
        added = current[len(base) :].strip()
        note = "\n\n".join(part for part in (text.strip(), added) if part)
        store.set_note(paper_id, note or None)
        paper = store.get(paper_id)
        verb = "replaced" if paper.note else "cleared"
        store.summary = f"{verb} the note of {paper_label(paper)}"
    return paper


def append_note(store: Store, ref: str, text: str, today: str | None = None) -> Paper:
    """Add a dated paragraph after a paper's note: what was written before stays."""
    if not text.strip():
        raise UsageError('the note to add is empty (`note REF --replace ""` clears a note)')
    paper_id = store.resolve(ref)
    paragraph = f"{today or now_iso()[:10]}: {text.strip()}"
    with store.transaction():
        store.append_note(paper_id, paragraph)
        paper = store.get(paper_id)
        store.summary = f"added to the note of {paper_label(paper)}"
    return paper


def remove(store: Store, paper_ids: Sequence[int]) -> None:
    with store.transaction():
        store.summary = "removed " + ids_label(store, paper_ids)
        for paper_id in paper_ids:
            store.delete_paper(paper_id)


def get_paper(store: Store, ref: str) -> Paper:
    return store.get(store.resolve(ref))


def find_papers(store: Store, query: PaperQuery) -> tuple[list[Paper], int]:
    """The papers of one page of a query (its limit and offset), and how many match in all."""
    return list(store.iter_papers(query)), store.count_matching(query)


def papers_by_id(store: Store, paper_ids: Sequence[int]) -> list[Paper]:
    """The papers, in the order of `paper_ids` (those removed meanwhile left out)."""
    found = {p.id: p for p in store.iter_papers(PaperQuery(paper_ids=list(paper_ids)))}
    return [found[i] for i in paper_ids if i in found]


PICK_SHOWN = 20  # a picker shows this many papers at most: one screen


def likely_picks(store: Store) -> list[PaperSummary]:
    """What a picker starts from: papers being read, the queue, then the latest unread
    adds; at most PICK_SHOWN, never the whole library."""
    reading = [p.id for p in store.iter_summaries(PaperQuery(status="reading"))]
    recent = PaperQuery(status="unread", sort="-added", limit=PICK_SHOWN)
    ids = [*reading, *store.queued_ids(), *(p.id for p in store.iter_summaries(recent))]
    return store.summaries_of(list(dict.fromkeys(ids))[:PICK_SHOWN])


def papers_to_pick(store: Store) -> list[PaperSummary]:
    """Candidates for the interactive `mark-read`: papers being read first, then unread."""
    reading = list(store.iter_summaries(PaperQuery(status="reading")))
    unread = list(store.iter_summaries(PaperQuery(status="unread")))
    return reading + unread


def matching(papers: Sequence[PaperSummary], words: str) -> list[PaperSummary]:
    """The papers whose id, arXiv id, title, authors or topics contain every word (any case)."""
    wanted = words.casefold().split()
    return [paper for paper in papers if all(word in _searchable(paper) for word in wanted)]


def _searchable(paper: PaperSummary) -> str:
    fields = [str(paper.id), paper.arxiv_id or "", paper.title or "", *paper.authors]
    return " ".join(fields + paper.topics).casefold()


def browser_url(paper: Paper, *, pdf: bool) -> str:
    """The address `open` hands to the browser: only http(s), never a file or a command."""
    url: str | None = paper.url
    if paper.arxiv_id:
        url = (paper.pdf_url or pdf_url(paper.arxiv_id)) if pdf else abs_url(paper.arxiv_id)
    if not url or not url.strip():
        raise PapertrailError(f"paper {paper.id} has no web address")
    url = url.split()[0] if web_address(url) else url  # the first of several (Zotero)
    if not is_web_address(url):
        raise PapertrailError(
            f"refusing to open {url!r}: only http and https addresses (with a host, "
            "without spaces or control characters) are opened"
        )
    return url
