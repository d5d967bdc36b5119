"""Floor for `papertrail export --format bibtex -o FILE`: the same papers' fields read with
stdlib sqlite3 and written as plain BibTeX entries, no escaping, no key de-duplication.

    python benchmarks/baseline_export.py LIBRARY.db OUT.bib

It is what no BibTeX export can beat in Python: interpreter start-up, one query over the
exported columns with each paper's topics, and one f-string per entry.
"""

from __future__ import annotations

import sqlite3
import sys

QUERY = """
SELECT p.id, p.arxiv_id, p.title, p.authors, p.year, p.doi, p.url, p.primary_category,
       p.note, (SELECT group_concat(t.slug, ',') FROM paper_topic pt
                JOIN topic t ON t.id = pt.topic_id WHERE pt.paper_id = p.id)
FROM paper p ORDER BY p.added_at, p.id
"""


def main(db: str, target: str) -> None:
    connection = sqlite3.connect(db)
    with open(target, "w", encoding="utf-8") as out:
        for row in connection.execute(QUERY):
            paper_id, arxiv_id, title, authors, year, doi, url, category, note, topics = row
            author = " and ".join(authors.split("\n")) if authors else ""
            out.write(
                f"@misc{{paper{paper_id},\n  title = {{{title or ''}}},\n"
                f"  author = {{{author}}},\n  year = {{{year or ''}}},\n"
                f"  eprint = {{{arxiv_id or ''}}},\n  archiveprefix = {{arXiv}},\n"
                f"  primaryclass = {{{category or ''}}},\n  doi = {{{doi or ''}}},\n"
                f"  url = {{{url or ''}}},\n  keywords = {{{topics or ''}}},\n"
                f"  note = {{{note or ''}}},\n}}\n\n"
            )
    connection.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: baseline_export.py LIBRARY.db OUT.bib")
    main(sys.argv[1], sys.argv[2])
