"""What the bibliographic services say about a paper, in one shape (`Work`), whichever
service said it. Plain data; the core turns it into a PaperRecord."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from papertrail.model.numbers import whole_number

# Longer than any real value; a hostile answer cannot store megabytes.
MAX_TEXT = 2_000
MAX_AUTHORS = 5_000


@dataclass
class Work:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    published: str | None = None  # YYYY-MM-DD, or as much of it as is known
    venue: str | None = None  # journal or proceedings
    entry_type: str | None = None  # BibTeX's names: article, inproceedings, ...
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None
    arxiv_id: str | None = None  # when the service knows the arXiv preprint
    citations: int | None = None
    source: str = ""  # "Crossref", "DBLP", "Semantic Scholar"


def mapping(value: object) -> dict[str, Any]:
    """A JSON object from a service's answer, or {} when it is something else."""
    return value if isinstance(value, dict) else {}


def listing(value: object) -> list[Any]:
    """A JSON array from a service's answer, or [] when it is something else."""
    return value if isinstance(value, list) else []


def text(value: object, limit: int = MAX_TEXT) -> str | None:
    """Whitespace collapsed; None for absent, blank or non-text values."""
    if isinstance(value, list):  # Crossref wraps titles and venues in lists
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    collapsed = " ".join(str(value)[: limit * 4].split())[:limit]
    return collapsed or None


def year_of(value: object) -> int | None:
    """A plausible publication year from an int or a "2017"-like string."""
    return whole_number(value, 1000, 2999) if isinstance(value, int | str) else None
