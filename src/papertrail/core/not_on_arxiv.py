"""Papers that are not on arXiv: add them by DOI (Crossref), and complete title-only ones
by searching Crossref and DBLP, accepting only a hit that is the same paper (model/same_paper.py).

Network answers only fill what a paper lacks: a value the user typed or imported is
never replaced, and nothing is ever replaced by an empty value. Each paper is saved in
its own transaction as soon as it is complete, so a service failing half-way loses
nothing; the failure becomes one warning and the other services carry on.

The services' clients (httpx) are imported only when a service is asked: the
functions that need none start without them (start-up).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from papertrail.db.store import Store
from papertrail.errors import ServiceUnavailable
from papertrail.model.ids import doi_url, pubmed_in_url
from papertrail.model.records import Paper, PaperRecord, now_iso
from papertrail.model.same_paper import Judgement, best_match
from papertrail.model.slugs import topic_slug

if TYPE_CHECKING:
    from papertrail.model.works import Work
    from papertrail.services.config import ServiceSettings
    from papertrail.services.crossref import CrossrefClient
    from papertrail.services.dblp import DblpClient
    from papertrail.services.openalex import OpenAlexClient

T = TypeVar("T")


def work_record(work: Work) -> PaperRecord:
    """What a service said, as the fields of a paper (only full dates are dates)."""
    published = work.published if work.published and len(work.published) == 10 else None
    return PaperRecord(
        title=work.title, authors=list(work.authors), year=work.year, published=published,
        venue=work.venue, entry_type=work.entry_type, volume=work.volume, number=work.number,
        pages=work.pages, publisher=work.publisher, doi=work.doi, url=work.url,
    )  # fmt: skip


# -- add by DOI -------------------------------------------------------------------------------


@dataclass
class DoiAddResult:
    added: list[Paper] = field(default_factory=list)
    already_present: list[tuple[Paper, list[str]]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # DOIs Crossref does not know
    offline_reason: str | None = None  # why metadata is pending, when it is

    @property
    def pending(self) -> list[Paper]:
        """Papers added without a service's answer (offline, or the service was down); a
        work a service describes without a title is not pending: it is what it is."""
        return [paper for paper in self.added if paper.fetched_at is None]


def add_dois(
    store: Store,
    settings: ServiceSettings | None,
    dois: Sequence[str],
    *,
    topics: Sequence[str] = (),
    status: str | None = None,
    note: str | None = None,
    fetch: bool = True,
) -> DoiAddResult:
    """Add papers by DOI with Crossref's metadata; offline, add them pending."""
    slugs = [topic_slug(t) for t in topics]
    result = DoiAddResult()
    wanted = list(dict.fromkeys(dois))
    existing = {doi: store.find_doi(doi) for doi in wanted}
    works = _look_up_dois([d for d in wanted if existing[d] is None], settings, fetch, result)
    now = now_iso()
    with store.transaction():
        for doi in wanted:
            known = existing[doi] or store.find_doi(doi)
            if known is not None:
                result.already_present.append((store.get(known), store.add_topics(known, slugs)))
                continue
            if doi in result.unknown:
                continue
            work = works.get(doi)
            record = work_record(work) if work else PaperRecord()
            record.doi = record.doi or doi
            record.url = record.url or doi_url(doi)
            record.topics, record.status, record.note = slugs, status, note
            record.fetched_at = now if work else None
            result.added.append(store.get(store.insert_paper(record, now)))
    return result


def _look_up_dois(
    dois: list[str], settings: ServiceSettings | None, fetch: bool, result: DoiAddResult
) -> dict[str, Work]:
    if not dois:
        return {}
    if not fetch or settings is None:
        result.offline_reason = "--no-fetch"
        return {}
    from papertrail.services.crossref import CrossrefClient
    from papertrail.services.openalex import OpenAlexClient

    works: dict[str, Work] = {}
    try:
        with CrossrefClient(settings) as crossref, OpenAlexClient(settings) as openalex:
            for doi in dois:
                # Crossref holds most DOIs; OpenAlex also those of DataCite (Zenodo...).
                work = crossref.work(doi) or openalex.work(doi)
                if work is None:
                    result.unknown.append(doi)
                else:
                    works[doi] = work
    except ServiceUnavailable as error:
        result.offline_reason = str(error)
    return works


# -- completing papers that are not on arXiv ------------------------------------------------------


