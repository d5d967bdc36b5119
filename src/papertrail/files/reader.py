"""Read one PDF with pypdfium2: page texts, Info metadata, the first page's lines with their
font sizes. Runs only inside the extraction worker (worker.py): PDFium is C++ and a hostile
file can crash or exhaust the process that reads it.

Everything returned is plain JSON-able data (the worker sends it down a pipe).
"""

from __future__ import annotations

import ctypes
import math
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from papertrail.model.pagetext import has_text_layer, normalize_page

# PDFium's FPDF_GetLastError codes after a failed load, as one-line reasons.
LOAD_ERRORS = {
    1: "PDFium could not read it (unknown error)",
    2: "the file could not be opened",
    3: "not a PDF, or damaged beyond repair (truncated, broken structure)",
    4: "encrypted: it needs a password to open",
    5: "encrypted with an unsupported security handler",
    6: "a page could not be read",
}
HEADING_LINES = 80  # lines of page 1 kept for title finding
SAMPLES_PER_LINE = 7  # characters whose size is measured on each line
XMP_BYTES = 4_000_000  # where XMP packets are looked for (start and end of the file)
_XMP_DOI = re.compile(
    rb"<(?:prism:doi|pdfx:doi|crossmark:DOI|dc:identifier)>\s*(?:doi:)?(10\.\d{4,9}/[^<\s]+)\s*<",
    re.I,
)


class ReadFailure(Exception):
    """The file cannot be read as a PDF; str() is a one-line reason."""


def read_pdf(
    path: str, *, max_pages: int, max_chars: int, max_total: int, ocr: bool = False
) -> dict[str, Any]:
    """Texts of the first pages, Info metadata, page 1's lines (see the module's docstring).

    Reading stops after `max_pages` pages or once the texts hold `max_total` characters;
    each page keeps at most `max_chars` characters. With `ocr` (and tesseract installed),
    pages without a text layer are read by OCR (pdf/ocr.py)."""
    if ocr:
        from papertrail.files import ocr as ocr_module  # OCR asked for: rare

        ocr = ocr_module.available()
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise ReadFailure(LOAD_ERRORS.get(exc.err_code or 1, LOAD_ERRORS[1])) from None
    try:
        page_count = len(document)
        pages: list[str] = []
        lines: list[list[Any]] = []
        total = 0
        ocr_pages: list[int] = []
        for index in range(min(page_count, max_pages)):
            raw_text, page_lines = _read_page(document, index, headings=index == 0)
            if ocr and not has_text_layer(raw_text):
                raw_text = ocr_module.ocr_page(document, index)
                if has_text_layer(raw_text):  # pages whose text is OCR's
                    ocr_pages.append(index + 1)
            pages.append(normalize_page(raw_text, max_chars=max_chars))
            lines = lines or page_lines
            total += len(pages[-1])
            if total >= max_total:
                break
        return {
            "page_count": page_count,
            "pages": pages,
            "metadata": _metadata(document, path),
            "lines": lines,
            "ocr_pages": ocr_pages,
        }
    finally:
        document.close()


def _read_page(
    document: pdfium.PdfDocument, index: int, *, headings: bool
) -> tuple[str, list[list[Any]]]:
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return "", []  # one unreadable page (a broken page tree entry): keep the others
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            found = _lines_with_sizes(textpage, text, page.get_height()) if headings else []
            return text, found
        finally:
            textpage.close()
    finally:
        page.close()


def _lines_with_sizes(textpage: pdfium.PdfTextPage, text: str, height: float) -> list[list[Any]]:
    """[line text, font size in points, top as a fraction of the page from the top, upright]
    for the first lines of the page, in PDFium's reading order.

    The size is the median of a few sampled characters' font size times the text matrix's
    vertical scale: many producers set size 1 and scale the matrix, so FPDFText_GetFontSize
    alone says 1.0. `upright` is False for rotated text (arXiv's margin stamp)."""
    found: list[list[Any]] = []
    matrix = pdfium_c.FS_MATRIX()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    offset = 0
    for line in text.split("\r\n"):
        start, offset = offset, offset + len(line) + 2
        indices = [start + i for i, c in enumerate(line) if not c.isspace()]
        if not indices:
            continue
        step = max(1, len(indices) // SAMPLES_PER_LINE)
        sizes, angles, tops = [], [], []
        for i in indices[::step][:SAMPLES_PER_LINE]:
            size = pdfium_c.FPDFText_GetFontSize(textpage, i)
            if pdfium_c.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix)):
                size *= math.hypot(matrix.c, matrix.d)
                angles.append(abs(math.atan2(matrix.b, matrix.a)))
            sizes.append(size)
            if pdfium_c.FPDFText_GetCharBox(
                textpage, i, ctypes.byref(left), ctypes.byref(right),
                ctypes.byref(bottom), ctypes.byref(top),
            ):  # fmt: skip
                tops.append(top.value)
        sizes.sort()
        found.append([
            line.strip(),
            round(sizes[len(sizes) // 2], 1),
            round(1 - max(tops) / height, 3) if tops and height > 0 else None,
            not angles or max(angles) < 0.1,
        ])  # fmt: skip
        if len(found) >= HEADING_LINES:
            break
    return found


def _metadata(document: pdfium.PdfDocument, path: str) -> dict[str, str]:
    """The Info dictionary's non-empty text fields, plus `XMP:doi` when an uncompressed
    XMP packet names a DOI (Elsevier, Springer, Wiley write prism:doi)."""
    try:
        info = {k: v.strip() for k, v in document.get_metadata_dict().items() if v and v.strip()}
    except (pdfium.PdfiumError, UnicodeDecodeError):
        info = {}
    doi = _xmp_doi(path)
    if doi:
        info["XMP:doi"] = doi
    return info


def _xmp_doi(path: str) -> str | None:
    file = Path(path)
    size = file.stat().st_size
    with file.open("rb") as handle:
        head = handle.read(XMP_BYTES)
        if size > XMP_BYTES:
            handle.seek(max(XMP_BYTES, size - XMP_BYTES))
            head += handle.read(XMP_BYTES)
    found = _XMP_DOI.search(head)
    return found.group(1).decode("ascii", "replace") if found else None
