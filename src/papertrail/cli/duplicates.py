"""`duplicates` and `merge`: find two records of one paper, and make them one."""

from __future__ import annotations

from typing import Annotated

import typer

from papertrail.cli.app import examples, library, paged_output
from papertrail.cli.refs import REF_FORMS, Ref, describe
from papertrail.cli.terminal.output import is_terminal, paper_title, write_json_array, write_rows
from papertrail.core import duplicates as core
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py


@app.command(
    epilog=examples(
        "papertrail duplicates",
        "papertrail duplicates --json",
        "papertrail duplicates --not 12 57",
    )
)
def duplicates(
    ctx: typer.Context,
    not_pair: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--not",
            metavar="A B",
            help="A and B are different papers (REFs): never pair them again (`undo` forgets).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, max=10**9, help="At most N pairs.")
    ] = None,
    json_out: Annotated[
        bool,
        typer.Option("--json", help='Print a JSON array: {"papers": [A, B], "reason", "ids"}.'),
    ] = False,
) -> None:
    """Likely duplicate pairs: same DOI, preprint and published version, near-identical titles."""
    if not_pair is not None:
        with library(ctx) as store:
            first, second, new = core.mark_distinct(store, *not_pair)
        typer.echo(
            f"{'Marked' if new else 'Already marked'} distinct: {describe(first)} and "
            f"{describe(second)}"
        )
        return
    with library(ctx) as store:
        pairs = core.find(store)[:limit]
        if json_out:
            from papertrail.core.files import with_files  # the papers' files, JSON only

            papers = {p.id: p for d in pairs for p in with_files(store, [d.first, d.second])}
    if json_out:
        write_json_array(
            {"ids": [d.first.id, d.second.id], "reason": d.reason,
             "papers": [papers[d.first.id].to_json(), papers[d.second.id].to_json()]}
            for d in pairs
        )  # fmt: skip
        return
    if not pairs:
        typer.echo("No likely duplicates.")
        return
    if is_terminal():  # Rich only to draw on a terminal
        from papertrail.cli.terminal.render import console, duplicates_table

        with paged_output(ctx) as out:
            console(out).print(duplicates_table(pairs))
        typer.echo(
            f"{len(pairs)} pair(s); `papertrail merge KEEP OTHER` makes one of two, "
            "`duplicates --not A B` keeps them apart.",
            err=True,
        )
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
