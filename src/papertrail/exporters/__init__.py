"""Exporters, one module per format, each `write(papers, topic_parents, out) -> count`.

A module may name the columns it writes (`COLUMNS`) so that an export reads no more; one
that also sets `READS_ROWS` takes rows instead of Paper objects (the values of COLUMNS, then
the topics, as `Store.iter_rows` streams them), for exports too large to build a Paper for
every row. core/exporting.py reads the library accordingly.

`export_to` writes through a temporary file renamed into place, so an export that fails
halfway (disk full, interrupted, terminated) never leaves a half-written file behind; links,
devices, modes and the library's own database file are respected (see `export_to`).
"""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO, cast

from papertrail.errors import PapertrailError
from papertrail.model.records import Paper

_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
_MODULES = {
    "json": "jsonfile", "bibtex": "bibtex", "biblatex": "biblatex", "csl-json": "csl_json",
    "markdown": "markdown",
    "csv": "csvfile",
}  # fmt: skip

# What a writer takes: Paper objects, or rows for a module with READS_ROWS.
Items = Iterable[Paper] | Iterable[Sequence[Any]]
Writer = Callable[[Items, dict[str, str | None], TextIO], int]


def writer(fmt: str) -> Writer:
    return module(fmt).write


def module(fmt: str) -> ModuleType:
    return importlib.import_module(f"papertrail.exporters.{_MODULES[fmt]}")


def export_to(
    output: Path | None,
    fmt: str,
    papers: Items,
    topic_parents: dict[str, str | None],
    *,
    database: Path | None = None,
    fields: frozenset[str] | None = None,
) -> int:
    """Write the papers to `output` (or stdout); return how many were written.

    `database` is the library's own file, which an export must never overwrite; `fields`
    (formats that take them): the fields to write.
    """
    # Formats that write citation keys take `fields` (model.entry_types.FIELD_NAMES).
    write = writer(fmt) if fields is None else partial(writer(fmt), fields=fields)  # type: ignore[call-arg]
    if output is None:
        return write(papers, topic_parents, sys.stdout)
    target = output.expanduser()
    if target.is_dir():
        raise PapertrailError(f"{target} is a directory")
    _refuse_database(target, database)
    with _cleanup_on_signals():
        if _is_stream(target):
            return _write_stream(target, lambda out: write(papers, topic_parents, out))
        # Through a symbolic link: the link stays, the file it points to gets the export.
        return _write_file(target.resolve(), lambda out: write(papers, topic_parents, out))


def write_text(target: Path, text: str) -> None:
    """Write `text` to a file as an export does: atomically, keeping its mode and links."""
    with _cleanup_on_signals():
        _write_file(target.resolve(), lambda out: out.write(text))


def _is_stream(target: Path) -> bool:
    """A device, a FIFO, /dev/stdout...: written as it is; there is no file to replace."""
    if str(target).startswith(("/dev/", "/proc/")):
        return True
    try:
        return not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        return False  # does not exist yet (or a dangling link): a new file


def _refuse_database(target: Path, database: Path | None) -> None:
    if database is None:
        return
    siblings = [database.with_name(database.name + s) for s in _SQLITE_SIDE_FILES]
    for path in siblings:
        with suppress(OSError):
            if os.path.samefile(target, path):
                raise PapertrailError(
                    f"refusing to export to {target}: it is the library's own database"
                )


def _write_stream(target: Path, write: Callable[[TextIO], int]) -> int:
    try:
        with open(target, "w", encoding="utf-8", newline="") as out:
            return write(out)
    except OSError as error:
        raise PapertrailError(f"cannot write {target}: {error.strerror or error}") from None


def _write_file(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write a temporary file next to `target`, then put it in place: an export that fails
    halfway leaves the old file (or none), never half of one. The file keeps its mode and
    owner; a file with other hard links is rewritten in place so the links stay one file."""
    try:
        existing = target.stat()
    except OSError:
        existing = None
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
            "w", encoding="utf-8", newline="", dir=target.parent,
            prefix=f".{target.name}.", suffix=".part", delete=False,
        )  # fmt: skip
    except OSError as error:
        raise PapertrailError(f"cannot write {target}: {error.strerror or error}") from None
    part = Path(handle.name)
    try:
        with handle:
            count = write(cast(TextIO, handle))
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None and existing.st_nlink > 1:
            _copy_in_place(part, target)
            part.unlink()
        else:
            _take_over_metadata(part, existing)
            os.replace(part, target)
    except BaseException as error:
        part.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise PapertrailError(f"cannot write {target}: {error.strerror or error}") from None
        raise
    return count


def _take_over_metadata(part: Path, existing: os.stat_result | None) -> None:
    """The mode (and, when allowed, the owner) the file had; a new file gets the mode any
    program would create it with (0666 less the umask), not the temporary file's 0600."""
    if existing is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(part, 0o666 & ~umask)
        return
    os.chmod(part, stat.S_IMODE(existing.st_mode))
    with suppress(OSError):
        os.chown(part, existing.st_uid, existing.st_gid)


def _copy_in_place(part: Path, target: Path) -> None:
    with open(part, "rb") as source, open(target, "r+b") as out:
        shutil.copyfileobj(source, out)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


class _Terminated(SystemExit):
    """SIGTERM or SIGHUP during an export: unwinds like Ctrl-C, so the partial file goes."""


@contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Terminated(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def ordered_topics(parents: dict[str, str | None]) -> list[str]:
    """Every topic once, each parent before its children (depth-first, alphabetical).

    Topics caught in a cycle (old data, or a race an older papertrail allowed) have no root
    above them: they come last, each once, so nothing under them is ever left out.
    """
    children: dict[str | None, list[str]] = {}
    for slug, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(slug)
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(slug: str) -> None:
        stack = [slug]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            ordered.append(current)
            stack.extend(sorted(children.get(current, []), reverse=True))

    for root in sorted(children.get(None, [])):
        visit(root)
    for slug in sorted(parents):
        visit(slug)
    return ordered
