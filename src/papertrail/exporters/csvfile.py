"""CSV export: one row per paper, the JSON keys as columns, lists joined with "; "."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from papertrail.model.records import JSON_KEYS, Paper
from papertrail.model.text import clean

# A paper's files are objects, not cells: `export --format json` lists them.
CSV_KEYS = tuple(key for key in JSON_KEYS if key != "files")


def write(papers: Iterable[Paper], topic_parents: dict[str, str | None], out: TextIO) -> int:
    rows = csv.writer(out)
    rows.writerow(CSV_KEYS)
    count = 0
    for paper in papers:
        values = paper.to_json()
        rows.writerow(_cell(values[key]) for key in CSV_KEYS)
        count += 1
    return count


# What makes a spreadsheet read a cell as a formula (`=HYPERLINK(...)`, `@SUM(...)`).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Lists joined; text with control characters made visible (a spreadsheet is a screen)
    and a leading formula character quoted with `'`, so a cell is never run as a formula."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str):
        text = clean(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    return "" if value is None else value
