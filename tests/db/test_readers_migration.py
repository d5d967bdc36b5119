"""0016: a library made before readers keeps every status, date, queue place and note, now
one reader's (the `reader` setting, else the login), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from papertrail.db.migrations import HEAD
from papertrail.db.opening import sqlalchemy_url, upgrade
from tests.reliability.helpers import raw_execute
from tests.support.cli import as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")

PAPERS = [
    # id, arxiv id, title, status, note, added, started, read
    (1, "1510.00149", "Deep Compression", "read", "剪枝 + 量化\n\nsecond paragraph",
     "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", "2026-01-03T10:00:00Z"),
    (2, "1602.02830", "Binarized Neural Networks", "reading", None,
     "2026-01-04T10:00:00Z", "2026-01-05T10:00:00Z", None),
    (3, "1706.03762", "Attention Is All You Need", "unread", "to read first",
     "2026-01-06T10:00:00Z", None, None),
    (4, None, "A paper without arXiv", "unread", None, "2026-01-07T10:00:00Z", None, None),
]  # fmt: skip
COLUMNS = "id, arxiv_id, title, status, note, added_at, started_at, read_at, citation_key"


def _old_library(db: str) -> None:
    """A library as papertrail made it at 0011: the reading state in `paper`, one queue, a
    history that queued paper 2."""
    upgrade(sqlalchemy_url(db), "0011")
    values = ", ".join(
        "(" + ", ".join("NULL" if v is None else f"'{v}'" if isinstance(v, str) else str(v)
                        for v in (*row, f"key{row[0]}")) + ")"
        for row in PAPERS
    )  # fmt: skip
    raw_execute(db, f"INSERT INTO paper ({COLUMNS}) VALUES {values}")
    raw_execute(db, "INSERT INTO reading_queue (paper_id, position) VALUES (3, 1), (2, 2)")
    raw_execute(
        db,
        "INSERT INTO history (id, at, command, summary) VALUES "
        "(1, '2026-01-08T10:00:00Z', 'queue', 'queued [2]')",
    )
    if db.startswith("postgresql"):  # ids given by hand: the sequences go past them
        for table in ("paper", "history"):
            raw_execute(db, f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)")
    key, after = json.dumps({"paper_id": 2}), json.dumps({"paper_id": 2, "position": 2})
    raw_execute(
        db,
        "INSERT INTO history_change (history_id, seq, table_name, row_key, before, after, "
        f"paper_id) VALUES (1, 1, 'reading_queue', '{key}', NULL, '{after}', 2)",
    )


def test_an_old_library_upgrades_with_all_its_reading_kept(
    isolated_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_library(isolated_env)
    monkeypatch.setenv("PAPERTRAIL_READER", "ada")  # the setting names who it was
    if isolated_env.startswith("postgresql"):
        assert "Upgraded the schema from 0011 to " + HEAD in ok("db", "upgrade")
    papers = as_json("list")
    assert [(p["id"], p["status"], p["note"]) for p in papers] == [
        (row[0], row[3], row[4]) for row in PAPERS
    ]
    for row in PAPERS:
        shown = as_json("show", str(row[0]))
        assert (shown["added_at"], shown["started_at"], shown["read_at"]) == row[5:]
    assert [p["id"] for p in as_json("queue")] == [3, 2]
    assert as_json("log")[0]["reader"] == "ada"
    assert as_json("stats")["by_status"] == {"unread": 2, "reading": 1, "read": 1}
    # Another reader starts with nothing of ada's.
    other = run("--reader", "bob", "list", "--json")
    assert {p["status"] for p in json.loads(other.stdout)} == {"unread"}
    assert json.loads(run("--reader", "bob", "queue", "--json").stdout) == []
    # What was undoable before the upgrade still is: the queueing of paper 2.
    assert "Undid #1 queue" in ok("undo")
    assert [p["id"] for p in as_json("queue")] == [3]
    # Notes are searched, as before, but each reader's own.
    assert [p["id"] for p in as_json("list", "--search", "量化")] == [1]
    assert json.loads(run("--reader", "bob", "list", "--search", "量化", "--json").stdout) == []


def test_a_status_and_note_changed_before_the_upgrade_can_be_undone(
    isolated_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before 0016 the reading state lived in `paper`, and so did its history's images:
    # `mark-read 1` (with a note) recorded as a paper change.
    _old_library(isolated_env)
    raw_execute(
        isolated_env,
        "INSERT INTO history (id, at, command, summary) VALUES "
        "(2, '2026-01-09T10:00:00Z', 'mark-read', 'marked read: [1]')",
    )
    common = {"id": 1, "title": "Deep Compression", "started_at": "2026-01-02T10:00:00Z"}
    before = {**common, "status": "reading", "read_at": None, "note": None}
    after = {**common, "status": "read", "read_at": "2026-01-03T10:00:00Z", "note": PAPERS[0][4]}
    raw_execute(
        isolated_env,
        "INSERT INTO history_change (history_id, seq, table_name, row_key, before, after, "
        "paper_id) VALUES (2, 1, 'paper', ?, ?, ?, 1)",
        (json.dumps({"id": 1}), json.dumps(before), json.dumps(after, ensure_ascii=False)),
    )
    monkeypatch.setenv("PAPERTRAIL_READER", "ada")
    if isolated_env.startswith("postgresql"):
        ok("db", "upgrade")
    assert "Undid #2 mark-read" in ok("undo")
    paper = as_json("show", "1")
    assert (paper["status"], paper["read_at"], paper["note"]) == ("reading", None, None)
    assert paper["started_at"] == "2026-01-02T10:00:00Z"
