"""PDFs for the tests: small ones written here byte by byte (so the suite means something
without ../shared), hostile ones made from them, and the real papers of
../shared/fixtures/pdfs with what is known of each (expected.json) and a phrase from an
inner page of each one that has text (tests/data/pdf_phrases.json)."""

from __future__ import annotations

import json
import os
import random
import re
import zlib
from pathlib import Path
from typing import Any

from tests.support.shared import require_shared

DATA = Path(__file__).resolve().parent.parent / "data"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

Line = tuple[float, str]  # (font size, text)


def build_pdf(objects: list[bytes], *, info: bytes | None = None) -> bytes:
    """A PDF with a correct classic xref for `objects` (object i+1 is objects[i], the
    catalog first); `info`: an Info dictionary."""
    if info is not None:
        objects = [*objects, info]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    extra = b" /Info %d 0 R" % len(objects) if info is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, extra, xref,
    )  # fmt: skip
    return bytes(out)


def _stream(data: bytes, *, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return (
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
        )
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def text_pdf(pages: list[list[Line] | str], *, title: str | None = None) -> bytes:
    """A valid PDF: each page a text, or lines of (size, text) from the top down."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        _FONT,
    ]
    for i, page in enumerate(pages):
        lines = [(11.0, page)] if isinstance(page, str) else page
        content = b"BT"
        y = 740.0
        for size, text in lines:
            content += b" /F1 %.1f Tf 1 0 0 1 60 %.1f Tm (%s) Tj" % (size, y, _escape(text))
            y -= size * 1.6
        content += b" ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(_stream(content))
    info = b"<< /Title (" + _escape(title) + b") >>" if title else None
    return build_pdf(objects, info=info)


PROSE = (
    "The method is evaluated on several benchmarks and compared with earlier work, "
    "with every experiment repeated five times on the same machine."
)


def paper_pdf(
    title: str,
    *,
    stamp: str | None = None,
    doi: str | None = None,
    inner: str = PROSE,
    pages: int = 3,
) -> bytes:
    """A paper-like PDF: a title line in a large font, an arXiv margin stamp and a DOI line
    when given, some prose (over the length that makes a page 'have text'), and `inner` on
    page 2."""
    first: list[Line] = [(20.0, title), (10.0, "Ada Lovelace and Charles Babbage")]
    if stamp:
        first.append((10.0, stamp))
    if doi:
        first.append((10.0, f"DOI: {doi}"))
    first += [(10.0, "Abstract"), (10.0, PROSE), (10.0, PROSE)]
    rest: list[list[Line] | str] = [[(10.0, inner), (10.0, PROSE)] for _ in range(pages - 1)]
    return text_pdf([first, *rest])


# -- hostile files ------------------------------------------------------------------------------


def hostile_files(base: bytes) -> dict[str, bytes]:
    """Damaged and malicious files, made from `base` (a valid PDF of several pages) or from
    scratch: each must give one line and never stop a batch."""
    return {
        "zero-bytes.pdf": b"",
        "garbage-with-header.pdf": b"%PDF-1.7\n" + random.Random(20).randbytes(200_000),
        "truncated-half.pdf": base[: len(base) // 2],
        "html-page.pdf": b"<!DOCTYPE html><html><head><title>PDF for 2101.00001v1</title></head>"
        b"<body>processing</body></html>",
        "broken-startxref.pdf": re.sub(rb"startxref\s+\d+", b"startxref\n999999999", base),
        "encrypted.pdf": encrypted(base),
        "lying-page-count.pdf": text_pdf(["one real page " * 20]).replace(
            b"/Count 1 ", b"/Count 2000000000 "
        ),
        "page-tree-cycle.pdf": build_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            ]
        ),
        "deep-nesting.pdf": build_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Junk "
                + b"[" * 100_000
                + b"]" * 100_000
                + b" >>",
            ]
        ),
    }


def encrypted(base: bytes) -> bytes:
    """`base` behind the standard security handler with a user password nobody knows (its
    /U and /O entries match no password): PDFium needs the password to open it."""
    handler = (
        b"/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"ab" * 32
        + b"> /U <" + b"cd" * 32 + b"> >> /ID [<" + b"0f" * 16 + b"> <" + b"0f" * 16 + b">] "
    )  # fmt: skip
    return base.replace(b"trailer\n<< ", b"trailer\n<< " + handler)


def flate_bomb(megabytes: int = 400) -> bytes:
    """A content stream that inflates to `megabytes` MB of spaces (a memory bomb)."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        _FONT,
    ])  # fmt: skip


# -- the file store ------------------------------------------------------------------------------


def stored_blobs(db: str) -> list[str]:
    """The hashes of the blobs in the test library's file store: a bucket on moto's server
    (PAPERTRAIL_FILES=s3://...), else the directory beside a SQLite library or in the user
    data directory; AssertionError if an interrupted write left a temporary file there."""
    files = os.environ.get("PAPERTRAIL_FILES", "")
    if files.startswith("s3://"):
        import fsspec

        fs = fsspec.filesystem(
            "s3", endpoint_url=os.environ["PAPERTRAIL_S3_ENDPOINT"], skip_instance_cache=True
        )
        keys = fs.find(files.removeprefix("s3://"))
        return sorted(
            Path(k).name[:64] for k in keys if re.fullmatch(r"[0-9a-f]{64}\.\w+", Path(k).name)
        )
    root = Path(os.environ["XDG_DATA_HOME"]) / "papertrail" / "files"  # PostgreSQL's
    if files:
        root = Path(files)
    elif "://" not in db:
        root = Path(db).parent / "files"
    assert not list(root.rglob("*.part")), "a temporary file was left in the store"
    return sorted(p.name[:64] for p in root.glob("??/*"))


# -- the real papers ------------------------------------------------------------------------------


def fixtures() -> Path:
    """../shared/fixtures/pdfs, or skip."""
    return require_shared("fixtures", "pdfs")


def expected() -> dict[str, dict[str, Any]]:
    """expected.json by file name: arXiv id, DOI, title, pages, text layer..."""
    entries = json.loads((fixtures() / "expected.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in entries}


def phrases() -> dict[str, tuple[int, str]]:
    """A phrase from an inner page of each fixture with text: file -> (page, phrase)."""
    found = json.loads((DATA / "pdf_phrases.json").read_text(encoding="utf-8"))
    return {name: (int(page), str(text)) for name, (page, text) in found.items()}
