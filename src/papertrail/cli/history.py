"""`log` and `undo`: what changed the library, and taking it back."""

from __future__ import annotations

from typing import Annotated

import typer

from papertrail.cli.app import examples, library, warn
from papertrail.cli.filters import date_range
from papertrail.cli.refs import REF_FORMS
from papertrail.cli.terminal.output import write_json_array
from papertrail.core import history
from papertrail.errors import UsageError
from papertrail.model.records import HistoryEntry
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py


def entry_line(entry: HistoryEntry, *, by: bool = False) -> str:
    """`#12  2026-11-29 23:41  mark-read  marked read: [5] ...  (undone by #14)`; `by`: the
    reader too (`by ada`), in a library several members share."""
    at = entry.at.replace("T", " ").removesuffix("Z")[:16]
    undone = f"  (undone by #{entry.undone_by})" if entry.undone_by else ""
    who = f"  by {one_line(entry.reader)}" if by and entry.reader else ""
    return f"#{entry.id}  {at}  {one_line(entry.command)}  {one_line(entry.summary)}{who}{undone}"


@app.command(
    "log",
    epilog=examples(
        "papertrail log",
        "papertrail log 1510.00149",
        "papertrail log --prune --keep 1000",
    ),
)
def log_command(
    ctx: typer.Context,
    ref: Annotated[
        str | None,
        typer.Argument(help=f"Only the changes to this paper: {REF_FORMS}.", show_default=False),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=10**9, help="At most N entries.")
    ] = 20,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print a JSON array, with the rows each entry changed.")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Delete old entries, keeping the newest --keep.")
    ] = False,
    keep: Annotated[int, typer.Option(min=0, max=10**9, help="Entries --prune keeps.")] = 10_000,
    reader: Annotated[
        str | None,
        typer.Option("--reader", help="Only the changes this reader (a lab member) made."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Changes on or after this date: 2023, 2023-05 or 2023-05-17.",
            metavar="DATE",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            help="Changes on or before this date: 2023, 2023-05 or 2023-05-17.",
            metavar="DATE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The history of changes to the library, newest first (every command that wrote)."""
    days = date_range(since, until)
    with library(ctx) as store:
        if prune:
            if ref is not None:
                raise UsageError("--prune works on the whole history, not on one paper")
            typer.echo(f"Pruned {history.prune(store, keep)} history entries.")
            return
        paper_id = history.paper_in_history(store, ref) if ref is not None else None
        entries = history.log(
            store, paper_id=paper_id, limit=limit, changes=json_out, reader=reader, days=days
        )
        # Who made each change, once the library has more than one reader.
        by = not json_out and len(store.reader_names()) > 1
    if json_out:
        write_json_array(entry.to_json() for entry in entries)
        return
    if not entries:
        typer.echo("No changes recorded yet." if ref is None else f"No changes to paper {ref}.")
    for entry in entries:
        typer.echo(entry_line(entry, by=by))


@app.command(
    epilog=examples(
        "papertrail undo",
        "papertrail undo --list",
        "papertrail undo 17",
    )
)
def undo(
    ctx: typer.Context,
    entry: Annotated[
        int | None,
        typer.Argument(
            help="Revert every change back to this history entry (as `log` numbers them).",
            min=1,
            max=2**62,
            show_default=False,
        ),
    ] = None,
    list_recent: Annotated[
        bool, typer.Option("--list", help="Show the recent changes that undo would revert.")
    ] = False,
) -> None:
    """Revert the last change (or every change back to ENTRY); an undo can be undone too."""
    with library(ctx) as store:
        if list_recent:
            entries = history.log(store, limit=10)
            if not entries:
                typer.echo("Nothing to undo: no changes recorded yet.")
            for item in entries:
                typer.echo(entry_line(item))
            return
        new, reverted, others = history.undo(store, entry)
    if others is not None:
        warn(
            f"the last change, #{others.id}, is {others.reader}'s: undoing your own last "
            "change (each member undoes their own)"
        )
    for item in reverted:
        typer.echo(f"Undid #{item.id} {one_line(item.command)}: {one_line(item.summary)}")
    typer.echo(f"(recorded as #{new.id}; `papertrail undo {new.id}` takes this undo back)")
