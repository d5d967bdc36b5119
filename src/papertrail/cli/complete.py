"""Shell completion from the library: topics, tags, REFs (numbers with their titles,
citation keys), arXiv categories, feed numbers. Runs on every Tab: one small query on
the open library, nothing else loaded; any trouble completes nothing (never an error
message in the middle of a command line)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from papertrail.db.store import Store

MAX_ITEMS = 200  # a shell shows no more usefully


@contextmanager
def _store(ctx: Any) -> Iterator[Store | None]:
    from papertrail.db.opening import open_store  # only when Tab is pressed (start-up)

    root = ctx.find_root() if ctx is not None else None
    given = (root.params.get("db") if root is not None else None) or os.environ.get("PAPERTRAIL_DB")
    try:
        if given is None:
            from papertrail.config import default_db_path  # the default library's path

            given = str(default_db_path())
        store = open_store(given, create=False, upgrade_older=False)
    except Exception:  # completion must never fail loudly
        yield None
        return
    try:
        yield store
    finally:
        store.close()


def _guarded(find: Callable[[Store, str], list[Any]]) -> Callable[[Any, str], list[Any]]:
    def complete(ctx: Any, incomplete: str) -> list[Any]:
        with _store(ctx) as store:
            if store is None:
                return []
            try:
                return find(store, incomplete)[:MAX_ITEMS]
            except Exception:  # a locked or damaged library completes nothing
                return []

    return complete


def _topics(store: Store, incomplete: str) -> list[str]:
    return [slug for slug in store.topic_parents() if slug.startswith(incomplete.lower())]


def _tags(store: Store, incomplete: str) -> list[str]:
    return store.tag_names(incomplete)


def _refs(store: Store, incomplete: str) -> list[tuple[str, str]]:
    """Numbers (with the title as help) and citation keys that start with the text."""
    rows = store.newest_refs(5000)
    found: list[tuple[str, str]] = []
    for paper_id, key, title in rows:
        for candidate in (str(paper_id), key or ""):
            if candidate and candidate.startswith(incomplete):
                found.append((candidate, (title or "")[:60]))
    return found


def _feeds(store: Store, incomplete: str) -> list[tuple[str, str]]:
    return [
        (str(feed.id), " ".join(feed.categories))
        for feed in store.feeds()
        if str(feed.id).startswith(incomplete)
    ]


def categories(ctx: Any, incomplete: str) -> list[str]:
    """arXiv's categories and archives (no library needed)."""
    from papertrail.model.categories import ARCHIVES, CATEGORIES  # only on Tab

    wanted = incomplete.lower()
    return [name for name in (*CATEGORIES, *ARCHIVES) if name.lower().startswith(wanted)]


topics = _guarded(_topics)
tags = _guarded(_tags)
refs = _guarded(_refs)
feeds = _guarded(_feeds)
