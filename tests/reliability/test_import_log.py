"""A reading list is recognised by what it holds, not where it lies: importing it again from
another folder (or under another name) never undoes what the user removed since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import as_json, ok

pytestmark = pytest.mark.usefixtures("backend")


def reading_list(path: Path, papers: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "format": "papertrail",
        "version": 1,
        "topics": [{"slug": "vision", "parent": None}, {"slug": "cnn", "parent": "vision"}],
        "papers": papers,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


X = {"arxiv_id": "1512.03385", "title": "ResNet", "topics": ["cnn", "extra"]}
Y = {"title": "A paper not on arXiv", "url": "https://example.org/y", "topics": ["cnn"]}


def topics_of(arxiv_id: str) -> list[str]:
    return next(p["topics"] for p in as_json("list") if p["arxiv_id"] == arxiv_id)


def test_moving_a_list_keeps_the_users_removals(tmp_path: Path) -> None:
    first = reading_list(tmp_path / "downloads" / "list.json", [X, Y])
    assert "2 added" in ok("import", str(first))
    ok("untag", "1512.03385", "extra")
    ok("remove", "2", "--yes")
    ok("topic-parent", "cnn", "--clear")
    first.unlink()

    moved = reading_list(tmp_path / "papers" / "renamed.json", [X, Y])
    out = ok("import", str(moved))
    assert "0 added, 1 already present (merged), 1 skipped" in out
    assert "Skipped: 1 removed from the library after an earlier import" in out
    assert [p["arxiv_id"] for p in as_json("list")] == ["1512.03385"]
    assert topics_of("1512.03385") == ["cnn"]
    assert "cnn\t\t" in ok("topics")  # still top-level, as the user left it

    # The list grows: what is new in it comes in, what the user removed stays removed.
    z = {"arxiv_id": "1706.03762", "title": "Transformer", "topics": ["attention"]}
    x_more = {**X, "topics": ["cnn", "extra", "residual"]}
    grown = reading_list(tmp_path / "papers" / "renamed.json", [x_more, Y, z])
    out = ok("import", str(grown))
    assert "1 added, 1 already present (merged), 1 skipped" in out
    assert topics_of("1512.03385") == ["cnn", "residual"]
    assert topics_of("1706.03762") == ["attention"]


def test_the_same_list_imported_twice_changes_nothing(tmp_path: Path) -> None:
    path = reading_list(tmp_path / "list.json", [X, Y])
    ok("import", str(path))
    before = as_json("list"), ok("topics")
    assert "0 added, 2 already present (merged), 0 skipped" in ok("import", str(path))
    assert (as_json("list"), ok("topics")) == before
