"""The filters `list` and `export` share: option declarations and the query they build."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from papertrail.cli import complete
from papertrail.core.topics import check_topic
from papertrail.db.store import Store
from papertrail.errors import UsageError
from papertrail.model.query import PaperQuery
from papertrail.model.query import date_bound as day_bound


class Status(StrEnum):
    unread = "unread"
    reading = "reading"
    read = "read"


# `--sort KEY`: `-KEY` the other way; `year` is `published` (docs/cli.md); `key` is the
# citation key (a bibliography's order).
SORT_KEYS = ("added", "published", "title", "status", "citations", "key")
SORT_ALIASES = {"year": "published"}


def sort_key(text: str | None, default: str = "added") -> str:
    """The order a `--sort` value names (`year`, `-added`...); UsageError for others."""
    value = (text or default).strip()
    reverse = value.startswith("-")
    key = value.lstrip("-").lower()
    key = SORT_ALIASES.get(key, key)
    if key not in SORT_KEYS:
        names = ", ".join([*SORT_KEYS, *SORT_ALIASES])
        raise UsageError(f"--sort takes {names} (a - before it reverses it), not {value!r}")
    return f"-{key}" if reverse else key


TopicFilter = Annotated[
    str | None,
    typer.Option(
        "--topic", "-t", help="Topic, with its sub-topics.", autocompletion=complete.topics
    ),
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
SinceFilter = Annotated[
    str | None,
    typer.Option(
        help="Published on or after this date: 2023, 2023-05 or 2023-05-17.",
        metavar="DATE",
        show_default=False,
    ),
]
UntilFilter = Annotated[
    str | None,
    typer.Option(
        help="Published on or before this date: 2023, 2023-05 or 2023-05-17.",
        metavar="DATE",
        show_default=False,
    ),
]
TagFilter = Annotated[
    str | None,
    typer.Option(
        "--tag", help="Papers with this tag (a keyword; see `tags`).", autocompletion=complete.tags
    ),
]
SortOption = Annotated[
    str | None,
    typer.Option(
        help="Order: added, published (= year), title, status, citations; a - prefix "
        "reverses it (--sort=-added). Default: the `sort` setting, else added.",
        metavar="KEY",
        show_default=False,
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, max=10**9, help="At most N papers.")
]


def paper_query(
    store: Store,
    *,
    topic: str | None,
    status: Status | None,
    search: str | None,
    author: str | None,
    year: int | None,
    since: str | None,
    sort: str | None,
    limit: int | None,
    reverse: bool = False,
    has_pdf: bool | None = None,
    until: str | None = None,
    tag: str | None = None,
) -> PaperQuery:
    if year is not None and (since is not None or until is not None):
        raise UsageError("give --year or --since/--until, not both")
    key = sort_key(sort, default_sort())
    days = date_range(since, until)
    return PaperQuery(
        topic=check_topic(store, topic),
        status=status.value if status else None,
        search=search,
        author=author,
        year=year,
        since_date=days[0],
        until_date=days[1],
        sort=_reversed(key) if reverse else key,
        limit=limit,
        has_pdf=has_pdf,
        tag=check_tag(store, tag),
    )


def default_sort() -> str:
    """The `sort` setting (config.toml), else `added`."""
    from papertrail.config import setting  # settings are read only when needed (start-up)

    value = setting("sort")
    return value if isinstance(value, str) else "added"


def check_tag(store: Store, tag: str | None) -> str | None:
    """A `--tag` filter: an unknown tag is an error that names close ones."""
    if tag is None:
        return None
    wanted = tag.strip()
    known = store.tag_names()
    if wanted in known:
        return wanted
    from difflib import get_close_matches  # only for an unknown tag

    close = get_close_matches(wanted, known, n=3) or [k for k in known if wanted in k][:3]
    hint = f" (did you mean: {', '.join(close)}?)" if close else " (`papertrail tags` lists them)"
    raise UsageError(f"no tag {wanted!r} in the library{hint}")


def date_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """`--since` and `--until` as the first and the last day (YYYY-MM-DD), each maybe None."""
    return (
        date_bound(since, "--since", last=False) if since else None,
        date_bound(until, "--until", last=True) if until else None,
    )


def date_bound(text: str, option: str, *, last: bool) -> str:
    """The day (YYYY-MM-DD) a --since or --until value stands for (model/query.py)."""
    return day_bound(text, option, last=last).isoformat()


def _reversed(sort: str) -> str:
    return sort[1:] if sort.startswith("-") else "-" + sort
