"""`papertrail export`: read from the library what a format's writer takes."""

from __future__ import annotations

from collections.abc import Sequence

from papertrail.db.store import Store
from papertrail.exporters import Items, module
from papertrail.model.query import PaperQuery


def read(store: Store, fmt: str, query: PaperQuery) -> Items:
    """Stream from the store what a format's writer takes: only the columns it writes
    (COLUMNS, when it names them), as Paper objects or, with READS_ROWS, as rows."""
    writer = module(fmt)
    selected: Sequence[str] | None = getattr(writer, "COLUMNS", None)
    if selected is not None and getattr(writer, "READS_ROWS", False):
        return store.iter_rows(query, selected)
    return store.iter_papers(query, selected)
