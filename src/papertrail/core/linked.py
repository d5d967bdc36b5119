"""The hook that keeps linked bibliographies current: whoever opens a library to change it
(a CLI command, an MCP call) calls `follow_links`, and every transaction that commits a
change is followed by a look at the links it may affect; core/bib.py, which renders and
writes them, loads only when one is (start-up of every writing command, and the price
of a change that touches no linked selection: a query or two).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from papertrail.config import machine
from papertrail.model.query import PaperQuery

if TYPE_CHECKING:
    from papertrail.db.bib import BibLinkRow
    from papertrail.db.database import Touched
    from papertrail.db.store import Store

# Tables whose change may alter what a linked file holds beyond the papers it names:
# topics (a rename changes every `keywords` field, a new parent the papers of a topic).
_TOPIC_TABLES = frozenset({"topic"})
# The paper columns an entry is written from (exporters' COLUMNS): a change to any other
# (a status, a note, a citation count, a fetch date) changes no linked file, unless the
# link selects by it. The rows of these tables, likewise: topics (keywords, selections),
# files (the `file` field), keys (the aliases a manuscript may cite).
_WRITTEN_COLUMNS = frozenset({
    "arxiv_id", "title", "authors", "abstract", "published", "year", "primary_category",
    "doi", "journal_ref", "url", "entry_type", "venue", "volume", "number", "pages",
    "publisher", "citation_key", "venue_year",
})  # fmt: skip
_WRITTEN_TABLES = frozenset({"paper_topic", "paper_file", "paper_key", "topic"})
_MANY = 500  # touched papers past which a link is simply rendered (and compared)


def follow_links(store: Store) -> None:
    """Rewrite the linked files each committed change affects, right after it commits."""
    store.after_commit.append(lambda touched: _refresh(store, touched))


def _refresh(store: Store, touched: Touched) -> None:
    if not store.any_bib_link():  # a library without links pays this one query
        return
    links = [one for one in store.bib_links(machine()) if affected(store, one, touched)]
    if links:
        from papertrail.core.bib import refresh_links  # a link to rewrite only (start-up)

        refresh_links(store, links)


def affected(store: Store, link: BibLinkRow, touched: Touched) -> bool:
    """Whether the change may alter what the file holds: it changed what entries are
    written from, for a paper the file holds or its selection holds now (or topics, or
    too many papers to name). A file found affected is rendered and compared: written
    only if its bytes would change."""
    if not _written_changed(link, touched):
        return False
    if touched.papers is None or touched.tables & _TOPIC_TABLES:
        return True
    papers = touched.papers
    if not papers:
        return False
    if link.aux or len(papers) > _MANY:
        return True  # a cited key may name a paper added or changed now
    written = link.written_ids or ""
    if any(str(paper) in written for paper in papers) and papers & {
        int(i) for i in written.split()
    }:
        return True
    ids = [int(i) for i in (link.topics or "").split()]
    slugs = list(store.topic_slugs(ids).values()) if ids else [None]
    for topic in slugs:
        query = PaperQuery(topic=topic, status=link.status, search=link.query,
                           paper_ids=sorted(papers))  # fmt: skip
        if store.count_matching(query):
            return True
    return False


def _written_changed(link: BibLinkRow, touched: Touched) -> bool:
    """Whether the change touched anything an entry is written from, or the link selects
    by (its status, its search: the reader's own rows)."""
    for name in touched.columns:
        table, _, column = name.partition(".")
        if table in _WRITTEN_TABLES or (table == "paper" and column == "*"):
            return True
        if table == "paper" and (column in _WRITTEN_COLUMNS or link.query):
            return True
        if table == "reading" and link.status:  # the reader's status (issue 27)
            return True
        if table == "reader_note" and link.query:  # a search reads the reader's notes
            return True
    return False
