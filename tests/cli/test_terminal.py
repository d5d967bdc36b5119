"""papertrail on a real pseudo-terminal of 80 x 24 (pexpect): the table's layout, the pager,
--no-pager and the `pager = false` setting, and the mark-read picker."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from papertrail.cli.terminal.table import cell_width
from tests.support.cli import ok
from tests.support.paths import DATA

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")
STATUS = ("unread", "reading", "read")


@pytest.fixture(autouse=True)
def library() -> None:
    ok("import", str(DATA / "library.json"))  # papers with authors, read and reading
    ok("import")  # the seed: 118 more papers in a topic tree, no authors


def spawn(*args: str, **env: str) -> pexpect.spawn:
    """`papertrail ARGS` on an 80 x 24 terminal, the test's environment but its own size."""
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environment.update(TERM="xterm", **env)
    for name in ("PAGER", "PAPERTRAIL_PAGER"):
        if name not in env:
            environment.pop(name, None)
    return pexpect.spawn(
        sys.executable, ["-m", "papertrail", *args], env=environment,
        dimensions=(24, 80), encoding="utf-8", timeout=60,
    )  # fmt: skip


def screen_text(child: pexpect.spawn) -> list[str]:
    """Everything the command wrote until it ended, as lines without terminal codes."""
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return ANSI.sub("", child.before).split("\n")


def piped_ids(*args: str) -> list[str]:
    return [line.split("\t")[0] for line in ok(*args).splitlines()]


def test_the_table_fits_80_columns_and_never_cuts_id_year_or_status() -> None:
    lines = screen_text(spawn("--no-pager", "list"))
    assert max(cell_width(line) for line in lines) <= 80
    # Authors shrink before the title; topics give way at 80 columns (`show` has them).
    assert lines[0].split() == ["ID", "arXiv", "Title", "Authors", "Year", "Status"]
    rows = [line for line in lines if re.match(r"\s*\d+  \S", line)]
    # One first line per paper: its id, and its status whole at the end.
    assert [row.split()[0] for row in rows] == piped_ids("list")
    assert all(row.split()[-1] in STATUS for row in rows), [r for r in rows if r][:3]
    years = [re.search(r"\s(\d{4})\s", row) for row in rows]
    assert sum(bool(year) for year in years) >= len(rows) - 5  # a few seed papers have none
    assert lines[-2].strip() == f"{len(rows)} of {len(rows)} papers"


def test_the_authors_column_is_left_out_when_no_listed_paper_has_authors() -> None:
    lines = screen_text(spawn("--no-pager", "list", "--topic", "cnn"))
    assert lines[0].split() == ["ID", "arXiv", "Title", "Year", "Topics", "Status"]
    assert any("Deep Sparse Rectifier" in line for line in lines)
    assert max(cell_width(line) for line in lines) <= 80


@pytest.mark.skipif(shutil.which("less") is None, reason="needs `less` installed")
def test_long_output_waits_in_less_until_asked() -> None:
    total = len(piped_ids("list"))
    child = spawn("list")  # no pager variables: `less -FRX`
    child.expect("ID +arXiv +Title")
    child.expect("Deep Compression")
    # 122 papers do not fit 24 lines: less holds the rest, footer included.
    with pytest.raises(pexpect.TIMEOUT):
        child.expect("papers", timeout=2)
    child.send("G")  # to the end
    child.expect(f"{total} of {total} papers")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_short_output_prints_without_waiting_in_less() -> None:
    child = spawn("list", "--topic", "cnn")  # one screen: less -F quits
    assert screen_text(child)[-2].endswith(f"matching ({len(piped_ids('list'))} in library)")


@pytest.mark.parametrize("variable", ["PAPERTRAIL_PAGER", "PAGER"])
def test_the_pager_from_the_environment_gets_every_line(variable: str) -> None:
    lines = screen_text(spawn("list", "--topic", "pruning", **{variable: "sed s/^/paged:/"}))
    written = [line for line in lines if line.strip()]
    assert written and all(line.startswith("paged:") for line in written)
    assert "Title" in written[0]


def test_no_pager_and_the_setting_print_directly(tmp_path: Path) -> None:
    pager = {"PAPERTRAIL_PAGER": "sed s/^/paged:/"}
    direct = screen_text(spawn("list", "--topic", "pruning", "--no-pager", **pager))
    assert direct[0].startswith("ID") and not any(line.startswith("paged:") for line in direct)
    settings = tmp_path / "config.toml"
    settings.write_text("pager = false\n", encoding="utf-8")
    by_setting = screen_text(
        spawn("list", "--topic", "pruning", PAPERTRAIL_CONFIG=str(settings), PAGER="sed s/^/x/")
    )
    assert by_setting == direct


def test_show_goes_through_the_pager_too() -> None:
    lines = screen_text(spawn("show", "1510.00149", PAPERTRAIL_PAGER="sed s/^/paged:/"))
    assert any("Deep Compression" in line for line in lines)
    assert all(line.startswith("paged:") for line in lines if line.strip())


def test_the_mark_read_picker_uses_the_table_and_filters() -> None:
    child = spawn("mark-read")
    child.expect("Mark read: which papers?")
    child.expect("of \\d+ papers")
    child.expect("/WORDS to filter")
    child.sendline("/binarized")
    child.expect("ID +arXiv +Title")
    child.expect("Binarized Neural")
    child.expect("1 of \\d+ papers")
    child.expect("/WORDS to filter")
    picked = ok("list", "--search", "Binarized Neural Networks", "--ids").split()[0]
    child.sendline(picked)
    child.expect(f"Marked read: \\[{picked}\\] 1602.02830")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
