"""Listing for daily use: reversed sorts, ids only, REFs from stdin, the footer; stats."""

from __future__ import annotations

import pytest

from tests.support.cli import as_json, ok, run
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture(autouse=True)
def library() -> None:
    ok("import", str(DATA / "library.json"))


def ids(*args: str) -> list[str]:
    return ok("list", "--ids", *args).splitlines()


def test_reverse_and_minus_prefix_reverse_the_order() -> None:
    assert ids() == ["1", "2", "3", "4"]
    assert ids("--reverse") == ["4", "3", "2", "1"]
    assert ids("--sort", "-added", "--limit", "2") == ["4", "3"]  # the last two added
    assert ids("--sort=-added", "--reverse") == ["1", "2", "3", "4"]
    assert ids("--sort", "title") == ["2", "1", "4", "3"]  # untitled last
    assert ids("--sort", "-title") == ["4", "1", "2", "3"]  # ... either way
    assert ids("--sort", "-published", "--limit", "1") == ["1"]  # the oldest first
    assert ids("--sort", "-published", "-r", "--limit", "1") == ["2"]
    assert [p["id"] for p in as_json("list", "-r", "--status", "read")] == [4, 1]


def test_ids_pipe_into_tag_and_other_commands() -> None:
    tagged = ok("list", "--topic", "quantization", "--ids")
    ok("tag", "-t", "to-review", "-", input=tagged)
    assert ids("--topic", "to-review") == ["1", "2"]
    ok("mark-read", "-", input="3\n")
    assert as_json("show", "3")["status"] == "read"
    ok("queue", "-", "4", input=ok("list", "--status", "unread"))  # TSV rows work too
    assert [q["id"] for q in as_json("queue")] == [4]
    ok("remove", "--yes", "-", input="1 2\n")
    assert ids() == ["3", "4"]
    result = run("mark-read", "-", input="99\n")
    assert result.exit_code == 1 and "no paper '99'" in result.stderr


def test_the_footer_says_how_many_of_all() -> None:
    out = ok("list", "--status", "read", env={"PAPERTRAIL_TERMINAL": "1"})
    assert out.rstrip().endswith("2 of 4 papers")
    out = ok("list", "--year", "1999", env={"PAPERTRAIL_TERMINAL": "1"})
    assert "No papers match (0 of 4 papers)." in out


def test_stats_json_and_queue_length() -> None:
    ok("queue", "3", "2")
    ok("mark-read", "3", "--on", "2024-05-01")
    stats = as_json("stats")
    assert stats["by_status"] == {"unread": 0, "reading": 1, "read": 3} and stats["total"] == 4
    assert stats["queue"] == 1
    months = [(m["month"], m["read"]) for m in stats["read_per_month"]]
    assert months[:2] == [("2024-05", 1), ("2024-06", 0)]  # months without reading show too
    assert months[-3:] == [("2026-01", 1), ("2026-02", 0), ("2026-03", 1)]
    assert len(months) == 23
    assert {"topic": "quantization", "parent": None, "papers": 2, "read": 1} in stats["topics"]
    out = ok("stats")
    assert "Reading queue: 1 paper(s)" in out
    assert "2024-05    1 ██████████████████████████████" in out
