"""`stats`: papers by status, the queue's length, progress per topic, reads per month."""

from __future__ import annotations

import pytest

from tests.support.cli import as_json, ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture(autouse=True)
def library() -> None:
    ok("import", str(DATA / "library.json"))


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
