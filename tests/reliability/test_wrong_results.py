"""Results that were wrong without any error: libraries created by a typo, foreign databases
taken over, ASCII-only case folding, formulas in CSV, invisible text, upgrade claims."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from papertrail.db.opening import sqlalchemy_url, upgrade
from tests.reliability.helpers import cli, error_line, is_postgres, raw_execute, raw_rows
from tests.support.cli import as_json, ok

pytestmark = pytest.mark.usefixtures("backend")

READING = [["list"], ["stats"], ["topics"], ["export"], ["show", "1"], ["mark-read", "1"]]


def test_reading_a_library_that_does_not_exist_says_so(isolated_env: str) -> None:
    for args in READING:
        result = cli(*args)
        assert result.exit_code == 4, (args, result.stdout)
        assert "there is no papertrail library there yet" in error_line(result.stderr)
    if is_postgres(isolated_env):
        assert raw_rows(
            isolated_env, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ) == [(0,)]
    else:
        assert not Path(isolated_env).exists()


def test_a_database_of_another_application_is_refused_untouched(isolated_env: str) -> None:
    raw_execute(isolated_env, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    for args in (
        ["list"],
        ["add", "--no-fetch", "1706.03762"],
        ["db", "status"],
        ["db", "upgrade"],
    ):
        result = cli(*args)
        assert result.exit_code == 4, (args, result.stdout)
        assert "not a papertrail library: it holds other tables (customers" in error_line(
            result.stderr
        )
    if is_postgres(isolated_env):
        tables = raw_rows(
            isolated_env, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        assert tables == [("customers",)]


def test_another_alembic_managed_database_is_not_a_newer_papertrail(isolated_env: str) -> None:
    ok("add", "--no-fetch", "1510.00149")
    raw_execute(isolated_env, "UPDATE alembic_version SET version_num = 'ae1027a6acf'")
    raw_execute(isolated_env, "DROP TABLE paper_topic")
    for args in (["list"], ["add", "--no-fetch", "1706.03762"], ["db", "status"]):
        result = cli(*args)
        assert result.exit_code == 4
        line = error_line(result.stderr)
        assert "another application's schema (revision ae1027a6acf)" in line
        assert "newer papertrail" not in line


def test_case_insensitive_filters_fold_all_of_unicode() -> None:
    ok("add", "--title", "Sur les séries", "--url", "https://e.org/1", "--authors", "Émile Borel")
    ok(
        "add",
        "--title",
        "Über Alles",
        "--url",
        "https://e.org/2",
        "--authors",
        "Hans Müller; Ann Lee",
    )
    ok("add", "--title", "Plain", "--url", "https://e.org/3", "--authors", "Ann Lee")

    def ids(*args: str) -> list[int]:
        return [p["id"] for p in as_json("list", *args)]

    assert ids("--author", "émile") == [1]
    assert ids("--author", "MÜLLER") == [2]
    assert ids("--author", "müller") == [2]
    assert ids("--search", "ÉMILE") == [1]
    assert ids("--search", "üb") == [2]  # under three characters: not the full-text index
    assert ids("--search", "ÜB") == [2]
    assert ids("--author", "LEE") == [2, 3]


def test_csv_cells_are_never_formulas(tmp_path: Path) -> None:
    ok("add", "--title", "=HYPERLINK(\"http://evil\",\"x\")", "--url", "https://e.org/1",
       "--authors", "@SUM(A1); -2+3", "--note", "+cmd|' /C calc'!A0")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(ok("export", "--format", "csv"))))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil","x")'
    assert rows[0]["authors"] == "'@SUM(A1); -2+3"
    assert rows[0]["note"] == "'+cmd|' /C calc'!A0"
    assert rows[0]["url"] == "https://e.org/1"


def test_bidi_overrides_and_zero_width_characters_are_shown() -> None:
    title = "Invoice \u202egnp.exe\u202c and\u200b hidden\ufeff"
    ok("add", "--title", title, "--url", "https://e.org/1", "--note", "a\u2066b\u2069")
    listed = ok("list")
    assert "\\u202egnp.exe\\u202c and\\u200b hidden\\ufeff" in listed
    shown = ok("show", "1")
    assert "a\\u2066b\\u2069" in shown
    for text in (listed, shown):
        assert not any(ch in text for ch in "\u202e\u202c\u200b\ufeff\u2066\u2069")
    terminal = cli("show", "1", env={"PAPERTRAIL_TERMINAL": "1"}).stdout
    assert "\u202e" not in terminal and "\\u202e" in terminal
    assert as_json("show", "1")["title"] == title  # the data itself is kept as it is


def test_only_the_upgrade_that_ran_says_upgraded(isolated_env: str) -> None:
    upgrade(sqlalchemy_url(isolated_env), "0001")
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "papertrail", "db", "upgrade"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    said = sorted(out.split(" ")[0] for out, _ in outputs)
    assert said == ["Already", "Already", "Already", "Upgraded"], outputs
