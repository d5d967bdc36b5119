"""Table rows: which cell holds the title, which the year and the authors.

A row is read as one entry for its links (every cell's), but its title comes from the
title cell: the column the header calls Title/Paper/Name..., else the first cell that
holds a usable title (not a date, a venue, a number or a label link). Badges, images and
`<br>` in that cell are no part of the title; a bold or linked title inside it is.
"""

from __future__ import annotations

import re

from papertrail.importers.markdown.candidates import is_short_name
from papertrail.importers.markdown.entries import (
    Entry,
    bare_title,
    named_bold,
    read_entry,
    title_from_label,
    written_citation,
)
from papertrail.importers.markdown.inline import Inline
from papertrail.importers.markdown.links import best_address, is_label, url_kind, words
from papertrail.importers.markdown.titles import finish_title, parse_authors
from papertrail.importers.markdown.tree import Block
from papertrail.model.slugs import slugify

_TITLE_HEADERS = words(
    "title titles paper papers paper-title paper-name name article 论文 标题 题目 论文标题 文章"
)
_TITLE_RANK = {h: 0 if "title" in h or "标题" in h or "题目" in h else 1 for h in _TITLE_HEADERS}
_TITLE_RANK.update(dict.fromkeys(["name", "paper-name"], 2))
_NOT_TITLE_HEADERS = words(
    """venue venues conference conf journal publication pub published date time year code
    codes github repo repository link links pdf demo demos type types tag tags keywords stars
    star authors author institution affiliation organization org citations cited note notes
    remark remarks comment comments blog tweet video project website url file files path
    commit hash license licence size stars-count 日期 时间 年份 代码
    作者 会议 期刊 类型 备注 链接 机构 发表"""
)
_AUTHOR_HEADERS = words("authors author 作者")
_VENUE_RE = re.compile(r"[A-Za-z][A-Za-z&-]{0,14}(?:[ '’]?\d{2,4})?(?:\s*\([^()]{0,20}\))?")
_VENUE_YEAR_RE = re.compile(r"[ '’]?\d{2,4}(?:\s*\([^()]{0,20}\))?$")
_DATE_CELL_RE = re.compile(r"\s*((?:19|20)\d{2})(?:\s*[-/.年]\s*\d{1,2}){0,2}\s*[日月]?\s*")


def _cell_title(cell: Inline, names: bool = False, venues: bool = False) -> str | None:
    """The title a cell holds; `names`: its column holds names, `venues`: its column's links
    are venues or sites (their words are no title, the cell's other words may be)."""
    links = [lk for lk in cell.links if not lk.image and not lk.has_image]
    for link in [] if venues else links:  # `[**Title**](pdf)`, `[Title](url)`
        if not link.bracketed and not link.bare and not is_label(link.label):
            if named := named_bold(cell, link):
                return named[0]  # `[SIMPLER: **Title**](url)`: the name is the alias
            title, _, cited = title_from_label(link.label)
            if title:
                return title if cited else _cited(link.label) or title
    for a, b in cell.strong:
        title = finish_title(cell.text[a:b])
        if title:
            return title
    text = cell.text
    for link in sorted(links, key=lambda lk: -lk.start):  # label links are no part of it
        text = text[: link.start] + " " + text[link.end :]
    text = " ".join(text.split())
    if _VENUE_RE.fullmatch(text) and not (names and not _VENUE_YEAR_RE.search(text)):
        return None  # `arXiv`, `CVPR 2023`, `NeurIPS'22` (a name in a column of names is kept)
    return _cited(text) or finish_title(text)


def _cited(text: str) -> str | None:
    """The title of a reference written out in a cell (`Little, M. "Title." arXiv 2019`)."""
    found = written_citation(text)
    return found[0] if found else None


_NO_TITLES = 10
_EXPLICIT = words("title titles 标题 题目 论文标题")


def _header_rank(header: str) -> int:
    """How surely a column holds titles: 0 (`Title`) to 9 (a header that does not say),
    _NO_TITLES for a column of something else. A header of several words says it by its
    last known word: `Paper Title`, `Paper/Documentation` hold titles, `Paper Venue` not."""
    parts = header.split("-")
    if any(part in _EXPLICIT for part in parts):
        return 0  # `Title & Authors`
    for part in [header, *reversed(parts)]:
        if part in _TITLE_RANK:
            return _TITLE_RANK[part]
        if part in _NOT_TITLE_HEADERS:
            return _NO_TITLES
    return 9


