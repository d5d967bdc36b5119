"""What paper a PDF is, from its text and metadata: arXiv id, DOI, title.

Pure functions over what the extraction worker returns (page texts, the Info dictionary,
page 1's lines with font sizes); no I/O, no PDF library.

    identity = identify(pages, metadata, lines)
    identity.arxiv_id, identity.arxiv_version, identity.doi, identity.title

Rules (each one from a fixture or a known publisher habit):
- arXiv id: the stamp arXiv prints in the left margin of page 1,
  `arXiv:1510.00149v5 [cs.CV] 15 Feb 2016` or `arXiv:quant-ph/9508027v2 25 Jan 1996`
  (old style, no category). The date after the id is required: an id cited on page 1
  ("arXiv preprint arXiv:1409.1556, 2014") is not the paper's. Info fields are searched
  too (some producers copy the stamp into /Title), and an arXiv DOI (10.48550/arXiv.*).
- DOI: the Info dictionary and XMP (a DOI as /Title, /Subject, /doi, prism:doi) and page 1
  (page 2 as a fallback, for cover sheets). A DOI printed with a label (`doi:`, `DOI`,
  `https://doi.org/`, `Digital Object Identifier`) beats a bare one; trailing full stops
  and unbalanced brackets are not part of it; a DOI broken across lines
  (`https://doi.org/10.1145/3317550.` + `3321435`) is joined when the next line holds
  only the rest; a DOI that is a prefix of another (the proceedings' 10.1145/3317550) is
  dropped; DOIs in the reference list or in citation-like lines are not the paper's.
- Title: Info /Title when plausible (not a file name, 'Microsoft Word - x.doc', a DOI,
  an arXiv stamp, 'untitled', 'none'...) and printed on page 1; otherwise the
  largest-font upright line(s) in the top part of page 1, consecutive lines of the same
  size joined; an ALL-CAPS title is put in title case.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from papertrail.model.ids import OLD_ARCHIVES

_ID = (
    r"(?P<id>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}"
    r"|(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
    r"(?:v(?P<version>[1-9]\d{0,2}))?"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_STAMP = re.compile(
    rf"arXiv\s?:\s?{_ID}\s*(?:\[[^\]\n]{{1,30}}\]\s*)?\d{{1,2}}\s*{_MONTH}\s*(?:19|20)\d{{2}}"
)
_ARXIV_DOI = re.compile(rf"10\.48550/arXiv\.{_ID}", re.I)

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_DOI_LABEL = re.compile(
    r"(?:\bdoi\s*[:.]?\s*|doi\.org/|\bDigital Object Identifier(?:\s+no\.?)?\s*:?\s*)$", re.I
)
_DOI_CONTINUATION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._;()/:-]*")
_DOI_TRAILING = ".,;:'\"”’"
_CLOSING = {")": "(", "]": "[", "}": "{"}
_REFERENCES = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references|bibliography|literature cited)\s*$", re.I
)
_CITATION_LINE = re.compile(r"^\s*(?:\[\d+\]|\d+\.\s+[A-Z])|\bet al\.")

_JUNK_TITLES = frozenset(
    [
        "none", "null", "untitled", "unknown", "title", "notitle", "no title", "document",
        "paper", "article", "manuscript", "pdf", "draft", "abstract", "slide 1",
        "powerpoint presentation", "untitled document",
    ]
)  # fmt: skip
_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel)\s*-|untitled[-\s]?\d*$|document\d*$|"
    r"slide \d+$|https?://|www\.|doi:|10\.\d{4,9}/|arxiv:)"
    r"|\.(?:docx?|pdf|tex|dvi|ps|eps|rtf|odt|indd|qxd|pages|txt|html?)\s*$",
    re.I,
)
_NOT_TITLE_LINE = re.compile(
    r"@|https?://|www\.|\bdoi\b|arxiv|\bvol\.|\bpp\.|©|\bcopyright\b|\bproceedings\b|"
    r"\bjournal\b|\bconference\b|\bpublished\b|\bpreprint\b|\bsubmitted\b",
    re.I,
)
_FOOTNOTE_MARKS = "∗*†‡§¶‖#0123456789 ,"
_SMALL_WORDS = frozenset(
    [
        "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of",
        "on", "onto", "or", "over", "per", "the", "to", "up", "via", "vs", "with", "without",
    ]
)  # fmt: skip
TITLE_TOP = 0.6  # a title line starts in the top 60 % of page 1
TITLE_LINES = 4


class HeadingLine(NamedTuple):
    """A line of page 1 as the extraction worker measures it."""

    text: str
    size: float  # points, text matrix included
    top: float | None  # 0.0 top of the page .. 1.0 bottom
    upright: bool  # False for rotated text (arXiv's margin stamp)


@dataclass(frozen=True)
class PdfIdentity:
    arxiv_id: str | None = None  # canonical, without version
    arxiv_version: int | None = None
    doi: str | None = None
    title: str | None = None
    title_source: str | None = None  # "metadata" or "page"


def identify(
    pages: Sequence[str],
    metadata: Mapping[str, str],
    lines: Sequence[HeadingLine] = (),
) -> PdfIdentity:
    """Everything this module can tell from a PDF's text and metadata."""
    arxiv = find_arxiv_stamp(pages, metadata)
    doi = find_doi(pages, metadata)
    title, source = find_title(pages[0] if pages else "", metadata, lines)
    return PdfIdentity(
        arxiv_id=arxiv[0] if arxiv else None,
        arxiv_version=arxiv[1] if arxiv else None,
        doi=doi,
        title=title,
        title_source=source,
    )


