"""A library a lab shares: PostgreSQL specifics (the CLI suites also run on both backends)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from papertrail.db.migrations import HEAD
from papertrail.db.opening import open_store, sqlalchemy_url, upgrade
from papertrail.model.query import PaperQuery
from tests.support.cli import as_json, ok, run
from tests.support.db import dump
from tests.support.paths import DATA
from tests.support.postgres import PostgresServer


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


def test_copy_a_sqlite_library_to_postgresql_keeps_everything(pg_url: str) -> None:
    ok("import", str(DATA / "library.json"))
    ok("import")  # the seed too: 120 more papers, a topic tree
    ok("mark-read", "1510.00149")
    before = ok("list", "--json")
    out = ok("db", "copy", _sqlite_db(), pg_url)
    assert f"Copied {len(json.loads(before))} paper(s)" in out
    assert "postgres@" in out  # the URL is shown (without a password)
    assert json.loads(ok("--db", pg_url, "list", "--json")) == json.loads(before)
    assert ok("--db", pg_url, "topics") == ok("topics")
    assert ok("--db", pg_url, "stats") == ok("stats")


def test_search_and_topic_filters_run_in_postgresql_with_its_indexes(pg_url: str) -> None:
    ok("--db", pg_url, "import", str(DATA / "library.json"))
    store = open_store(pg_url)
    try:
        sql, params = store._select_papers(PaperQuery(search="compress", topic="quantization"))
        store.execute("SET enable_seqscan = off")
        plan = "\n".join(
            row[0] for row in store.execute("EXPLAIN " + store.dialect.sql(sql), params)
        )
    finally:
        store.close()
    assert "ix_paper_search_trgm" in plan
    assert "ix_paper_topic_topic_paper" in plan or "paper_topic_pkey" in plan
    assert [p["arxiv_id"] for p in as_json("--db", pg_url, "list", "--search", "compress")] == [
        "1510.00149"
    ]


def test_the_session_has_its_limits_and_no_jit(pg_url: str) -> None:
    # JIT compiled the recursive topic query of `topics` and `next` (the planner guesses
    # it huge): 2 s a call, even for a library of 60 papers.
    ok("--db", pg_url, "import", str(DATA / "library.json"))
    store = open_store(pg_url)
    try:
        settings = [store.one(f"SHOW {name}")[0] for name in ("jit", "statement_timeout")]
    finally:
        store.close()
    assert settings == ["off", "10min"]


def test_upgrade_a_postgresql_library_from_the_first_revision(pg_url: str) -> None:
    import psycopg

    upgrade(sqlalchemy_url(pg_url), "0001")

    with psycopg.connect("postgresql:" + pg_url.split(":", 1)[1], autocommit=True) as connection:
        connection.execute(
            "INSERT INTO paper (id, arxiv_id, version, title, authors, status, note, added_at, "
            "started_at, read_at, fetched_at) VALUES "
            "(1, '1510.00149', 5, 'Deep Compression', 'Song Han\nHuizi Mao', 'read', '剪枝', "
            "'2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z', "
            "'2026-01-01T10:00:01Z'), "
            "(2, NULL, NULL, 'GEMM', NULL, 'reading', NULL, '2026-01-04T10:00:00Z', "
            "'2026-01-05T10:00:00Z', NULL, NULL)"
        )
        connection.execute(
            "INSERT INTO topic (id, slug, parent_id) VALUES (1, 'quantization', NULL), "
            "(2, 'binary-quantization', 1)"
        )
        connection.execute("INSERT INTO paper_topic VALUES (1, 2), (2, 1)")
    before = dump_first_revision(pg_url)

    refused = run("--db", pg_url, "list")
    assert refused.exit_code == 4 and "run `papertrail db upgrade`" in refused.stderr
    assert "0001" in ok("--db", pg_url, "db", "status")
    assert f"Upgraded the schema from 0001 to {HEAD}" in ok("--db", pg_url, "db", "upgrade")
    after = dump(pg_url)
    # Later revisions add columns after the old ones; 0016 moves the reading state (status,
    # note, dates: the 17th to 21st columns) to the one reader, checked below.
    for table, rows in before.items():
        if table == "paper":
            rows = [row[:16] + row[18:19] + row[21:] for row in rows]
        assert [row[: len(rows[0])] for row in after[table]] == rows
    papers = as_json("--db", pg_url, "list", "--topic", "quantization")
    assert [(p["id"], p["status"], p["note"]) for p in papers] == [
        (1, "read", "剪枝"),
        (2, "reading", None),
    ]
    assert as_json("--db", pg_url, "show", "1")["read_at"] == "2026-01-03T10:00:00Z"


def dump_first_revision(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect("postgresql:" + url.split(":", 1)[1]) as connection:
        return {
            t: connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("paper", "topic", "paper_topic")
        }


def test_two_people_marking_and_tagging_at_once_lose_nothing(pg_url: str, tmp_path: Path) -> None:
    ids = [f"2101.{n:05d}" for n in range(40)]
    ok("--db", pg_url, "add", "--no-fetch", *ids)
    script = tmp_path / "worker.py"
    script.write_text(
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from papertrail.cli import app\n"
        "db, who, *ids = sys.argv[1:]\n"
        "runner = CliRunner()\n"
        "for i in ids:\n"
        "    for args in (['mark-read', i], ['tag', i, 'seen-by-' + who], ['note', i, who]):\n"
        "        r = runner.invoke(app, ['--db', db, *args])\n"
        "        assert r.exit_code == 0, r.output\n",
        encoding="utf-8",
    )
    workers = [
        subprocess.Popen([sys.executable, str(script), pg_url, who, *ids], cwd=Path.cwd())
        for who in ("alice", "bob")
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    papers = as_json("--db", pg_url, "list")
    assert len(papers) == 40
    assert all(p["status"] == "read" for p in papers)
    assert all(p["topics"] == ["seen-by-alice", "seen-by-bob"] for p in papers)
    # Both appended paragraphs stay, in either order.
    assert all(
        sorted(part.split(": ", 1)[1] for part in p["note"].split("\n\n")) == ["alice", "bob"]
        for p in papers
    )


def _sqlite_db() -> str:
    import os

    return os.environ["PAPERTRAIL_DB"]
