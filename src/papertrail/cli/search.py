"""`papertrail search`: the arXiv API from the terminal, with the library's papers marked.

The arXiv query builder and Rich are imported only when this command runs and
draws, not at start-up of the others.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, library, settings
from papertrail.cli.refs import TopicOption, parse_numbers, report_added
from papertrail.cli.terminal.output import is_terminal, short_abstract, write_json, write_rows
from papertrail.errors import UsageError
from papertrail.model.records import first_author
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from rich.table import Table

    from papertrail.core.ranking import Fit
    from papertrail.core.search import SearchHit, SearchResults
    from papertrail.db.store import Store


app = typer.Typer()  # this module's commands, registered in cli/commands.py


class SearchSort(StrEnum):
    relevance = "relevance"
    submitted = "submitted"
    updated = "updated"


@app.command(
    epilog=examples(
        "papertrail search binary neural networks",
        'papertrail search --title "knowledge distillation" -c cs.LG --since 2023',
        "papertrail search --author Hinton --sort submitted --limit 50 --pick -t to-read",
    )
)
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help='Words to find anywhere (all must match); "a phrase" in quotes; '
            "ti:, au:, abs:, cat: ... terms and AND, OR, ANDNOT as arXiv reads them.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Words in the title.")] = None,
    author: Annotated[str | None, typer.Option(help="An author's name.")] = None,
    abstract: Annotated[str | None, typer.Option(help="Words in the abstract.")] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", "-c", help="arXiv category or archive (repeatable)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Submitted on or after this date: 2023, 2023-05 or 2023-05-17.", metavar="DATE"
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            help="Submitted on or before this date: 2023, 2023-05 or 2023-05-17.", metavar="DATE"
        ),
    ] = None,
    sort: Annotated[SearchSort, typer.Option(help="Order of the results.")] = (
        SearchSort.relevance
    ),
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=30000, help="At most N results.")
    ] = 20,
    add: Annotated[bool, typer.Option("--add", help="Add every result to the library.")] = False,
    pick: Annotated[
        bool, typer.Option("--pick", help="Choose which results to add (on a terminal).")
    ] = False,
    topic: TopicOption = None,
    rank: Annotated[
        bool, typer.Option("--rank", help="Best fit to the library first (the reader model).")
    ] = False,
    abstracts: Annotated[
        bool, typer.Option("--abstracts", help="Show the start of each abstract.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Search arXiv; papers already in the library show their status and topics."""
    from papertrail.core import search as core
    from papertrail.services.arxiv_query import SearchRequest

    if add and pick:
        raise UsageError("give --add or --pick, not both")
    if pick and not (is_terminal(sys.stdin) and is_terminal()):
        raise UsageError("--pick needs a terminal; use --add to add every result")
    request = SearchRequest(
        words=" ".join(words or []), title=title, author=author, abstract=abstract,
        categories=tuple(category or []), since=since, until=until, sort=sort.value,
        limit=limit,
    )  # fmt: skip
    # Only adding writes: a search alone reads a missing library as an empty one.
    with library(ctx, create=True, dry_run=not (add or pick)) as store:
        results = core.search(store, settings(ctx), request)
        fits = _rank(store, results) if rank else None
        if json_out:
            write_json(_hits_json(results.hits, fits))
        else:
            _show(results, fits, abstracts=abstracts)
        chosen = results.hits if add else _pick(results.hits) if pick else []
        if chosen:
            report_added(core.add_hits(store, chosen, topic or []))


def _rank(store: Store, results: SearchResults) -> list[Fit]:
    """Reorders the hits, best fit to the library first; their fits in that order."""
    from papertrail.core import ranking  # numpy: only the commands that rank load it

    ranked = ranking.rank_records(store, [hit.record for hit in results.hits])
    results.hits = [results.hits[i] for i, _ in ranked]
    return [fit for _, fit in ranked]


def _hits_json(hits: list[SearchHit], fits: list[Fit] | None) -> list[dict[str, object]]:
    if fits is None:
        return [hit.to_json() for hit in hits]
    return [{**hit.to_json(), **fit.to_json()} for hit, fit in zip(hits, fits, strict=True)]


def _show(
    results: SearchResults, fits: list[Fit] | None = None, *, abstracts: bool = False
) -> None:
    if not results.hits:
        message = f"No papers on arXiv match {results.query}"
        typer.echo(message, err=not is_terminal())
        return
    if not is_terminal():
        write_rows(
            _hit_fields(n, hit)
            + ([f"{fits[n - 1].score:.3f}", one_line(fits[n - 1].why())] if fits else [])
            + ([one_line(hit.record.abstract or "")] if abstracts else [])
            for n, hit in enumerate(results.hits, 1)
        )
        return
    from papertrail.cli.terminal.render import console

    out = console()
    out.print(_hits_table(results.hits, fits, abstracts=abstracts))
    out.print(f"{len(results.hits)} of {results.total} result(s) on arXiv", style="dim")


def _hit_fields(number: int, hit: SearchHit) -> list[str]:
    """number, arXiv id, title, first author, published, categories, library id, status,
    topics (the last three empty for papers not in the library)."""
    record, known = hit.record, hit.in_library
    return [
        str(number), record.arxiv_id or "", one_line(record.title),
        one_line(first_author(record.authors)), record.published or "",
        " ".join(record.categories),
        str(known.id) if known else "", known.status if known else "",
        ",".join(known.topics) if known else "",
    ]  # fmt: skip


def _hits_table(
    hits: list[SearchHit], fits: list[Fit] | None = None, *, abstracts: bool = False
) -> Table:
    from rich.text import Text

    from papertrail.cli.terminal.render import status_text
    from papertrail.cli.terminal.render import table as one_style

    table = one_style()  # the `list`/`stats` style: a bold header, no boxes
    table.pad_edge = False
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("arXiv", no_wrap=True)
    table.add_column("Title", ratio=1, min_width=16)
    table.add_column("Authors", max_width=24)
    table.add_column("Date", no_wrap=True)
    table.add_column("In library", max_width=30)
    if fits:
        table.add_column("Fit", max_width=30)
    for number, hit in enumerate(hits, 1):
        record, known = hit.record, hit.in_library
        title = Text(one_line(record.title))
        if abstracts and record.abstract:
            title.append("\n" + short_abstract(record.abstract), style="italic")
        mark = Text()
        if known is not None:
            mark.append(f"[{known.id}] ")
            mark.append_text(status_text(known.status))
            if known.topics:
                mark.append(" " + ", ".join(known.topics))
        fit = [
            Text(f"{f.score:.2f} {one_line(f.why())}") for f in (fits or [])[number - 1 : number]
        ]
        table.add_row(
            str(number), record.arxiv_id or "", title,
            Text(one_line(first_author(record.authors))), record.published or "", mark,
            *fit,
        )  # fmt: skip
    return table


def _pick(hits: list[SearchHit]) -> list[SearchHit]:
    if not hits:
        return []
    answer = typer.prompt(
        "Numbers to add (e.g. 1 3-5; empty to cancel)", default="", show_default=False
    )
    return [hits[n - 1] for n in parse_numbers([answer], upper=len(hits))]
