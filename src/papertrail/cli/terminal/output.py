"""Plain output: text lines for pipes and files, and JSON.

Rich is used only when a human is watching a terminal (cli/terminal/render.py); piped
output is plain, complete lines that are never truncated or wrapped, and that costs no Rich
import on the paths scripts run most. Every value goes through model/text.py's `one_line`
or `clean` first.

`json` is imported only by the functions that write it (start-up of plain output).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from papertrail.model.records import LibraryStats, Paper, PaperSummary
from papertrail.model.text import clean, one_line, writes_unicode


def is_terminal(stream: TextIO | None = None) -> bool:
    """Whether output goes to a human; PAPERTRAIL_TERMINAL=1/0 overrides (tests, demos)."""
    forced = os.environ.get("PAPERTRAIL_TERMINAL")
    if forced in {"0", "1"}:
        return forced == "1"
    stream = stream or sys.stdout
    return stream.isatty()


def paper_title(paper: Paper | PaperSummary) -> str:
    if paper.title is not None:
        return paper.title
    if paper.metadata_pending:
        return "(metadata pending)"
    # `fetch` titles it from its DOI or PubMed page; until then its address tells it apart.
    return f"(untitled) {paper.address}" if paper.address else "(untitled)"


def summary_line(paper: PaperSummary) -> str:
    """One piped `list` line: id, arXiv id, title, first author, year, topics, status, and
    the newer version a feed announced (`v3`; `-` for most papers), tab-separated, the
    columns always there and the line never ending in a tab (docs/cli.md).
    Written for speed (100,000 lines): the summary is unpacked as the tuple it is, and the
    cleaning runs only on text that needs it."""
    paper_id, arxiv_id, title, authors, year, status, _, newer, _, topics = paper
    if title is None:
        title = one_line(paper_title(paper))
    elif not title.isprintable():
        title = one_line(title)
    author = paper.first_author if authors else ""
    if not author.isprintable():
        author = one_line(author)
    if topics and "," in topics:
        topics = ",".join(sorted(topics.split(",")))
    return (
        f"{paper_id}\t{arxiv_id or '-'}\t{title}\t{author}\t{year or ''}\t{topics or ''}\t"
        f"{status}\t{f'v{newer}' if newer else '-'}\n"
    )


def write_lines(lines: Iterable[str], out: TextIO | None = None) -> int:
    """Write lines (each ending in a newline) a thousand at a time; return how many."""
    out = out or sys.stdout
    count = 0
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == 1000:
            out.write("".join(chunk))
            count += len(chunk)
            chunk.clear()
    out.write("".join(chunk))
    return count + len(chunk)


def write_rows(rows: Iterable[Sequence[str]], out: TextIO | None = None) -> int:
    """Tab-separated lines, streamed; returns how many were written. An empty last field
    is written `-`: a line never ends in a tab (docs/cli.md)."""
    return write_lines(
        ("\t".join(row) + ("-\n" if row and not row[-1] else "\n") for row in rows), out
    )


def write_json_array(items: Iterable[dict[str, object]], out: TextIO | None = None) -> None:
    """A JSON array written as it is produced, so 100,000 papers never sit in memory:
    indented on a terminal, one line when piped (docs/cli.md)."""
    import json  # here: most commands print no JSON, and pay nothing for it

    out = out or sys.stdout
    ascii_only = not writes_unicode(out)
    if not is_terminal(out):
        out.write("[")
        for count, item in enumerate(items):
            out.write(("," if count else "") + json.dumps(item, ensure_ascii=ascii_only))
        out.write("]\n")
        return
    out.write("[")
    count = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=ascii_only, indent=2).replace("\n", "\n  ")
        out.write((",\n  " if count else "\n  ") + text)
        count += 1
    out.write("\n]\n" if count else "]\n")


def write_json(item: object, out: TextIO | None = None) -> None:
    """One JSON value: indented on a terminal, one line when piped (docs/cli.md)."""
    import json  # here: most commands print no JSON, and pay nothing for it

    out = out or sys.stdout
    indent = 2 if is_terminal(out) else None
    out.write(json.dumps(item, ensure_ascii=not writes_unicode(out), indent=indent) + "\n")


def paper_details(paper: Paper) -> list[tuple[str, str]]:
    """Everything about one paper as (label, value) pairs, for `show`."""
    fields = [
        ("Title", paper_title(paper)),
        ("Authors", "; ".join(paper.authors)),
        ("arXiv", f"{paper.arxiv_id}v{paper.version}" if paper.arxiv_id and paper.version
         else paper.arxiv_id or ""),
        ("Published", paper.published or (str(paper.year) if paper.year else "")),
        ("Updated", paper.updated or ""),
        ("Categories", " ".join(paper.categories)),
        ("DOI", paper.doi or ""),
        ("Journal", paper.journal_ref or ""),
        ("Type", paper.entry_type or ""),
        ("Venue", paper.venue or ""),
        ("Venue year", str(paper.venue_year) if paper.venue_year else ""),
        ("Volume", paper.volume or ""),
        ("Number", paper.number or ""),
        ("Pages", paper.pages or ""),
        ("Publisher", paper.publisher or ""),
        ("Key", paper.citation_key or ""),
        ("Citations", f"{paper.citations} (as of {paper.citations_at})"
         if paper.citations is not None else ""),
        ("Comment", paper.comment or ""),
        ("URL", paper.url or ""),
        ("PDF", paper.pdf_url or ""),
        ("Topics", ", ".join(paper.topics)),
        ("Tags", ", ".join(paper.tags)),
        ("Status", paper.status),
        ("Added", paper.added_at or ""),
        ("Started", paper.started_at or ""),
        ("Read", paper.read_at or ""),
        ("Newer version", f"v{paper.newer_version} on arXiv (`papertrail fetch --refresh "
         f"{paper.id}` takes it)" if paper.newer_version else ""),
        *(("File", attached.describe()) for attached in paper.files),
    ]  # fmt: skip
    return [(label, value) for label, value in fields if value]


def write_paper_plain(paper: Paper, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(f"#{paper.id}\n")
    for label, value in paper_details(paper):
        out.write(f"{label}: {one_line(value)}\n")
    for label, text in (("Abstract", paper.abstract), ("Note", paper.note)):
        if text:
            out.write(f"\n{label}:\n{clean(text)}\n")


def bar(done: int, total: int, width: int = 20) -> str:
    """A text progress bar: `██████░░░░`."""
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def write_stats(stats: LibraryStats, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write("Papers by status\n")
    for name, count in stats.by_status.items():
        out.write(f"  {name:<8} {count:>6}\n")
    out.write(f"  {'total':<8} {stats.total:>6}\n")
    out.write(f"\nReading queue: {stats.queue_length} paper(s)\n")
    shown = stats.shown_topics()
    if shown:
        width = max(len(t.slug) for t in shown)
        out.write("\nProgress by topic\n")
        for topic in shown:
            progress = bar(topic.read, topic.papers)
            out.write(f"  {topic.slug:<{width}} {progress} {topic.read}/{topic.papers}\n")
        if (more := len(stats.topics) - len(shown)) > 0:
            out.write(f"  ... and {more} more topic(s): `papertrail stats --all` or `topics`\n")
    if stats.read_per_month:
        peak = max(n for _, n in stats.shown_months())
        out.write("\nPapers read per month\n")
        for month, count in stats.shown_months():
            out.write(f"  {month} {count:>4} {bar(count, peak, 30)}\n")


def short_abstract(text: str, length: int = 300) -> str:
    """The start of an abstract, on one line, cut at a word."""
    flat = one_line(text)
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0] + "…"
