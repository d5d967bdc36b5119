"""`papertrail cite`: formatted references, or the citation command for a manuscript.
The core (and citeproc-py under it) is imported only when the command runs (start-up)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from papertrail.cli.app import examples, library
from papertrail.cli.refs import Refs

app = typer.Typer()  # this module's commands, registered in cli/commands.py


class CiteFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"


@app.command(
    "cite",
    epilog=examples(
        "papertrail cite 1706.03762 lecun2015deep",
        "papertrail cite 12 --style ieee --format markdown",
        "papertrail cite 12 --style ~/styles/acm.csl",
        "papertrail cite --key 12 1706.03762",
        "papertrail cite --key 12 --format markdown",
    ),
)
def cite(
    ctx: typer.Context,
    refs: Refs,
    style: Annotated[
        str,
        typer.Option(
            "--style",
            help="apa, ieee, chicago-author-date, mla, nature, harvard, or a .csl file.",
        ),
    ] = "apa",
    fmt: Annotated[
        CiteFormat, typer.Option("--format", "-f", help="text, markdown or html.")
    ] = CiteFormat.text,
    key: Annotated[
        bool,
        typer.Option("--key", help="Print the citation command: \\cite{key} (markdown: [@key])."),
    ] = False,
) -> None:
    """Formatted references (CSL: apa, ieee, chicago-author-date...), or with --key the
    citation command for LaTeX/pandoc."""
    from papertrail.core import cite as core
    from papertrail.core.refs import resolve_all

    with library(ctx) as store:
        papers = core.papers_of(store, resolve_all(store, refs))
    if key:
        keys = [paper.citation_key or str(paper.id) for paper in papers]
        typer.echo(core.cite_command(keys, fmt.value))
        return
    for reference in core.format_references(papers, style, fmt.value):
        typer.echo(reference)
