"""The filters `list` and `export` share: option declarations and the query they build."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from papertrail.core.topics import check_topic
from papertrail.db.store import Store
from papertrail.errors import UsageError
from papertrail.model.query import PaperQuery


class Status(StrEnum):
    unread = "unread"
    reading = "reading"
    read = "read"


class Sort(StrEnum):
    added = "added"
    published = "published"
    title = "title"  # type: ignore[assignment]  # shadows str.title: a member, as asked
    status = "status"
    # `-key`: the same order reversed ("--sort=-added": the newest first).
    added_reversed = "-added"
    published_reversed = "-published"
    title_reversed = "-title"
    status_reversed = "-status"
    citations = "citations"
    citations_reversed = "-citations"
    key = "key"  # the citation key (a bibliography's order)
    key_reversed = "-key"


TopicFilter = Annotated[
    str | None, typer.Option("--topic", "-t", help="Topic, with its sub-topics.")
]
StatusFilter = Annotated[Status | None, typer.Option("--status", "-s", help="Reading status.")]
SearchFilter = Annotated[
    str | None,
    typer.Option("--search", "-q", help="Words in title, abstract, authors or note."),
]
AuthorFilter = Annotated[str | None, typer.Option(help="Part of an author's name.")]
# Bounds keep numbers within what every database stores (a 64-bit integer and less).
YEARS = {"min": 1, "max": 9999}
YearFilter = Annotated[int | None, typer.Option(help="Published in this year.", **YEARS)]
SinceFilter = Annotated[int | None, typer.Option(help="Published in this year or later.", **YEARS)]
SortOption = Annotated[
    Sort, typer.Option(help="Order of the papers; a - prefix reverses it (--sort=-added).")
]
ReverseOption = Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")]
LimitOption = Annotated[
    int | None, typer.Option(min=1, max=10**9, help="At most this many papers.")
]


def paper_query(
    store: Store,
    *,
    topic: str | None,
    status: Status | None,
    search: str | None,
    author: str | None,
    year: int | None,
    since: int | None,
    sort: Sort,
    limit: int | None,
    reverse: bool = False,
    has_pdf: bool | None = None,
) -> PaperQuery:
    if year is not None and since is not None:
        raise UsageError("give --year or --since, not both")
    return PaperQuery(
        topic=check_topic(store, topic),
        status=status.value if status else None,
        search=search,
        author=author,
        year=year,
        since=since,
        sort=_reversed(sort.value) if reverse else sort.value,
        limit=limit,
        has_pdf=has_pdf,
    )


def _reversed(sort: str) -> str:
    return sort[1:] if sort.startswith("-") else "-" + sort
