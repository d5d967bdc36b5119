"""Libraries built with papertrail's own schema (cached under benchmarks/.work/), and the
files the import benchmark reads."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papertrail.db.store import Store

from common import FETCH_PAPERS, GENERATOR_VERSION, IMPORT_ENTRIES, WORK_DIR
from synthetic import PAPER_COLUMNS, TOPIC_TREE, Generator, SyntheticPaper, TopicSpec

# ===================================================================== building libraries


def schema_head() -> str:
    from papertrail.db.migrations import HEAD

    return HEAD


def create_empty_library(path: Path) -> None:
    """A new library with papertrail's real schema (papertrail runs its own migrations)."""
    from papertrail.db.opening import open_store

    path.unlink(missing_ok=True)
    open_store(str(path)).close()


def _topic_tree_rows(store: Store) -> None:
    # Store methods, so that topic rows are exactly what papertrail writes.
    with store.transaction():
        store.topic_ids(t.slug for t in TOPIC_TREE)
        for topic in TOPIC_TREE:
            if topic.parent:
                store.set_topic_parent(topic.slug, topic.parent)


def fill_library(path: Path, papers: Sequence[SyntheticPaper]) -> None:
    """Bulk-insert papers into a library papertrail created, fast.

    Topics go through Store methods; papers and their topics through executemany into the
    real tables. The FTS triggers are set aside during the bulk insert and paper_fts is
    rebuilt in one pass (twice as fast as row by row), then the triggers are re-created
    from their own stored SQL: the schema ends exactly as papertrail made it.
    """
    from papertrail.db.opening import open_store

    store = open_store(str(path))
    try:
        _topic_tree_rows(store)
        connection = store.connection
        for pragma in ("synchronous = OFF", "journal_mode = OFF", "cache_size = -262144"):
            connection.execute(f"PRAGMA {pragma}")  # this connection only, while building
        triggers = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'paper'"
        ).fetchall()
        topic_ids = dict(connection.execute("SELECT slug, id FROM topic"))
        # Schema 0016 on: the reading state is one reader's (the login's), not the paper's.
        readers = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reader'"
        ).fetchone()
        columns = [c for c in PAPER_COLUMNS if not (readers and c in _READER_COLUMNS)]
        kept = [PAPER_COLUMNS.index(c) for c in columns]
        marks = ", ".join("?" * len(columns))
        with store.transaction():
            for name, _sql in triggers:
                connection.execute(f"DROP TRIGGER {name}")
            connection.executemany(
                f"INSERT INTO paper ({', '.join(columns)}) VALUES ({marks})",
                (
                    [paper.row(index)[i] for i in kept]
                    for index, paper in enumerate(papers, start=1)
                ),
            )
            if readers:
                _store_reading(connection, papers)
            connection.executemany(
                "INSERT INTO paper_topic (paper_id, topic_id) VALUES (?, ?)",
                (
                    (index, topic_ids[slug])
                    for index, paper in enumerate(papers, start=1)
                    for slug in paper.topics
                ),
            )
            _store_citation_keys(connection)
            connection.execute("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')")
            for _name, sql in triggers:
                connection.execute(sql)
        connection.execute("PRAGMA journal_mode = WAL")  # as papertrail left it
    finally:
        store.close()


_READER_COLUMNS = ("status", "note", "started_at", "read_at")


def _store_reading(connection: sqlite3.Connection, papers: Sequence[SyntheticPaper]) -> None:
    """The papers' statuses, dates and notes as one reader's (the login, as migration 0016
    makes an existing library's)."""
    import getpass

    name = getpass.getuser()  # the reader papertrail made for the topics' history entry
    connection.execute(
        "INSERT INTO reader (name, private, created_at) VALUES (?, 0, '2026-01-01T00:00:00Z') "
        "ON CONFLICT (name) DO NOTHING",
        (name,),
    )
    (reader,) = connection.execute("SELECT id FROM reader WHERE name = ?", (name,)).fetchone()
    connection.executemany(
        "INSERT INTO reading (reader_id, paper_id, status, started_at, read_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            (reader, index, p.status, p.started_at, p.read_at)
            for index, p in enumerate(papers, start=1)
            if p.status != "unread"
        ),
    )
    connection.executemany(
        "INSERT INTO reader_note (reader_id, paper_id, shared, text) VALUES (?, ?, 0, ?)",
        ((reader, index, p.note) for index, p in enumerate(papers, start=1) if p.note),
    )


def _store_citation_keys(connection: sqlite3.Connection) -> None:
    """The keys papertrail gives papers it adds (schema 0008 on), as migration 0008 does."""
    try:
        from papertrail.model.citation_keys import keys_to_store
    except ImportError:  # a papertrail from before stored keys: its exports make them
        return
    papers = connection.execute(
        "SELECT id, citation_key, authors, year, title FROM paper ORDER BY added_at, id"
    ).fetchall()
    connection.executemany("UPDATE paper SET citation_key = ? WHERE id = ?", keys_to_store(papers))


