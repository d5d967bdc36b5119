"""The paper arguments commands share (REF, REF..., `-` for stdin) and how a paper is named
in their messages. Not a command module: importing it loads no command."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli import complete
from papertrail.cli.terminal.output import paper_title
from papertrail.errors import UsageError
from papertrail.model.records import Paper
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from papertrail.core.papers import AddResult

# The REF grammar of docs/cli.md, said the same way by every command.
REF_FORMS = "the number `list` shows, an arXiv id or URL, a DOI, or a citation key"
_REFS_HELP = f"Papers: {REF_FORMS}; - reads them from stdin."


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


Refs = Annotated[
    list[str],
    typer.Argument(help=_REFS_HELP, callback=stdin_refs, autocompletion=complete.refs),
]
Ref = Annotated[str, typer.Argument(help=f"A paper: {REF_FORMS}.", autocompletion=complete.refs)]
OptionalRefs = Annotated[
    list[str] | None,
    typer.Argument(help=_REFS_HELP, show_default=False, callback=stdin_refs,
                   autocompletion=complete.refs),
]  # fmt: skip


TopicOption = Annotated[
    list[str] | None,
    typer.Option("--topic", "-t", help="Topic slug (repeatable).",
                 autocompletion=complete.topics),
]  # fmt: skip


def describe(paper: Paper) -> str:
    """`[12] 1510.00149 Title`; a paper with neither arXiv id nor title by its DOI."""
    ident = paper.arxiv_id or (f"doi:{paper.doi}" if paper.doi and not paper.title else "")
    return one_line(f"[{paper.id}] {ident + ' ' if ident else ''}{paper_title(paper)}")


def report_added(result: AddResult) -> None:
    """`Added [id] ...` and `Already in the library: ...` lines for papers taken in."""
    for paper in result.added:
        typer.echo("Added " + describe(paper))
    for paper, new_topics in result.already_present:
        extra = f" (added topics: {', '.join(new_topics)})" if new_topics else ""
        typer.echo(f"Already in the library: {describe(paper)}{extra}")


def parse_numbers(texts: list[str], upper: int | None = None) -> list[int]:
    """`1 3-5 7,8` -> [1, 3, 4, 5, 7, 8]; UsageError for anything else."""
    numbers: list[int] = []
    for text in texts:
        for part in text.replace(",", " ").split():
            low, dash, high = part.partition("-")
            if not low.isdigit() or (dash and not high.isdigit()):
                raise UsageError(f"not a number or range: {one_line(part)!r}")
            first, last = int(low), int(high) if dash else int(low)
            if first > last or last - first > 10_000 or last > 10**9:
                raise UsageError(f"not a usable range: {one_line(part)!r}")
            if upper is not None and (first < 1 or last > upper):
                raise UsageError(f"{one_line(part)} is not between 1 and {upper}")
            numbers.extend(n for n in range(first, last + 1) if n not in numbers)
    return numbers
