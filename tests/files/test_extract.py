"""Reading PDFs in worker processes: one answer per file, in order, whatever the file does
to the reader (crash, loop, memory bomb); bounds; workers replaced; no PDF library in
papertrail's own process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papertrail.files.extract import ExtractPool, Limits, PdfText, Unreadable, extract_pdf, precheck
from tests.support.pdfs import flate_bomb, hostile_files, paper_pdf, text_pdf


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in hostile_files(paper_pdf("Base", pages=6)).items():
        (folder / name).write_bytes(data)
    (folder / "many-pages.pdf").write_bytes(text_pdf(["same text on every page"] * 3000))
    return folder


def test_a_batch_of_hostile_files_gets_one_answer_each_in_order(
    hostile: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(paper_pdf("Good", inner="a good page"))
    paths = [*sorted(hostile.iterdir()), good]
    with ExtractPool(workers=2, limits=Limits(seconds=30, memory_mb=512, max_pages=1000)) as pool:
        results = list(pool.map(paths))
    assert [p for p, _ in results] == paths
    by_name = {p.name: r for p, r in results}
    for name, start in {
        "zero-bytes.pdf": "not a PDF: an empty file",
        "garbage-with-header.pdf": "not a PDF, or damaged beyond repair",
        "truncated-half.pdf": "not a PDF, or damaged beyond repair",
        "html-page.pdf": "not a PDF: an HTML page (arXiv's 'PDF for 2101.00001v1')",
        "encrypted.pdf": "encrypted: it needs a password to open",
    }.items():
        result = by_name[name]
        assert isinstance(result, Unreadable) and result.message.startswith(start), name
        assert "\n" not in result.message
    repaired = by_name["broken-startxref.pdf"]
    assert isinstance(repaired, PdfText) and repaired.page_count == 6  # xref rebuilt
    lying = by_name["lying-page-count.pdf"]
    assert isinstance(lying, PdfText) and lying.page_count == 1
    assert isinstance(by_name["deep-nesting.pdf"], PdfText)
    many = by_name["many-pages.pdf"]
    assert isinstance(many, PdfText) and many.page_count == 3000 and len(many.pages) == 1000
    assert not many.complete
    assert (
        isinstance(by_name["good.pdf"], PdfText) and "a good page" in by_name["good.pdf"].pages[1]
    )


def test_a_file_that_takes_too_long_is_given_up_and_the_next_one_is_read(
    hostile: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(paper_pdf("Good"))
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(text_pdf(["same text on every page"] * 40_000))
    paths = [good, slow, good]  # the first warms the worker up (start-up has its own time)
    with ExtractPool(workers=1, limits=Limits(seconds=0.5, max_pages=50_000)) as pool:
        first, stuck, after = (result for _, result in pool.map(paths))
        assert pool.started == 2  # the stuck worker was killed and replaced
    assert isinstance(stuck, Unreadable)
    assert stuck.message == "gave up after 0.5 s (reading took too long)"
    assert isinstance(first, PdfText) and isinstance(after, PdfText)


def test_the_memory_bound_turns_a_bomb_into_a_message(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb(400))
    result = extract_pdf(bomb, Limits(memory_mb=250))
    assert isinstance(result, Unreadable)
    assert "needed more than 250 MB" in result.message or "more memory" in result.message


def test_a_worker_killed_between_files_is_replaced(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(paper_pdf("Good"))
    with ExtractPool(workers=1) as pool:
        assert isinstance(pool.extract(good), PdfText)
        (worker,) = pool._idle
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.wait()
        assert isinstance(pool.extract(good), PdfText)
        assert pool.started == 2


def test_a_worker_dying_mid_file_is_reported_for_that_file(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(paper_pdf("Good"))
    pool = ExtractPool(workers=1)
    pool._command = [sys.executable, "-c", "import sys, os; sys.stdin.readline(); os.abort()"]
    with pool:
        result = pool.extract(good)
    assert isinstance(result, Unreadable)
    assert result.message.startswith("the PDF reader crashed (SIGABRT)")


def test_precheck_needs_no_worker(tmp_path: Path) -> None:
    assert (missing := precheck(tmp_path / "missing.pdf")) and missing.message.startswith(
        "cannot read it"
    )
    assert (folder := precheck(tmp_path)) and folder.message == "is a directory"
    (tmp_path / "a.pdf").write_bytes(b"PK\x03\x04rest")
    assert (zipped := precheck(tmp_path / "a.pdf"))
    assert zipped.message == "not a PDF: a ZIP archive (EPUB, DOCX...)"


def test_papertrail_itself_never_imports_the_pdf_library() -> None:
    code = (
        "import sys, papertrail.files.extract, papertrail.core.pdfs, papertrail.core.files; "
        "print('pypdfium2' in sys.modules, 'fsspec' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_slow_start_is_not_the_file_s_fault(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(paper_pdf("Good"))
    started = time.monotonic()
    with ExtractPool(workers=1, limits=Limits(seconds=0.2)) as pool:
        assert isinstance(pool.extract(good), PdfText)  # PDFium loading is not counted
    assert time.monotonic() - started < 60
