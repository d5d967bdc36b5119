"""Where the library is and the `db` commands: the default file in the user data folder,
--db, a file that is not a papertrail library, `db status`, `db upgrade`, and `db copy`
between SQLite files (to PostgreSQL: tests/db/test_postgres.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrail.db.migrations import HEAD
from tests.support.cli import as_json, ok, run, run_process
from tests.support.first_revision import fill_first_revision


@pytest.mark.usefixtures("backend")  # on SQLite and PostgreSQL
def test_default_database_lives_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PAPERTRAIL_DB")
    result = run_process("add", "1510.00149", "--no-fetch")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "data" / "papertrail" / "papertrail.db").is_file()


@pytest.mark.usefixtures("backend")  # on SQLite and PostgreSQL
def test_db_option_and_file_that_is_not_a_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    ok("--db", str(other), "add", "1510.00149", "--no-fetch")
    assert other.is_file()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = run("--db", str(junk), "list")
    assert result.exit_code == 4
    assert "not a papertrail database" in result.stderr
    assert junk.read_bytes() == b"this is not sqlite" * 100


def test_db_status_and_upgrade_commands(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert "none yet" in ok("--db", str(db), "db", "status")
    assert not db.exists()  # status creates nothing
    old = tmp_path / "old.db"
    fill_first_revision(old)
    assert f"0001 (this papertrail: {HEAD}; run `papertrail db upgrade`)" in ok(
        "--db", str(old), "db", "status"
    )
    assert f"Upgraded the schema from 0001 to {HEAD}" in ok("--db", str(old), "db", "upgrade")
    assert f"Already at schema {HEAD}" in ok("--db", str(old), "db", "upgrade")
    status = ok("--db", str(old), "db", "status")
    assert "up to date" in status and "Papers:   3" in status
    assert not list(tmp_path.glob("*.lock"))


def test_db_copy_between_sqlite_files_refuses_a_non_empty_target(tmp_path: Path) -> None:
    source, target = tmp_path / "a.db", tmp_path / "b.db"
    fill_first_revision(source)
    assert "Copied 3 paper(s)" in ok("db", "copy", str(source), str(target))
    assert as_json("--db", str(target), "list") == as_json("--db", str(source), "list")
    again = run("db", "copy", str(source), str(target))
    assert again.exit_code == 1 and "already holds papers" in again.stderr
