"""Exporters, one module per format, each `write(papers, topic_parents, out) -> count`.

`export_to` writes through a temporary file renamed into place, so an export that fails
halfway (disk full, interrupted) never leaves a half-written file behind.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from papertrail.errors import PapertrailError
from papertrail.records import Paper

_MODULES = {
    "json": "jsonfile", "bibtex": "bibtex", "csl-json": "csl_json", "markdown": "markdown",
    "csv": "csvfile",
}  # fmt: skip

Writer = Callable[[Iterable[Paper], dict[str, str | None], TextIO], int]


def writer(fmt: str) -> Writer:
    module = importlib.import_module(f"papertrail.exporters.{_MODULES[fmt]}")
    return module.write  # type: ignore[no-any-return]


def columns(fmt: str) -> Sequence[str] | None:
    """The database columns a format writes (None: all of them), so an export reads no more."""
    module = importlib.import_module(f"papertrail.exporters.{_MODULES[fmt]}")
    return getattr(module, "COLUMNS", None)


def export_to(
    output: Path | None, fmt: str, papers: Iterable[Paper], topic_parents: dict[str, str | None]
) -> int:
    """Write the papers to `output` (or stdout); return how many were written."""
    write = writer(fmt)
    if output is None:
        return write(papers, topic_parents, sys.stdout)
    target = output.expanduser()
    if target.is_dir():
        raise PapertrailError(f"{target} is a directory")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
            "w", encoding="utf-8", newline="", dir=target.parent or ".",
            prefix=f".{target.name}.", suffix=".part", delete=False,
        )  # fmt: skip
    except OSError as error:
        raise PapertrailError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        with handle:
            count = write(papers, topic_parents, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException as error:
        Path(handle.name).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise PapertrailError(f"cannot write {target}: {error.strerror or error}") from None
        raise
    return count


def ordered_topics(parents: dict[str, str | None]) -> list[str]:
    """Topics with every parent before its children (depth-first, alphabetical)."""
    children: dict[str | None, list[str]] = {}
    for slug, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(slug)
    ordered: list[str] = []

    def visit(parent: str | None) -> None:
        for slug in sorted(children.get(parent, [])):
            ordered.append(slug)
            visit(slug)

    visit(None)
    return ordered
