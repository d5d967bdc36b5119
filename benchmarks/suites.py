"""What is measured: everyday commands per library size, imports, fetch."""

from __future__ import annotations

import math
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from common import (
    BASELINE_SCRIPT,
    FETCH_BATCH,
    FETCH_DELAY_S,
    FETCH_PAPERS,
    IMPORT_ENTRIES,
    REPO_ROOT,
    SEARCH_WORD,
    SPACING_TOLERANCE_S,
    TAG_TOPIC,
    TOPIC,
)
from libraries import empty_library_file, import_files, library_file, pending_library_file
from processes import Case, Check, Measurement, measure, papertrail_command, process_env

# ===================================================================== the benchmark


@dataclass
class LibraryReport:
    size: int
    built_s: float | None
    topic_papers: int
    search_papers: int
    rows: list[Measurement]
    baseline_matches: bool | None


@dataclass
class FetchReport:
    papers: int
    requests: int
    expected_requests: int
    largest_batch: int
    gaps_s: list[float]  # between consecutive request arrivals at the stand-in
    fetched: int
    measurement: Measurement
    checks: list[Check]


@dataclass
class RunReport:
    label: str
    started: datetime
    runs: int
    libraries: list[LibraryReport] = field(default_factory=list)
    imports: list[Measurement] = field(default_factory=list)
    fetch: FetchReport | None = None
    rss_floor_mb: float = 0.0
    load: str = ""  # load averages at the start and the end: other work skews timings
    machine: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def query_one(db: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def fresh_arxiv_ids(db: Path, count: int) -> list[str]:
    """New-style ids that are not in the library (December 2026, numbers from 90000 up)."""
    known = {
        row[0] for row in query_one(db, "SELECT arxiv_id FROM paper WHERE arxiv_id LIKE '2612.%'")
    }
    ids = [f"2612.{n:05d}" for n in range(90000, 99999)]
    return [i for i in ids if i not in known][:count]


def pick_refs(db: Path, count: int) -> tuple[str, list[str], list[str]]:
    """(show REF, unread papers to mark read, papers to tag): distinct papers for each run."""
    total = query_one(db, "SELECT count(*) FROM paper")[0][0]
    show = query_one(
        db,
        "SELECT arxiv_id FROM paper WHERE arxiv_id IS NOT NULL AND fetched_at IS NOT NULL "
        "AND id >= ? ORDER BY id LIMIT 1",
        (total // 2,),
    )[0][0]
    # Schema 0016 on, an unread paper is one the (one) reader has no other status for.
    readers = query_one(db, "SELECT count(*) FROM sqlite_master WHERE name = 'reading'")[0][0]
    status = (
        "id NOT IN (SELECT paper_id FROM reading WHERE status <> 'unread')"
        if readers
        else "status = 'unread'"
    )
    unread = query_one(
        db,
        f"SELECT arxiv_id FROM paper WHERE {status} AND arxiv_id IS NOT NULL "
        "AND id >= ? ORDER BY id LIMIT ?",
        (total // 3, count),
    )
    untagged = query_one(
        db,
        "SELECT id FROM paper WHERE id >= ? AND id NOT IN (SELECT paper_id FROM paper_topic "
        "WHERE topic_id = (SELECT id FROM topic WHERE slug = ?)) ORDER BY id LIMIT ?",
        (total // 4, TAG_TOPIC, count),
    )
    return str(show), [str(r[0]) for r in unread], [str(r[0]) for r in untagged]


def topic_paper_count(db: Path, topic: str) -> int:
    sql = (
        "WITH RECURSIVE sub(id) AS (SELECT id FROM topic WHERE slug = ? UNION "
        "SELECT t.id FROM topic t JOIN sub s ON t.parent_id = s.id) "
        "SELECT count(DISTINCT paper_id) FROM paper_topic WHERE topic_id IN (SELECT id FROM sub)"
    )
    return int(query_one(db, sql, (topic,))[0][0])


def bench_library(size: int, seed: int, runs: int, scratch: Path, home: Path) -> LibraryReport:
    print(f"\n== library of {size:,} papers", flush=True)
    cached_db, built_s = library_file(size, seed)
    print(f"  library: {cached_db.name} ({f'built in {built_s:.1f} s' if built_s else 'cached'})")
    db = scratch / f"library-{size}.db"
    shutil.copyfile(cached_db, db)  # commands that write change this copy, never the cache
    show_ref, unread_refs, tag_refs = pick_refs(db, runs + 1)
    new_ids = fresh_arxiv_ids(db, runs + 1)
    topic_papers = topic_paper_count(db, TOPIC)
    env = process_env(home)
    pt = [*papertrail_command(), "--db", str(db)]

    def fixed(*args: str) -> Callable[[int], list[str]]:
        return lambda _index: [*pt, *args]

    baseline = Case(
        f"baseline: baseline_topic.py {TOPIC}",
        lambda _i: [sys.executable, str(BASELINE_SCRIPT), str(db), TOPIC],
        runs,
    )
    reads = [
        Case("--help", lambda _i: [*papertrail_command(), "--help"], runs),
        Case(f"list --topic {TOPIC}", fixed("list", "--topic", TOPIC), runs),
        Case("list --status unread", fixed("list", "--status", "unread"), runs),
        Case("list", fixed("list"), runs),
        Case(f"list --search {SEARCH_WORD}", fixed("list", "--search", SEARCH_WORD), runs),
        Case(f"show {show_ref}", fixed("show", show_ref), runs),
        Case("stats", fixed("stats"), runs),
    ]
    writes = [
        Case("mark-read REF (a different unread paper each run)",
             lambda i: [*pt, "mark-read", unread_refs[i]], runs),
        Case("add --no-fetch NEWID (a new id each run)",
             lambda i: [*pt, "add", "--no-fetch", new_ids[i]], runs),
        Case(f"tag REF {TAG_TOPIC} (a different paper each run)",
             lambda i: [*pt, "tag", tag_refs[i], TAG_TOPIC], runs),
    ]  # fmt: skip
    # Reads first, so that they all see the library as built; then the writes.
    rows = measure([baseline, *reads], env) + measure(writes, env)
    base = rows[0]
    if not base.error:
        for row in rows[1:]:
            if not row.error:
                row.ratio = row.median_ms / base.median_ms
    by_name = {row.name: row for row in rows}
    topic_row = by_name[f"list --topic {TOPIC}"]
    matches = None
    if not (base.error or topic_row.error):
        matches = base.samples[-1].stdout == topic_row.samples[-1].stdout
    search_row = by_name[f"list --search {SEARCH_WORD}"]
    return LibraryReport(size, built_s, topic_papers, search_row.out_lines, rows, matches)


def bench_imports(seed: int, runs: int, scratch: Path, home: Path) -> list[Measurement]:
    print(
        f"\n== imports of {IMPORT_ENTRIES:,} entries, each into a fresh empty library", flush=True
    )
    files = import_files(seed)
    empty = empty_library_file()
    env = process_env(home)
    target = scratch / "import-target.db"

    def fresh_target(_index: int) -> None:
        for leftover in scratch.glob("import-target.db*"):
            leftover.unlink()
        shutil.copyfile(empty, target)

    def no_target(_index: int) -> None:
        for leftover in scratch.glob("import-target.db*"):
            leftover.unlink()

    cases = [
        # Reading commands never create a library (since 1bd6237): the first `add` does.
        Case("create a library (first command, new file: add --no-fetch)",
             lambda _i: [*papertrail_command(), "--db", str(target), "add", "--no-fetch",
                         "2101.00001"], runs,
             prepare=no_target),
    ]  # fmt: skip
    labels = {
        "markdown": "markdown list",
        "bibtex": "BibTeX (@misc, eprint)",
        "json": "JSON export",
    }
    for fmt, path in files.items():
        cases.append(
            Case(
                f"import {IMPORT_ENTRIES:,}-entry {labels[fmt]}",
                lambda _i, path=path: [
                    *papertrail_command(),
                    "--db",
                    str(target),
                    "import",
                    str(path),
                ],
                runs,
                warmup=False,
                prepare=fresh_target,
            )
        )
    results = measure(cases, env)
    for row in results:
        found = re.search(rb"(\d+) added, (\d+) already present \(merged\), (\d+) skipped",
                          row.samples[-1].stdout if row.samples else b"")  # fmt: skip
        if found:
            added, merged, skipped = (int(n) for n in found.groups())
            row.note = f"{added:,} added, {merged:,} merged, {skipped:,} skipped"
    return results


def bench_fetch(seed: int, scratch: Path, home: Path) -> FetchReport:
    print(
        f"\n== fetch: {FETCH_PAPERS:,} pending papers against the local arXiv stand-in", flush=True
    )
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.arxiv_stub import ArxivStub, echo_papers

    db = scratch / "pending.db"
    shutil.copyfile(pending_library_file(seed), db)
    fetch_home = scratch / "fetch-home"  # a fresh spacing file: the first request need not wait
    fetch_home.mkdir()
    with ArxivStub() as stub:
        stub.respond_with(echo_papers)
        env = process_env(
            fetch_home,
            offline=False,
            extra={"PAPERTRAIL_ARXIV_API": stub.url, "PAPERTRAIL_ARXIV_DELAY": str(FETCH_DELAY_S)},
        )
        case = Case(
            "fetch (1,000 pending, delay 0.2 s)",
            lambda _i: [*papertrail_command(), "--db", str(db), "fetch"],
            1,
            warmup=False,
        )
        measurement = measure([case], env)[0]
        requests = list(stub.requests)
    starts = sorted(r.time for r in requests)
    gaps = [b - a for a, b in pairwise(starts)]
    spacing = min(gaps, default=None)
    expected = math.ceil(FETCH_PAPERS / FETCH_BATCH)
    largest = max((len(r.ids) for r in requests), default=0)
    fetched = int(query_one(db, "SELECT count(*) FROM paper WHERE fetched_at IS NOT NULL")[0][0])
    checks = [
        Check(f"requests ≤ ceil({FETCH_PAPERS}/{FETCH_BATCH})", len(requests), expected, "req"),
        Check(f"largest batch ≥ {FETCH_BATCH} ids", largest, FETCH_BATCH, "ids", "min"),
        Check(f"min spacing ≥ delay {FETCH_DELAY_S} s", spacing if spacing is not None else 0.0,
              FETCH_DELAY_S - SPACING_TOLERANCE_S, "s", "min"),
        Check(f"all {FETCH_PAPERS} papers fetched", fetched, FETCH_PAPERS, "papers", "min"),
    ]  # fmt: skip
    return FetchReport(
        FETCH_PAPERS, len(requests), expected, largest, gaps, fetched, measurement, checks
    )
