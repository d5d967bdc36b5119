"""What the latency budgets rely on (timings themselves live in benchmarks/, not here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from papertrail.schema import open_store
from papertrail.store import PaperQuery
from tests.support.cli import ok

DATA = Path(__file__).parent / "data"
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "alembic", "httpx", "feedparser", "bibtexparser")


def imported_modules(*args: str) -> set[str]:
    """Top-level packages a fresh `papertrail ARGS` process imports, output to a pipe."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "papertrail", *args],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", result.stderr, re.M)
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--topic", "quantization"],
        ["list", "--status", "unread"],
        ["list"],
        ["list", "--search", "compress"],
        ["show", "1510.00149"],
        ["stats"],
        ["topics"],
        ["--help"],
        ["mark-read", "1510.00149"],
        ["tag", "1510.00149", "favourites"],
        ["note", "1510.00149", "again"],
        ["add", "--no-fetch", "2101.00001"],
        ["queue", "1510.00149"],
        ["next", "-n", "3"],
        ["log"],
        ["undo"],
    ],
)
def test_everyday_commands_import_nothing_heavy(args: list[str]) -> None:
    ok("import", str(DATA / "library.json"))  # the schema exists: no migration on this path
    loaded = imported_modules(*args)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "rich" not in loaded  # output goes to a pipe: plain text, no Rich


def test_bibtexparser_is_loaded_only_to_read_bibtex() -> None:
    assert "bibtexparser" in imported_modules("import", str(DATA / "small.bib"))
    assert "bibtexparser" not in imported_modules("import", str(DATA / "library.json"))


def plan(db: str, query: PaperQuery) -> str:
    store = open_store(db)
    try:
        sql, params = store._select_papers(query)
        rows = store.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    finally:
        store.close()
    return "\n".join(str(row[-1]) for row in rows)


def test_filters_use_indexes_not_table_scans(isolated_env: str) -> None:
    ok("import")
    by_topic = plan(isolated_env, PaperQuery(topic="quantization"))
    assert "ix_paper_topic_topic_paper" in by_topic
    assert "USING INTEGER PRIMARY KEY" in by_topic
    assert not re.search(r"SCAN (p|paper)\b(?! USING)", by_topic), by_topic
    by_status = plan(isolated_env, PaperQuery(status="unread"))
    assert "ix_paper_status_added" in by_status
    assert not re.search(r"SCAN (p|paper)\b(?! USING)", by_status), by_status
    by_search = plan(isolated_env, PaperQuery(search="quantization"))
    assert "paper_fts VIRTUAL TABLE INDEX" in by_search
    by_year = plan(isolated_env, PaperQuery(year=2016))
    assert "ix_paper_year" in by_year


def test_database_is_in_wal_mode_with_a_busy_timeout(isolated_env: str) -> None:
    ok("add", "--no-fetch", "1510.00149")
    store = open_store(isolated_env)
    try:
        assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    finally:
        store.close()
