"""Baseline for `papertrail list --topic T`: the same query and columns, stdlib sqlite3 only.

    python benchmarks/baseline_topic.py LIBRARY.db TOPIC

Prints, tab-separated, what `papertrail --db LIBRARY.db list --topic TOPIC | cat` prints:
id, arXiv id, title (an untitled paper's DOI or address after it), first author (+ " et
al."), year, topics (comma-joined), status, newer version (`v3` or `-`), for
the papers of TOPIC and of every topic below it, in the order papertrail lists them (when
added). It is the floor a Python CLI could reach for this command: interpreter start-up,
one recursive query, and writing the lines.
"""

from __future__ import annotations

import re
import sqlite3
import sys

QUERY = """
WITH RECURSIVE subtopic(id) AS (
    SELECT id FROM topic WHERE slug = ?
    UNION SELECT t.id FROM topic t JOIN subtopic s ON t.parent_id = s.id
)
SELECT p.id, p.arxiv_id, p.title, p.authors, p.year, p.status, p.fetched_at,
       CASE WHEN p.title IS NULL THEN coalesce('doi:' || p.doi, p.url) END, p.newer_version,
       (SELECT group_concat(t.slug, ',') FROM paper_topic pt JOIN topic t ON t.id = pt.topic_id
        WHERE pt.paper_id = p.id)
FROM paper p
WHERE p.id IN (SELECT paper_id FROM paper_topic WHERE topic_id IN (SELECT id FROM subtopic))
ORDER BY p.added_at, p.id
"""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def one_line(text: str | None) -> str:
    if not text:
        return ""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", " ".join(text.split()))


# Schema 0016 on: the status is the (one) reader's row, none being "unread".
READER_STATUS = "coalesce((SELECT r.status FROM reading r WHERE r.paper_id = p.id), 'unread')"


def main(db: str, topic: str) -> None:
    connection = sqlite3.connect(db)
    write = sys.stdout.write
    readers = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reading'"
    ).fetchone()
    query = QUERY.replace("p.status", READER_STATUS) if readers else QUERY
    for row in connection.execute(query, (topic,)):
        paper_id, arxiv_id, title, authors, year, status, fetched_at, address, newer, slugs = row
        if title is None and arxiv_id and fetched_at is None:
            title = "(metadata pending)"
        elif title is None:
            title = f"(untitled) {address}" if address else "(untitled)"
        names = authors.split("\n") if authors else []
        first = names[0] + (" et al." if len(names) > 1 else "") if names else ""
        topics = ",".join(sorted(slugs.split(","))) if slugs else ""
        fields = (str(paper_id), arxiv_id or "-", one_line(title), one_line(first),
                  str(year) if year else "", topics, status,
                  f"v{newer}" if newer else "-")  # fmt: skip
        write("\t".join(fields) + "\n")
    connection.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: baseline_topic.py LIBRARY.db TOPIC")
    main(sys.argv[1], sys.argv[2])
