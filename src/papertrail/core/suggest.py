"""`papertrail suggest`: papers the library is missing, ranked by the reader model.

Candidates come from Semantic Scholar: the references and citations of the papers one has
read (the most recently read few: two requests each), and its recommendations endpoint
given the read papers as positives and the dismissed inbox items as negatives. Papers the
library holds, or that were dismissed, are left out; the rest are ranked by how well they
fit the topic (or the library), the model having seen only what the library says.

The Semantic Scholar client (httpx) and numpy are imported with this module, which only
`papertrail suggest` imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice

from papertrail.core import ranking
from papertrail.core.citations import Linked
from papertrail.core.published import s2_id
from papertrail.core.topics import check_topic
from papertrail.db.store import Store
from papertrail.errors import PapertrailError, ServiceUnavailable
from papertrail.model.query import PaperQuery
from papertrail.model.records import Paper, PaperRecord
from papertrail.model.same_paper import normal_title
from papertrail.model.works import Work
from papertrail.services.config import ServiceSettings
from papertrail.services.semanticscholar import SemanticScholarClient

SEEDS = 5  # read papers whose references and citations are asked
LINKED_PER_SEED = 100  # the first page of each
POSITIVES = 100  # read papers given to the recommendations endpoint
NEGATIVES = 100  # dismissed items given to it
RECOMMENDED = 100


@dataclass
class Suggested:
    number: int
    work: Work
    abstract: str | None
    sources: list[str] = field(default_factory=list)  # "references of [12]", "recommended"
    fit: ranking.Fit | None = None

    def record(self) -> PaperRecord:
        work = self.work
        return PaperRecord(
            title=work.title, authors=list(work.authors), abstract=self.abstract,
            arxiv_id=work.arxiv_id, doi=work.doi,
        )  # fmt: skip

    def linked(self) -> Linked:
        """As `refs` lists a paper, for adding it the way `refs --add` does."""
        return Linked(self.number, self.work, True, None)

    def to_json(self) -> dict[str, object]:
        work = self.work
        fit = self.fit.to_json() if self.fit else {"score": None, "topic": None, "why": None}
        return {
            "number": self.number, "title": work.title, "authors": work.authors,
            "year": work.year, "venue": work.venue, "arxiv_id": work.arxiv_id, "doi": work.doi,
            "abstract": self.abstract, "sources": self.sources, **fit,
        }  # fmt: skip


def suggest(
    store: Store, settings: ServiceSettings, topic: str | None = None, limit: int = 20
) -> list[Suggested]:
    """The best `limit` papers the library is missing, best first."""
    model = ranking.reader_model(store, topic)  # what is missing is said before asking
    slug = check_topic(store, topic) if topic is not None else None
    if settings.offline:
        raise ServiceUnavailable(
            "offline (PAPERTRAIL_OFFLINE=1): suggest asks Semantic Scholar; nothing suggested"
        )
    seeds = _seeds(store, slug)
    if not seeds:
        where = f"topic '{slug}'" if slug else "the library"
        raise ranking.NothingToLearn(
            f"no paper of {where} has an arXiv id or a DOI for Semantic Scholar to look up"
        )
    candidates = _candidates(store, settings, seeds)
    found = ranking.fits(model, [c.record() for c in candidates], slug)
    for candidate, fit in zip(candidates, found, strict=True):
        candidate.fit = fit
    candidates.sort(key=lambda c: (-(c.fit.score if c.fit else 0.0), -len(c.sources)))
    chosen = candidates[:limit]
    for number, candidate in enumerate(chosen, 1):
        candidate.number = number
    return chosen


def _seeds(store: Store, slug: str | None) -> list[Paper]:
    """The papers to start from: read ones (most recently read first), then reading ones,
    else any of the topic; only those Semantic Scholar can look up."""
    chosen: list[Paper] = []
    for status in ("read", "reading"):
        papers = store.iter_papers(PaperQuery(topic=slug, status=status, sort="-added"))
        chosen += [p for p in papers if s2_id(p)]
    if not chosen:
        chosen = [p for p in store.iter_papers(PaperQuery(topic=slug)) if s2_id(p)]
    chosen.sort(key=lambda p: p.read_at or p.started_at or "", reverse=True)
    return chosen


def _candidates(store: Store, settings: ServiceSettings, seeds: Sequence[Paper]) -> list[Suggested]:
    found: dict[str, Suggested] = {}
    dismissed = {arxiv_id for arxiv_id, *_ in store.dismissed_texts()}

    def offer(work: Work, abstract: str | None, source: str) -> None:
        key = _key(work)
        if key is None or work.arxiv_id in dismissed or _in_library(store, work):
            return
        known = found.setdefault(key, Suggested(0, work, abstract))
        known.abstract = known.abstract or abstract
        if source not in known.sources:
            known.sources.append(source)

    positive = [s2_id(p) or "" for p in seeds[:POSITIVES]]
    negative = [f"ARXIV:{arxiv_id}" for arxiv_id in sorted(dismissed)[:NEGATIVES]]
    with SemanticScholarClient(settings) as s2:
        for seed in seeds[:SEEDS]:
            for direction in ("references", "citations"):
                for work, identified in _linked(s2, s2_id(seed) or "", direction):
                    if identified:
                        offer(work, None, f"{direction} of [{seed.id}]")
        for work, abstract in s2.recommendations(positive, negative, RECOMMENDED):
            offer(work, abstract, "recommended")
    return list(found.values())


def _linked(s2: SemanticScholarClient, ident: str, direction: str) -> list[tuple[Work, bool]]:
    """The first page of a paper's references or citations; none when Semantic Scholar
    does not know the paper (network trouble stops the command)."""
    try:
        return list(islice(s2.linked(ident, direction), LINKED_PER_SEED))
    except ServiceUnavailable:
        raise
    except PapertrailError:
        return []


def _key(work: Work) -> str | None:
    if work.arxiv_id:
        return f"arxiv:{work.arxiv_id}"
    if work.doi:
        return f"doi:{work.doi.lower()}"
    title = normal_title(work.title)
    return f"title:{title}" if title else None


def _in_library(store: Store, work: Work) -> bool:
    if work.arxiv_id and store.find_arxiv([work.arxiv_id]):
        return True
    if work.doi and store.find_doi(work.doi) is not None:
        return True
    return bool(work.title) and store.find_without_arxiv(work.title or "", None) is not None
