"""`papertrail refs REF` and `papertrail cited-by REF`: a paper's references and the
papers citing it, from Semantic Scholar, marked when they are in the library; and adding
some of them (arXiv ones through one arXiv batch, the others with what Semantic Scholar
said about them).

The Semantic Scholar client (httpx) is imported only when it is asked (start-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from papertrail.config import Settings
from papertrail.core.not_on_arxiv import work_record
from papertrail.core.papers import AddResult, add_arxiv
from papertrail.core.published import s2_id
from papertrail.db.store import Store
from papertrail.errors import PapertrailError
from papertrail.model.records import now_iso
from papertrail.model.slugs import topic_slug

if TYPE_CHECKING:
    from papertrail.model.works import Work
    from papertrail.services.config import ServiceSettings


@dataclass
class Linked:
    number: int  # 1, 2, ... as listed
    work: Work
    identified: bool  # Semantic Scholar tied it to a paper of its own
    in_library: int | None  # the library's paper id, when it is there


def linked_papers(
    store: Store, settings: ServiceSettings, ref: str, direction: str, limit: int | None = None
) -> list[Linked]:
    """The references (direction "references") or citations ("citations") of REF."""
    from papertrail.services.semanticscholar import SemanticScholarClient

    paper = store.get(store.resolve(ref))
    ident = s2_id(paper)
    if ident is None:
        raise PapertrailError(
            f"paper {paper.id} has neither an arXiv id nor a DOI: Semantic Scholar cannot "
            "look it up"
        )
    found: list[Linked] = []
    with SemanticScholarClient(settings) as s2:
        for work, identified in s2.linked(ident, direction):
            found.append(Linked(len(found) + 1, work, identified, _in_library(store, work)))
            if limit is not None and len(found) >= limit:
                break
    return found


def _in_library(store: Store, work: Work) -> int | None:
    if work.arxiv_id:
        known = store.find_arxiv([work.arxiv_id]).get(work.arxiv_id)
        if known is not None:
            return known
    if work.doi:
        known = store.find_doi(work.doi)
        if known is not None:
            return known
    return store.find_without_arxiv(work.title, None) if work.title else None


@dataclass
class LinkedAdd:
    arxiv: AddResult | None = None
    added: list[int] = field(default_factory=list)  # papers added from Semantic Scholar's data
    already_present: list[int] = field(default_factory=list)


def add_linked(
    store: Store,
    settings: Settings,
    chosen: Sequence[Linked],
    topics: Sequence[str] = (),
    fetch: bool = True,
) -> LinkedAdd:
    """Add the chosen papers: arXiv ones in one arXiv batch, the others as they were
    described. Papers already in the library get the topics."""
    result = LinkedAdd()
    slugs = [topic_slug(t) for t in topics]
    arxiv_ids = [item.work.arxiv_id for item in chosen if item.work.arxiv_id]
    if arxiv_ids:
        result.arxiv = add_arxiv(store, settings, arxiv_ids, topics=slugs, fetch=fetch)
    now = now_iso()
    with store.transaction():
        for item in chosen:
            if item.work.arxiv_id:
                continue
            if item.in_library is not None:
                store.add_topics(item.in_library, slugs)
                result.already_present.append(item.in_library)
                continue
            if not item.work.title:
                continue
            record = work_record(item.work)
            record.topics = slugs
            if item.work.authors:  # described by Semantic Scholar: nothing to complete
                record.fetched_at = now
            result.added.append(store.insert_paper(record, now))
    return result
