"""What a file is, from its first bytes: a PDF, or what else came instead.

Pure functions on bytes. The PDF rule is the one readers use: `%PDF-` within the first
1024 bytes (some producers put junk, a BOM or a MacBinary header before it).
"""

from __future__ import annotations

import re

SNIFF_BYTES = 1024
PDF_MAGIC = b"%PDF-"

_ARXIV_HTML_TITLE = re.compile(rb"<title>\s*PDF for (?P<id>[^<\s]{4,40})\s*</title>", re.I)


def is_pdf(head: bytes) -> bool:
    """Whether `head` (the file's first bytes) holds the PDF header where readers look."""
    return PDF_MAGIC in head[:SNIFF_BYTES]


def describe_non_pdf(head: bytes) -> str:
    """A few words for what a file that is not a PDF seems to be, for one-line messages."""
    if not head:
        return "an empty file"
    start = head[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<?xml", b"<!doctype html", b"<html", b"<head")) and (
        b"<html" in start or b"<!doctype html" in start
    ):
        found = _ARXIV_HTML_TITLE.search(head)
        if found:
            return f"an HTML page (arXiv's 'PDF for {found['id'].decode('ascii', 'replace')}')"
        return "an HTML page"
    if start.startswith(b"<"):
        return "an XML or HTML file"
    if start.startswith(b"%!ps"):
        return "a PostScript file"
    if start.startswith(b"\x1f\x8b"):
        return "gzip-compressed data"
    if start.startswith(b"pk\x03\x04"):
        return "a ZIP archive (EPUB, DOCX...)"
    if start.startswith(b"{") or start.startswith(b"["):
        return "JSON or text"
    return "not a PDF (no %PDF- header)"


def arxiv_html_stub_id(head: bytes) -> str | None:
    """The `id[vN]` named by arXiv's 'PDF for ID' page (served while a PDF is being made,
    with a 10 s meta refresh), or None when `head` is not such a page."""
    found = _ARXIV_HTML_TITLE.search(head[:4096])
    return found["id"].decode("ascii", "replace") if found else None
