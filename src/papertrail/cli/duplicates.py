"""`duplicates` and `merge`: find two records of one paper, and make them one."""

from __future__ import annotations

from typing import Annotated

import typer

from papertrail.cli.app import examples, library
from papertrail.cli.refs import REF_FORMS, Ref, describe
from papertrail.cli.terminal.output import paper_title, write_json_array, write_rows
from papertrail.core import duplicates as core
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py


@app.command(
    epilog=examples(
        "papertrail duplicates",
        "papertrail duplicates --json",
    )
)
def duplicates(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Likely duplicate pairs: same DOI, preprint and published version, near-identical titles."""
    with library(ctx) as store:
        pairs = core.find(store)
    if json_out:
        write_json_array(
            {"ids": [d.first.id, d.second.id], "reason": d.reason,
             "titles": [d.first.title, d.second.title]}
            for d in pairs
        )  # fmt: skip
        return
    if not pairs:
        typer.echo("No likely duplicates.")
        return
    write_rows(
        [str(d.first.id), str(d.second.id), d.reason, one_line(paper_title(d.first)),
         one_line(paper_title(d.second))]
        for d in pairs
    )  # fmt: skip
    typer.echo(f"{len(pairs)} pair(s); `papertrail merge KEEP OTHER` makes one of two.", err=True)


@app.command(
    epilog=examples(
        "papertrail merge 12 57",
        "papertrail merge 1706.03762 88",
    )
)
def merge(
    ctx: typer.Context,
    keep: Annotated[
        str, typer.Argument(metavar="KEEP", help=f"The paper that stays: {REF_FORMS}.")
    ],
    other: Ref,
) -> None:
    """Merge OTHER into KEEP: topics united, notes joined, the furthest status and the
    earliest dates kept, identifiers combined; OTHER is removed (`undo` reverts it)."""
    with library(ctx) as store:
        merged = core.merge(store, store.resolve(keep), store.resolve(other))
    typer.echo(f"Merged {other} into {describe(merged)}")
