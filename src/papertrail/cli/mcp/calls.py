"""What each MCP tool does: the core functions the CLI's commands call, on a library
opened for one call, answering the JSON shapes of answers.py.

The arXiv query builder, the DOI services and the full-text index are imported only by
the tools that use them (start-up of the server).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from papertrail.cli.mcp import answers
from papertrail.cli.mcp.answers import JSON, ONE_PAPER, entry_json, page, paper_json
from papertrail.config import Settings
from papertrail.core import files as files_core
from papertrail.core import history, queue, topics
from papertrail.core import papers as papers_core
from papertrail.core.linked import follow_links
from papertrail.db.store import Store
from papertrail.errors import NotARef, PapertrailError, UsageError
from papertrail.model.ids import names_arxiv_paper, parse_doi
from papertrail.model.query import PaperQuery
from papertrail.model.records import Paper
from papertrail.model.text import bounded


class Library(NamedTuple):
    """What a tool works on: the library, open for this call, and the settings."""

    store: Store
    settings: Settings


@contextmanager
def open_library(settings: Settings, command: str) -> Iterator[Library]:
    """The library for one call, closed when it ends (never created: a typo in the
    client's settings must not leave an empty library behind). Its writes are one
    history entry named `command`."""
    from papertrail.db.opening import open_store  # the database driver: when a call comes

    store = open_store(settings.db, create=False)
    store.new_entry(command)
    follow_links(store)  # a change made here rewrites the linked bibliographies too
    try:
        yield Library(store, settings)
    finally:
        store.close()


# -- the read tools ------------------------------------------------------------------------


def _ref(args: dict[str, Any], name: str = "paper") -> str:
    """A REF argument as text (a model may send the number 12 for "12")."""
    return str(args[name])


def search_library(library: Library, args: dict[str, Any]) -> JSON:
    """`list --json` with its filters, one page at a time."""
    store = library.store
    query = PaperQuery(
        topic=topics.check_topic(store, args["topic"]), status=args["status"],
        search=args["text"], author=args["author"], year=args["year"], since=args["since"],
        sort=args["sort"], limit=args["limit"], offset=args["offset"],
    )  # fmt: skip
    found, total = papers_core.find_papers(store, query)
    return page("papers", [paper_json(p) for p in _filed(library, found)], total, args["offset"])


def _filed(library: Library, papers: Iterable[Paper]) -> list[Paper]:
    """The papers with their files, as `--json` gives them."""
    return list(files_core.with_files(library.store, papers, few=True))


def get_paper(library: Library, args: dict[str, Any]) -> JSON:
    """`show --json`, and the start of the paper's text when the library has it."""
    paper = papers_core.get_paper(library.store, _ref(args))
    shown = paper_json(_filed(library, [paper])[0], ONE_PAPER)
    shown["text"] = _text_excerpt(library, paper.id)
    return shown


def reading_queue(library: Library, args: dict[str, Any]) -> JSON:
    """`queue --json`: the queue in order, each paper with its place (1 is read first)."""
    queued = queue.queue(library.store)
    start, end = args["offset"], args["offset"] + args["limit"]
    shown = _filed(
        library, papers_core.papers_by_id(library.store, [p.id for p in queued[start:end]])
    )
    places = {p.id: place for place, p in enumerate(queued, 1)}
    items = [{"position": places[p.id], **paper_json(p)} for p in shown]
    return page("papers", items, len(queued), start)


def what_next(library: Library, args: dict[str, Any]) -> JSON:
    """`next --json`: the queue first, then unread papers of the least-read topics."""
    found = queue.suggest(library.store, args["count"], args["topic"])
    reasons = {s.paper.id: s.reason for s in found}
    shown = _filed(library, papers_core.papers_by_id(library.store, [s.paper.id for s in found]))
    return {"papers": [{"reason": reasons[p.id], **paper_json(p)} for p in shown]}


def topic_list(library: Library, args: dict[str, Any]) -> JSON:
    """`topics --json` (with `all`: `topics --all --json`), a page at a time."""
    found = topics.topic_summaries(library.store, include_unused=args["all"])
    start, end = args["offset"], args["offset"] + args["limit"]
    return page("topics", [t.to_json() for t in found[start:end]], len(found), start)


def history_page(library: Library, args: dict[str, Any]) -> JSON:
    """`log --json` (of one paper, with `paper`), newest first, without the row images."""
    store = library.store
    paper_id = None if args["paper"] is None else history.paper_in_history(store, _ref(args))
    found = history.log(store, paper_id=paper_id, limit=args["limit"], offset=args["offset"])
    total = history.count(store, paper_id=paper_id)
    return page("entries", [entry_json(e) for e in found], total, args["offset"])


def search_arxiv(library: Library, args: dict[str, Any]) -> JSON:
    """`search --json`: arXiv's answer, the papers the library holds marked."""
    from papertrail.core import search  # the arXiv client: only when arXiv is asked
    from papertrail.services.arxiv_query import SearchRequest  # the same

    request = SearchRequest(
        words=args["query"] or "", title=args["title"], author=args["author"],
        abstract=args["abstract"], categories=tuple(args["categories"]),
        since=args["since"], until=args["until"], sort=args["sort"], limit=args["limit"],
    )  # fmt: skip
    results = search.search(library.store, library.settings, request)
    hits = [answers.bound_fields(hit.to_json()) for hit in results.hits]
    return {"query": results.query, "total": results.total, "papers": hits}


# -- the full text (issue 20) ----------------------------------------------------------------


def find_text(library: Library, args: dict[str, Any]) -> JSON:
    """`find --json`: papers ranked by where the words occur in their text, with pages
    and snippets, a page of hits at a time."""
    start = args["offset"]
    wanted = {"topic": args["topic"], "status": args["status"], "limit": start + args["limit"]}
    found = files_core.find(library.store, args["query"], **wanted)
    hits = [_find_hit(files_core.hit_json(paper, hit)) for paper, hit in found[start:]]
    more = len(found) == start + args["limit"]
    return {"hits": hits, "offset": start, "next_offset": start + len(hits) if more else None}


def _find_hit(shown: JSON) -> JSON:
    """One hit of find as find --json shows it, each page's snippet bounded and at most
    SNIPPETS_PER_PAPER of them."""
    shown = answers.bound_fields(shown)
    pages = list(shown.get("pages") or [])[: answers.SNIPPETS_PER_PAPER]
    shown["pages"] = [
        {**p, "snippet": bounded(p.get("snippet"), answers.SNIPPET_CHARS)[0]} for p in pages
    ]
    return shown


def _text_excerpt(library: Library, paper_id: int) -> JSON | None:
    """The start of a paper's text, when the library holds its PDF: {"pages": N,
    "excerpt": the first TEXT_EXCERPT_CHARS characters}; null without one."""
    return files_core.text_start(library.store, paper_id, answers.TEXT_EXCERPT_CHARS)


# -- the write tools -------------------------------------------------------------------------


def add_paper(library: Library, args: dict[str, Any]) -> JSON:
    """`add REF` (arXiv id or URL, or DOI) or `add --title`."""
    ref, title = args["ref"], args["title"]
    if (ref is None) == (title is None):
        raise UsageError("give either ref (an arXiv id or URL, or a DOI) or title, not both")
    if title is not None:
        paper, added = papers_core.add_manual(
            library.store, title=title, url=args["url"], year=args["year"],
            authors=args["authors"], topics=args["topics"], status=args["status"],
            note=args["note"],
        )  # fmt: skip
        return {"paper": paper_json(_filed(library, [paper])[0]), "added": added, "warning": None}
    doi = parse_doi(str(ref))
    if doi is not None:
        return _add_doi(library, doi, args)
    return _add_arxiv(library, str(ref), args)


def _add_arxiv(library: Library, ref: str, args: dict[str, Any]) -> JSON:
    if not names_arxiv_paper(ref):  # the message `add` gives (docs/cli.md, REF)
        raise NotARef(ref)
    result = papers_core.add_arxiv(
        library.store, library.settings, [ref], topics=args["topics"], status=args["status"],
        note=args["note"],
    )  # fmt: skip
    if result.rejected:  # the messages `add` prints
        rejected, why = result.rejected[0]
        raise PapertrailError(f"{rejected}: {why}")
    if result.not_on_arxiv:
        raise PapertrailError(f"arXiv has no paper {result.not_on_arxiv[0]}")
    if result.added:
        return _added(result.added[0], True, result.offline_reason)
    return _added(result.already_present[0][0], False, None)


def _add_doi(library: Library, doi: str, args: dict[str, Any]) -> JSON:
    from papertrail.core.not_on_arxiv import add_dois  # the DOI services: only for a DOI
    from papertrail.services.config import ServiceSettings  # the same

    result = add_dois(
        library.store, ServiceSettings.load(library.settings.offline), [doi],
        topics=args["topics"], status=args["status"], note=args["note"],
    )  # fmt: skip
    if result.unknown:
        raise PapertrailError(f"neither Crossref nor OpenAlex knows DOI {doi}: nothing added")
    if result.added:
        return _added(result.added[0], True, result.offline_reason)
    return _added(result.already_present[0][0], False, None)


def _added(paper: Paper, added: bool, offline_reason: str | None) -> JSON:
    """add_paper's answer; `warning` says when a new paper's metadata is still to come."""
    warning = None
    if added and offline_reason is not None:
        warning = f"added without metadata ({offline_reason}); `papertrail fetch` completes it"
    return {"paper": paper_json(paper), "added": added, "warning": warning}


def mark_read(library: Library, args: dict[str, Any]) -> JSON:
    """`mark-read REF`; a paper already read keeps the date it was read."""
    paper = papers_core.get_paper(library.store, _ref(args))
    if paper.status != "read":
        (paper,) = papers_core.set_status(library.store, [str(paper.id)], "read")
    return {"paper": paper_json(_filed(library, [paper])[0])}


def add_note(library: Library, args: dict[str, Any]) -> JSON:
    """`note REF TEXT`: a dated paragraph after what the note says."""
    paper = papers_core.append_note(library.store, _ref(args), args["text"])
    return {"paper": paper_json(_filed(library, [paper])[0])}


def tag(library: Library, args: dict[str, Any]) -> JSON:
    """`tag REF TOPIC...`: topics added (new ones created)."""
    paper, added = topics.tag(library.store, _ref(args), args["topics"])
    return {"paper": paper_json(_filed(library, [paper])[0]), "added_topics": added}


def queue_paper(library: Library, args: dict[str, Any]) -> JSON:
    """`queue REF [--top]`: the paper and its place in the queue."""
    store = library.store
    queue.enqueue(store, [_ref(args)], top=args["top"])
    paper = papers_core.get_paper(store, _ref(args))
    return {
        "paper": paper_json(_filed(library, [paper])[0]),
        "position": store.queued_ids().index(paper.id) + 1,
    }
