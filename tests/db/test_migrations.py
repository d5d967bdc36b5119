"""The schema: models are the one source of truth, Alembic migrates without losing anything."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from papertrail.db.migrations import HEAD, REVISIONS
from papertrail.db.opening import alembic_config, open_store, sqlalchemy_url
from papertrail.errors import StoreError
from papertrail.model.same_paper import normal_title
from tests.support.cli import as_json, ok, run
from tests.support.first_revision import fill_first_revision

FTS_TABLES = {
    f"{index}{part}"
    for index in ("paper_fts", "file_page_fts")
    for part in ("", "_data", "_idx", "_docsize", "_config")
}


def test_revisions_constant_matches_alembic_history(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(sqlalchemy_url(str(tmp_path / "x.db"))))
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(history) == REVISIONS
    assert script.get_current_head() == HEAD


def test_a_database_migrated_to_head_matches_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from papertrail.db.tables import SQLModel

    db = tmp_path / "schema.db"
    open_store(str(db)).close()
    engine = create_engine(sqlalchemy_url(str(db)))
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, kind, _: name not in FTS_TABLES}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_upgrade_from_the_first_revision_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    fill_first_revision(db)
    moved = ("status", "note", "started_at", "read_at")  # each reader's own since 0016
    first_columns = [row[1] for row in _rows(db, "PRAGMA table_info(paper)")]
    kept = ", ".join(c for c in first_columns if c not in moved)
    rows_before = {
        "paper": _rows(db, f"SELECT {kept} FROM paper ORDER BY id"),
        **_all_rows(db, ("topic", "paper_topic")),
    }
    reading_before = _rows(
        db, "SELECT id, status, started_at, read_at, note FROM paper ORDER BY id"
    )

    papers = as_json("--db", str(db), "list")  # first use upgrades, after a backup
    assert _revision(db) == HEAD
    rows_after = {
        "paper": _rows(db, f"SELECT {kept} FROM paper ORDER BY id"),
        **_all_rows(db, ("topic", "paper_topic")),
    }
    assert rows_after == rows_before
    # Every status, date and note is now the one reader's (the login, or the setting).
    reading_after = _rows(
        db,
        "SELECT p.id, coalesce(r.status, 'unread'), r.started_at, r.read_at, n.text "
        "FROM paper p LEFT JOIN reading r ON r.paper_id = p.id "
        "LEFT JOIN reader_note n ON n.paper_id = p.id AND n.shared = 0 ORDER BY p.id",
    )
    assert reading_after == reading_before
    assert len(_rows(db, "SELECT name FROM reader")) == 1
    # The citation key 0008 gives every paper: the one exports gave it.
    keys = dict(_rows(db, "SELECT id, citation_key FROM paper"))
    assert keys == {1: "han2015deep", 2: "anon2015why", 3: "anon"}
    backups = list(tmp_path.glob("old.db.backup-0001-*"))
    assert len(backups) == 1 and _revision(backups[0]) == "0001"
    assert [(p["id"], p["status"], p["note"], p["topics"]) for p in papers] == [
        (1, "read", "剪枝 + 量化", ["pruning", "quantization"]),
        (2, "reading", None, ["pruning"]),
        (3, "unread", None, ["binary-quantization"]),
    ]
    assert as_json("--db", str(db), "show", "1")["read_at"] == "2026-01-03T10:00:00Z"
    assert [p["id"] for p in as_json("--db", str(db), "list", "--topic", "quantization")] == [1, 3]
    assert [p["id"] for p in as_json("--db", str(db), "list", "--search", "GEMM")] == [2]


def test_0009_numbers_new_feeds_after_every_feed_the_history_shows(tmp_path: Path) -> None:
    db = tmp_path / "feeds.db"
    for args in (["add", "cs.LG"], ["add", "math"], ["add", "hep-th"], ["remove", "3"]):
        ok("--db", str(db), "feed", *args)
    # Back to revision 0008, as a library made then: feed numbers without AUTOINCREMENT.
    connection = sqlite3.connect(db)
    connection.executescript(
        "CREATE TABLE old_feed (id INTEGER NOT NULL PRIMARY KEY, categories VARCHAR NOT NULL,"
        " keywords VARCHAR, authors VARCHAR, topic VARCHAR, created_at VARCHAR NOT NULL);"
        "INSERT INTO old_feed SELECT id, categories, keywords, authors, topic, created_at "
        "FROM feed; DROP TABLE feed;"
        "ALTER TABLE old_feed RENAME TO feed; DELETE FROM sqlite_sequence WHERE name = 'feed';"
        "UPDATE alembic_version SET version_num = '0008';"
    )
    _without_0011(connection)
    connection.close()
    assert ok("--db", str(db), "feed", "add", "q-bio").startswith("Following [4] q-bio")
    assert _revision(db) == HEAD
    ok("--db", str(db), "undo", "4")  # the removal of feed 3 (and the add after it)
    assert [f["id"] for f in as_json("--db", str(db), "feed", "list")] == [1, 2, 3]


def _without_0016(connection: sqlite3.Connection) -> None:
    """A library rewound to 0015: the reading state back in `paper`, one queue, no
    readers (the reader's rows are put back where they were)."""
    feed = [row[1] for row in connection.execute("PRAGMA table_info(feed)")]
    if "reader_id" in feed:
        connection.executescript(
            "DROP INDEX ix_feed_reader_id; ALTER TABLE feed DROP COLUMN reader_id;"
        )
    inbox = (
        "number, arxiv_id, version, title, authors, abstract, categories, announce_type, doi, "
        "journal_ref, announced, reason, topics, first_seen"
    )
    connection.executescript(
        "CREATE TABLE old_inbox (number INTEGER NOT NULL PRIMARY KEY, arxiv_id VARCHAR NOT NULL "
        "UNIQUE, version INTEGER, title VARCHAR, authors VARCHAR, abstract VARCHAR, "
        "categories VARCHAR, announce_type VARCHAR NOT NULL, doi VARCHAR, journal_ref VARCHAR, "
        "announced VARCHAR, reason VARCHAR NOT NULL, topics VARCHAR, "
        "first_seen VARCHAR NOT NULL); "
        f"INSERT INTO old_inbox SELECT {inbox} FROM inbox_item; DROP TABLE inbox_item; "
        "ALTER TABLE old_inbox RENAME TO inbox_item; "
        "CREATE INDEX ix_inbox_item_first_seen ON inbox_item (first_seen); "
        "CREATE TABLE old_seen (arxiv_id VARCHAR NOT NULL PRIMARY KEY, first_seen VARCHAR "
        "NOT NULL, state VARCHAR NOT NULL, title VARCHAR, authors VARCHAR, abstract VARCHAR); "
        "INSERT INTO old_seen SELECT arxiv_id, first_seen, state, title, authors, abstract "
        "FROM seen_paper; "
        "DROP TABLE seen_paper; ALTER TABLE old_seen RENAME TO seen_paper;"
    )
    fts = "title, abstract, authors, note"
    new = "new.title, new.abstract, new.authors, new.note"
    old = "old.title, old.abstract, old.authors, old.note"
    connection.executescript(
        "DROP TRIGGER paper_fts_insert; DROP TRIGGER paper_fts_delete; "
        "DROP TRIGGER paper_fts_update; DROP TABLE paper_fts; "
        "ALTER TABLE paper ADD COLUMN status VARCHAR NOT NULL DEFAULT 'unread'; "
        "ALTER TABLE paper ADD COLUMN note VARCHAR; "
        "ALTER TABLE paper ADD COLUMN started_at VARCHAR; "
        "ALTER TABLE paper ADD COLUMN read_at VARCHAR; "
        "UPDATE paper SET (status, started_at, read_at) = (SELECT r.status, r.started_at, "
        "r.read_at FROM reading r WHERE r.paper_id = paper.id) "
        "WHERE id IN (SELECT paper_id FROM reading); "
        "UPDATE paper SET note = (SELECT n.text FROM reader_note n WHERE n.paper_id = paper.id "
        "AND n.shared = 0); "
        "CREATE TABLE old_queue (paper_id INTEGER NOT NULL PRIMARY KEY REFERENCES paper(id) "
        "ON DELETE CASCADE, position INTEGER NOT NULL); "
        "INSERT INTO old_queue SELECT paper_id, position FROM reading_queue; "
        "DROP TABLE reading_queue; ALTER TABLE old_queue RENAME TO reading_queue; "
        "DROP TABLE reading; DROP TABLE reader_note; "
        "DROP INDEX ix_history_reader_id; ALTER TABLE history DROP COLUMN reader_id; "
        "DROP TABLE reader; "
        "CREATE INDEX ix_paper_read_at ON paper (read_at); "
        "CREATE INDEX ix_paper_status_added ON paper (status, added_at); "
        f"CREATE VIRTUAL TABLE paper_fts USING fts5({fts}, content='paper', "
        "content_rowid='id', tokenize='trigram'); "
        "CREATE TRIGGER paper_fts_insert AFTER INSERT ON paper BEGIN "
        f"INSERT INTO paper_fts(rowid, {fts}) VALUES (new.id, {new}); END; "
        "CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN "
        f"INSERT INTO paper_fts(paper_fts, rowid, {fts}) VALUES ('delete', old.id, {old}); END; "
        f"CREATE TRIGGER paper_fts_update AFTER UPDATE OF {fts} ON paper BEGIN "
        f"INSERT INTO paper_fts(paper_fts, rowid, {fts}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO paper_fts(rowid, {fts}) VALUES (new.id, {new}); END; "
        "INSERT INTO paper_fts(paper_fts) VALUES ('rebuild');"
    )


def _without_0011(connection: sqlite3.Connection) -> None:
    """A library rewound to before 0011 loses the tables 0011 makes (the files), and what
    the revisions after it add (0015: a dismissed item's text; 0016: the readers; 0013:
    written keys, linked bibliographies; 0012: tags, the fetch log, pairs known distinct)."""
    connection.executescript(
        "DROP TABLE distinct_pair; DROP TABLE fetch_log; DROP TABLE paper_tag; DROP TABLE tag;"
    )
    _without_0016(connection)
    connection.executescript(
        "DROP TABLE paper_key; DROP TABLE bib_link; "
        "DROP TABLE file_page_fts; DROP TABLE file_page; DROP TABLE paper_file; DROP TABLE file;"
        "ALTER TABLE seen_paper DROP COLUMN title; ALTER TABLE seen_paper DROP COLUMN authors;"
        "ALTER TABLE seen_paper DROP COLUMN abstract;"
    )


def test_0010_keeps_what_imports_logged_before_it_and_their_undo(tmp_path: Path) -> None:
    db, reading = tmp_path / "keys.db", tmp_path / "list.md"
    reading.write_text(
        "# Reading\n\n- [Über Die  Quantisierung!](https://example.org/q)\n"
        "- **Another, Paper** (2020) [[PDF]](https://example.org/a.pdf)\n",
        encoding="utf-8",
    )
    ok("--db", str(db), "import", str(reading))
    stored = {p["title"]: p["url"] for p in as_json("--db", str(db), "list")}
    ok("--db", str(db), "remove", "1", "--yes")
    # Back to 0009, with the keys the title normalisation of that time wrote.
    connection = sqlite3.connect(db)
    for title, url in stored.items():
        old = " ".join(unicodedata.normalize("NFC", title).casefold().split())
        new_key = f"paper:title:{normal_title(title)} {url or ''}".rstrip()
        old_key = f"paper:title:{old} {url or ''}".rstrip()
        assert connection.execute(
            "SELECT count(*) FROM import_log WHERE item_key = ?", (new_key,)
        ).fetchone() == (1,)
        connection.execute(
            "UPDATE import_log SET item_key = replace(item_key, ?, ?)", (new_key, old_key)
        )
        for column in ("row_key", "before", "after"):
            connection.execute(
                f"UPDATE history_change SET {column} = replace({column}, ?, ?)",
                (json.dumps(new_key, ensure_ascii=False)[1:-1], old_key),
            )
    connection.execute("UPDATE alembic_version SET version_num = '0009'")
    connection.commit()
    _without_0011(connection)
    connection.close()

    again = ok("--db", str(db), "import", str(reading))
    assert _revision(db) == HEAD
    assert "0 added" in again  # the removed paper stays removed, the other is merged
    assert [p["id"] for p in as_json("--db", str(db), "list")] == [2]
    ok("--db", str(db), "undo", "1")  # every change back to the first import
    assert as_json("--db", str(db), "list") == []
    assert _rows(db, "SELECT * FROM import_log") == []


def test_undo_reaches_back_past_the_upgrade_that_gave_citation_keys(tmp_path: Path) -> None:
    """Changes made before 0008 stay undoable after it: its keys are no change of the
    user's, and a paper brought back from an image without a key gets one of its own."""
    db = tmp_path / "keys.db"
    for ref in ("1706.03762", "1512.03385"):
        ok("--db", str(db), "add", "--no-fetch", ref)
    ok("--db", str(db), "remove", "2", "--yes")
    # Back to 0007, as a library made then: no citation keys, in rows and in the history.
    connection = sqlite3.connect(db)
    connection.execute("UPDATE paper SET citation_key = NULL")
    for column in ("before", "after"):
        connection.execute(
            f"UPDATE history_change SET {column} = json_set({column}, '$.citation_key', NULL) "
            f"WHERE table_name = 'paper' AND {column} IS NOT NULL"
        )
    connection.execute("DROP INDEX ix_paper_citation_key")
    _without_0011(connection)
    connection.execute("UPDATE alembic_version SET version_num = '0007'")
    connection.commit()
    connection.close()
    ok("--db", str(db), "undo")  # the removal: paper 2 comes back with a key of its own
    keys = dict(_rows(db, "SELECT id, citation_key FROM paper"))
    assert _revision(db) == HEAD and keys[1] and keys[2] and keys[1] != keys[2]
    ok("--db", str(db), "undo")  # the add of paper 2, older than its key
    ok("--db", str(db), "undo")  # the add of paper 1, whose key 0008 gave
    assert _rows(db, "SELECT id FROM paper") == []


def test_a_database_from_a_newer_papertrail_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    ok("--db", str(db), "add", "1510.00149", "--no-fetch")
    connection = sqlite3.connect(db)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    before = db.read_bytes()
    result = run("--db", str(db), "list")
    assert result.exit_code == 4
    assert "written by a newer papertrail" in result.stderr
    assert db.read_bytes() == before
    with pytest.raises(StoreError):
        open_store(str(db))


def _revision(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def _rows(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _all_rows(db: Path, tables: tuple[str, ...]) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(db)
    try:
        return {
            t: connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables
        }
    finally:
        connection.close()
