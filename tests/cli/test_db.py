"""Where the library is: the default file in the user data folder, --db, and a file that is
not a papertrail library."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import ok, run, run_process


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