def label_columns(rows: list[Block]) -> tuple[set[int], set[int]]:
    """Columns of one table read by their values across rows: titles and names differ from
    row to row, venues and sites come back. Returns the columns whose links are venues or
    sites (`[bioRxiv](u)`, `[Nature Communications](u)`: of three or more labelled rows, half
    or more carry a label another row carries too), and the columns of distinct plain words
    (every value of three or more differs: `CellFM`, `Geneformer` name models there, where
    one word elsewhere may be a venue)."""
    labels: dict[int, list[str]] = {}
    plain: dict[int, list[str]] = {}
    for row in rows:
        for k, cell in enumerate(row.cells):
            label = next((lk.label.lower() for lk in cell.links if not lk.image), None)
            if label:
                labels.setdefault(k, []).append(label)
            elif cell.text.strip():
                plain.setdefault(k, []).append(" ".join(cell.text.lower().split()))

    def repeated(values: list[str]) -> bool:
        again = sum(values.count(v) > 1 for v in values)
        return len(values) >= 3 and again >= len(values) / 2

    return (
        {k for k, values in labels.items() if repeated(values)},
        {k for k, values in plain.items() if len(values) >= 3 and len(set(values)) == len(values)},
    )


def read_row(block: Block, shape: tuple[set[int], set[int]] = (set(), set())) -> Entry:
    venues, names = shape
    entry = read_entry(block.content, block.line, block.group, cites=False)
    # A row without links is an entry only in a table of papers (see the document).
    entry.lookalike = any(not lk.image for lk in block.content.links)
    header = [slugify(h) for h in block.header]
    header += [""] * (len(block.cells) - len(header))
    # Title columns first (`Title`, then `Paper`, then `Name`: a name may stand beside the
    # title), then the others from left to right.
    order = sorted(range(len(block.cells)), key=lambda k: _header_rank(header[k]))
    title_cell = None
    for k in order:
        if _header_rank(header[k]) == _NO_TITLES:
            continue
        title = _cell_title(block.cells[k], k in names, k in venues)
        if title:
            entry.title, title_cell = title, block.cells[k]
            break
    else:
        entry.title = None
    named = next((k for k in order if _header_rank(header[k]) == 2), None)
    if named is not None and title_cell is not block.cells[named] and entry.title:
        # `| Name | Paper |`: the paper's title, and the name the row gives it (`CMMMU`).
        name = _cell_title(block.cells[named], True)
        entry.alias = name if name and is_short_name(name) and name != entry.title else None
    if title_cell is not None and entry.alias is None:
        named_links = (named_bold(title_cell, lk) for lk in title_cell.links if not lk.image)
        entry.alias = next((n[1] for n in named_links if n and n[0] == entry.title), None)
    for k, cell in enumerate(block.cells):
        date = _DATE_CELL_RE.fullmatch(cell.text)
        if date and entry.year is None:
            entry.year = int(date.group(1))
        if header[k] in _AUTHOR_HEADERS and not entry.authors:
            entry.authors = parse_authors(cell.text)
    if title_cell is not None and not entry.ids:
        own = [
            lk.url
            for lk in title_cell.links
            if url_kind(lk.url) in ("paper", "web") and not lk.image and not lk.has_image
        ]
        if own:
            entry.url, entry.problem = best_address(own[0]), None
    reference = written_citation(title_cell.text) if title_cell is not None else None
    if reference and entry.year is None:
        entry.year = reference[1]
    if reference and not entry.is_paper:
        # `| DomainBed | Gulrajani, I. "In Search of Lost Domain Generalization." ICLR 2021 |
        # [code](github) |`: a reference written out names a paper, linked or not.
        entry.standalone, entry.cited, entry.problem = True, True, None
    if not entry.is_paper and entry.title:
        # `| 1988 | Neural net modeling of music | No |`: a title without a link, a paper
        # with no address when the table's other rows are papers (see the document).
        # A row of one cell (`| _Deformable Object Manipulation_ |`) is a heading in the table.
        empty = all(url_kind(lk.url) == "empty" for lk in block.content.links if not lk.image)
        cells = sum(bool(c.text.strip()) for c in block.cells)
        entry.bare = bare_title(entry.title) if empty and cells >= 2 else None
    if entry.title is None:
        first = next((c.text for c in block.cells if c.text.strip()), "")
        entry.snippet = " ".join(first.split())[:80]
    else:
        entry.snippet = entry.title
    return entry
