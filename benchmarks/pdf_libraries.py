"""Why pypdfium2: the PDF text libraries on the real PDFs of ../shared/fixtures/pdfs.

    python -m venv /tmp/pdflibs && /tmp/pdflibs/bin/pip install pypdfium2 pypdf pdfminer.six pymupdf
    /tmp/pdflibs/bin/python benchmarks/pdf_libraries.py

Not part of the suite (papertrail depends on pypdfium2 alone): each library reads every
page of every readable fixture, five rounds, in this one process; the figure is pages per
CPU-second, with pypdfium2 as the baseline of the same run. A library that raises on a file
counts it as failed (its pages still cost what they cost up to the failure). Also whether the
inner-page phrases of tests/data/pdf_phrases.json come out on their page (spaces squeezed).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDFS = ROOT.parent / "shared" / "fixtures" / "pdfs"


def pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pypdf(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def pdfminer(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).split("\f")


def mupdf(path: Path) -> list[str]:
    import pymupdf

    with pymupdf.open(path) as document:
        return [page.get_text() for page in document]


LIBRARIES: dict[str, Callable[[Path], list[str]]] = {
    "pypdfium2 (Apache-2.0/BSD)": pdfium,
    "pypdf (BSD)": pypdf,
    "pdfminer.six (MIT)": pdfminer,
    "PyMuPDF (AGPL-3.0)": mupdf,
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def main() -> None:
    logging.disable(logging.WARNING)  # pypdf's and pdfminer's per-page complaints
    paths = [p for p in sorted(PDFS.glob("*.pdf")) if p.read_bytes()[:5] == b"%PDF-"]
    phrases = json.loads((ROOT / "tests" / "data" / "pdf_phrases.json").read_text())
    print("| library | pages per CPU-second | vs pypdfium2 | files failed | phrases found |")
    print("|---|---|---|---|---|")
    baseline = 0.0
    for name, read in LIBRARIES.items():
        pages, failed, found = 0, 0, 0
        started = time.process_time()
        for _ in range(5):
            for path in paths:
                try:
                    texts = read(path)
                except Exception:  # a library's failure is a figure here
                    failed += 1
                    continue
                pages += len(texts)
        cpu = time.process_time() - started
        for path in paths:
            if path.name not in phrases:
                continue
            page, phrase = phrases[path.name]
            try:
                found += squeeze(phrase) in squeeze(read(path)[page - 1])
            except Exception:  # not found, as above
                continue
        rate = pages / cpu
        baseline = baseline or rate
        total = sum(1 for name in phrases if (PDFS / name).exists())
        print(f"| {name} | {rate:.0f} | {rate / baseline:.2f}x | {failed // 5} of {len(paths)} "
              f"| {found} of {total} |")  # fmt: skip


if __name__ == "__main__":
    main()
