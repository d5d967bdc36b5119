"""Where a traceback used to escape, one `Error:` line and the documented exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.helpers import big_json, cli, error_line, escaped
from tests.support.arxiv_stub import ArxivStub, atom_feed
from tests.support.cli import as_json, ok


def refused(result, code: int) -> str:  # type: ignore[no-untyped-def]
    assert escaped(result) is None, repr(escaped(result))
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return error_line(result.stderr)


@pytest.mark.parametrize(
    ("name", "value", "shown_range"),
    [
        ("PAPERTRAIL_ARXIV_BATCH", "2001", "from 1 to 2000"),
        ("PAPERTRAIL_ARXIV_BATCH", "0", "from 1 to 2000"),
        ("PAPERTRAIL_ARXIV_BATCH", "٣", "from 1 to 2000"),  # an Arabic-Indic digit
        ("PAPERTRAIL_ARXIV_TIMEOUT", "inf", "from 0.001 to 3600"),
        ("PAPERTRAIL_ARXIV_TIMEOUT", "nan", "from 0.001 to 3600"),
        ("PAPERTRAIL_ARXIV_TIMEOUT", "1e308", "from 0.001 to 3600"),
        ("PAPERTRAIL_ARXIV_TIMEOUT", "0", "from 0.001 to 3600"),
        ("PAPERTRAIL_ARXIV_DELAY", "inf", "from 0 to 3600"),
        ("PAPERTRAIL_ARXIV_DELAY", "-1", "from 0 to 3600"),
    ],
)
def test_out_of_range_settings_are_usage_errors(
    arxiv: ArxivStub, name: str, value: str, shown_range: str
) -> None:
    line = refused(cli("add", "1510.00149", env={name: value}), 2)
    assert name in line and shown_range in line


@pytest.mark.parametrize("ref", [str(2**63), str(2**63 - 1), "9" * 40, "²"])
def test_a_huge_or_odd_numeric_ref_is_no_such_paper(ref: str) -> None:
    ok("add", "--no-fetch", "1510.00149")
    for args in (["show", ref], ["mark-read", ref], ["remove", ref, "--yes"]):
        line = refused(cli(*args), 2 if ref == "²" else 1)
        assert repr(ref) in line


def test_impossible_and_early_dates_from_arxiv(arxiv: ArxivStub) -> None:
    arxiv.queue(
        200,
        atom_feed(
            [
                {"id": "1510.00149", "published": "2017-02-30T00:00:00Z"},
                {"id": "1706.03762", "published": "0999-01-04T00:00:00Z"},
            ]
        ),
    )
    result = cli("add", "1510.00149", "1706.03762")
    assert escaped(result) is None and result.exit_code == 0, result.stderr
    first, second = as_json("list")
    assert (first["published"], first["year"]) == (None, None)  # refused, not 2017-03-02
    assert (second["published"], second["year"]) == ("0999-01-04", 999)


@pytest.mark.parametrize(
    "db",
    [
        "postgresql+psycopg//me@host/db",
        "postgresql//me@host/db",
        "postgres//me@host/db",
        "sqlite//lib.db",
        "mysql://me@host/db",
        "postgresql+psycopg:/me@host",
    ],
)
def test_database_url_typos_are_usage_errors_and_create_nothing(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["list"], ["add", "--no-fetch", "1510.00149"], ["db", "status"]):
        line = refused(cli("--db", db, *args), 2)
        assert "URL" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


@pytest.mark.parametrize("name", ["lib%41.db", "lib?mode=ro.db", "lib#1.db", "a%2Fb.db"])
def test_url_syntax_in_a_file_name_keeps_the_schema_in_that_file(name: str, tmp_path: Path) -> None:
    db = tmp_path / "libs" / name
    ok("--db", str(db), "add", "--no-fetch", "1510.00149")
    assert [p["arxiv_id"] for p in as_json("--db", str(db), "list")] == ["1510.00149"]
    assert sorted(p.name for p in db.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        name
    ]


def _write_to_full(*args: str) -> subprocess.CompletedProcess[str]:
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "papertrail", *args],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip


OUTPUT_COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "1"],
    ["show", "1", "--json"],
    ["topics"],
    ["stats"],
    ["export"],
    ["export", "--format", "csv"],
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", OUTPUT_COMMANDS)
def test_a_full_standard_output_is_one_line(args: list[str]) -> None:
    ok("add", "--no-fetch", "1510.00149", "-t", "quantization")
    result = _write_to_full(*args)
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in error_line(result.stderr)


@pytest.mark.parametrize("args", OUTPUT_COMMANDS)
def test_a_reader_that_leaves_early_is_not_an_error(args: list[str], tmp_path: Path) -> None:
    ok("import", str(big_json(tmp_path / "many.json", 2000, topics=300)))
    process = subprocess.Popen(
        [sys.executable, "-m", "papertrail", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first byte
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == ""
