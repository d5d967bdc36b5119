"""biblatex export: the BibTeX writer with biblatex's types and fields (`@online` for an
arXiv preprint published nowhere, `eprinttype`/`eprintclass`, `journaltitle`, `date`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from papertrail.exporters import bibtex

COLUMNS = bibtex.COLUMNS
READS_ROWS = True
READS_FILES = True


def write(
    rows: Iterable[Sequence[Any]],
    topic_parents: dict[str, str | None],
    out: TextIO,
    *,
    fields: frozenset[str] | None = None,
) -> int:
    return bibtex.write(rows, topic_parents, out, fields=fields, biblatex=True)
