"""What `show` and `who-read` print for a lab: who read a paper, the notes members share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from papertrail.model.text import clean, one_line

if TYPE_CHECKING:
    from papertrail.core.readers import LabView
    from papertrail.model.records import ReaderOfPaper


def _day(at: str | None) -> str:
    return at[:10] if at else ""


def reader_phrase(reader: ReaderOfPaper) -> str:
    """`ada (read 2026-12-01)`, `bob (reading since 2026-12-03)`."""
    if reader.status == "read":
        when = f"read {_day(reader.read_at)}".strip()
    else:
        when = f"reading since {_day(reader.started_at)}" if reader.started_at else "reading"
    return f"{one_line(reader.reader)} ({when})"


def lab_lines(view: LabView) -> list[str]:
    """What `show` adds for a lab: who read the paper, and the shared notes (none: none)."""
    lines: list[str] = []
    if view.readers:
        lines.append("Read by: " + ", ".join(reader_phrase(r) for r in view.readers))
    for note in view.shared_notes:
        lines += ["", f"Shared note of {one_line(note.reader)}:", clean(note.note)]
    return lines
