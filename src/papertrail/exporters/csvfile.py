"""CSV export: one row per paper, the JSON keys as columns, lists joined with "; "."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from papertrail.records import JSON_KEYS, Paper


def write(papers: Iterable[Paper], topic_parents: dict[str, str | None], out: TextIO) -> int:
    rows = csv.writer(out)
    rows.writerow(JSON_KEYS)
    count = 0
    for paper in papers:
        values = paper.to_json()
        rows.writerow(
            "; ".join(v) if isinstance(v, list) else "" if v is None else v
            for v in (values[key] for key in JSON_KEYS)
        )
        count += 1
    return count
