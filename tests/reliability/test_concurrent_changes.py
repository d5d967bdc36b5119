"""Concurrent changes (the topic tree, the same paper added twice) and readers facing a cycle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papertrail.db.opening import open_store
from papertrail.model.records import PaperRecord
from tests.reliability.helpers import is_postgres, raw_execute, raw_rows
from tests.support.cli import ok

pytestmark = pytest.mark.usefixtures("backend")


def wait_until_waiting(process: subprocess.Popen[str], db: str) -> None:
    """Until the other client waits on a lock (PostgreSQL shows it) or has finished."""
    deadline = time.monotonic() + (30 if is_postgres(db) else 3)
    while time.monotonic() < deadline and process.poll() is None:
        if is_postgres(db):
            waiting = raw_rows(
                db,
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type IN ('Lock') "
                "AND datname = current_database()",
            )[0][0]
            if waiting:
                return
        time.sleep(0.1)


def start_while_holding(db: str, *args: str) -> subprocess.Popen[str]:
    """Another client runs `papertrail ARGS` while this test holds a write transaction."""
    other = subprocess.Popen(
        [sys.executable, "-m", "papertrail", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    wait_until_waiting(other, db)
    return other


def test_two_clients_cannot_make_a_cycle_between_them(isolated_env: str) -> None:
    ok("add", "--no-fetch", "1510.00149", "-t", "a", "-t", "b")
    store = open_store(isolated_env)
    try:
        with store.transaction():
            store.set_topic_parent("a", "b")
            other = start_while_holding(isolated_env, "topic-parent", "b", "a")
    finally:
        store.close()
    _, stderr = other.communicate(timeout=60)
    assert other.returncode == 1, stderr
    assert "would make a cycle" in stderr
    assert ok("topics").splitlines() == ["a\tb\t1\t0", "b\t\t1\t0"]


def test_a_cycle_in_old_data_loses_no_paper(isolated_env: str, tmp_path: Path) -> None:
    ok("add", "--no-fetch", "1510.00149", "-t", "a")
    ok("add", "--no-fetch", "1706.03762", "-t", "b")
    ok("add", "--no-fetch", "1602.02830", "-t", "c")
    ok("topic-parent", "c", "a")
    raw_execute(
        isolated_env,
        "UPDATE topic SET parent_id = (SELECT id FROM topic WHERE slug = 'b') WHERE slug = 'a'",
    )
    raw_execute(
        isolated_env,
        "UPDATE topic SET parent_id = (SELECT id FROM topic WHERE slug = 'a') WHERE slug = 'b'",
    )
    everything = ["1510.00149", "1706.03762", "1602.02830"]
    for fmt in ("json", "markdown", "csv", "bibtex"):
        text = ok("export", "--format", fmt)
        assert all(arxiv_id in text for arxiv_id in everything), (fmt, text)
    document = json.loads(ok("export"))
    assert sorted(t["slug"] for t in document["topics"]) == ["a", "b", "c"]
    assert sorted(
        p["arxiv_id"] for p in json.loads(ok("list", "--topic", "a", "--json"))
    ) == sorted(everything)
    markdown = ok("export", "--format", "markdown")
    for slug in ("a", "b", "c"):
        assert f"# {slug}\n" in markdown
    # An export of the damaged tree reads back: every paper, the tree without its cycle.
    export = tmp_path / "all.json"
    ok("export", "-o", str(export))
    copy = str(tmp_path / "copy.db")
    ok("--db", copy, "import", str(export))
    assert sorted(p["arxiv_id"] for p in json.loads(ok("--db", copy, "list", "--json"))) == sorted(
        everything
    )
    assert len(ok("topics").splitlines()) == 3
    assert "total" in ok("stats")


def test_two_clients_adding_the_same_paper_at_once_both_succeed(isolated_env: str) -> None:
    ok("add", "--no-fetch", "1602.02830")  # the library exists
    store = open_store(isolated_env)
    try:
        with store.transaction():
            store.insert_paper(PaperRecord(arxiv_id="1510.00149", topics=["mine"]), "2026-01-01")
            other = start_while_holding(
                isolated_env, "add", "--no-fetch", "1706.03762", "1510.00149", "-t", "theirs"
            )
    finally:
        store.close()
    stdout, stderr = other.communicate(timeout=60)
    assert other.returncode == 0, stderr
    assert "Added [3] 1706.03762" in stdout
    assert (
        "Already in the library: [2] 1510.00149 (metadata pending) (added topics: theirs)" in stdout
    )
    papers = {p["arxiv_id"]: p["topics"] for p in json.loads(ok("list", "--json"))}
    assert papers == {
        "1602.02830": [],
        "1510.00149": ["mine", "theirs"],
        "1706.03762": ["theirs"],
    }


def test_an_import_racing_an_add_of_the_same_paper_succeeds(
    isolated_env: str, tmp_path: Path
) -> None:
    ok("add", "--no-fetch", "1602.02830")
    export = tmp_path / "list.json"
    export.write_text(
        json.dumps(
            {
                "papers": [
                    {"arxiv_id": "1706.03762", "title": "Attention", "topics": ["nlp"]},
                    {"arxiv_id": "1510.00149", "title": "Deep Compression", "topics": ["pruning"]},
                ]
            }
        )
    )
    store = open_store(isolated_env)
    try:
        with store.transaction():
            store.insert_paper(PaperRecord(arxiv_id="1510.00149", topics=["mine"]), "2026-01-01")
            other = start_while_holding(isolated_env, "import", str(export))
    finally:
        store.close()
    stdout, stderr = other.communicate(timeout=60)
    assert other.returncode == 0, stderr
    assert "1 added, 1 already present (merged)" in stdout
    papers = {p["arxiv_id"]: (p["title"], p["topics"]) for p in json.loads(ok("list", "--json"))}
    assert papers["1510.00149"] == ("Deep Compression", ["mine", "pruning"])
    assert papers["1706.03762"] == ("Attention", ["nlp"])


def test_two_clients_queueing_at_once_keep_one_order(isolated_env: str) -> None:
    ok("add", "--no-fetch", "1510.00149", "1706.03762", "1602.02830")
    ok("queue", "1")
    store = open_store(isolated_env)
    try:
        with store.transaction():  # this client queues [2] while another queues [3]
            order = store.queue_to_change()
            store.set_queue([*order, 2])
            other = start_while_holding(isolated_env, "queue", "3")
    finally:
        store.close()
    _, stderr = other.communicate(timeout=60)
    assert other.returncode == 0, stderr
    assert [p["id"] for p in json.loads(ok("queue", "--json"))] == [1, 2, 3]
    places = raw_rows(isolated_env, "SELECT position FROM reading_queue ORDER BY position")
    assert [row[0] for row in places] == [1, 2, 3]  # one place each, none shared


def test_merge_keeps_a_note_written_while_it_waited(isolated_env: str, tmp_path: Path) -> None:
    """merge reads KEEP's row under its lock: a paragraph another client adds to KEEP's note
    while the merge waits is in the merged note, not written over (issue 21)."""
    ok("add", "--title", "One paper", "--url", "https://e.org/a", "--note", "kept note")
    ok("add", "--title", "One paper.", "--url", "https://e.org/b", "--note", "other note")
    store = open_store(isolated_env)
    try:
        with store.transaction():
            store.append_note(1, "written meanwhile")
            merging = start_while_holding(isolated_env, "merge", "1", "2")
    finally:
        store.close()
    _, stderr = merging.communicate(timeout=60)
    assert merging.returncode == 0, stderr
    note = json.loads(ok("show", "1", "--json"))["note"]
    assert note.split("\n\n") == ["kept note", "written meanwhile", "other note"]
