"""Optional OCR for pages without a text layer (scans), with tesseract when it is installed.

Runs in the extraction worker like the rest of PDF reading: PDFium renders each page to an
8-bit grey bitmap, which goes to `tesseract stdin stdout` as a PGM image (no Pillow, no
temporary files). Never required: `available()` is False without tesseract on PATH and
papertrail then says the file is a scan, unsearchable.
"""

from __future__ import annotations

import shutil
import subprocess

import pypdfium2 as pdfium

DPI = 300
TESSERACT_SECONDS = 120.0  # per page


def available() -> bool:
    return shutil.which("tesseract") is not None


def page_to_pgm(page: pdfium.PdfPage, dpi: int = DPI) -> bytes:
    """The page rendered in grey at `dpi`, as a binary PGM image."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        raw = bytes(bitmap.buffer)
        if bitmap.n_channels != 1:  # PDFium gave BGR(x): keep one channel
            step = bitmap.n_channels
            rows = (raw[y * stride : y * stride + width * step : step] for y in range(height))
        else:
            rows = (raw[y * stride : y * stride + width] for y in range(height))
        return b"P5\n%d %d\n255\n" % (width, height) + b"".join(rows)
    finally:
        bitmap.close()


def ocr_image(pgm: bytes, language: str = "eng") -> str:
    """tesseract's text for one image; '' when it fails (OCR is best effort)."""
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", language, "--dpi", str(DPI)],
            input=pgm,
            capture_output=True,
            timeout=TESSERACT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def ocr_page(document: pdfium.PdfDocument, index: int, language: str = "eng") -> str:
    page = document[index]
    try:
        return ocr_image(page_to_pgm(page), language)
    finally:
        page.close()
