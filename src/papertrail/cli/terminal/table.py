"""The paper table for a terminal, written row by row as rows arrive.

A Rich table measures every cell before it prints a line; this one fixes its layout from a
few figures known before the first row (`TableExtents`: the widest id, arXiv id and topic
list, whether any paper has authors) and the terminal's width, so 100,000 papers stream
out at the speed of plain text in constant memory. ID, year and status are never cut or
wrapped; the title takes the room that is left and wraps; authors shrink first, and are
left out when no paper has any; topics are left out when the title would have too little.
Data is cleaned with `one_line` (control characters made visible), never read as markup.
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from papertrail.cli.terminal.output import paper_title
from papertrail.model.records import Paper, PaperSummary, TableExtents
from papertrail.model.text import one_line

GAP = "  "
TITLE_MIN = 30  # the title shrinks below this only when nothing else can
AUTHORS_WIDTH = (10, 22)  # (narrowest, widest)
TOPICS_WIDTH = (10, 22)
STATUS_WIDTH = len("reading")
YEAR_WIDTH = len("Year")

# ANSI styles (with `less -R` as the pager, colours survive paging).
BOLD, DIM, DIM_ITALIC, RESET = "\x1b[1m", "\x1b[2m", "\x1b[2;3m", "\x1b[0m"
STATUS_COLOURS = {"unread": "\x1b[33m", "reading": "\x1b[36m", "read": "\x1b[32m"}


def measure(papers: Iterable[Paper | PaperSummary]) -> TableExtents:
    """The extents of papers already in memory (`Store.summary_extents` for a query)."""
    max_id = arxiv_width = topics_width = 0
    any_authors = False
    for paper in papers:
        max_id = max(max_id, paper.id)
        arxiv_width = max(arxiv_width, len(paper.arxiv_id or ""))
        topics_width = max(topics_width, len(", ".join(paper.topics)))
        any_authors = any_authors or bool(paper.authors)
    return TableExtents(max_id, arxiv_width, topics_width, any_authors)


@dataclass(frozen=True)
class Column:
    name: str
    width: int
    right: bool = False  # right-aligned (numbers)
    wrap: bool = False  # long values wrap onto more lines; the others are never cut


def fit_columns(extents: TableExtents, width: int) -> list[Column]:
    """The columns, left to right, sized so that a row fits `width` terminal cells."""
    id_column = Column("ID", max(2, len(str(extents.max_id))), right=True)
    arxiv = Column("arXiv", max(5, extents.arxiv_width)) if extents.arxiv_width else None
    year = Column("Year", YEAR_WIDTH, right=True)
    status = Column("Status", STATUS_WIDTH)
    authors = AUTHORS_WIDTH[1] if extents.any_authors else 0
    topics = min(TOPICS_WIDTH[1], max(len("Topics"), extents.topics_width))
    topics = topics if extents.topics_width else 0
    fixed = [c for c in (id_column, arxiv, year, status) if c is not None]
    count = len(fixed) + 1 + bool(authors) + bool(topics)
    title = width - sum(c.width for c in fixed) - len(GAP) * (count - 1) - authors - topics
    # Too narrow: the authors give way first, then the topics (down to leaving them out:
    # `show` has them), then the title.
    if title < TITLE_MIN and authors:
        give = min(TITLE_MIN - title, authors - AUTHORS_WIDTH[0])
        authors, title = authors - give, title + give
    if title < TITLE_MIN and topics:
        give = min(TITLE_MIN - title, max(0, topics - TOPICS_WIDTH[0]))
        topics, title = topics - give, title + give
    if title < TITLE_MIN and topics:
        topics, title = 0, title + topics + len(GAP)
    columns = [
        id_column,
        arxiv,
        Column("Title", max(title, 10), wrap=True),
        Column("Authors", authors, wrap=True) if authors else None,
        year,
        Column("Topics", topics, wrap=True) if topics else None,
        status,
    ]
    return [c for c in columns if c is not None]


class PaperTable:
    """Renders the header, each paper's row and the footer as text for a terminal."""

    def __init__(self, extents: TableExtents, width: int, *, colour: bool = True) -> None:
        self.columns = fit_columns(extents, width)
        self.colour = colour

    def _style(self, text: str, style: str) -> str:
        return f"{style}{text}{RESET}" if self.colour and style and text else text

    def header(self) -> str:
        names = [_pad(c.name, c.width, c.right) for c in self.columns]
        rule_width = sum(c.width for c in self.columns) + len(GAP) * (len(self.columns) - 1)
        return (
            self._style(GAP.join(names).rstrip(), BOLD)
            + "\n"
            + self._style("─" * rule_width, DIM)
            + "\n"
        )

    def row(self, paper: Paper | PaperSummary) -> str:
        cells = [self._cell(column, paper) for column in self.columns]
        height = max(len(lines) for lines, _ in cells)
        out = []
        for index in range(height):
            parts = []
            for column, (lines, style) in zip(self.columns, cells, strict=True):
                text = lines[index] if index < len(lines) else ""
                space = " " * (column.width - cell_width(text))
                text = self._style(text, style)
                parts.append(space + text if column.right else text + space)
            out.append(GAP.join(parts).rstrip())
        return "\n".join(out) + "\n"

    def _cell(self, column: Column, paper: Paper | PaperSummary) -> tuple[list[str], str]:
        name = column.name
        style = ""
        if name == "ID":
            text, style = str(paper.id), DIM
        elif name == "arXiv":
            text = paper.arxiv_id or "-"
        elif name == "Title":
            text = one_line(paper_title(paper))
            if paper.newer_version:  # announced in a feed; `fetch --refresh` takes it
                text += f" (v{paper.newer_version} on arXiv)"
            style = DIM_ITALIC if paper.title is None else ""
        elif name == "Authors":
            text = one_line(paper.first_author)
        elif name == "Year":
            text = str(paper.year or "")
        elif name == "Topics":
            text = one_line(", ".join(paper.topics))
        else:
            text, style = paper.status or "", STATUS_COLOURS.get(paper.status or "", "")
        return (wrap(text, column.width) if column.wrap else [text]), style

    def title(self, text: str) -> str:
        return self._style(one_line(text), BOLD) + "\n"

    def footer(self, shown: int, total: int, matching: int | None = None) -> str:
        """`2 of 476 matching (1581 in library)`; `5 of 5 papers` when nothing filters."""
        if matching is not None and matching != total:
            text = f"{shown} of {matching} matching ({total} in library)"
        else:
            text = f"{shown} of {total} {'paper' if total == 1 else 'papers'}"
        return "\n" + self._style(text, DIM) + "\n"


