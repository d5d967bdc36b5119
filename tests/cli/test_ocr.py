"""OCR of scans with tesseract: optional (`attach --ocr`, `import --ocr`), never required.
A stand-in `tesseract` on PATH answers as the real one does (text on stdout for the image
on stdin), so the test needs no OCR engine; without one, --ocr is a warning."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.cli import add_offline, as_json, ok, run
from tests.support.pdfs import text_pdf

pytestmark = pytest.mark.usefixtures("backend")

READ = (
    "Probabilistic counting algorithms for data base applications: this page was read "
    "by OCR, a hundred characters and more of it, as a scanned page gives."
)


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    path = tmp_path / "scan.pdf"
    path.write_bytes(text_pdf(["", ""]))  # two pages without text: what a scan is to a reader
    return path


def with_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str) -> Path:
    """A `tesseract` that reads the image and answers `answer`, first on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    program = folder / "tesseract"
    program.write_text(f"#!/bin/sh\ncat > /dev/null\nprintf '%s\\n' '{answer}'\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


def test_without_tesseract_ocr_is_a_warning_and_the_scan_is_kept(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no tesseract anywhere
    add_offline("2101.00001")
    result = run("attach", "1", str(scan), "--ocr")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        "Warning: tesseract is not installed: scans are kept unsearchable (--ocr needs it)",
        "Warning: scan.pdf: scan (no text layer): not searchable (a scan: its pages are images)",
    ]
    assert as_json("show", "1")["files"][0]["searchable"] is False


def test_attach_ocr_reads_a_scan_stored_before_and_find_finds_it(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_tesseract(tmp_path, monkeypatch, READ)
    add_offline("2101.00001")
    plain = run("attach", "1", str(scan))  # no --ocr: tesseract is never run unasked
    assert "(`attach --ocr` reads it)" in plain.stderr
    assert as_json("find", "probabilistic counting") == []
    out = ok("attach", "1", str(scan), "--ocr")
    first = out.splitlines()[0]
    assert first.startswith("Read by OCR: scan.pdf (2 pages, ")
    assert first.endswith(", searchable (2 page(s) by OCR)) of [1] 2101.00001 (metadata pending)")
    (hit,) = as_json("find", '"probabilistic counting"')
    assert hit["id"] == 1 and [p["page"] for p in hit["pages"]] == [1, 2]
    (shown,) = as_json("show", "1")["files"]
    assert shown["searchable"] is True and shown["text_pages"] == 2


def test_import_ocr_makes_a_scan_searchable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_tesseract(tmp_path, monkeypatch, READ)
    folder = tmp_path / "papers"
    folder.mkdir()
    title = "Probabilistic Counting Algorithms for Data Base Applications"
    (folder / "flajolet.pdf").write_bytes(text_pdf(["", ""], title=title))
    (folder / "nameless.pdf").write_bytes(text_pdf(["", ""]))
    dry = run("import", str(folder), "--dry-run")  # unasked: a scan without a name is skipped
    assert "Error: nameless.pdf: a scan (no text layer): nothing names the paper" in dry.stderr
    result = run("import", str(folder), "--ocr")
    assert result.exit_code == 1
    assert result.stdout.startswith("Imported 2 PDF(s): 1 new paper(s)")
    # Its text is read now, but no line of it says which paper it is: still one line.
    assert result.stderr == "Error: nameless.pdf: no arXiv id, DOI or title found in it\n"
    (paper,) = [p for p in as_json("list") if p["title"] == title]  # the Info title
    (hit,) = as_json("find", "probabilistic counting")
    assert hit["id"] == paper["id"] and hit["files"][0]["name"] == "flajolet.pdf"
    assert hit["files"][0]["searchable"] is True
    assert run("import", "--ocr", str(tmp_path / "list.md")).exit_code == 2


def test_import_ocr_reads_a_scan_the_library_has(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_tesseract(tmp_path, monkeypatch, READ)
    add_offline("2101.00001")
    ok("attach", "1", str(scan))  # kept unsearchable
    out = ok("import", str(scan), "--ocr")
    assert out.splitlines() == [
        "  = scan.pdf: already with [1] 2101.00001 (metadata pending); the library has this "
        "file; read by OCR now (2 page(s))",
        "Imported 1 PDF(s): 0 new paper(s), 0 attached to papers in the library, "
        "1 already there, 0 skipped.",
    ]
    assert [h["id"] for h in as_json("find", "probabilistic counting")] == [1]
    assert "read by OCR" not in ok("import", str(scan), "--ocr")  # read already: not again
