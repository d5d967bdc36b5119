"""papertrail's own JSON in: an export or `list --json` imports back, and a malformed file
names the record at fault and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import ok, run
from tests.support.db import dump as db_dump
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_json_of_list_can_be_imported(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    listed = tmp_path / "listed.json"
    listed.write_text(ok("list", "--json"), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(listed))
    assert len(json.loads(ok("--db", str(fresh), "list", "--json"))) == 4


def test_papertrail_list_json_is_still_papertrail_json(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    listed = tmp_path / "listed.json"
    listed.write_text(ok("list", "--json"), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(listed))
    assert json.loads(ok("--db", str(fresh), "list", "--json"))[0]["status"] == "read"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"papers": [{"title": "ok"}, {"title": "x", "year": "2015"}]}',
            "paper 2 (x): 'year' must be a whole number",
        ),
        (
            '{"papers": [{"title": "ok"}, {"arxiv_id": "nope"}]}',
            "paper 2 (nope): 'nope' is not an arXiv id",
        ),
        ('{"papers": [{"title": "a", "status": "done"}]}', "status must be one of"),
        ('{"papers": [{"title": "a"}', "not valid JSON (line 1"),
        ('{"papers": [{"title": "a", "authors": "Han"}]}', "'authors' must be a list"),
        ("42", "expected papertrail's export"),
    ],
)
def test_malformed_json_names_the_record_and_leaves_the_database_untouched(
    tmp_path: Path, isolated_env: str, content: str, message: str
) -> None:
    ok("import", str(DATA / "library.json"))
    before = db_dump(isolated_env)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert message in result.stderr and "bad.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db_dump(isolated_env) == before