def cached(name: str, build: Callable[[Path], None]) -> tuple[Path, float | None]:
    """A file under benchmarks/.work/, built once; (path, build seconds or None if cached)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / name
    if path.exists():
        return path, None
    partial = path.with_name(path.name + ".partial")
    for leftover in WORK_DIR.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    build(partial)
    os.replace(partial, path)
    return path, time.perf_counter() - started


def library_file(size: int, seed: int) -> tuple[Path, float | None]:
    def build(path: Path) -> None:
        papers = Generator(seed).papers(size)
        create_empty_library(path)
        fill_library(path, papers)

    return cached(
        f"library-{size}-seed{seed}-schema{schema_head()}-gen{GENERATOR_VERSION}.db", build
    )


def pending_library_file(seed: int) -> Path:
    """FETCH_PAPERS arXiv papers whose metadata was never fetched (as after an import)."""

    def build(path: Path) -> None:
        generator = Generator(seed + 7)
        papers: list[SyntheticPaper] = []
        while len(papers) < FETCH_PAPERS:
            paper = generator.paper()
            if paper.arxiv_id and "/" not in paper.arxiv_id:
                paper.title = paper.abstract = paper.published = paper.fetched_at = None
                paper.authors, paper.categories, paper.year, paper.version = [], [], None, None
                paper.primary_category = paper.doi = paper.journal_ref = paper.comment = None
                papers.append(paper)
        create_empty_library(path)
        fill_library(path, papers)

    return cached(
        f"pending-{FETCH_PAPERS}-seed{seed}-schema{schema_head()}-gen{GENERATOR_VERSION}.db", build
    )[0]


def empty_library_file() -> Path:
    return cached(f"empty-schema{schema_head()}.db", create_empty_library)[0]


# ===================================================================== files to import


def _title_case(slug: str) -> str:
    return slug.replace("-", " ").title()


def markdown_list(papers: Sequence[SyntheticPaper]) -> str:
    """A reading list as people keep them: a heading per topic (nested), one link per paper."""
    by_topic: dict[str, list[SyntheticPaper]] = {}
    for paper in papers:
        by_topic.setdefault(paper.topics[0], []).append(paper)
    lines = ["# Reading list", ""]

    def section(topic: TopicSpec, depth: int) -> None:
        lines.extend([f"{'#' * depth} {_title_case(topic.slug)}", ""])
        for paper in by_topic.get(topic.slug, []):
            lines.append(f"- [{paper.title}](https://arxiv.org/abs/{paper.arxiv_id})")
        lines.append("")
        for child in TOPIC_TREE:
            if child.parent == topic.slug:
                section(child, min(depth + 1, 6))

    for root in TOPIC_TREE:
        if root.parent is None:
            section(root, 2)
    return "\n".join(lines)


def _bibtex_name(name: str, rng: random.Random) -> str:
    first, last = name.split(" ", 1)
    if rng.random() < 0.03:  # some exporters write accents as LaTeX
        last = last.replace("ü", '{\\"u}').replace("á", "{\\'a}").replace("ř", "{\\v{r}}")
    return f"{last}, {first}"


def bibtex_list(papers: Sequence[SyntheticPaper], seed: int) -> str:
    rng = random.Random(seed)
    entries = []
    for index, paper in enumerate(papers):
        key = f"{paper.authors[0].split()[-1].lower()}{paper.year}_{index}"
        key = re.sub(r"[^a-z0-9_]", "", key)
        authors = " and ".join(_bibtex_name(a, rng) for a in paper.authors)
        entries.append(
            f"@misc{{{key},\n"
            f"  title = {{{paper.title}}},\n"
            f"  author = {{{authors}}},\n"
            f"  year = {{{paper.year}}},\n"
            f"  eprint = {{{paper.arxiv_id}}},\n"
            f"  archivePrefix = {{arXiv}},\n"
            f"  primaryClass = {{{paper.primary_category}}},\n"
            f"  keywords = {{{', '.join(paper.topics)}}},\n"
            "}\n"
        )
    return "\n".join(entries)


def json_export(papers: Sequence[SyntheticPaper]) -> str:
    """papertrail's own export format (what `papertrail export` writes)."""
    items = []
    for paper in papers:
        item = {
            "arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
            "authors": paper.authors, "abstract": paper.abstract, "published": paper.published,
            "year": paper.year, "primary_category": paper.primary_category,
            "categories": paper.categories, "url": paper.url, "topics": paper.topics,
            "status": paper.status, "note": paper.note, "added_at": paper.added_at,
            "started_at": paper.started_at, "read_at": paper.read_at,
            "fetched_at": paper.fetched_at,
        }  # fmt: skip
        items.append({k: v for k, v in item.items() if v not in (None, [])})
    topics = [{"slug": t.slug, "parent": t.parent} for t in TOPIC_TREE]
    return json.dumps({"format": "papertrail", "version": 1, "topics": topics, "papers": items})


def import_files(seed: int) -> dict[str, Path]:
    """The 10,000-entry markdown, BibTeX and JSON files, generated once."""
    papers: list[SyntheticPaper] = []

    def arxiv_papers() -> list[SyntheticPaper]:
        if not papers:
            generator = Generator(seed + 1)
            while len(papers) < IMPORT_ENTRIES:
                paper = generator.paper()
                if paper.arxiv_id and paper.title and paper.year and paper.primary_category:
                    papers.append(paper)
        return papers

    stem = f"import-{IMPORT_ENTRIES}-seed{seed}-gen{GENERATOR_VERSION}"
    writers: dict[str, tuple[str, Callable[[], str]]] = {
        "markdown": ("md", lambda: markdown_list(arxiv_papers())),
        "bibtex": ("bib", lambda: bibtex_list(arxiv_papers(), seed)),
        "json": ("json", lambda: json_export(Generator(seed + 2).papers(IMPORT_ENTRIES))),
    }
    files = {}
    for fmt, (extension, text) in writers.items():
        files[fmt] = cached(
            f"{stem}.{extension}", lambda path, text=text: path.write_text(text(), "utf-8")
        )[0]
    return files
