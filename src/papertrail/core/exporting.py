"""`papertrail export`: read from the library what a format's writer takes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from papertrail.core.files import blob_paths, with_files
from papertrail.db.store import Store
from papertrail.exporters import Items, module
from papertrail.model.query import PaperQuery


def read(store: Store, fmt: str, query: PaperQuery, *, files: bool = True) -> Items:
    """Stream from the store what a format's writer takes: only the columns it writes
    (COLUMNS, when it names them), as Paper objects or, with READS_ROWS, as rows; with
    READS_FILES (and `files`: the `file` field is written), each paper's files too (a row
    gets them as a last value)."""
    writer = module(fmt)
    selected: Sequence[str] | None = getattr(writer, "COLUMNS", None)
    files = files and getattr(writer, "READS_FILES", False)
    if selected is not None and getattr(writer, "READS_ROWS", False):
        if not files:
            return store.iter_rows(query, selected)
        return _rows_with_files(store, store.iter_rows(query, ("id", *selected)))
    papers = store.iter_papers(query, selected)
    return with_files(store, papers) if files else papers


def _rows_with_files(store: Store, rows: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """Rows (id first) without their id, each with its paper's files last (a list)."""
    by_paper = store.files_of_papers() if store.any_paper_file() else {}
    for row in rows:
        attached = by_paper.get(row[0])
        yield (*row[1:], blob_paths(store, attached) if attached else [])
