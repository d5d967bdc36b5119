"""Reading arXiv's Atom feeds (the export API's answers) into PaperRecords.

Pure functions, no network. feedparser does the XML, with checks around it, because
feedparser is forgiving where we must not be (see `parse_feed`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import feedparser

from papertrail.errors import InvalidArxivId
from papertrail.model.ids import abs_url, parse_arxiv_id, pdf_url
from papertrail.model.numbers import whole_number
from papertrail.model.records import PaperRecord, iso_date
from papertrail.model.text import one_line

# Field lengths far beyond any real paper's (the longest arXiv abstract is under 2,000
# characters; collaborations list a few thousand authors).
MAX_TITLE = 2_000
MAX_ABSTRACT = 20_000
MAX_FIELD = 2_000
MAX_AUTHORS = 5_000

# Error entries carry ids like https://arxiv.org/api/errors#incorrect_id_format_for_abc.
_ERROR_ENTRY_RE = re.compile(r"^https?://(?:[a-z0-9-]+\.)*arxiv\.org/api/errors#(?P<code>.*)$")
_BAD_ID_CODE_RE = re.compile(r"^incorrect_id_format_for_(?P<id>.+)$")
# arXiv taxonomy terms (cs.AI, astro-ph, cond-mat.mes-hall). The legacy API also listed
# MSC and ACM classes (53C, I.2.6) as <category>; those are not arXiv categories.
_CATEGORY_RE = re.compile(r"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?$")
# Declarations arXiv never sends; refusing them blocks XXE and entity-expansion bombs.
_DECLARATION_RE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class UnreadableFeed(ValueError):
    """The body is not a usable arXiv Atom feed; `str()` says why, in one line."""


def parse_feed(body: bytes) -> tuple[list[PaperRecord], dict[str, str]]:
    """Read an arXiv API response: (papers, errors). Pure; raises UnreadableFeed.

    `errors` maps the id arXiv complained about (or, for an error that names no id,
    arXiv's error code) to a one-line message. Error entries never become papers.
    """
    return _entries(_parse_atom(body))


@dataclass
class SearchPage:
    """One page of a search: its papers, arXiv's complaints, and how many match in all."""

    papers: list[PaperRecord]
    errors: dict[str, str]
    total: int


def parse_search(body: bytes) -> SearchPage:
    """Read a search answer (`search_query`); raises UnreadableFeed."""
    parsed = _parse_atom(body)
    papers, errors = _entries(parsed)
    total = str(parsed.get("feed", {}).get("opensearch_totalresults", "")).strip()
    count = whole_number(total, 0, 2**31)
    return SearchPage(papers, errors, count if count is not None else len(papers))


def _entries(parsed: Any) -> tuple[list[PaperRecord], dict[str, str]]:
    papers: list[PaperRecord] = []
    errors: dict[str, str] = {}
    for entry in parsed.entries:
        error = _error_entry(entry)
        if error is not None:
            errors[error[0]] = error[1]
            continue
        record = _record(entry)
        if record is not None:
            papers.append(record)
    return papers, errors


def _parse_atom(body: bytes) -> Any:
    """feedparser's result for a body that is certainly a complete Atom feed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFeed(f"not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise UnreadableFeed("empty body")
    if _DECLARATION_RE.search(text):
        raise UnreadableFeed("it contains a DOCTYPE or ENTITY declaration")
    # A file object, not bytes: feedparser.parse(bytes) first tries open(bytes) as a path.
    parsed = feedparser.parse(io.BytesIO(body))
    if parsed.get("bozo"):
        # feedparser falls back to a lenient parser and returns whatever entries it
        # could salvage from a cut-off document; none of them can be trusted.
        reason = one_line(str(parsed.get("bozo_exception", "")))
        raise UnreadableFeed(f"malformed XML: {reason}" if reason else "malformed XML")
    # An HTML error page or an empty document parses "fine" with no entries; only a
    # real Atom 1.0 feed may say that an id does not exist.
    if parsed.get("version") != "atom10":
        raise UnreadableFeed("not an Atom feed")
    return parsed


def _error_entry(entry: Any) -> tuple[str, str] | None:
    """(offending id or error code, message) for an arXiv error entry, else None."""
    match = _ERROR_ENTRY_RE.match(str(entry.get("id", "")).strip())
    if match is None:
        return None
    code = match["code"]
    bad_id = _BAD_ID_CODE_RE.match(code)
    summary = _text(entry.get("summary")) or code.replace("_", " ")
    return (bad_id["id"] if bad_id else code), f"arXiv says: {summary}"


def _record(entry: Any) -> PaperRecord | None:
    """The paper an entry describes, or None when its id is not an arXiv id."""
    try:
        ident = parse_arxiv_id(str(entry.get("id", "")))
    except InvalidArxivId:
        return None
    published = _date(entry, "published")
    return PaperRecord(
        arxiv_id=ident.id,
        version=ident.version,
        title=_text(entry.get("title"), MAX_TITLE),
        authors=_authors(entry),
        abstract=_text(entry.get("summary"), MAX_ABSTRACT),
        published=published,
        updated=_date(entry, "updated"),
        year=int(published[:4]) if published is not None else None,
        primary_category=_primary_category(entry),
        categories=_categories(entry),
        doi=_text(entry.get("arxiv_doi"), MAX_FIELD),
        journal_ref=_text(entry.get("arxiv_journal_ref"), MAX_FIELD),
        comment=_text(entry.get("arxiv_comment"), MAX_FIELD),
        url=abs_url(ident.id),
        pdf_url=pdf_url(ident.id),
    )


def _text(value: object, limit: int = MAX_FIELD) -> str | None:
    """Whitespace runs collapsed (the legacy API wraps lines); None when absent or blank.

    Compared with None, never by truthiness: a title can really be "0". Longer than any
    real field, `limit` keeps a hostile response from storing megabytes.
    """
    if value is None:
        return None
    collapsed = " ".join(str(value)[: limit * 4].split())[:limit]
    return collapsed if collapsed != "" else None


def _authors(entry: Any) -> list[str]:
    # entry.author is only the LAST author in feedparser; entry.authors has them all.
    names = (_text(author.get("name")) for author in entry.get("authors", [])[:MAX_AUTHORS])
    return [name for name in names if name is not None]


def _date(entry: Any, key: str) -> str | None:
    """YYYY-MM-DD from the stamp as written (arXiv stamps are UTC already): feedparser's
    parsed form rolls impossible dates over and drops the zeros of years below 1000."""
    return iso_date(entry.get(key))


def _primary_category(entry: Any) -> str | None:
    # Legacy feeds give {"term", "scheme"}, current ones only {"term"}.
    primary = entry.get("arxiv_primary_category") or {}
    return _text(primary.get("term"))


def _categories(entry: Any) -> list[str]:
    """arXiv categories, primary first, each once."""
    terms = [_primary_category(entry)]
    terms += [_text(tag.get("term")) for tag in entry.get("tags", [])]
    seen: list[str] = []
    for term in terms:
        if term is not None and _CATEGORY_RE.match(term) and term not in seen:
            seen.append(term)
    return seen
