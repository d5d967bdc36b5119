"""Topics: names that are papers are refused, unused topics are hidden unless asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import as_json, ok, run

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.usefixtures("backend")


def topic_names(*args: str) -> list[str]:
    return [line.split("\t")[0] for line in ok("topics", *args).splitlines()]


def test_a_topic_name_that_is_a_paper_ref_is_refused_with_a_hint() -> None:
    ok("import", str(DATA / "library.json"))
    before = topic_names("--all")
    for args in (["tag", "1", "2", "3", "must-read"], ["tag", "1", "1602.02830"],
                 ["add", "2101.00001", "--no-fetch", "-t", "17"]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 1, args
        assert "looks like a paper, not a topic name" in result.stderr
        assert "tag -t TOPIC REF" in result.stderr
    assert topic_names("--all") == before
    assert len(as_json("list")) == 4


def test_unused_topics_are_hidden_from_topics_and_stats_unless_all() -> None:
    ok("import", str(DATA / "library.json"))
    ok("untag", "3", "regularization")
    assert "regularization" not in topic_names()
    assert "regularization" in topic_names("--all")
    assert "regularization" not in ok("stats")
    assert "regularization" in ok("stats", "--all")
    # A parent whose papers are all in sub-topics is still used.
    ok("untag", "1", "quantization")
    assert "quantization" in topic_names()
