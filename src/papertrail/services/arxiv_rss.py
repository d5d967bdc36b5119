"""Reading arXiv's announcement feeds (rss.arxiv.org, RSS 2.0 or Atom) into plain items.

Pure: bytes in, items out; the HTTP side lives with the other arXiv clients. feedparser
does the XML; what is arXiv-specific is read here:
- the announce type (`arxiv:announce_type`, else "Announce Type: ..." in the description):
  `new`, `cross` (a cross-listing), `replace` and `replace-cross` (a new version);
- `dc:creator`, either one comma-separated list or one element per author;
- `arxiv:DOI` and `arxiv:journal_reference`;
- descriptions "arXiv:ID Announce Type: T \\nAbstract: ...", plain text in the current
  feeds and HTML (<p>, <a href>) in older ones.
feedparser's HTML sanitiser is off: it reads TeX such as `$a<b$` as a tag and drops text,
so markup is stripped here, and only when the text really is HTML.
"""

from __future__ import annotations

import html
import io
import re
import time
from dataclasses import dataclass, field
from typing import Any

import feedparser

from papertrail.errors import InvalidArxivId
from papertrail.model.ids import abs_url, parse_arxiv_id, pdf_url
from papertrail.model.records import PaperRecord
from papertrail.model.text import one_line

MAX_FIELD = 20_000  # far beyond any real abstract; keeps a hostile feed from storing megabytes

_DECLARATION_RE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_OAI_PREFIX_RE = re.compile(r"^\s*oai:arxiv\.org:", re.IGNORECASE)
_ANNOUNCE_RE = re.compile(r"Announce Type:\s*(?P<type>[\w-]+)", re.IGNORECASE)
_DESCRIPTION_ID_RE = re.compile(r"^\s*arXiv:\s*(?P<id>\S+)", re.IGNORECASE)
_ABSTRACT_RE = re.compile(r"^.*?\bAbstract:\s*", re.IGNORECASE | re.DOTALL)
# Markup arXiv has used in feeds; `<` in TeX (`$a<b$`) never looks like these.
_HTML_TAG_RE = re.compile(
    r"</?(?:p|a|b|i|em|strong|br|div|span|sub|sup|code|ul|ol|li)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# Titles of the older feeds end with "(arXiv:2310.04444v1 [stat.ML] UPDATED)".
_OLD_TITLE_RE = re.compile(
    r"\.?\s*\(arXiv:(?P<id>\S+?)(?:\s+\[(?P<category>[^\]]+)\])?(?P<updated>\s+UPDATED)?\)\s*$"
)
_AUTHOR_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+)?")


# Encoding notes feedparser raises on well-formed feeds it read anyway.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class UnreadableRss(ValueError):
    """The body is not a usable feed; `str()` says why, in one line."""


@dataclass
class FeedItem:
    """One announcement in a daily feed."""

    arxiv_id: str
    version: int | None
    title: str | None
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None
    categories: list[str] = field(default_factory=list)  # the primary one first
    announce_type: str = "new"
    doi: str | None = None
    journal_ref: str | None = None
    announced: str | None = None  # YYYY-MM-DD

    @property
    def is_new_version(self) -> bool:
        return self.announce_type.startswith("replace")

    def to_record(self) -> PaperRecord:
        """What the feed says about the paper, as a library record (pending completion)."""
        return PaperRecord(
            arxiv_id=self.arxiv_id,
            version=self.version,
            title=self.title,
            authors=list(self.authors),
            abstract=self.abstract,
            primary_category=self.categories[0] if self.categories else None,
            categories=list(self.categories),
            doi=self.doi,
            journal_ref=self.journal_ref,
            url=abs_url(self.arxiv_id),
            pdf_url=pdf_url(self.arxiv_id),
        )


@dataclass
class Announcements:
    """A feed: its title, the day it announces, and its items (none on weekends)."""

    title: str | None
    announced: str | None
    items: list[FeedItem]


def parse_rss(body: bytes) -> Announcements:
    """Read a feed from rss.arxiv.org. Raises UnreadableRss."""
    parsed = _parse(body)
    items: dict[str, FeedItem] = {}
    for entry in parsed.entries:
        item = _item(entry)
        if item is not None and item.arxiv_id not in items:  # one item per paper
            items[item.arxiv_id] = item
    channel = parsed.get("feed", {})
    return Announcements(
        title=_text(channel.get("title")),
        announced=_date(channel.get("published_parsed") or channel.get("updated_parsed")),
        items=list(items.values()),
    )


