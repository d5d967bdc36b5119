"""CSL-JSON, what Zotero, Mendeley and pandoc write: an array of items

    [{"id": "vaswani2017", "type": "paper-conference", "title": "...",
      "author": [{"family": "Vaswani", "given": "Ashish"}, {"literal": "Google Brain"}],
      "issued": {"date-parts": [[2017, 6, 12]]}, "container-title": "NeurIPS", ...}]

Told apart from papertrail's own JSON by its shape (every item has a CSL "type" and
none has papertrail's keys). An item that is not a usable paper is skipped and named.
"""

from __future__ import annotations

import html
import re
from typing import Any

from papertrail.errors import ImportFormatError, InvalidArxivId
from papertrail.model.entry_types import from_csl
from papertrail.model.ids import ArxivId, bare_doi, find_arxiv_ids, parse_arxiv_id
from papertrail.model.numbers import whole_number
from papertrail.model.records import CorporateName, PaperRecord, ParsedList
from papertrail.model.slugs import slugify

_PAPERTRAIL_KEYS = ("arxiv_id", "status", "topics", "added_at", "fetched_at")
_MARKUP = re.compile(r"</?(?:i|b|sup|sub|sc|span)(?:\s[^>]*)?>", re.IGNORECASE)
_KEY = re.compile(r"[^\s,{}()=#%\"'\\~/]+")
# Where an item may mention its arXiv id (`arXiv:1706.03762`): Zotero writes preprints with
# `number: arXiv:...`, Google Scholar `container-title: arXiv preprint arXiv:...`.
_ARXIV_MENTIONS = ("number", "note", "container-title", "URL")


def looks_like_csl(data: Any) -> bool:
    """A non-empty array of objects that all have a CSL "type" and no papertrail keys."""
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(item, dict) and isinstance(item.get("type"), str) for item in data)
        and not any(key in item for item in data for key in _PAPERTRAIL_KEYS)
    )


def parse_items(data: Any, source: str) -> ParsedList:
    if not isinstance(data, list):
        raise ImportFormatError(f"{source}: CSL-JSON is an array of items")
    parsed = ParsedList()
    for number, item in enumerate(data, start=1):
        where = f"{source}: item {number}"
        if not isinstance(item, dict):
            parsed.skipped.append((where, f"not an object but {type(item).__name__}"))
            continue
        parsed.records.append(_record(item, where))
    return parsed


def _record(item: dict[str, Any], where: str) -> PaperRecord:
    year, published = _issued(item.get("issued"))
    arxiv = _arxiv_id(item)
    key = _text(item.get("citation-key")) or _text(item.get("id"))
    keywords = _text(item.get("keyword")) or ""
    return PaperRecord(
        arxiv_id=arxiv.id if arxiv else None,
        version=arxiv.version if arxiv else None,
        title=_rich_text(item.get("title")),
        authors=_names(item.get("author")),
        year=year,
        published=published,
        doi=bare_doi(_text(item.get("DOI"))),
        url=_text(item.get("URL")),
        abstract=_text(item.get("abstract")),
        entry_type=from_csl(str(item.get("type") or "article")),
        venue=_text(item.get("container-title")),
        volume=_text(item.get("volume")),
        number=_text(item.get("issue")),
        pages=_text(item.get("page")),
        publisher=_text(item.get("publisher")),
        citation_key=key if key and _KEY.fullmatch(key) else None,
        tags=[s for s in (slugify(k) for k in re.split(r"[,;]", keywords)) if s],
        sources=[f"{where}" + (f" ({key})" if key else "")],
    )


def _rich_text(value: Any) -> str | None:
    """A CSL rich-text field (a title): its markup (`<i>`, `<sup>`) dropped and its
    entities (`&lt;`, `&amp;`, as papertrail's export writes `<` and `&`) read."""
    plain = _text(value)
    return html.unescape(plain) if plain and "&" in plain else plain


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    plain = " ".join(_MARKUP.sub("", str(value)).split())
    return plain or None


def _names(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    names: list[str] = []
    for person in value:
        if not isinstance(person, dict):
            continue
        # `literal`, or a family name alone ("Vejle Kommune"): an organisation.
        literal = _text(person.get("literal"))
        if not literal and not _text(person.get("given")):
            literal = _text(person.get("family"))
        if literal:
            names.append(CorporateName(literal))
            continue
        parts = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
        name = " ".join(t for t in (_text(person.get(p)) for p in parts) if t)
        if name:
            names.append(name)
    return names


def _issued(value: Any) -> tuple[int | None, str | None]:
    """(year, YYYY-MM-DD when the item gives a full date) of CSL's `issued`."""
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        limits = ((1, 9999), (1, 12), (1, 31))  # year, month, day
        pairs = zip(parts[0][:3], limits, strict=False)
        found = [whole_number(p, low, high) for p, (low, high) in pairs]
        if not found or found[0] is None:
            return None, None
        numbers = [n for n in found if n is not None]
        if len(numbers) == 3:
            return numbers[0], "{:04d}-{:02d}-{:02d}".format(*numbers)
        return numbers[0], None
    match = re.match(r"(\d{4})(?:-(\d\d)-(\d\d))?", _text(value.get("raw")) or "")
    if match is None:
        return None, None
    return int(match.group(1)), match.group(0) if match.group(3) else None


def _arxiv_id(item: dict[str, Any]) -> ArxivId | None:
    """From an arXiv URL or DOI, `archive: arXiv` + its location, or an `arXiv:` mention."""
    candidates = [_text(item.get("URL")), _text(item.get("DOI"))]
    if (_text(item.get("archive")) or "").lower() == "arxiv":
        candidates.append(_text(item.get("archive_location")))
    for value in candidates:
        if value:
            try:
                return parse_arxiv_id(value)
            except InvalidArxivId:
                pass
    for key in _ARXIV_MENTIONS:
        found = find_arxiv_ids(_text(item.get(key)) or "")
        if found:
            return found[0]
    return None
