"""`papertrail find`: the pages of the library's files that match a query, ranked, with
snippets. SQLite searches its FTS5 table (bm25), PostgreSQL the pages' tsvectors (ts_rank);
both take the same query language (model/search_query.py), user text only ever a parameter.

Two statements each: (1) every matching page with its rank, grouped by file straight from
the page's row id (file id << 16 | page: the wide rows are never read), joined to the
papers once per matching file, the best papers by their best page and the best pages of
those papers; (2) snippets for those pages only (a snippet re-reads and re-tokenizes a
page: doing it for every match is what makes a naive query slow).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from papertrail.db.files import PAGE_BITS, PAGE_MASK
from papertrail.db.history import HistoryWrites
from papertrail.errors import BadSearchQuery, StoreError
from papertrail.model.files import PageHit, PaperHit

if TYPE_CHECKING:
    from papertrail.model.search_query import Node

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
SNIPPET_TOKENS = 16  # words around a match (FTS5's snippet())
HEADLINE_OPTIONS = (
    f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", '
    'MaxWords=24, MinWords=10, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "'
)
_FTS5_ERRORS = ("fts5", "unterminated string", "syntax error", "unknown special")

# Every matching page and its bm25 (lower is better). MATERIALIZED: in a flattened
# subquery FTS5 would not drive the loop, and bm25() refuses to run there.
_SQLITE_HITS = (
    "SELECT rowid AS id, bm25(file_page_fts) AS rank FROM file_page_fts WHERE file_page_fts MATCH ?"
)
_POSTGRES_HITS = (
    "SELECT fp.id, -ts_rank(fp.tsv, q.q) AS rank FROM file_page fp, q WHERE fp.tsv @@ q.q"
)
_SUBTOPICS = (
    "WITH RECURSIVE subtopic(id) AS (SELECT id FROM topic WHERE slug = ? "
    "UNION SELECT t.id FROM topic t JOIN subtopic s ON t.parent_id = s.id), "
)


def split_highlights(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Snippet text without the markers, and the [start, end) spans they enclosed."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length, start = 0, 0
    for part in re.split(f"([{HIGHLIGHT_START}{HIGHLIGHT_END}])", marked):
        if part == HIGHLIGHT_START:
            start = length
        elif part == HIGHLIGHT_END:
            if spans and spans[-1][1] == start:  # touching spans (CJK characters): one
                start = spans.pop()[0]
            spans.append((start, length))
        else:
            out.append(part)
            length += len(part)
    return "".join(out), tuple(spans)


class FullText(HistoryWrites):
    """Searching file_page (see the module's docstring)."""

    def find_pages(
        self,
        query: Node,
        *,
        limit: int = 20,
        pages_per_paper: int = 3,
        status: str | None = None,
        topic: str | None = None,
    ) -> list[PaperHit]:
        """Papers whose pages match, best first, each with its best pages and snippets."""
        from papertrail.model.search_query import to_fts5, to_tsquery_sql  # `find` only

        postgres = self.dialect.name != "sqlite"
        if postgres:
            tsquery, match = to_tsquery_sql(query)
            prefix, hits = f"q AS (SELECT {tsquery} AS q), ", _POSTGRES_HITS
        else:
            prefix, hits, match = "", _SQLITE_HITS, [to_fts5(query)]
        rows = self._rank(prefix, hits, match, limit, pages_per_paper, status, topic)
        if not rows:
            return []
        snippets = self._snippets(postgres, prefix, match, [int(row[3]) for row in rows])
        papers: dict[int, PaperHit] = {}
        for paper_id, best, count, row_id, _ in rows:
            text, spans = snippets.get(int(row_id), ("", ()))
            page = PageHit(int(row_id) & PAGE_MASK, text, spans)
            known = papers.get(int(paper_id))
            pages = (*known.pages, page) if known else (page,)
            papers[int(paper_id)] = PaperHit(int(paper_id), -float(best), int(count), pages)
        return list(papers.values())

    def _rank(
        self,
        prefix: str,
        hits: str,
        match: list[Any],
        limit: int,
        per_paper: int,
        status: str | None,
        topic: str | None,
    ) -> list[Sequence[Any]]:
        """(paper id, best rank, matching pages, page row id, page rank) for the best
        `per_paper` pages of the `limit` best papers, best first (lower rank is better)."""
        params: list[Any] = []
        filters = ""
        if topic is not None:
            prefix = _SUBTOPICS + prefix
            params.append(topic)
            filters += (
                " AND pf.paper_id IN (SELECT pt.paper_id FROM paper_topic pt "
                "WHERE pt.topic_id IN (SELECT id FROM subtopic))"
            )
        params += match
        if status is not None:
            # The reader's own status (0016); the id is a number resolved once, inlined.
            filters += (
                " AND coalesce((SELECT r.status FROM reading r WHERE r.paper_id = p.id "
                f"AND r.reader_id = {int(self.reader_id)}), 'unread') = ?"
            )
            params.append(status)
        params += [limit, per_paper]
        sql = f"""
            WITH {prefix.removeprefix("WITH ")}h AS MATERIALIZED ({hits}),
            files AS (
                SELECT id >> {PAGE_BITS} AS file_id, min(rank) AS best, count(*) AS pages
                FROM h GROUP BY id >> {PAGE_BITS}
            ),
            papers AS (
                SELECT pf.paper_id, min(files.best) AS best, sum(files.pages) AS pages
                FROM files
                JOIN paper_file pf ON pf.file_id = files.file_id
                JOIN paper p ON p.id = pf.paper_id WHERE 1 = 1{filters}
                GROUP BY pf.paper_id
                ORDER BY best, pf.paper_id
                LIMIT ?
            ),
            top AS (
                SELECT papers.paper_id, papers.best, papers.pages, h.id, h.rank,
                       row_number() OVER (PARTITION BY papers.paper_id ORDER BY h.rank, h.id) AS k
                FROM papers
                JOIN paper_file pf ON pf.paper_id = papers.paper_id
                JOIN h ON h.id >> {PAGE_BITS} = pf.file_id
            )
            SELECT paper_id, best, pages, id, rank FROM top WHERE k <= ?
            ORDER BY best, paper_id, k
        """
        return self._search(sql, params)

    def _snippets(
        self, postgres: bool, prefix: str, match: list[Any], row_ids: Sequence[int]
    ) -> dict[int, tuple[str, tuple[tuple[int, int], ...]]]:
        """Snippet text and highlight spans for these page rows only."""
        marks = ",".join("?" * len(row_ids))
        if postgres:
            sql = (
                f"WITH {prefix.rstrip(', ')} SELECT fp.id, ts_headline('papertrail', fp.text, "
                f"q.q, ?) FROM file_page fp, q WHERE fp.id IN ({marks})"
            )
            params = [*match, HEADLINE_OPTIONS, *row_ids]
        else:
            # `+rowid`: a filter on the one evaluation of MATCH. A bare `rowid IN` would
            # have FTS5 run the query again for each row (a prefix query expands each time).
            sql = (
                "SELECT rowid, snippet(file_page_fts, 0, ?, ?, '…', ?) FROM file_page_fts "
                f"WHERE file_page_fts MATCH ? AND +rowid IN ({marks})"
            )
            params = [HIGHLIGHT_START, HIGHLIGHT_END, SNIPPET_TOKENS, *match, *row_ids]
        found = self._search(sql, params)
        from papertrail.model.pagetext import unspace_cjk  # `find` only

        return {
            int(row_id): split_highlights(unspace_cjk(" ".join(marked.split())))
            for row_id, marked in found
        }

    def _search(self, sql: str, params: Sequence[Any]) -> list[Sequence[Any]]:
        try:
            return self.rows(sql, params)
        except StoreError as error:
            # Every term is quoted (model/search_query.py): an FTS5 complaint here is a
            # limit of the index, not the user's syntax; still one line.
            if self.dialect.name == "sqlite" and any(s in str(error).lower() for s in _FTS5_ERRORS):
                raise BadSearchQuery(f"the index cannot run this query ({error})") from None
            raise

    def index_sizes(self) -> tuple[int, int]:
        """(characters of page text, bytes of the full-text index), for `files`."""
        chars = self.one("SELECT coalesce(sum(length(text)), 0) FROM file_page")[0]
        if self.dialect.name == "sqlite":
            # FTS5 keeps its index in the shadow table file_page_fts_data.
            size = self.one("SELECT coalesce(sum(length(block)), 0) FROM file_page_fts_data")[0]
        else:
            size = self.one("SELECT pg_relation_size('ix_file_page_tsv')")[0]
        return int(chars), int(size)

    def optimize_index(self) -> None:
        """Merge the index's segments (after a large import: smaller and faster)."""
        if self.dialect.name == "sqlite":
            self.execute("INSERT INTO file_page_fts (file_page_fts) VALUES ('optimize')")
