"""A lab sharing one library: each member's reading is their own (issue 27).

On PostgreSQL two ways: members connecting as their own roles (row-level security keeps
their private rows theirs), and a lab sharing one role (each member a declared name,
trust-based). On SQLite, a declared name. Everything through the CLI."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.arxiv_stub import RSS_TYPE, ArxivStub
from tests.support.cli import add_offline, as_json, ok, run
from tests.support.paths import DATA, ROOT
from tests.support.postgres import PostgresServer

MIXED = DATA / "arxiv" / "rss_mixed.xml"  # cs.LG + hep-th: two items match Ada's feeds
PAPERS = ("1510.00149", "1602.02830", "1706.03762", "1207.0580")
_roles = itertools.count()


def _libpq(url: str) -> str:
    return "postgresql:" + url.split(":", 1)[1]


def _as_role(url: str, role: str) -> str:
    """The library's URL, connecting as `role` (the test server trusts local roles)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


@pytest.fixture
def lab(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A PostgreSQL library made by its owner, and two members (roles) with access."""
    import psycopg

    owner = postgres_server.new_database()
    monkeypatch.setenv("PAPERTRAIL_DB", owner)
    add_offline(*PAPERS)
    suffix = f"{os.getpid()}_{next(_roles)}"
    ada, bob = f"ada_{suffix}", f"bob_{suffix}"
    with psycopg.connect(_libpq(owner), autocommit=True) as connection:
        for role in (ada, bob):
            connection.execute(f"CREATE ROLE {role} LOGIN")
            connection.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            connection.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
            )
            connection.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")

    class Lab:
        pass

    found = Lab()
    found.owner = owner  # type: ignore[attr-defined]
    found.ada, found.bob = ada, bob  # type: ignore[attr-defined]
    found.ada_url = _as_role(owner, ada)  # type: ignore[attr-defined]
    found.bob_url = _as_role(owner, bob)  # type: ignore[attr-defined]
    yield found
    postgres_server.drop_database(owner)
    with psycopg.connect(_libpq(postgres_server.admin_url), autocommit=True) as connection:
        for role in (ada, bob):
            connection.execute(f"DROP ROLE IF EXISTS {role}")


def _statuses(*args: str) -> dict[str, str]:
    return {p["arxiv_id"]: p["status"] for p in as_json(*args, "list")}


def _members_apart(ada: list[str], bob: list[str], ada_name: str, bob_name: str) -> None:
    """Ada's mark-read, queue, note never change what Bob sees; shared notes and the lab's
    stats show both. `ada` and `bob`: the global options each member runs with."""
    ok(*ada, "mark-read", "1")
    ok(*ada, "mark-reading", "2")
    ok(*ada, "queue", "3", "4")
    ok(*ada, "note", "1", "only for me")
    ok(*ada, "note", "1", "--shared", "section 3 is the key")
    ok(*bob, "mark-read", "4")
    ok(*bob, "note", "4", "--shared", "skip the appendix")

    assert _statuses(*ada) == {
        "1510.00149": "read", "1602.02830": "reading", "1706.03762": "unread",
        "1207.0580": "unread",
    }  # fmt: skip
    assert _statuses(*bob) == {
        "1510.00149": "unread", "1602.02830": "unread", "1706.03762": "unread",
        "1207.0580": "read",
    }  # fmt: skip
    assert [p["id"] for p in as_json(*ada, "queue")] == [2, 3, 4]
    assert as_json(*bob, "queue") == []
    assert as_json(*bob, "show", "1")["note"] is None
    assert "only for me" not in ok(*bob, "show", "1")
    assert as_json(*ada, "show", "1")["note"].endswith("only for me")

    # Bob sees who read paper 1 and Ada's shared note, apart from his own (empty) note.
    shown = ok(*bob, "show", "1")
    assert f"Read by: {ada_name} (read " in shown
    assert f"Shared note of {ada_name}:" in shown and "section 3 is the key" in shown
    view = as_json(*bob, "who-read", "1")
    assert [r["reader"] for r in view["readers"]] == [ada_name]
    assert [n["reader"] for n in view["shared_notes"]] == [ada_name]
    assert [p["id"] for p in as_json(*bob, "list", "--read-by", ada_name)] == [1]

    lab = {m["reader"]: m for m in as_json(*ada, "stats", "--lab")["readers"]}
    assert lab[ada_name]["read_this_month"] == 1 and lab[ada_name]["reading"] == 1
    assert lab[ada_name]["queued"] == 3
    assert lab[bob_name]["read_this_month"] == 1 and lab[bob_name]["queued"] == 0
    assert f"Shared note of {bob_name}:" in ok(*ada, "show", "4")

    # Undo is one's own: Bob's undo takes back his shared note, not Ada's last change.
    ok(*ada, "mark-read", "3")
    undone = run(*bob, "undo")
    assert undone.exit_code == 0 and "shared a note on [4]" in undone.stdout
    assert "is " + ada_name + "'s" in undone.stderr
    assert _statuses(*ada)["1706.03762"] == "read"
    assert as_json(*ada, "who-read", "4")["shared_notes"] == []
    assert [e["reader"] for e in as_json(*ada, "log", "--reader", bob_name)] == [bob_name] * 3

    # A member keeps their reading out of the lab's view.
    ok(*bob, "privacy", "private")
    shown_readers = [m["reader"] for m in as_json(*ada, "stats", "--lab")["readers"]]
    assert ada_name in shown_readers and bob_name not in shown_readers
    assert as_json(*ada, "list", "--read-by", bob_name) == []
    assert as_json(*ada, "who-read", "4")["readers"] == []


@pytest.mark.usefixtures("backend")
def test_members_declared_by_name_keep_their_reading_apart() -> None:
    add_offline(*PAPERS)
    # The one who added the papers is a reader too (the login name).
    login = as_json("log")[0]["reader"]
    ada, bob = ["--reader", "ada"], ["--reader", "bob"]
    ok(*ada, "mark-read", "1")  # first
    _members_apart_named(ada, bob, login)


def _members_apart_named(ada: list[str], bob: list[str], login: str) -> None:
    ok(*ada, "mark-reading", "2")
    ok(*ada, "queue", "3", "4")
    ok(*ada, "note", "1", "only for me")
    ok(*ada, "note", "1", "--shared", "section 3 is the key")
    ok(*bob, "mark-read", "4")
    ok(*bob, "note", "4", "--shared", "skip the appendix")
    assert _statuses(*bob)["1510.00149"] == "unread"
    assert _statuses(*ada)["1510.00149"] == "read"
    assert as_json(*bob, "queue") == []
    assert as_json(*bob, "show", "1")["note"] is None
    shown = ok(*bob, "show", "1")
    assert "Read by: ada (read " in shown and "Shared note of ada:" in shown
    assert "only for me" not in shown
    lab = {m["reader"]: m for m in as_json(*ada, "stats", "--lab")["readers"]}
    assert set(lab) == {"ada", "bob", login}
    assert (lab["ada"]["read_this_month"], lab["ada"]["reading"], lab["ada"]["queued"]) == (
        1, 1, 3,
    )  # fmt: skip
    assert [p["id"] for p in as_json(*bob, "list", "--read-by", "ada")] == [1]
    # The login's own view is untouched by both.
    assert set(_statuses().values()) == {"unread"}
    ok(*ada, "mark-read", "3")
    undone = run(*bob, "undo")
    assert undone.exit_code == 0 and "shared a note on [4]" in undone.stdout
    assert "#" in undone.stderr and "is ada's" in undone.stderr
    assert _statuses(*ada)["1706.03762"] == "read"


def test_two_members_as_two_roles_keep_their_reading_apart(lab: Any) -> None:
    ada, bob = ["--db", lab.ada_url], ["--db", lab.bob_url]
    _members_apart(ada, bob, lab.ada, lab.bob)


def test_a_lab_sharing_one_role_declares_each_reader(lab: Any) -> None:
    ada, bob = ["--db", lab.owner, "--reader", "ada"], ["--db", lab.owner, "--reader", "bob"]
    _members_apart(ada, bob, "ada", "bob")


def test_a_member_role_cannot_read_as_someone_else(lab: Any) -> None:
    result = run("--db", lab.ada_url, "--reader", "bob", "list")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: ") and f"database role '{lab.ada}'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_row_level_security_refuses_changing_another_members_rows(lab: Any) -> None:
    import psycopg

    ok("--db", lab.ada_url, "mark-read", "1")
    ok("--db", lab.ada_url, "queue", "2")
    ok("--db", lab.ada_url, "note", "1", "private words")
    ok("--db", lab.bob_url, "mark-read", "3")
    with psycopg.connect(_libpq(lab.bob_url), autocommit=True) as bob:
        (ada_id,) = bob.execute("SELECT id FROM reader WHERE name = %s", (lab.ada,)).fetchone()
        # Ada's private note is not even visible; her status is (the lab sees it), but
        # no change to it goes through.
        assert bob.execute("SELECT count(*) FROM reader_note").fetchone() == (0,)
        assert (
            bob.execute(
                "UPDATE reading SET status = 'unread' WHERE reader_id = %s", (ada_id,)
            ).rowcount
            == 0
        )
        assert (
            bob.execute("DELETE FROM reading_queue WHERE reader_id = %s", (ada_id,)).rowcount == 0
        )
        assert bob.execute("DELETE FROM reader_note").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO reading (reader_id, paper_id, status) VALUES (%s, 4, 'read')",
                (ada_id,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("UPDATE reading SET reader_id = %s", (ada_id,))
        assert (
            bob.execute("UPDATE reader SET private = 1 WHERE name = %s", (lab.ada,)).rowcount == 0
        )
        # Ada's history rows of her own reading are hers too.
        assert bob.execute(
            "SELECT count(*) FROM history_change WHERE table_name = 'reader_note'"
        ).fetchone() == (0,)
    assert _statuses("--db", lab.ada_url)["1510.00149"] == "read"
    assert [p["id"] for p in as_json("--db", lab.ada_url, "queue")] == [2]
    assert as_json("--db", lab.ada_url, "show", "1")["note"].endswith("private words")


def _mark_in_processes(url: str, refs: list[str], extra: list[str]) -> list[subprocess.Popen]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return [
        subprocess.Popen(
            [sys.executable, "-m", "papertrail", "--db", url, *extra, "mark-read", ref],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ref in refs
    ]


def test_concurrent_members_lose_nothing(lab: Any) -> None:
    refs = [str(i) for i in range(1, len(PAPERS) + 1)]
    runs = _mark_in_processes(lab.ada_url, refs, []) + _mark_in_processes(lab.bob_url, refs, [])
    runs += _mark_in_processes(lab.owner, refs, ["--reader", "cy"])
    for process in runs:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    for args in (
        ["--db", lab.ada_url],
        ["--db", lab.bob_url],
        ["--db", lab.owner, "--reader", "cy"],
    ):
        assert set(_statuses(*args).values()) == {"read"}
    lab_view = {m["reader"]: m for m in as_json("--db", lab.owner, "stats", "--lab")["readers"]}
    assert {lab_view[name]["read_this_month"] for name in (lab.ada, lab.bob, "cy")} == {4}
    assert len(as_json("--db", lab.owner, "log", "--limit", "100")) == 1 + 3 * len(PAPERS)


def test_each_member_has_their_own_feeds_and_inbox(lab: Any, arxiv: ArxivStub) -> None:
    ada, bob = ["--db", lab.ada_url], ["--db", lab.bob_url]
    ok(*ada, "feed", "add", "cs.LG", "--keyword", "quantiz", "-t", "quantization")
    ok(*ada, "feed", "add", "hep-th")
    assert as_json(*bob, "feed", "list") == []  # Ada's feeds are hers
    ok(*bob, "feed", "add", "hep-th")
    for member in (ada, bob):
        arxiv.queue(200, MIXED.read_bytes(), {"Content-Type": RSS_TYPE})
        ok(*member, "inbox")
    ada_items = as_json(*ada, "inbox", "--no-fetch")
    bob_items = as_json(*bob, "inbox", "--no-fetch")
    assert len(ada_items) == 2 and len(bob_items) == 1 and bob_items[0]["number"] == 1
    ok(*ada, "inbox", "dismiss", "--all")
    assert as_json(*ada, "inbox", "--no-fetch") == []
    assert as_json(*bob, "inbox", "--no-fetch") == bob_items  # untouched
    ok(*bob, "inbox", "dismiss", "1")
    assert ok(*ada, "undo").startswith("Undid ")  # her own dismissal, not Bob's
    assert as_json(*ada, "inbox", "--no-fetch") == ada_items
    assert as_json(*bob, "inbox", "--no-fetch") == []


def test_db_copy_of_one_reader_takes_their_reading_alone(tmp_path: Any) -> None:
    add_offline(*PAPERS)
    ok("--reader", "ada", "mark-read", "1")
    ok("--reader", "ada", "note", "1", "ada's own")
    ok("--reader", "bob", "mark-read", "2")
    ok("--reader", "bob", "queue", "3")
    ok("--reader", "bob", "note", "2", "bob's own")
    copy = str(tmp_path / "ada.db")
    assert "Copied 4 paper(s)" in ok(
        "db", "copy", os.environ["PAPERTRAIL_DB"], copy, "--reader", "ada"
    )
    assert _statuses("--db", copy, "--reader", "ada")["1510.00149"] == "read"
    assert as_json("--db", copy, "--reader", "ada", "show", "1")["note"].endswith("ada's own")
    assert [m["reader"] for m in as_json("--db", copy, "stats", "--lab")["readers"]] == ["ada"]
    bob = ["--db", copy, "--reader", "bob"]
    assert set(_statuses(*bob).values()) == {"unread"} and as_json(*bob, "queue") == []
    assert "bob's own" not in ok("--db", copy, "--reader", "ada", "show", "2")
    assert all(e["reader"] == "ada" for e in as_json("--db", copy, "log"))
    missing = run(
        "db", "copy", os.environ["PAPERTRAIL_DB"], str(tmp_path / "x.db"), "--reader", "cy"
    )
    assert missing.exit_code == 1 and "no reader 'cy'" in missing.stderr


@pytest.mark.usefixtures("backend")
def test_exports_carry_the_current_readers_status_and_note_only(tmp_path: Any) -> None:
    add_offline(*PAPERS)
    ok("--reader", "ada", "mark-read", "1")
    ok("--reader", "ada", "note", "1", "ada's words")
    ok("--reader", "bob", "mark-reading", "2")
    ok("--reader", "bob", "note", "2", "bob's words")
    for reader, status, note in (("ada", "read", "ada's words"), ("bob", "unread", None)):
        out = tmp_path / f"{reader}.json"
        ok("--reader", reader, "export", "-o", str(out))
        exported = {p["arxiv_id"]: p for p in json.loads(out.read_text())["papers"]}
        assert exported["1510.00149"]["status"] == status
        assert (exported["1510.00149"]["note"] or "").endswith(note or "")
        assert "bob's words" not in out.read_text() or reader == "bob"
        assert "ada's words" not in out.read_text() or reader == "ada"
    # What one exports comes back in another library as the importer's own reading.
    ok("--db", str(tmp_path / "mine.db"), "--reader", "cy", "import", str(tmp_path / "ada.json"))
    assert _statuses("--db", str(tmp_path / "mine.db"), "--reader", "cy")["1510.00149"] == "read"


def test_a_personal_library_stays_its_owners_under_another_login(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite, no reader declared: a library with one reader is that reader's, whatever the
    login (a personal library moved to another account reads as before)."""
    add_offline(*PAPERS)
    ok("mark-read", "1")
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "someone-else")
    assert _statuses()["1510.00149"] == "read"
    ok("mark-read", "2")
    assert [m["reader"] for m in as_json("stats", "--lab")["readers"]] != ["someone-else"]
    # Declared, a name is its own reader.
    assert set(_statuses("--reader", "someone-else").values()) == {"unread"}
    monkeypatch.setenv("PAPERTRAIL_READER", "someone-else")
    assert set(_statuses().values()) == {"unread"}
    assert "The reading of someone-else is visible to the lab." in ok("privacy")
