"""A paper's id is never handed out again after it is removed: a stale `mark-read 3` must not
hit another paper. On both databases, and in a SQLite library made by an older papertrail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from papertrail.db.migrations import HEAD
from papertrail.db.opening import sqlalchemy_url, upgrade
from tests.reliability.helpers import raw_rows
from tests.support.cli import as_json, ok, run


@pytest.mark.usefixtures("backend")
def test_ids_of_removed_papers_are_not_reused() -> None:
    ok("add", "--no-fetch", "1510.00149", "1706.03762", "1602.02830")
    ok("remove", "3", "--yes")
    assert ok("add", "--no-fetch", "1512.03385").startswith("Added [4] 1512.03385")
    stale = run("mark-read", "3")
    assert stale.exit_code == 1 and "no paper '3'" in stale.stderr


@pytest.mark.usefixtures("backend")
def test_an_import_after_a_removal_numbers_its_papers_after_the_removed_one(
    tmp_path: Path,
) -> None:
    ok("add", "--no-fetch", "1510.00149", "1706.03762", "1602.02830")
    ok("remove", "3", "--yes")
    bib = tmp_path / "new.bib"
    bib.write_text(
        "@article{a, title = {Pruning filters}, author = {Li, Hao}, year = {2017}}\n"
        "@article{b, title = {Learning both weights}, author = {Han, Song}, year = {2015}}\n"
    )
    ok("import", str(bib))
    papers = as_json("list")
    assert sorted(p["id"] for p in papers) == [1, 2, 4, 5]
    assert [p["id"] for p in as_json("list", "--search", "Pruning")] == [4]
    stale = run("mark-read", "3")
    assert stale.exit_code == 1 and "no paper '3'" in stale.stderr


def test_upgrading_an_older_sqlite_library_keeps_rows_links_and_search(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    upgrade(sqlalchemy_url(str(db)), "0002")
    connection = sqlite3.connect(db)
    connection.executescript(
        """
        INSERT INTO paper (id, arxiv_id, title, authors, status, note, added_at)
        VALUES (1, '1510.00149', 'Deep Compression', 'Song Han', 'read', '剪枝', '2026-01-01'),
               (2, NULL, 'Why GEMM is at the heart of deep learning', NULL, 'unread', NULL,
                '2026-01-02'),
               (3, '1602.02830', 'Binarized Neural Networks', 'Matthieu Courbariaux', 'unread',
                NULL, '2026-01-03');
        INSERT INTO topic (id, slug, parent_id) VALUES (1, 'quantization', NULL),
               (2, 'binary', 1);
        INSERT INTO paper_topic VALUES (1, 1), (2, 1), (3, 2);
        INSERT INTO import_log VALUES ('seed', 'arxiv:1510.00149', '2026-01-01');
        """
    )
    connection.commit()
    connection.close()
    before = as_json("--db", str(db), "list")  # first use upgrades (after a backup)
    assert [(p["id"], p["topics"]) for p in before] == [
        (1, ["quantization"]),
        (2, ["quantization"]),
        (3, ["binary"]),
    ]
    assert raw_rows(str(db), "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert [p["id"] for p in as_json("--db", str(db), "list", "--search", "GEMM")] == [2]
    assert [p["id"] for p in as_json("--db", str(db), "list", "--search", "剪枝")] == [1]
    assert [p["id"] for p in as_json("--db", str(db), "list", "--search", "Binarized")] == [3]
    ok("--db", str(db), "remove", "3", "--yes")
    assert raw_rows(str(db), "SELECT * FROM paper_topic ORDER BY 1") == [(1, 1), (2, 1)]
    assert ok("--db", str(db), "add", "--no-fetch", "1706.03762").startswith("Added [4]")
    assert [p["id"] for p in as_json("--db", str(db), "list", "--search", "Binarized")] == []
    assert raw_rows(str(db), "PRAGMA integrity_check") == [("ok",)]
    assert len(raw_rows(str(db), "SELECT * FROM import_log")) == 1