# ----------------------------------------------------------------------------- arXiv


def find_arxiv_stamp(
    pages: Sequence[str], metadata: Mapping[str, str]
) -> tuple[str, int | None] | None:
    """(canonical id, version) from the margin stamp (page 1, else Info fields), or from
    an arXiv DOI in the metadata or on page 1; None if there is none."""
    texts = [pages[0] if pages else "", *metadata.values()]
    for text in texts:
        for match in _STAMP.finditer(text):
            found = _canonical(match)
            if found:
                return found
    for text in texts:
        for match in _ARXIV_DOI.finditer(text):
            found = _canonical(match)
            if found:
                return found
    return None


def _canonical(match: re.Match[str]) -> tuple[str, int | None] | None:
    arxiv_id = match["id"]
    version = int(match["version"]) if match["version"] else None
    archive = match["archive"]
    if archive:
        if archive not in OLD_ARCHIVES:
            return None
        arxiv_id = f"{archive}/{arxiv_id.rsplit('/', 1)[1]}"  # drop a subject class (.GT)
    return arxiv_id, version


# ----------------------------------------------------------------------------- DOI


class _DoiHit(NamedTuple):
    doi: str
    labeled: bool
    position: int


def find_doi(pages: Sequence[str], metadata: Mapping[str, str]) -> str | None:
    """The paper's own DOI (see the module's docstring), or None."""
    from_metadata = doi_from_metadata(metadata)
    hits = dois_on_page(pages[0]) if pages else []
    if not hits and len(pages) > 1:
        hits = [h for h in dois_on_page(pages[1]) if h.labeled]
    printed = {h.doi.lower() for h in hits}
    if from_metadata and (from_metadata.lower() in printed or not hits):
        return from_metadata
    if from_metadata and not any(h.labeled for h in hits):
        return from_metadata
    return best_doi(hits) or from_metadata


def doi_from_metadata(metadata: Mapping[str, str]) -> str | None:
    """A DOI the Info dictionary or XMP states: a /doi or XMP:doi field, or a /Title or
    /Subject that is or names a DOI (Elsevier writes 'doi:10.1016/...' as the title)."""
    for key in ("XMP:doi", "doi", "DOI", "Title", "Subject"):
        value = metadata.get(key, "")
        match = _DOI.search(value)
        if match and (key not in ("Title",) or _is_only_doi(value)):
            doi = clean_doi(match.group())
            if doi and not doi.lower().startswith("10.48550/arxiv."):
                return doi
    return None


def _is_only_doi(value: str) -> bool:
    rest = _DOI.sub("", value)
    return re.sub(r"(?i)doi\s*:?|https?://(?:dx\.)?doi\.org/|\s", "", rest) == ""


def dois_on_page(text: str) -> list[_DoiHit]:
    """Every DOI on a page before its reference list, outside citation-like lines."""
    lines = text.split("\n")
    hits: list[_DoiHit] = []
    position = 0
    for number, line in enumerate(lines):
        if _REFERENCES.match(line):
            break
        if not _CITATION_LINE.search(line):
            for match in _DOI.finditer(line):
                found = match.group()
                if match.end() == len(line.rstrip()) and number + 1 < len(lines):
                    found = _join_broken(found, lines[number + 1])
                doi = clean_doi(found)
                if doi and not doi.lower().startswith("10.48550/arxiv."):
                    labeled = bool(_DOI_LABEL.search(line[: match.start()]))
                    hits.append(_DoiHit(doi, labeled, position + match.start()))
        position += len(line) + 1
    return hits


