"""The paper arguments commands share (REF, REF..., `-` for stdin) and how a paper is named
in their messages. Not a command module: importing it loads no command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from papertrail.errors import UsageError
from papertrail.output import one_line, paper_title
from papertrail.records import Paper

_REFS_HELP = "Paper ids as `list` shows them, or arXiv ids/URLs; - reads them from stdin."


def stdin_refs(refs: list[str] | None) -> list[str] | None:
    """`-` stands for REFs read from standard input: the first field of each line (so the
    output of `list --ids`, or of `list` itself, can be piped in), space-separated."""
    if not refs or "-" not in refs:
        return refs
    expanded: list[str] = []
    for ref in refs:
        if ref != "-":
            expanded.append(ref)
            continue
        for line in sys.stdin:
            expanded.extend(line.split("\t")[0].split())
    if not expanded:
        raise UsageError("no REFs on standard input")
    return expanded


Refs = Annotated[list[str], typer.Argument(help=_REFS_HELP, callback=stdin_refs)]
Ref = Annotated[str, typer.Argument(help="Paper id as `list` shows it, or arXiv id/URL.")]
OptionalRefs = Annotated[
    list[str] | None, typer.Argument(help=_REFS_HELP, show_default=False, callback=stdin_refs)
]


def describe(paper: Paper) -> str:
    arxiv = f"{paper.arxiv_id} " if paper.arxiv_id else ""
    return one_line(f"[{paper.id}] {arxiv}{paper_title(paper)}")
