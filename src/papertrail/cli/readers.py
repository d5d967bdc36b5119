"""A lab sharing one library: `who-read`, `privacy`, and the lab's lines `show` and
`stats --lab` print (who read a paper, the notes members share, each member's progress)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, library
from papertrail.cli.refs import Ref, describe
from papertrail.cli.terminal.lab import lab_lines, reader_phrase
from papertrail.cli.terminal.output import write_json
from papertrail.core import readers as core
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from papertrail.model.records import LabMember

app = typer.Typer()  # this module's commands, registered in cli/commands.py


@app.command(
    "who-read",
    epilog=examples("papertrail who-read 1706.03762", "papertrail who-read 12 --json"),
)
def who_read(
    ctx: typer.Context,
    ref: Ref,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Who in the lab is reading or has read a paper, and the notes they share on it."""
    with library(ctx) as store:
        paper, view = core.who_read(store, ref)
    if json_out:
        write_json({"id": paper.id, **view.to_json()})
        return
    if not view.readers:
        typer.echo(f"Nobody the lab can see has read {describe(paper)}.")
    else:
        typer.echo(describe(paper))
        for reader in view.readers:
            typer.echo(f"  {reader_phrase(reader)}")
    for line in lab_lines(core.LabView([], view.shared_notes)):
        typer.echo(line)


class Privacy(StrEnum):
    private = "private"
    lab = "lab"


@app.command(
    epilog=examples("papertrail privacy", "papertrail privacy private", "papertrail privacy lab")
)
def privacy(
    ctx: typer.Context,
    choice: Annotated[
        Privacy | None,
        typer.Argument(
            help="private: the lab sees none of your reading (status, dates, queue); lab: "
            "it does. Shared notes stay shared.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Keep your reading out of the lab's view, or show it; with nothing, say which."""
    create = choice is not None
    with library(ctx, create=create) as store:
        if choice is None:
            private = store.is_private()
            name = store.reader_name
        else:
            changed = core.set_privacy(store, choice is Privacy.private)
            private, name = choice is Privacy.private, store.reader_name
            if not changed:
                typer.echo(f"Unchanged: {_privacy_sentence(name, private)}")
                return
    typer.echo(_privacy_sentence(name, private))


def _privacy_sentence(name: str, private: bool) -> str:
    if private:
        return f"The reading of {one_line(name)} is private: the lab does not see it."
    return f"The reading of {one_line(name)} is visible to the lab."


def write_lab(members: list[LabMember], month: str) -> None:
    """`stats --lab`: one line per member."""
    if not members:
        typer.echo("No readers yet: the lab's reading shows here once members mark papers.")
        return
    width = max(len(one_line(m.reader)) for m in members)
    typer.echo(f"{'reader':<{width}}  read in {month}  reading  queue")
    for m in members:
        mark = "  (private)" if m.private else ""
        typer.echo(
            f"{one_line(m.reader):<{width}}  {m.read_this_month:>{8 + len(month)}}  "
            f"{m.reading:>7}  {m.queued:>5}{mark}"
        )


def print_lab_stats(ctx: typer.Context, json_out: bool) -> None:
    from datetime import UTC, datetime  # only `stats --lab` needs the month

    month = datetime.now(UTC).strftime("%Y-%m")
    with library(ctx) as store:
        members = core.lab_stats(store, month)
    if json_out:
        write_json({"month": month, "readers": [m.to_json() for m in members]})
    else:
        write_lab(members, month)
