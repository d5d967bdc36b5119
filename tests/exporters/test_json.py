"""JSON out: an export imported into an empty library gives back every paper and topic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import as_json, ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_json_export_into_an_empty_database_reproduces_everything(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    original = as_json("list")
    exported = tmp_path / "export.json"
    ok("export", "--format", "json", "--output", str(exported))
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(exported))
    assert json.loads(ok("--db", str(fresh), "list", "--json")) == original
    assert ok("--db", str(fresh), "topics") == ok("topics")
    # and the fixture itself came in exactly as written
    source = json.loads((DATA / "library.json").read_text(encoding="utf-8"))["papers"]
    for paper, written in zip(original, source, strict=True):
        assert {k: paper[k] for k in written if k != "fetched_at"} == {
            k: v for k, v in written.items() if k != "fetched_at"
        }
