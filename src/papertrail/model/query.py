"""The filters of `list` and `export`, as one plain value the store turns into SQL."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from papertrail.errors import UsageError

SORTS = ("added", "published", "title", "status", "citations", "key")


class PaperQuery(NamedTuple):
    """Which papers, in which order (a NamedTuple: free to create at start-up)."""

    topic: str | None = None
    status: str | None = None
    search: str | None = None
    author: str | None = None
    year: int | None = None
    since: int | None = None
    sort: str = "added"
    limit: int | None = None
    paper_ids: Sequence[int] | None = None
    has_pdf: bool | None = None  # True: papers with a PDF; False: papers without one
    offset: int = 0  # skip this many of the papers in order (a page after the first)
    read_by: str | None = None  # papers this reader (a lab member) has read
    tag: str | None = None  # papers with this tag (keyword)
    # Published on or after / on or before (YYYY-MM-DD); a paper with a year alone by it.
    since_date: str | None = None
    until_date: str | None = None


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")


def date_bound(text: str, option: str, *, last: bool) -> date:
    """`2023`, `2023-05` or `2023-05-17` as a day: its first day for --since, its last for
    --until (docs/cli.md). One rule for every command that takes a date range."""
    match = _DATE.match(text.strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None  # the pattern requires it
        if not last or day:
            return date(year, month or 1, day or 1)
        month = month or 12
        return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        raise UsageError(
            f"{option} takes a date: 2023, 2023-05 or 2023-05-17, not {text.strip()!r}"
        ) from None
