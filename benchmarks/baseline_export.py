"""Floor for `papertrail export --format bibtex -o FILE`: the same papers' fields read with
stdlib sqlite3 and written as plain BibTeX entries, no escaping, no key de-duplication.

    python benchmarks/baseline_export.py [--earlier] LIBRARY.db OUT.bib

It is what no BibTeX export can beat in Python: interpreter start-up, one query over the
columns the export writes (papertrail.exporters.bibtex.COLUMNS) with each paper's topics,
and one f-string per entry with every field, empty or not.

`--earlier` draws the floor this script drew until 2026-12-06: it left out the abstract
(two thirds of what the export writes), the venue and the publication details, so it was
not a floor for the same entries. It stays to compare with the figures measured against it.
"""

from __future__ import annotations

import sqlite3
import sys

TOPICS = """(SELECT group_concat(t.slug, ',') FROM paper_topic pt
             JOIN topic t ON t.id = pt.topic_id WHERE pt.paper_id = p.id)"""
COLUMNS = (
    "id", "arxiv_id", "title", "authors", "abstract", "published", "year", "primary_category",
    "doi", "journal_ref", "url", "entry_type", "venue", "volume", "number", "pages",
    "publisher", "citation_key", "venue_year",
)  # fmt: skip
EARLIER_QUERY = f"""
SELECT p.id, p.arxiv_id, p.title, p.authors, p.year, p.doi, p.url, p.primary_category,
       p.note, {TOPICS}
FROM paper p ORDER BY p.added_at, p.id
"""


def main(db: str, target: str) -> None:
    connection = sqlite3.connect(db)
    # A library of an older papertrail lacks some columns (and its export, their fields).
    present = {row[1] for row in connection.execute("PRAGMA table_info(paper)")}
    selected = ", ".join(f"p.{c}" if c in present else "NULL" for c in COLUMNS)
    query = f"SELECT {selected}, {TOPICS} FROM paper p ORDER BY p.added_at, p.id"
    with open(target, "w", encoding="utf-8") as out:
        for row in connection.execute(query):
            (paper_id, arxiv_id, title, authors, abstract, published, year, category, doi,
             journal_ref, url, entry_type, venue, volume, number, pages, publisher,
             citation_key, venue_year, topics) = row  # fmt: skip
            author = " and ".join(authors.split("\n")) if authors else ""
            out.write(
                f"@{entry_type or 'misc'}{{{citation_key or f'paper{paper_id}'},\n"
                f"  title = {{{title or ''}}},\n  author = {{{author}}},\n"
                f"  journal = {{{venue or journal_ref or ''}}},\n"
                f"  year = {{{venue_year or year or ''}}},\n  date = {{{published or ''}}},\n"
                f"  volume = {{{volume or ''}}},\n  number = {{{number or ''}}},\n"
                f"  pages = {{{pages or ''}}},\n  publisher = {{{publisher or ''}}},\n"
                f"  eprint = {{{arxiv_id or ''}}},\n  archiveprefix = {{arXiv}},\n"
                f"  primaryclass = {{{category or ''}}},\n  doi = {{{doi or ''}}},\n"
                f"  url = {{{url or ''}}},\n  keywords = {{{topics or ''}}},\n"
                f"  abstract = {{{abstract or ''}}},\n}}\n\n"
            )
    connection.close()


def earlier(db: str, target: str) -> None:
    connection = sqlite3.connect(db)
    with open(target, "w", encoding="utf-8") as out:
        for row in connection.execute(EARLIER_QUERY):
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
    arguments = sys.argv[1:]
    draw = earlier if arguments[:1] == ["--earlier"] else main
    arguments = arguments[1:] if draw is earlier else arguments
    if len(arguments) != 2:
        sys.exit("usage: baseline_export.py [--earlier] LIBRARY.db OUT.bib")
    draw(*arguments)
