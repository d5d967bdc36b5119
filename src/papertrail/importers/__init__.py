"""Importers, one module per format, each reading text into a ParsedList of PaperRecords;
and what every format shares: finding the format of a file, reading and decoding it
within limits, and the bundled seed.

Each format's module is imported only when a file of that format is read.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from papertrail.errors import ImportFormatError, UsageError
from papertrail.model.records import ParsedList

_EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".mdown": "markdown",
    ".bib": "bibtex", ".bibtex": "bibtex", ".biblatex": "bibtex", ".json": "json",
    ".ris": "ris",
}  # fmt: skip
FORMATS = ("markdown", "bibtex", "json", "csl-json", "ris")
MAX_FILE_BYTES = 512 * 1024 * 1024


def seed_path() -> Path:
    """The curated seed shipped inside the package (or, in a source checkout, data/)."""
    packaged = resources.files("papertrail") / "data" / "seed.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / "seed.json"


def detect_format(path: Path, given: str | None) -> str:
    """The format `--format` names, else the extension's (`.json`: by its shape, later)."""
    if path.is_dir():
        raise ImportFormatError(f"{path} is a directory, not a reading list")
    if given:
        return given
    if path.name.lower().endswith(".csl.json"):
        return "csl-json"
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {path.name}: use --format {'|'.join(FORMATS)}")
    return fmt


def read_text(path: Path) -> str:
    """A text file's contents, or a one-line error that names the file and what is wrong."""
    try:
        if path.is_dir():
            raise ImportFormatError(f"{path} is a directory, not a reading list")
        data = _read_capped(path)
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file") from None
    except OSError as error:
        raise ImportFormatError(f"cannot read {path}: {error.strerror or error}") from None
    if not data.strip():
        raise ImportFormatError(f"{path} is empty")
    return _decode(data, path)


def _read_capped(path: Path) -> bytes:
    """Read at most MAX_FILE_BYTES, counting what is read: a FIFO, /dev/zero or any stream
    has no size to ask for beforehand. Binary data is refused at its first block."""
    chunks: list[bytes] = []
    total = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            if not chunks and _bom_codec(chunk) is None and b"\x00" in chunk[:65536]:
                raise ImportFormatError(f"{path} is binary, not a text file")
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise ImportFormatError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB")
            chunks.append(chunk)
    return b"".join(chunks)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip - UTF-32 first: its little-endian mark begins with UTF-16's


def _bom_codec(data: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM), or UTF-16/32 announced by their byte-order mark, as
    Windows editors save them."""
    codec = _bom_codec(data) or "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"{path} is not {codec.upper().removesuffix('-SIG')} text "
            f"(byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    if codec != "utf-8-sig" and "\x00" in text[:65536]:
        raise ImportFormatError(f"{path} is binary, not a text file")
    return text


@dataclass
class ParseOptions:
    """What one `import` command shares across its files."""

    strict: bool = False  # a bad entry fails the whole import instead of being skipped
    # BibTeX @string macros (lower-case name -> text), seen by the files that come later.
    macros: dict[str, str] = field(default_factory=dict)


def parse_file(path: Path, fmt: str, options: ParseOptions | None = None) -> ParsedList:
    """Read one file into records; BibTeX's are read batch by batch as the merge goes."""
    options = options or ParseOptions()
    text = read_text(path)
    if fmt == "markdown":
        from papertrail.importers.markdown import parse_markdown

        return parse_markdown(text, path.name)
    if fmt == "bibtex":
        from papertrail.importers.bibtex import parse_bibtex

        return parse_bibtex(text, path.name, macros=options.macros, strict=options.strict)
    if fmt == "ris":
        from papertrail.importers.ris import parse_ris

        return parse_ris(text, path.name, strict=options.strict)
    return _parse_json(text, path.name, csl=True if fmt == "csl-json" else None)


def _parse_json(text: str, source: str, csl: bool | None) -> ParsedList:
    """papertrail's JSON or CSL-JSON, told apart by shape when the format was not given."""
    from papertrail.importers import csl_json, papertrail_json

    data = papertrail_json.load(text, source)
    if csl or (csl is None and csl_json.looks_like_csl(data)):
        return csl_json.parse_items(data, source)
    return papertrail_json.parse_data(data, source)
