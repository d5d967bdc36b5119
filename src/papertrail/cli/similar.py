"""`papertrail similar REF`: the library's papers closest to one paper, or fresh papers
(the inbox, an arXiv search) ranked against it.

numpy (the reader model, core/ranking.py) is imported only when this command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, library, settings
from papertrail.cli.inbox import inbox_json
from papertrail.cli.refs import Ref
from papertrail.cli.terminal.output import write_json, write_rows
from papertrail.errors import UsageError
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from papertrail.db.store import Store
    from papertrail.model.records import Paper

app = typer.Typer()  # this module's commands, registered in cli/commands.py


@app.command(
    "similar",
    epilog=examples(
        "papertrail similar 1510.00149",
        "papertrail similar 12 --limit 5 --json",
        "papertrail similar 12 --inbox",
        'papertrail similar 12 --search "low-bit quantization"',
    ),
)
def similar(
    ctx: typer.Context,
    ref: Ref,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=30000, help="At most N results.")
    ] = 10,
    inbox: Annotated[
        bool, typer.Option("--inbox", help="Rank the inbox's items against the paper.")
    ] = False,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Search arXiv for these words; rank the hits against it."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """The library's papers closest to a paper (tf-idf of title, abstract, authors);
    --inbox or --search rank fresh papers against it."""
    from papertrail.core import ranking  # numpy: only the commands that rank load it
    from papertrail.core.papers import get_paper

    if inbox and search is not None:
        raise UsageError("give --inbox or --search, not both")
    with library(ctx) as store:
        paper = get_paper(store, ref)
        if inbox:
            _fresh_from_inbox(store, paper, limit, json_out)
        elif search is not None:
            _fresh_from_search(ctx, store, paper, search, limit, json_out)
        else:
            found = ranking.similar_papers(store, paper, limit)
            if json_out:
                write_json([{**p.to_json(), "similarity": round(s, 4)} for p, s in found])
            elif not found:
                typer.echo(f"No paper of the library shares words with paper {paper.id}.")
            else:
                write_rows(
                    [str(p.id), f"{s:.3f}", p.arxiv_id or "", one_line(p.title or "")]
                    for p, s in found
                )


def _fresh_from_inbox(store: Store, paper: Paper, limit: int, json_out: bool) -> None:
    from papertrail.core import ranking  # numpy: only the commands that rank load it

    entries = store.inbox()
    order = ranking.similar_records(store, paper, [e.record for e in entries])[:limit]
    if json_out:
        write_json([{**inbox_json(entries[i], None), "similarity": round(s, 4)} for i, s in order])
    elif not entries:
        typer.echo("The inbox is empty.")
    else:
        write_rows(
            [str(entries[i].number), f"{s:.3f}", entries[i].record.arxiv_id or "",
             one_line(entries[i].record.title or "")]
            for i, s in order
        )  # fmt: skip


def _fresh_from_search(
    ctx: typer.Context, store: Store, paper: Paper, words: str, limit: int, json_out: bool
) -> None:
    from papertrail.core import ranking  # numpy: only the commands that rank load it
    from papertrail.core import search as core_search
    from papertrail.services.arxiv_query import SearchRequest  # only when searching

    if not words.strip():
        raise UsageError("--search needs words to search arXiv for")
    results = core_search.search(store, settings(ctx), SearchRequest(words=words, limit=limit))
    hits = results.hits
    order = ranking.similar_records(store, paper, [hit.record for hit in hits])
    if json_out:
        write_json([{**hits[i].to_json(), "similarity": round(s, 4)} for i, s in order])
    elif not hits:
        typer.echo(f"No papers on arXiv match {results.query}")
    else:
        write_rows(
            [str(n), f"{s:.3f}", hits[i].record.arxiv_id or "", one_line(hits[i].record.title)]
            for n, (i, s) in enumerate(order, 1)
        )
