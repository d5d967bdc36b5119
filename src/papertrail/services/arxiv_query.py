"""Building the arXiv API's `search_query` (https://info.arxiv.org/help/api/user-manual.html).

Pure and cheap. Everything the user typed becomes field terms joined by AND:
- plain words search every field (`all:`); `"a phrase"` stays a phrase; a term that
  already names a field (`ti:`, `au:`, `abs:`, `co:`, `jr:`, `cat:`, `rn:`, `id:`, `all:`)
  is kept; AND, OR and ANDNOT between terms are arXiv's operators;
- `--title`, `--author`, `--abstract` put their words in `ti:`, `au:`, `abs:`;
- `--category` (repeatable; an archive such as `math` means all its categories) is one
  OR-group of `cat:` terms;
- `--since`/`--until` become `submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]` (UTC).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from papertrail.errors import UsageError
from papertrail.model.categories import archive_categories, canonical_category
from papertrail.model.query import date_bound

FIELDS = ("all", "ti", "au", "abs", "co", "jr", "cat", "rn", "id")
OPERATORS = ("AND", "OR", "ANDNOT")
SORTS = {"relevance": "relevance", "submitted": "submittedDate", "updated": "lastUpdatedDate"}
# arXiv serves at most 2000 results per request and 30000 for one query in all.
MAX_PAGE = 2000
MAX_RESULTS = 30000
FIRST_SUBMISSION = "199108010000"  # arXiv opened in August 1991

_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
_FIELD_RE = re.compile(rf"^({'|'.join(FIELDS)}):(.+)$")
# Characters that are query syntax to arXiv; in a word they are only noise.
_SYNTAX_RE = re.compile(r'[()"\[\]]')


@dataclass(frozen=True)
class SearchRequest:
    """What `papertrail search` was asked."""

    words: str = ""
    title: str | None = None
    author: str | None = None
    abstract: str | None = None
    categories: Sequence[str] = field(default_factory=tuple)
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"
    limit: int = 20


def search_query(request: SearchRequest, *, today: datetime | None = None) -> str:
    """The `search_query` parameter for a request; UsageError when it says nothing."""
    groups = [
        _group("all", request.words),
        _group("ti", request.title or ""),
        _group("au", request.author or ""),
        _group("abs", request.abstract or ""),
        _categories(request.categories),
        _date_range(request.since, request.until, today or datetime.now(UTC)),
    ]
    present = [g for g in groups if g]
    if not present:
        raise UsageError("give words to search for, or --title, --author, --abstract, --category")
    return " AND ".join(present)


def query_params(request: SearchRequest, start: int, count: int, query: str) -> dict[str, str]:
    """The API parameters of one page."""
    if request.sort not in SORTS:
        raise UsageError(f"unknown sort {request.sort!r}: use one of {', '.join(SORTS)}")
    return {
        "search_query": query,
        "start": str(start),
        "max_results": str(count),
        "sortBy": SORTS[request.sort],
        "sortOrder": "descending",
    }


def pages(limit: int, page_size: int) -> list[tuple[int, int]]:
    """(start, max_results) of each request needed for `limit` results."""
    if not 1 <= limit <= MAX_RESULTS:
        raise UsageError(f"--limit must be between 1 and {MAX_RESULTS} (arXiv's maximum)")
    size = max(1, min(page_size, MAX_PAGE))
    return [(start, min(size, limit - start)) for start in range(0, limit, size)]


def _group(default_field: str, text: str) -> str:
    """Terms of one field joined by AND (or the operators typed); parenthesised if several."""
    parts: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        phrase, word = match.groups()
        if word in OPERATORS:
            if not parts or parts[-1] in OPERATORS:
                raise UsageError(f"{word} must stand between two search terms")
            parts.append(word)
            continue
        term = _term(default_field, phrase, word)
        if term is None:
            continue
        if parts and parts[-1] not in OPERATORS:
            parts.append("AND")
        parts.append(term)
    if parts and parts[-1] in OPERATORS:
        raise UsageError(f"{parts[-1]} must stand between two search terms")
    if len(parts) > 1:
        return "(" + " ".join(parts) + ")"
    return parts[0] if parts else ""


def _term(default_field: str, phrase: str | None, word: str | None) -> str | None:
    if phrase is not None:
        cleaned = " ".join(_SYNTAX_RE.sub(" ", phrase).split())
        if not cleaned:
            return None
        return f'{default_field}:"{cleaned}"' if " " in cleaned else f"{default_field}:{cleaned}"
    assert word is not None
    named = _FIELD_RE.match(word)
    field_name, value = (named.group(1), named.group(2)) if named else (default_field, word)
    value = _SYNTAX_RE.sub("", value)
    if not value:
        return None
    if field_name == "cat":
        value = canonical_category(value, archives=False)
    return f"{field_name}:{value}"


def _categories(names: Sequence[str]) -> str:
    terms: list[str] = []
    for name in names:
        for category in archive_categories(canonical_category(name)):
            if f"cat:{category}" not in terms:
                terms.append(f"cat:{category}")
    if len(terms) > 1:
        return "(" + " OR ".join(terms) + ")"
    return terms[0] if terms else ""


def _date_range(since: str | None, until: str | None, today: datetime) -> str:
    if since is None and until is None:
        return ""
    start = _date_bound(since, "--since", last=False) if since else FIRST_SUBMISSION
    end = _date_bound(until, "--until", last=True) if until else today.strftime("%Y%m%d2359")
    if start > end:
        raise UsageError(f"--since {since} is after --until {until or 'today'}")
    return f"submittedDate:[{start} TO {end}]"


def _date_bound(text: str, option: str, *, last: bool) -> str:
    """YYYYMMDDHHMM for a --since/--until day (model/query.py): its first minute, or last."""
    day = date_bound(text, option, last=last)
    if day.year < 1991:
        raise UsageError(f"{option}: arXiv has no papers before 1991, not {text.strip()!r}")
    return day.strftime("%Y%m%d") + ("2359" if last else "0000")