def _join_broken(doi: str, next_line: str) -> str:
    """`doi` with the next line appended when it ends a line mid-DOI (after '.', '-', '/'
    or '_') and the next line holds nothing but the rest of it."""
    rest = next_line.strip()
    if doi[-1] in ".-/_" and _DOI_CONTINUATION.fullmatch(rest) and any(c.isdigit() for c in rest):
        return doi + rest
    return doi


def clean_doi(doi: str) -> str | None:
    """Trailing punctuation and unbalanced closing brackets off; None if nothing is left
    after the registrant prefix."""
    while doi:
        if doi[-1] in _DOI_TRAILING or (
            doi[-1] in ")]}"
            and doi.count(doi[-1]) > doi.count({")": "(", "]": "[", "}": "{"}[doi[-1]])
        ):
            doi = doi[:-1]
        else:
            break
    return doi if doi.partition("/")[2] else None


def best_doi(hits: Sequence[_DoiHit]) -> str | None:
    """Labeled before bare; a DOI that is a prefix of another is the proceedings' (or a
    line-broken half): dropped; then the most often printed, then the first."""
    if not hits:
        return None
    pool = [h for h in hits if h.labeled] or list(hits)
    names = {h.doi.lower() for h in hits}
    pool = [
        h for h in pool
        if not any(o != h.doi.lower() and o.startswith(h.doi.lower() + ".") for o in names)
    ] or pool  # fmt: skip
    counts = Counter(h.doi.lower() for h in pool)
    best = max(pool, key=lambda h: (counts[h.doi.lower()], -h.position))
    return best.doi


# ----------------------------------------------------------------------------- title


def find_title(
    first_page: str, metadata: Mapping[str, str], lines: Sequence[HeadingLine]
) -> tuple[str | None, str | None]:
    """(title, "metadata" | "page"), or (None, None)."""
    info = clean_title(metadata.get("Title", ""))
    from_page = title_from_lines(lines)
    if info and plausible_title(info):
        printed = _squash(first_page)
        if not printed or _squash(info) in printed or not from_page:
            return info, "metadata"
    if from_page:
        return from_page, "page"
    return None, None


def plausible_title(title: str) -> bool:
    """Whether an Info /Title could be the paper's title (see the module's docstring)."""
    text = title.strip()
    letters = sum(c.isalpha() for c in text)
    if letters < 4 or len(text) > 400:
        return False
    if text.lower() in _JUNK_TITLES or _JUNK_TITLE.search(text):
        return False
    if _STAMP.search(text) or _DOI.search(text):
        return False
    cjk = any(unicodedata.east_asian_width(c) == "W" for c in text)
    # One word with no spaces ("Paper_final_v3", "main"): a file name, not a title.
    return cjk or " " in text


def title_from_lines(lines: Sequence[HeadingLine]) -> str | None:
    """The largest-font upright line(s) near the top of page 1, joined."""
    usable = [
        (i, line) for i, line in enumerate(lines)
        if _could_be_title(line)
    ]  # fmt: skip
    if not usable:
        return None
    size = max(line.size for _, line in usable)
    start = next(i for i, line in usable if line.size >= size - 0.05)
    parts = [lines[start]]
    for line in lines[start + 1 : start + TITLE_LINES]:
        previous = parts[-1]
        close = line.top is None or previous.top is None or 0 < line.top - previous.top < 0.06
        if abs(line.size - size) > 0.05 * size or not close or not line.upright:
            break
        parts.append(line)
    title = clean_title(" ".join(p.text.strip() for p in parts))
    return title or None


def _could_be_title(line: HeadingLine) -> bool:
    text = line.text.strip()
    return (
        line.upright
        and line.size > 0
        and (line.top is None or line.top <= TITLE_TOP)
        and sum(c.isalpha() for c in text) >= 3
        and not _NOT_TITLE_LINE.search(text)
    )


def clean_title(text: str) -> str:
    """NFKC, one space between words, footnote marks off the end, title case if ALL CAPS."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    text = text.rstrip(_FOOTNOTE_MARKS).strip() if re.search(r"[∗*†‡§¶‖]$", text) else text
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.9:
        text = title_case(text)
    return text


def title_case(text: str) -> str:
    """'DEEP COMPRESSION: WITH PRUNING' -> 'Deep Compression: With Pruning'; small words
    (and, of, with...) in lower case except first and after a colon."""
    words = text.lower().split(" ")
    out: list[str] = []
    for index, word in enumerate(words):
        after_colon = index > 0 and out[-1].endswith((":", "—", "?"))
        if index == 0 or after_colon or word not in _SMALL_WORDS:
            word = "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
        out.append(word)
    return " ".join(out)


def _squash(text: str) -> str:
    """Letters and digits only, lower case (to ask 'is this printed there?')."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())
