"""`duplicates` and `merge` through the CLI on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.helpers import raw_rows
from tests.support.cli import as_json, ok, run

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture(autouse=True)
def library() -> None:
    ok("import", str(DATA / "duplicates.json"))


def test_duplicates_finds_doi_preprint_and_near_identical_titles_only() -> None:
    pairs = {tuple(d["ids"]): d["reason"] for d in as_json("duplicates")}
    assert pairs == {
        (1, 2): "preprint and published version",
        (3, 4): "same DOI 10.1145/3065386",
        (5, 6): "near-identical titles",
    }  # not the book and the review called "Deep learning", not two arXiv surveys
    lines = ok("duplicates").splitlines()
    assert lines[0].split("\t")[:3] == ["1", "2", "preprint and published version"]


def test_merge_unites_and_keeps_the_furthest_and_earliest(isolated_env: str) -> None:
    ok("queue", "2")
    out = ok("merge", "1", "2")
    assert out.startswith("Merged 2 into [1] 1512.03385")
    assert run("show", "2").exit_code == 1
    paper = as_json("show", "1")
    assert paper["topics"] == ["cnn", "vision"]
    assert paper["note"] == "preprint note\n\npublished note"
    assert paper["status"] == "read"
    assert (paper["added_at"], paper["started_at"], paper["read_at"]) == (
        "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-02-05T00:00:00Z")  # fmt: skip
    assert (paper["arxiv_id"], paper["doi"], paper["venue"], paper["year"]) == (
        "1512.03385", "10.1109/CVPR.2016.90", "CVPR", 2015)  # fmt: skip
    assert [q["id"] for q in as_json("queue")] == [1]  # it took the other's place
    assert ("1512.03385",) in raw_rows(isolated_env, "SELECT arxiv_id FROM paper WHERE id = 1")


def test_merge_moves_an_arxiv_id_and_undo_restores_both(isolated_env: str) -> None:
    before = {t: sorted(raw_rows(isolated_env, f"SELECT * FROM {t}"), key=repr)
              for t in ("paper", "paper_topic", "topic")}  # fmt: skip
    ok("merge", "2", "1")  # keep the published record: it gains the arXiv id
    paper = as_json("show", "1512.03385")
    assert paper["id"] == 2 and paper["doi"] == "10.1109/CVPR.2016.90"
    assert as_json("duplicates") and all(d["ids"] != [1, 2] for d in as_json("duplicates"))
    ok("undo")
    after = {t: sorted(raw_rows(isolated_env, f"SELECT * FROM {t}"), key=repr)
             for t in ("paper", "paper_topic", "topic")}  # fmt: skip
    assert after == before


def test_merge_errors_are_one_line() -> None:
    for args, message in [(["merge", "1", "1"], "cannot be merged with itself"),
                          (["merge", "1", "99"], "no paper '99'")]:  # fmt: skip
        result = run(*args)
        assert result.exit_code == 1 and message in result.stderr
        assert result.stderr.count("\n") == 1
