"""`papertrail refs REF` and `papertrail cited-by REF`: a paper's references and citing
papers from Semantic Scholar, marked when in the library, and adding some of them."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from papertrail.cli.app import examples, library, service_settings, settings, warn
from papertrail.cli.refs import REF_FORMS
from papertrail.cli.terminal.output import is_terminal, write_json, write_json_array, write_rows
from papertrail.core.citations import Linked, LinkedAdd, add_linked, linked_papers
from papertrail.db.store import Store
from papertrail.errors import UsageError
from papertrail.model.records import Paper
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py

TopicOption = Annotated[
    list[str] | None, typer.Option("--topic", "-t", help="Topic for the papers added.")
]


# -- refs / cited-by ------------------------------------------------------------------------


def _linked_command(
    ctx: typer.Context, ref: str, direction: str, add: bool, pick: bool,
    topic: list[str] | None, limit: int | None, json_out: bool = False,
) -> None:  # fmt: skip
    if add and pick:
        raise UsageError("give --add or --pick, not both")
    if json_out and pick:
        raise UsageError("--pick asks on a terminal: give --json or --pick, not both")
    config = settings(ctx)
    with library(ctx) as store:
        found = linked_papers(store, service_settings(config), ref, direction, limit)
        if json_out:
            _write_json(store, found)
        else:
            write_rows(_row(item) for item in found)
        if not found:
            typer.echo("Semantic Scholar lists none.", err=True)
        chosen = _choose(found, add, pick)
        if not chosen:
            return
        result = add_linked(store, config, chosen, topic or [])
    _report_linked(result)


def _write_json(store: Store, found: list[Linked]) -> None:
    """Each listed paper as a full paper object (the keys of `show --json`: the library's
    own when it has the paper, else what Semantic Scholar says, with "id": null), and
    "number", "identified" beside them."""
    ids = [item.in_library for item in found if item.in_library is not None]
    known = {paper.id: paper for paper in store.get_many(ids)}
    write_json_array(
        {**_paper_json(item, known), "number": item.number,
         "identified": item.identified}
        for item in found
    )  # fmt: skip


def _paper_json(item: Linked, known: dict[int, Paper]) -> dict[str, object]:
    if item.in_library is not None and item.in_library in known:
        return known[item.in_library].to_json()
    work = item.work
    paper = Paper(
        title=work.title, authors=list(work.authors), year=work.year, published=work.published,
        venue=work.venue, entry_type=work.entry_type, volume=work.volume, number=work.number,
        pages=work.pages, publisher=work.publisher, doi=work.doi, url=work.url,
        arxiv_id=work.arxiv_id, citations=work.citations,
    )  # fmt: skip
    return {**paper.to_json(), "id": None, "status": None}  # not a paper of the library


def _row(item: Linked) -> list[str]:
    work = item.work
    mark = f"#{item.in_library}" if item.in_library is not None else ""
    ident = work.arxiv_id or (f"doi:{work.doi}" if work.doi else "")
    if not item.identified:
        ident = "(unidentified)"
    return [one_line(v) for v in (str(item.number), mark, ident, work.title or "",
                                  str(work.year or ""))]  # fmt: skip


def _choose(found: list[Linked], add: bool, pick: bool) -> list[Linked]:
    """The listed papers to add: all new identified ones (--add), or those picked."""
    candidates = [i for i in found if i.identified and i.in_library is None]
    if add:
        return candidates
    if not pick:
        return []
    if not (is_terminal(sys.stdin) and is_terminal()):
        raise UsageError("--pick needs a terminal; use --add to add every paper listed")
    answer = typer.prompt("Numbers to add (space-separated, empty to cancel)", default="",
                          show_default=False)  # fmt: skip
    numbers = {int(n) for n in answer.replace(",", " ").split() if n.isdigit()}
    return [i for i in found if i.number in numbers and i.in_library is None]


def _report_linked(result: LinkedAdd) -> None:
    added = len(result.added) + (len(result.arxiv.added) if result.arxiv else 0)
    typer.echo(f"Added {added} paper(s).")
    if result.arxiv and result.arxiv.pending:
        warn(f"{len(result.arxiv.pending)} arXiv paper(s) added without metadata "
             f"({result.arxiv.offline_reason}); run `papertrail fetch` later")  # fmt: skip


AddOption = Annotated[
    bool, typer.Option("--add", help="Add every listed paper not in the library.")
]
PickOption = Annotated[bool, typer.Option("--pick", help="Choose which listed papers to add.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, max=10_000, help="List at most N papers.")
]
RefArgument = Annotated[str, typer.Argument(help=f"A paper: {REF_FORMS}.")]


JsonOption = Annotated[
    bool,
    typer.Option("--json", help='Print a JSON array of paper objects, with "number" beside.'),
]


@app.command(epilog=examples("papertrail refs 1706.03762", "papertrail refs 12 --add -t to-read",
                             "papertrail refs 12 --json"))  # fmt: skip
def refs(
    ctx: typer.Context, ref: RefArgument, add: AddOption = False, pick: PickOption = False,
    topic: TopicOption = None, limit: LimitOption = None, json_out: JsonOption = False,
) -> None:  # fmt: skip
    """The papers a paper cites (Semantic Scholar); # marks those in the library."""
    _linked_command(ctx, ref, "references", add, pick, topic, limit, json_out)


@app.command("cited-by", epilog=examples("papertrail cited-by 1706.03762 --limit 50 --pick",
                                         "papertrail cited-by 12 -n 10 --json"))  # fmt: skip
def cited_by(
    ctx: typer.Context, ref: RefArgument, add: AddOption = False, pick: PickOption = False,
    topic: TopicOption = None, limit: LimitOption = None, json_out: JsonOption = False,
) -> None:  # fmt: skip
    """The papers citing a paper (Semantic Scholar); # marks those in the library."""
    _linked_command(ctx, ref, "citations", add, pick, topic, limit, json_out)


# -- suggest --------------------------------------------------------------------------------


@app.command(
    "suggest",
    epilog=examples(
        "papertrail suggest",
        "papertrail suggest --topic quantization --limit 10",
        "papertrail suggest -t pruning --pick",
    ),
)
def suggest(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Option("--topic", "-t", help="Suggest for this topic (and file added papers there)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500, help="At most N.")] = 20,
    add: AddOption = False,
    pick: PickOption = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Papers the library is missing: references, citations and Semantic Scholar's
    recommendations for what one has read, ranked by the reader model."""
    # numpy and the Semantic Scholar client: only this command loads them
    from papertrail.core.suggest import suggest as suggest_papers

    if add and pick:
        raise UsageError("give --add or --pick, not both")
    config = settings(ctx)
    with library(ctx) as store:
        found = suggest_papers(store, service_settings(config), topic, limit)
        if json_out:
            write_json([item.to_json() for item in found])
        else:
            write_rows(
                [str(item.number), f"{item.fit.score:.3f}" if item.fit else "",
                 item.work.arxiv_id or (f"doi:{item.work.doi}" if item.work.doi else ""),
                 one_line(item.work.title or ""), str(item.work.year or ""),
                 one_line(item.fit.why() if item.fit else ""), one_line("; ".join(item.sources))]
                for item in found
            )  # fmt: skip
        if not found:
            typer.echo("Semantic Scholar has nothing the library is missing.", err=True)
        chosen = _choose([item.linked() for item in found], add, pick)
        if not chosen:
            return
        result = add_linked(store, config, chosen, [topic] if topic else [])
    _report_linked(result)
