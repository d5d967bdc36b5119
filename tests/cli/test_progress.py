"""The progress bars of the long PDF commands, on a real pseudo-terminal (pexpect): drawn on
standard error, so output sent to a file keeps only the report."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pexpect
import pytest

from tests.cli.test_fetch_pdf import serve
from tests.support.arxiv_stub import ArxivStub
from tests.support.cli import add_offline, as_json
from tests.support.pdfs import paper_pdf


def on_terminal(command: str, out: Path) -> str:
    """Run `papertrail COMMAND > OUT` on an 80 x 24 terminal; what the terminal showed."""
    line = f"{shlex.quote(sys.executable)} -m papertrail {command} > {shlex.quote(str(out))}"
    child = pexpect.spawn(
        "bash", ["-c", line], env={**os.environ, "TERM": "xterm"}, dimensions=(24, 80),
        encoding="utf-8", timeout=120,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return str(child.before)


def test_import_shows_a_progress_bar_on_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    for n in range(6):
        (folder / f"{n}.pdf").write_bytes(paper_pdf(f"Paper number {n}", inner=f"inner {n}"))
    out = tmp_path / "out.txt"
    shown = on_terminal(f"import {shlex.quote(str(folder))}", out)
    assert "Reading PDFs" in shown and "━" in shown
    report = out.read_text(encoding="utf-8")
    assert report.startswith("Imported 6 PDF(s): 6 new paper(s)")
    assert "Reading PDFs" not in report and "\x1b" not in report


def test_fetch_pdf_shows_a_progress_bar_on_the_terminal(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    add_offline("2101.00001", "2101.00002")
    serve(arxiv, {
        "2101.00001": (200, paper_pdf("One", inner="first paper")),
        "2101.00002": (200, paper_pdf("Two", inner="second paper")),
    }, monkeypatch)  # fmt: skip
    out = tmp_path / "out.txt"
    shown = on_terminal("fetch --pdf", out)
    assert "Downloading PDFs from arXiv" in shown and "━" in shown
    report = out.read_text(encoding="utf-8")
    assert "Downloaded 2 of 2 PDF(s)." in report
    assert "Downloading" not in report and "\x1b" not in report
    assert as_json("list", "--no-pdf") == []
