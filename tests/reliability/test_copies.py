"""Copies and round trips hold every row exactly; titles are one title however they are cased
or spaced, the same way when looked up as when stored. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import is_postgres, raw_execute, raw_rows
from tests.support.cli import ok, run
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def other_db(isolated_env: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty database of the other kind (a PostgreSQL one when the library is a file)."""
    if is_postgres(isolated_env):
        yield str(tmp_path / "copy.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


def test_add_title_finds_the_paper_however_it_is_cased_or_spaced() -> None:
    ok("add", "--title", "Deep Learning", "--url", "https://example.org/dl")
    again = ok("add", "--title", "  deep   LEARNING ", "--url", "https://example.org/dl")
    assert again.startswith("Already in the library: [1]")
    ok("add", "--title", "Über Alles", "--url", "https://example.org/ua")
    assert ok("add", "--title", "über alles", "--url", "https://example.org/ua").startswith(
        "Already in the library: [2]"
    )
    assert [p["title"] for p in json.loads(ok("list", "--json"))] == ["Deep Learning", "Über Alles"]


def _colliding_library(db: str) -> None:
    """Papers whose titles differ only by case or spacing (an older papertrail stored them
    apart), each with its own status and note; plus the tree and a topic no paper uses."""
    titles = ["Deep Learning", "Deep  Learning", "Über Alles", "über alles"]
    for n in range(len(titles)):
        url = "https://example.org/dl" if n < 2 else "https://example.org/ua"
        ok("add", "--title", f"placeholder {n}", "--url", url, "--note", f"note {n}", "-t", "ml")
    ok("add", "1510.00149", "--no-fetch", "-t", "quantization", "--status", "reading")
    ok("mark-read", "2")
    ok("remove", "4", "--yes")
    ok("add", "--title", "Later", "--url", "https://example.org/later")
    ok("topic-parent", "quantization", "ml")
    ok("topic-parent", "unused-child", "quantization")
    for n, title in enumerate(titles):
        if n != 3:
            raw_execute(db, f"UPDATE paper SET title = '{title}' WHERE id = {n + 1}")
    raw_execute(
        db, "UPDATE paper SET title = 'über alles', url = 'https://example.org/ua' WHERE id = 6"
    )


def _everything(db: str) -> tuple[list[dict[str, object]], str]:
    return json.loads(ok("--db", db, "list", "--json")), ok("--db", db, "topics")


def test_db_copy_holds_every_row_exactly_both_ways(isolated_env: str, other_db: str) -> None:
    _colliding_library(isolated_env)
    ok("add", "--title", "Removed last", "--url", "https://example.org/gone")  # [7]
    ok("remove", "7", "--yes")
    papers, topics = _everything(isolated_env)
    assert len(papers) == 5
    out = ok("db", "copy", isolated_env, other_db)
    assert "Copied 5 paper(s)" in out
    assert _everything(other_db) == (papers, topics)
    tree = "SELECT t.id, t.slug, p.slug FROM topic t LEFT JOIN topic p ON p.id = t.parent_id"
    assert sorted(raw_rows(other_db, tree)) == sorted(raw_rows(isolated_env, tree))
    assert ("unused-child", "quantization") in [r[1:] for r in raw_rows(other_db, tree)]
    # New papers in the copy get new numbers, never one of the copied (or removed) ones,
    # the last one removed before the copy (7) included.
    added = ok("--db", other_db, "add", "--title", "New", "--url", "https://example.org/new")
    assert added.startswith("Added [8]")


def test_json_export_imports_back_every_row(
    isolated_env: str, other_db: str, tmp_path: Path
) -> None:
    _colliding_library(isolated_env)
    papers, _ = _everything(isolated_env)
    export = tmp_path / "all.json"
    ok("export", "-o", str(export))
    out = ok("--db", other_db, "import", str(export))
    assert out.startswith("Imported all.json: 5 added, 0 already present")
    copied, copied_topics = _everything(other_db)
    without_ids = [{k: v for k, v in p.items() if k != "id"} for p in papers]
    assert [{k: v for k, v in p.items() if k != "id"} for p in copied] == without_ids
    # Importing the same export again changes nothing.
    ok("--db", other_db, "import", str(export))
    assert _everything(other_db) == (copied, copied_topics)


def test_db_copy_from_a_missing_library_is_an_error(tmp_path: Path, other_db: str) -> None:
    missing = tmp_path / "typo.db"
    result = run("db", "copy", str(missing), other_db)
    assert result.exit_code == 4
    assert "no papertrail library there" in result.stderr
    assert not missing.exists()
