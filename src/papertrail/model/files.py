"""A paper's files as the library holds them, `find`'s hits, and the readable names files
are shown under (their blobs are named by hash: files/ab/abcd....pdf).

Plain data and rules, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

PDF = ".pdf"
# Characters no file name on a common system may hold, and controls.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME = 120  # characters of a made-up name, before its suffix
_HASH = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def blob_name(sha256: str, suffix: str = PDF) -> str:
    """'ab/abcdef....pdf': where a blob lives, relative to the file store's root."""
    if not _HASH.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    if suffix and not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"bad file suffix {suffix!r}")
    return f"{sha256[:2]}/{sha256}{suffix}"


class StoredFile(NamedTuple):
    """What a file store holds after a write."""

    sha256: str
    size: int
    suffix: str  # ".pdf" for PDFs
    created: bool  # False when the store already held this content


@dataclass(frozen=True)
class AttachedFile:
    """A file of a paper: the stored content (by hash) and the name it is shown under."""

    file_id: int
    sha256: str
    suffix: str
    size: int
    pages: int | None
    text_pages: int | None
    ocr_pages: int | None
    problem: str | None
    name: str
    added_at: str
    path: str | None = None  # the blob on this machine, when the store is a directory

    @property
    def is_pdf(self) -> bool:
        return self.suffix == PDF

    @property
    def searchable(self) -> bool:
        return bool(self.text_pages)

    def state(self) -> str:
        """What can be done with its text, in a few words (`show`, `files`)."""
        if not self.is_pdf:
            return "attachment, no text"
        if self.problem:
            return f"not searchable: {self.problem}"
        if not self.text_pages:
            return "scan (no text layer): not searchable"
        if self.ocr_pages:
            return f"searchable ({self.ocr_pages} page(s) by OCR)"
        return "searchable"

    def describe(self) -> str:
        """`name (14 pages, 1.1 MB, searchable)`."""
        parts = [f"{self.pages} page{'s' if self.pages != 1 else ''}"] if self.pages else []
        parts += [human_size(self.size), self.state()]
        return f"{self.name} ({', '.join(parts)})"

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "pages": self.pages,
            "text_pages": self.text_pages,
            "searchable": self.searchable,
            "problem": self.problem,
            "path": self.path,
        }


class PageHit(NamedTuple):
    page: int  # 1-based
    snippet: str  # the page text around the match, without highlight markers
    highlights: tuple[tuple[int, int], ...]  # [start, end) of the matched words in snippet


class PaperHit(NamedTuple):
    paper_id: int
    score: float  # higher is better (the paper's best page)
    matching_pages: int
    pages: tuple[PageHit, ...]  # the best pages, best first


def human_size(size: int) -> str:
    """`1.1 MB`, `840 kB`, `12 bytes`."""
    if size < 1000:
        return f"{size} byte{'s' if size != 1 else ''}"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    raise AssertionError("unreachable")


def safe_name(text: str, suffix: str = PDF) -> str:
    """A file name made from text (a title): one line, no path separators or characters
    systems refuse, at most MAX_NAME characters, with `suffix`."""
    text = unicodedata.normalize("NFC", text)
    text = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")
    if len(text) > MAX_NAME:
        text = text[:MAX_NAME].rsplit(" ", 1)[0].rstrip(" .,;-") or text[:MAX_NAME]
    return (text or "file") + suffix


def paper_file_name(
    arxiv_id: str | None, version: int | None, title: str | None, suffix: str = PDF
) -> str:
    """The name a downloaded or imported file is shown under: `1510.00149v5 - Deep
    Compression: ....pdf` (the arXiv id, when there is one, with the version)."""
    ident = ""
    if arxiv_id:
        ident = arxiv_id.replace("/", "_") + (f"v{version}" if version else "")
    parts = [part for part in (ident, title) if part]
    return safe_name(" - ".join(parts) if parts else "paper", suffix)


def file_suffix(name: str) -> str:
    """An attachment's suffix, as its blob keeps it: `.txt`, `.tar.gz` reduced to `.gz`;
    '' when the name has none usable (letters and digits, at most 8)."""
    suffix = "." + name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