def write_table(
    out: TextIO,
    papers: Iterable[Paper | PaperSummary],
    extents: TableExtents,
    *,
    total: int | None = None,
    title: str | None = None,
    matching: int | None = None,
) -> int:
    """The table of `papers`, each row written as it comes, then "N of TOTAL papers" when
    a total is given; returns N."""
    table = PaperTable(extents, shutil.get_terminal_size().columns, colour=use_colour())
    if title:
        out.write(table.title(title))
    out.write(table.header())
    shown = 0
    for paper in papers:
        out.write(table.row(paper))
        shown += 1
    if total is not None:
        out.write(table.footer(shown, total, matching))
    return shown


def use_colour() -> bool:
    """Colours on a real terminal that has them, as Rich decides: NO_COLOR turns them off
    (https://no-color.org), FORCE_COLOR on."""
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


# -- terminal cells -------------------------------------------------------------------------


def cell_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (CJK) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - cell_width(text))
    return space + text if right else text + space


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to `width` cells; a word longer than a line is cut across lines."""
    if cell_width(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        size = cell_width(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        while size > width:
            head, word = _cut(word, width)
            lines.append(head)
            size = cell_width(word)
        line, used = word, size
    if line:
        lines.append(line)
    return lines


def _cut(word: str, width: int) -> tuple[str, str]:
    """The longest head of `word` that fits `width` cells (at least one character), ending
    after a hyphen when there is one to break at."""
    if word.isascii():
        hyphen = word.rfind("-", 0, width) + 1
        cut = hyphen or width
        return word[:cut], word[cut:]
    used = 0
    for index, char in enumerate(word):
        used += _char_width(char)
        if used > width:
            return word[: max(index, 1)], word[max(index, 1) :]
    return word, ""
