"""`queue` and `next`: the order to read papers in, and what to read next.

The table is imported only when drawn on a terminal (start-up of piped output).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from papertrail.cli.app import examples, library
from papertrail.cli.refs import OptionalRefs
from papertrail.cli.terminal.output import (
    is_terminal,
    summary_line,
    write_json_array,
    write_lines,
)
from papertrail.core import queue as reading
from papertrail.db.store import Store
from papertrail.errors import UsageError
from papertrail.model.records import PaperSummary
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py

JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON array.")]
TopicOption = Annotated[str | None, typer.Option("--topic", "-t", help="Topic, with sub-topics.")]


def _print(papers: list[PaperSummary], labels: list[str], title: str, why: bool) -> None:
    """A table on a terminal (with each `why` label under it); `label<TAB>list's columns`
    lines when piped."""
    if not is_terminal():
        rows = zip(labels, papers, strict=True)
        write_lines(f"{label}\t{summary_line(paper)}" for label, paper in rows)
        return
    from papertrail.cli.terminal.table import measure, write_table

    write_table(sys.stdout, papers, measure(papers), title=title)
    for label, paper in zip(labels, papers, strict=True) if why else ():
        sys.stdout.write(one_line(f"  [{paper.id}] {label}") + "\n")


def _json(store: Store, papers: list[PaperSummary], labels: Sequence[object], key: str) -> None:
    """Full paper objects (the keys of `show --json`), each with the command's own key."""
    from papertrail.core.files import with_files  # the papers' files, JSON only

    full = {p.id: p for p in with_files(store, store.get_many([p.id for p in papers]))}
    write_json_array(
        {**full[p.id].to_json(), key: label}
        for label, p in zip(labels, papers, strict=True)
        if p.id in full
    )


def _move_args(args: list[str], other_options: bool) -> tuple[str, int]:
    if len(args) != 2 or other_options or not args[1].isdigit() or not 0 < int(args[1]) < 10**9:
        raise UsageError("--move takes a paper and a place: queue --move REF POS (1 is the top)")
    return args[0], int(args[1])


@app.command(
    "queue",
    epilog=examples(
        "papertrail queue",
        "papertrail queue 1706.03762 --top",
        "papertrail queue --topic quantization",
        "papertrail queue --move 1706.03762 1",
    ),
)
def queue_command(
    ctx: typer.Context,
    refs: OptionalRefs = None,
    top: Annotated[bool, typer.Option("--top", help="Put them at the top.")] = False,
    topic: TopicOption = None,
    move: Annotated[
        bool, typer.Option("--move", help="queue --move REF POS: move a paper (1 is the top).")
    ] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Take the REFs off the queue.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Queue papers to read (REF..., or --topic T's unread papers); with nothing, show it."""
    with library(ctx) as store:
        if move:
            ref, place = _move_args(refs or [], remove or top or topic is not None)
            place = reading.move(store, ref, place)
            typer.echo(f"Moved {ref} to place {place} in the queue")
            return
        if remove:
            if not refs:
                raise UsageError("--remove needs the REFs to take off the queue")
            removed = reading.dequeue(store, refs)
            typer.echo(f"Took {len(removed)} paper(s) off the queue")
            return
        if refs or topic:
            added, already = reading.enqueue(store, refs or [], top=top, topic=topic)
            where = "at the top of" if top else "to"
            typer.echo(f"Added {len(added)} paper(s) {where} the queue"
                       + (f" ({len(already)} already queued)" if already else ""))  # fmt: skip
            return
        papers = reading.queue(store)
        places = range(1, len(papers) + 1)
        if json_out:
            _json(store, papers, places, "position")
            return
    if not papers:  # an empty result is no error (docs/cli.md)
        typer.echo("The queue is empty: `papertrail queue REF...` adds papers.", err=True)
    else:
        _print(papers, [str(p) for p in places], f"Reading queue ({len(papers)})", why=False)


@app.command(
    "next",
    epilog=examples(
        "papertrail next",
        "papertrail next -n 5 --topic pruning",
    ),
)
def next_command(
    ctx: typer.Context,
    count: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=10**6, help="How many (N).")
    ] = 1,
    topic: TopicOption = None,
    json_out: JsonOption = False,
) -> None:
    """What to read next: the queue first, then unread papers of the least-read topics."""
    with library(ctx) as store:
        found = reading.suggest(store, count, topic)
        papers, reasons = [s.paper for s in found], [s.reason for s in found]
        if json_out:
            _json(store, papers, reasons, "reason")
            return
    if not found:  # nothing to suggest is no error (docs/cli.md): exit 0
        typer.echo("Nothing to read next: no queued or unread papers.", err=True)
    else:
        _print(papers, reasons, "Read next", why=True)
