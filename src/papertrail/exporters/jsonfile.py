"""papertrail's JSON export: every field, status, date, note, the papers' files and the
topic tree."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from papertrail.exporters import ordered_topics
from papertrail.model.records import Paper
from papertrail.model.text import writes_unicode

READS_FILES = True  # each paper's files (name, hash, size, pages, path) are listed


def write(papers: Iterable[Paper], topic_parents: dict[str, str | None], out: TextIO) -> int:
    ascii_only = not writes_unicode(out)  # a C or latin-1 locale: escaped, still JSON
    # Streamed: papers first, then the topics they use (with their ancestors).
    out.write('{\n  "format": "papertrail",\n  "version": 1,\n  "papers": [')
    used: set[str] = set()
    count = 0
    for paper in papers:
        record = {**paper.to_json(), "fetched_at": paper.fetched_at}
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(record, ensure_ascii=ascii_only))
        used.update(paper.topics)
        count += 1
    out.write("\n  ],\n" if count else "],\n")
    needed = set()
    for used_slug in used:
        slug: str | None = used_slug
        while slug is not None and slug not in needed:
            needed.add(slug)
            slug = topic_parents.get(slug)
    topics = [{"slug": s, "parent": topic_parents.get(s)} for s in ordered_topics(topic_parents)]
    kept = [t for t in topics if t["slug"] in needed]
    out.write('  "topics": ' + json.dumps(kept, ensure_ascii=ascii_only) + "\n}\n")
    return count