def _parse(body: bytes) -> Any:
    if not body.strip():
        raise UnreadableRss("empty body")
    if _DECLARATION_RE.search(body.decode("utf-8", "replace")):
        # arXiv never sends them; refusing blocks XXE and entity-expansion bombs.
        raise UnreadableRss("it contains a DOCTYPE or ENTITY declaration")
    # A file object, not bytes: feedparser.parse(bytes) may try to open them as a path.
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _HARMLESS):
        # feedparser salvages what it can from a cut-off document: an inbox built from
        # that would silently miss the rest of the day.
        reason = one_line(str(parsed.get("bozo_exception", "")))
        raise UnreadableRss(f"malformed XML: {reason}" if reason else "malformed XML")
    if not str(parsed.get("version") or "").startswith(("rss", "atom")):
        raise UnreadableRss("not an RSS or Atom feed")
    return parsed


def _item(entry: Any) -> FeedItem | None:
    description = str(entry.get("summary") or "")
    title = _text(entry.get("title")) or ""
    old_style = _OLD_TITLE_RE.search(title)
    if old_style is not None:
        title = title[: old_style.start()]
    ident = _identifier(entry, description, old_style["id"] if old_style else "")
    if ident is None:
        return None
    categories = _categories(entry)
    if not categories and old_style is not None and old_style["category"]:
        categories = old_style["category"].split()
    announce_type = _announce_type(entry, description)
    if old_style is not None and old_style["updated"]:
        announce_type = "replace"
    return FeedItem(
        arxiv_id=ident.id,
        version=ident.version,
        title=title or None,
        authors=_authors(entry),
        abstract=_abstract(description),
        categories=categories,
        announce_type=announce_type,
        doi=_text(entry.get("arxiv_doi")),
        journal_ref=_text(entry.get("arxiv_journal_reference") or entry.get("arxiv_journal_ref")),
        announced=_date(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _identifier(entry: Any, description: str, from_title: str) -> Any:
    """The versioned id from the guid (oai:arXiv.org:ID), the description, the title of
    an older feed, or the link."""
    match = _DESCRIPTION_ID_RE.match(_strip_html(description))
    candidates = [
        _OAI_PREFIX_RE.sub("", str(entry.get("id") or "")),
        match["id"] if match else "",
        from_title,
        str(entry.get("link") or ""),
    ]
    for candidate in candidates:
        if candidate.strip():
            try:
                return parse_arxiv_id(candidate)
            except InvalidArxivId:
                continue
    return None


def _announce_type(entry: Any, description: str) -> str:
    declared = _text(entry.get("arxiv_announce_type"))
    if declared is None:
        match = _ANNOUNCE_RE.search(description[:500])
        declared = match["type"] if match else "new"
    return declared.lower()


def _abstract(description: str) -> str | None:
    text = _strip_html(description)
    # "arXiv:ID Announce Type: new \nAbstract: ..." -> the abstract; other layouts as they are.
    if _ANNOUNCE_RE.search(text[:500]) or _DESCRIPTION_ID_RE.match(text):
        text = _ABSTRACT_RE.sub("", text, count=1)
    return _text(text)


def _authors(entry: Any) -> list[str]:
    names: list[str] = []
    for author in entry.get("authors", []):
        for name in _AUTHOR_SPLIT_RE.split(_strip_html(str(author.get("name") or ""))):
            cleaned = _text(name)
            if cleaned is not None and cleaned not in names:
                names.append(cleaned)
    return names


def _categories(entry: Any) -> list[str]:
    terms: list[str] = []
    for tag in entry.get("tags", []):
        term = _text(tag.get("term"))
        if term is not None and " " not in term and term not in terms:
            terms.append(term)
    return terms


def _strip_html(text: str) -> str:
    """Text of an HTML fragment; plain text (the current feeds) is returned as it is."""
    if not _HTML_TAG_RE.search(text):
        return text
    return html.unescape(_HTML_TAG_RE.sub(" ", text))


def _text(value: object) -> str | None:
    if value is None:
        return None
    collapsed = " ".join(_strip_html(str(value)[: MAX_FIELD * 2]).split())[:MAX_FIELD]
    return collapsed or None


def _date(stamp: Any) -> str | None:
    return time.strftime("%Y-%m-%d", stamp) if stamp else None
