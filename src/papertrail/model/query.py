"""The filters of `list` and `export`, as one plain value the store turns into SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

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
