"""The hook that keeps linked bibliographies current: whoever opens a library to change it
(a CLI command, an MCP call) calls `follow_links`, and every transaction that commits a
change is followed by core/bib.refresh_links. Kept apart from core/bib.py, which loads
only when the library has links (start-up of every writing command)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papertrail.db.database import Touched
    from papertrail.db.store import Store


def follow_links(store: Store) -> None:
    """Rewrite the linked files each committed change affects, right after it commits."""
    store.after_commit.append(lambda touched: _refresh(store, touched))


def _refresh(store: Store, touched: Touched) -> None:
    if not store.any_bib_link():  # a library without links pays this one query
        return
    from papertrail.core.bib import refresh_links  # a library with links only (start-up)

    refresh_links(store, touched)
