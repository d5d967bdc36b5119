"""The papers' SQL that reads: papers by the filters of `list` and `export`, summaries,
lookups by REF, arXiv id, DOI or title, and the library's statistics. Rows are read in
chunks, so 100,000 papers stream."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from papertrail.db.dialect import like_pattern
from papertrail.db.tags import TagTables
from papertrail.db.topics import TopicTables
from papertrail.errors import InvalidArxivId, NotARef, PaperNotFound
from papertrail.model.citation_keys import usable_key
from papertrail.model.ids import normal_doi, parse_arxiv_id, parse_doi
from papertrail.model.query import PaperQuery
from papertrail.model.records import (
    STATUSES,
    LibraryStats,
    Paper,
    PaperSummary,
    TableExtents,
    fill_months,
    split_authors,
)

# What a bibliography holds beyond arXiv's metadata (migrations 0003 and 0006).
BIBLIOGRAPHIC_COLUMNS = (
    "entry_type", "venue", "volume", "number", "pages", "publisher", "citation_key",
)  # fmt: skip
# Columns of `paper`, in the order queries select them (see models.Paper).
PAPER_COLUMNS = (
    "id", "arxiv_id", "version", "title", "authors", "abstract", "published", "updated",
    "year", "primary_category", "categories", "doi", "journal_ref", "comment", "url",
    "pdf_url", "status", "note", "added_at", "started_at", "read_at", "fetched_at",
    *BIBLIOGRAPHIC_COLUMNS, "newer_version", "venue_year", "citations", "citations_at",
)  # fmt: skip
# What `list` shows (PaperSummary's fields, topics after them): reading only these keeps
# abstracts (most of a row's bytes) on disk.
SUMMARY_COLUMNS = (
    "id", "arxiv_id", "title", "authors", "year", "status", "fetched_at", "newer_version",
    "address",
)  # fmt: skip
# Columns worked out from others (only for an untitled paper: most rows carry a NULL).
COMPUTED_COLUMNS = {
    "address": "CASE WHEN p.title IS NULL THEN coalesce('doi:' || p.doi, p.url) END",
}
# A reader's own columns of a paper (0016): from their `reading` row (`r`, joined by
# _reading_join) and their private note; the rest is the lab's, in `paper`.
READER_COLUMNS = {
    "status": "coalesce(r.status, 'unread')",
    "started_at": "r.started_at",
    "read_at": "r.read_at",
    "note": "(SELECT n.text FROM reader_note n WHERE n.reader_id = {reader} "
    "AND n.paper_id = p.id AND n.shared = 0)",
}
# The columns `paper` itself holds, in PAPER_COLUMNS' order.
STORED_COLUMNS = tuple(c for c in PAPER_COLUMNS if c not in READER_COLUMNS)
MAX_ID = 2**63 - 1  # ids are 64-bit integers on both databases
_CHUNK = 500  # ids per statement: SQLite and PostgreSQL both limit a statement's parameters
# id, arXiv id, DOI, title, year, first author: what matching an import needs of a paper.
MatchRow = tuple[int, str | None, str | None, str | None, int | None, str | None]


def match_title(candidates: Sequence[tuple[int, str | None]], url: str | None) -> int | None:
    """Among same-title papers, the one that is this paper: two works may share a title
    ("Deep learning", the book and the review), so differing URLs keep them apart."""
    for paper_id, known_url in candidates:
        if url is None or known_url is None or known_url.rstrip("/") == url.rstrip("/"):
            return paper_id
    return None


def _split(value: str | None, sep: str | None) -> list[str]:
    return value.split(sep) if value else []


def _row_to_paper(row: Sequence[Any], columns: Sequence[str] = PAPER_COLUMNS) -> Paper:
    values = dict(zip(columns, row, strict=False))
    if "authors" in values:
        values["authors"] = split_authors(values["authors"])
    if "categories" in values:
        values["categories"] = _split(values["categories"], " ")
    return Paper(**values, topics=sorted(row[-1].split(",")) if row[-1] else [])


def _flip(term: str) -> str:
    """An ORDER BY term the other way round; `IS NULL` terms keep missing values last."""
    if term.endswith(" IS NULL"):
        return term
    if term.endswith(" DESC"):
        return term[: -len(" DESC")]
    return term + " DESC"


class PaperReads(TopicTables, TagTables):
    """Reads of `paper` (with each paper's topics)."""

    # -- papers by REF, id, arXiv id, DOI or title -----------------------------------------

    def resolve(self, ref: str) -> int:
        """The id of the paper a REF names (docs/cli.md): the number `list` shows, an arXiv
        id or any URL that names one, a DOI (bare, `doi:`, URL), or its citation key."""
        text = ref.strip()
        if text.isascii() and text.isdigit():
            if int(text) > MAX_ID:  # more than any database stores: no such paper
                raise PaperNotFound(ref)
            row = self.one("SELECT id FROM paper WHERE id = ?", (int(text),))
        elif (doi := parse_doi(text)) is not None:
            row = self.one("SELECT min(id) FROM paper WHERE lower(doi) = ?", (normal_doi(doi),))
            row = None if row is None or row[0] is None else row
        else:
            try:
                arxiv_id = parse_arxiv_id(text).id
            except InvalidArxivId:
                # Not an arXiv id: a citation key (`han2016deep`). What reads as a key made
                # here (ASCII, no dot, no slash) is said to be no paper, the rest no REF.
                found = self.paper_with_key(text)
                if found is not None:
                    return found
                if "." in text or "/" in text or not (text.isascii() and usable_key(text)):
                    raise NotARef(ref) from None
                raise PaperNotFound(ref) from None
            row = self.one("SELECT id FROM paper WHERE arxiv_id = ?", (arxiv_id,))
        if row is None:
            raise PaperNotFound(ref)
        return int(row[0])

    def newest_refs(self, limit: int) -> list[tuple[int, str | None, str | None]]:
        """(id, citation key, title) of the newest papers, newest first (completion)."""
        rows = self.rows(
            "SELECT id, citation_key, title FROM paper ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [(int(i), key, title) for i, key, title in rows]

    def paper_with_key(self, key: str) -> int | None:
        """The paper whose citation key is `key` (the first, should two share it)."""
        row = self.one("SELECT min(id) FROM paper WHERE citation_key = ?", (key,))
        if row is None or row[0] is None:
            # An old key of a paper (changed after it was written out, or merged into it).
            row = self.one("SELECT paper_id FROM paper_key WHERE key = ?", (key,))
        return None if row is None or row[0] is None else int(row[0])

    def find_arxiv(self, arxiv_ids: Iterable[str]) -> dict[str, int]:
        """arXiv id -> paper id, for those of the ids already in the library."""
        found: dict[str, int] = {}
        chunk: list[str] = []
        for arxiv_id in arxiv_ids:
            chunk.append(arxiv_id)
            if len(chunk) == 500:
                found.update(self._find_arxiv_chunk(chunk))
                chunk = []
        if chunk:
            found.update(self._find_arxiv_chunk(chunk))
        return found

    def _find_arxiv_chunk(self, chunk: list[str]) -> dict[str, int]:
        marks = ",".join("?" * len(chunk))
        rows = self.rows(f"SELECT arxiv_id, id FROM paper WHERE arxiv_id IN ({marks})", chunk)
        return {arxiv_id: paper_id for arxiv_id, paper_id in rows}

    def find_without_arxiv(self, title: str, url: str | None) -> int | None:
        """A paper not on arXiv with this title (as same_paper compares titles) and, when both have
        one, URL."""
        from papertrail.model.same_paper import normal_title  # start-up of the other reads

        return match_title(self.titles_without_arxiv().get(normal_title(title), []), url)

    def titles_without_arxiv(self) -> dict[str, list[tuple[int, str | None]]]:
        """title key (same_paper.normal_title) -> [(id, url)] of the papers not on arXiv.

        Keys are made in Python, not SQL: neither SQLite's lower() (ASCII only) nor LIKE
        folds all of Unicode or collapses whitespace, and lookup must match storage.
        """
        from papertrail.model.same_paper import normal_title  # start-up of the other reads

        sql = "SELECT title, id, url FROM paper WHERE arxiv_id IS NULL AND title IS NOT NULL"
        found: dict[str, list[tuple[int, str | None]]] = {}
        for text, paper_id, url in self.rows(sql):
            found.setdefault(normal_title(text), []).append((int(paper_id), url))
        return found

    def existing_ids(self, paper_ids: Iterable[int]) -> set[int]:
        """Those of the ids that are papers of the library, asked 500 at a time."""
        wanted = [i for i in dict.fromkeys(paper_ids) if 0 < i <= MAX_ID]
        found: set[int] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(
                int(r[0]) for r in self.rows(f"SELECT id FROM paper WHERE id IN ({marks})", chunk)
            )
        return found

    def get_many(self, paper_ids: Sequence[int]) -> list[Paper]:
        """The papers with these ids, in that order (ids of no paper left out), read 500 at
        a time: a statement has a limit on its parameters."""
        found: dict[int, Paper] = {}
        for start in range(0, len(paper_ids), _CHUNK):
            query = PaperQuery(paper_ids=paper_ids[start : start + _CHUNK])
            found.update((paper.id, paper) for paper in self.iter_papers(query))
        return [found[i] for i in paper_ids if i in found]

    def summaries_of(self, paper_ids: Sequence[int]) -> list[PaperSummary]:
        """`get_many`, as the summaries `list` shows."""
        found: dict[int, PaperSummary] = {}
        for start in range(0, len(paper_ids), _CHUNK):
            query = PaperQuery(paper_ids=paper_ids[start : start + _CHUNK])
            found.update((paper.id, paper) for paper in self.iter_summaries(query))
        return [found[i] for i in paper_ids if i in found]

    def get(self, paper_id: int) -> Paper:
        papers = list(self.iter_papers(PaperQuery(paper_ids=[paper_id])))
        if not papers:
            raise PaperNotFound(str(paper_id))
        return papers[0]

    # -- papers by query (list, export) ----------------------------------------------------

    def iter_papers(
        self, query: PaperQuery, columns: Sequence[str] | None = None
    ) -> Iterator[Paper]:
        """Stream the papers a query selects, each with its topics, without loading them all.

        `columns` (with "id"): read only these; the others stay empty (exports that need few).
        """
        if columns is None:
            return self._with_tags(map(_row_to_paper, self.iter_rows(query, PAPER_COLUMNS)))
        papers = (_row_to_paper(row, columns) for row in self.iter_rows(query, columns))
        return self._with_tags(papers) if "id" in columns else papers

    def _with_tags(self, papers: Iterator[Paper]) -> Iterator[Paper]:
        """Papers with their tags, read for a chunk of papers at a time."""
        while chunk := list(islice(papers, _CHUNK)):
            tags = self.tags_of([paper.id for paper in chunk])
            for paper in chunk:
                paper.tags = tags.get(paper.id, [])
            yield from chunk

    def iter_rows(
        self, query: PaperQuery, columns: Sequence[str], *, topics: bool = True
    ) -> Iterator[Sequence[Any]]:
        """`iter_papers` as plain rows: the values of `columns`, then the paper's topics as
        one text (comma-separated, in no particular order; None for none; always None
        without `topics`). For exports of many papers, where building a Paper for each row
        costs more than writing it."""
        sql, params = self._select_papers(query, columns, topics=topics)
        return self.stream(self.execute(sql, params))

    def iter_summaries(self, query: PaperQuery) -> Iterator[PaperSummary]:
        """`iter_papers` for what `list` shows: abstracts and the rest stay on disk."""
        return map(PaperSummary._make, self.iter_rows(query, SUMMARY_COLUMNS))

    def summary_extents(self, query: PaperQuery) -> TableExtents:
        """What a terminal table must know before its first row, in one pass over the query:
        the largest id, the longest arXiv id and topic list, whether any paper has authors."""
        sql, params = self._select_papers(query, ("id", "arxiv_id", "authors"))
        max_id, arxiv, topics, authors = self.one(
            "SELECT max(id), max(length(arxiv_id)), "
            # "a,b" is shown as "a, b": one more character per comma.
            "max(2 * length(topics) - length(replace(topics, ',', ''))), "
            f"max(CASE WHEN authors <> '' THEN 1 ELSE 0 END) FROM ({sql}) AS listed",
            params,
        )
        return TableExtents(max_id or 0, arxiv or 0, topics or 0, bool(authors))

    def _reading_join(self) -> str:
        """The reader's `reading` rows (r) beside the papers (p).

        The reader's id is the one resolved once for the connection, written into the
        statement as a number (it is one): no query, no parameter to place among the
        filters', and a constant the planner sees (a subquery on it runs once)."""
        return (
            f" LEFT JOIN reading r ON r.paper_id = p.id AND r.reader_id = {self._reader_number()}"
        )

    def _reader_number(self) -> int:
        return int(self.reader_id)

    def _select_papers(
        self, query: PaperQuery, selected: Sequence[str] = PAPER_COLUMNS, *, topics: bool = True
    ) -> tuple[str, list[Any]]:
        reader = self._reader_number()
        columns = ", ".join(
            READER_COLUMNS[c].format(reader=reader)
            if c in READER_COLUMNS
            else COMPUTED_COLUMNS.get(c, f"p.{c}")
            for c in selected
        )
        slugs = self.dialect.aggregate_slugs("t.slug")
        topics_sql = (
            f"(SELECT {slugs} FROM paper_topic pt JOIN topic t ON t.id = pt.topic_id "
            "WHERE pt.paper_id = p.id)"
            if topics
            else "NULL"
        )
        prefix, where, params = self._filters(query)
        sql = f"{prefix}SELECT {columns}, {topics_sql} AS topics FROM paper p{self._reading_join()}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + self._order(query.sort)
        if query.limit is not None or query.offset:
            # Both databases take LIMIT before OFFSET; "no limit" is the largest id.
            sql += " LIMIT ?"
            params.append(MAX_ID if query.limit is None else query.limit)
        if query.offset:
            sql += " OFFSET ?"
            params.append(query.offset)
        return sql, params

    def count_matching(self, query: PaperQuery) -> int:
        """How many papers the query's filters select (its sort, limit and offset aside)."""
        prefix, where, params = self._filters(query)
        sql = f"{prefix}SELECT count(*) FROM paper p{self._reading_join()}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return int(self.one(sql, params)[0])

    def _filters(self, query: PaperQuery) -> tuple[str, list[str], list[Any]]:
        prefix = ""
        where: list[str] = []
        params: list[Any] = []
        if query.topic is not None:
            # The topic and every topic below it, however deep.
            prefix = (
                "WITH RECURSIVE subtopic(id) AS (SELECT id FROM topic WHERE slug = ? "
                "UNION SELECT t.id FROM topic t JOIN subtopic s ON t.parent_id = s.id) "
            )
            params.append(query.topic)
            where.append(
                "p.id IN (SELECT pt.paper_id FROM paper_topic pt "
                "WHERE pt.topic_id IN (SELECT id FROM subtopic))"
            )
        if query.status is not None:
            # Through the reader's rows by status (ix_reading_reader_status): unread papers
            # are those without a row saying otherwise.
            mine = (
                f"SELECT paper_id FROM reading WHERE reader_id = {self._reader_number()} AND status"
            )
            if query.status == "unread":
                where.append(f"p.id NOT IN ({mine} <> 'unread')")
            else:
                where.append(f"p.id IN ({mine} = ?)")
                params.append(query.status)
        read_by = getattr(query, "read_by", None)
        if read_by is not None:
            # Another member's reading, as the lab may see it (not a private reader's).
            where.append(
                "p.id IN (SELECT o.paper_id FROM reading o JOIN reader rd ON rd.id = o.reader_id "
                "WHERE rd.name = ? AND o.status = 'read' "
                f"AND (rd.private = 0 OR rd.id = {self._reader_number()}))"
            )
            params.append(read_by)
        if query.author:
            where.append(self.dialect.contains("p.authors"))
            params.append(self.dialect.contains_pattern(query.author))
        if query.year is not None:
            where.append("p.year = ?")
            params.append(query.year)
        if query.since is not None:
            where.append("p.year >= ?")
            params.append(query.since)
        if query.tag is not None:
            where.append(
                "p.id IN (SELECT pt.paper_id FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
                "WHERE t.name = ?)"
            )
            params.append(query.tag)
        if query.since_date is not None:
            where.append("(p.published >= ? OR (p.published IS NULL AND p.year >= ?))")
            params += [query.since_date, int(query.since_date[:4])]
        if query.until_date is not None:
            where.append("(p.published <= ? OR (p.published IS NULL AND p.year <= ?))")
            params += [query.until_date, int(query.until_date[:4])]
        if query.paper_ids is not None:
            where.append(f"p.id IN ({','.join('?' * len(query.paper_ids)) or 'NULL'})")
            params.extend(query.paper_ids)
        if query.has_pdf is not None:
            where.append(
                f"p.id {'' if query.has_pdf else 'NOT '}IN (SELECT pf.paper_id FROM paper_file pf "
                "JOIN file f ON f.id = pf.file_id WHERE f.suffix = '.pdf')"
            )
        terms = query.search.split() if query.search else []
        for term in terms:
            # Each term in the paper's text, or in the reader's own notes (not in `paper`
            # since 0016: a note is one reader's).
            clause, search_params = self.dialect.search_clause([term])
            in_notes = (
                f"SELECT n.paper_id FROM reader_note n WHERE n.reader_id = {self._reader_number()} "
                f"AND {self.dialect.contains('n.text')}"
            )
            if self.dialect.name == "sqlite":  # the clause is an IN of the FTS table
                where.append(f"({clause} OR p.id IN ({in_notes}))")
            else:  # a UNION keeps the trigram index of the papers' text in use
                where.append(f"p.id IN (SELECT id FROM paper WHERE {clause} UNION {in_notes})")
            params.extend([*search_params, self.dialect.contains_pattern(term)])
        return prefix, where, params

    def _order(self, sort: str) -> str:
        """ORDER BY for a sort key; `-key` reverses it (papers without the value stay last)."""
        descending = sort.startswith("-")
        key = sort.lstrip("-")
        if key == "published":
            terms = ["p.published IS NULL", "p.published DESC", "p.id"]
        elif key == "title":
            terms = ["p.title IS NULL", self.dialect.title_order(), "p.id"]
        elif key == "status":
            terms = ["CASE r.status WHEN 'reading' THEN 0 WHEN 'read' THEN 2 ELSE 1 END", "p.id"]
        elif key == "key":
            terms = ["p.citation_key IS NULL", self.dialect.key_order(), "p.id"]
        elif key == "citations":
            terms = ["p.citations IS NULL", "p.citations DESC", "p.id"]
        else:
            terms = ["p.added_at", "p.id"]
        if descending:
            terms = [_flip(term) for term in terms]
        return ", ".join(terms)

    # -- what fetch and imports need -------------------------------------------------------

    def pending_arxiv_ids(self) -> list[str]:
        rows = self.rows(
            "SELECT arxiv_id FROM paper WHERE arxiv_id IS NOT NULL AND fetched_at IS NULL "
            "ORDER BY id"
        )
        return [row[0] for row in rows]

    def all_arxiv_ids(self) -> list[str]:
        rows = self.rows("SELECT arxiv_id FROM paper WHERE arxiv_id IS NOT NULL ORDER BY id")
        return [row[0] for row in rows]

    def papers_to_complete(self) -> list[Paper]:
        """Papers not on arXiv that a bibliographic service may complete: title-only
        ones (no authors) and untitled ones with a DOI or an address, never completed
        before (core/not_on_arxiv says which addresses a service knows)."""
        rows = self.rows(
            "SELECT id FROM paper WHERE arxiv_id IS NULL AND fetched_at IS NULL AND "
            "((title IS NOT NULL AND authors IS NULL) "
            "OR (title IS NULL AND (doi IS NOT NULL OR url IS NOT NULL))) ORDER BY id"
        )
        return [self.get(int(row[0])) for row in rows]

    def find_doi(self, doi: str) -> int | None:
        """The paper with this DOI (DOIs are case-insensitive), if any."""
        for paper_id, known in self.rows(
            f"SELECT id, doi FROM paper WHERE doi {self.dialect.like} ? ESCAPE '\\'",
            (like_pattern(doi)[1:-1],),
        ):
            if known.lower() == doi.lower():
                return int(paper_id)
        return None

    def count_papers(self) -> int:
        return int(self.one("SELECT count(*) FROM paper")[0])

    def match_rows(self) -> Iterator[MatchRow]:
        """(id, arXiv id, DOI, title, year, first author) of every paper: for matching imports."""
        cursor = self.execute("SELECT id, arxiv_id, doi, title, year, authors FROM paper")
        for paper_id, arxiv_id, doi, title, year, authors in self.stream(cursor):
            first = authors.split("\n", 1)[0] if authors else None
            yield paper_id, arxiv_id, doi, title, year, first

    def address_rows(self) -> list[tuple[int, str]]:
        """(id, url) of the papers not on arXiv that have an address: for matching an
        import's record by its address (model/same_paper.PaperIndex.find)."""
        return [
            (int(paper_id), url)
            for paper_id, url in self.rows(
                "SELECT id, url FROM paper WHERE arxiv_id IS NULL AND url IS NOT NULL"
            )
        ]

    # -- statistics -------------------------------------------------------------------------

    def stats(self) -> LibraryStats:
        by_status = dict.fromkeys(STATUSES, 0)
        # The reader's rows by status (their index), the rest of the papers unread.
        by_status.update(
            self.rows(
                "SELECT status, count(*) FROM reading WHERE reader_id = ? GROUP BY status",
                (self.reader_id,),
            )
        )
        by_status["unread"] += self.count_papers() - sum(by_status.values())
        month = self.dialect.month("read_at")
        per_month = self.rows(
            f"SELECT {month}, count(*) FROM reading WHERE reader_id = ? AND status = 'read' "
            f"AND read_at IS NOT NULL GROUP BY {month} ORDER BY 1",
            (self.reader_id,),
        )
        return LibraryStats(
            by_status={k: int(v) for k, v in by_status.items()},
            topics=self.topic_summaries(),
            read_per_month=fill_months([(m, int(n)) for m, n in per_month]),
        )