@dataclass
class Completion:
    paper: Paper
    judgements: list[Judgement] = field(default_factory=list)
    accepted: Judgement | None = None
    filled: bool = False

    @property
    def unsure(self) -> list[Judgement]:
        return [j for j in self.judgements if j.verdict == "unsure"]


@dataclass
class CompletionResult:
    completed: list[Completion] = field(default_factory=list)
    unsure: list[Completion] = field(default_factory=list)
    unmatched: list[Completion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one per service that failed


def completion_targets(store: Store, refs: Sequence[str]) -> list[Paper]:
    """The papers not on arXiv that `fetch` completes: the REFs given, else every title-only
    or untitled paper never completed that has a DOI or a PubMed (Central) address."""
    if not refs:
        return [p for p in store.papers_to_complete() if p.title or p.doi or pubmed_in_url(p.url)]
    papers = [store.get(paper_id) for paper_id in dict.fromkeys(map(store.resolve, refs))]
    return [paper for paper in papers if paper.arxiv_id is None]


def complete_papers(
    store: Store,
    settings: ServiceSettings,
    papers: Sequence[Paper],
    progress: Callable[[int], None] | None = None,
) -> CompletionResult:
    """Look each paper up (by DOI or PubMed id, else by title) and fill in what it lacks."""
    from papertrail.services.crossref import CrossrefClient
    from papertrail.services.dblp import DblpClient
    from papertrail.services.openalex import OpenAlexClient

    result = CompletionResult()
    with (
        CrossrefClient(settings) as crossref,
        DblpClient(settings) as dblp,
        OpenAlexClient(settings) as openalex,
    ):
        searches = _Searches(crossref, dblp, openalex, result.warnings)
        for done, paper in enumerate(papers, 1):
            completion = searches.complete(paper)
            if completion.accepted is not None:
                _save(store, completion)
                result.completed.append(completion)
            elif completion.unsure:
                result.unsure.append(completion)
            else:
                result.unmatched.append(completion)
            if progress:
                progress(done)
    return result


class _Searches:
    """The services to ask, in order; one that fails is dropped with a warning."""

    def __init__(
        self,
        crossref: CrossrefClient,
        dblp: DblpClient,
        openalex: OpenAlexClient,
        warnings: list[str],
    ) -> None:
        self.crossref = crossref
        self.dblp = dblp
        self.openalex = openalex
        self.warnings = warnings
        self.down: set[str] = set()

    def complete(self, paper: Paper) -> Completion:
        completion = Completion(paper)
        if paper.title is None:
            return self._by_id(completion)
        title = paper.title
        first = paper.authors[0] if paper.authors else None
        searches = (("Crossref", self.crossref.search), ("DBLP", self.dblp.search))
        for name, search in searches:
            works = self._ask(name, partial(search, title)) or []
            accepted, judgements = best_match(works, title, paper.year, first)
            completion.judgements += judgements
            if accepted is not None:
                completion.accepted = accepted
                return completion
        return completion

    def _by_id(self, completion: Completion) -> Completion:
        """An untitled paper is what its DOI (Crossref) or PubMed id (OpenAlex) names."""
        paper = completion.paper
        if paper.doi:
            doi = paper.doi
            work = self._ask("Crossref", lambda: self.crossref.work(doi))
            reason = f"Crossref knows DOI {doi}"
        elif key := pubmed_in_url(paper.url):
            work = self._ask("OpenAlex", lambda: self.openalex.work_by(key))
            reason = f"OpenAlex knows {key}"
        else:
            return completion  # a PDF or a page no service can look up by its address
        if work is not None:
            completion.accepted = Judgement("same", reason, work)
        return completion

    def _ask(self, name: str, call: Callable[[], T]) -> T | None:
        """What the service answered; None when it is down (said once)."""
        if name in self.down:
            return None
        try:
            return call()
        except ServiceUnavailable as error:
            self.down.add(name)
            self.warnings.append(str(error))
            return None


def _save(store: Store, completion: Completion) -> None:
    from papertrail.services.dblp import is_preprint

    assert completion.accepted is not None
    work = completion.accepted.work
    record = work_record(work)
    if is_preprint(work):  # DBLP's arXiv copy: its "venue" is CoRR, not a publication
        record.venue = record.entry_type = None
    with store.transaction():
        for column in store.edited_fields(completion.paper.id):  # the user's word stands
            if hasattr(record, column):
                setattr(record, column, [] if column == "authors" else None)
        before = store.get(completion.paper.id)
        store.fill_missing(completion.paper.id, record)
        store.mark_completed(completion.paper.id, now_iso())
        completion.filled = store.get(completion.paper.id) != before
