"""`papertrail bib`: bibliographies kept up to date (link, list, unlink, sync) and made
from a manuscript's citations (aux). The work is core/bib.py's, imported only by these
commands (start-up of the others)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, library, warn
from papertrail.cli.terminal.output import write_json, write_json_array
from papertrail.errors import UsageError
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from papertrail.core.bib import SyncOutcome

app = typer.Typer()  # this module's commands, registered in cli/commands.py
bib_app = typer.Typer(
    help="Bibliography files kept up to date (link, list, unlink, sync) or made from a "
    "manuscript's citations (aux).",
    epilog=examples(
        "papertrail bib link refs.bib --topic thesis",
        "papertrail bib link refs.bib --aux main.aux --format biblatex",
        "papertrail bib aux main.aux -o refs.bib",
        "papertrail bib sync",
    ),
    no_args_is_help=True,
)
app.add_typer(bib_app, name="bib")


class BibFormat(StrEnum):
    bibtex = "bibtex"
    biblatex = "biblatex"
    csl_json = "csl-json"


FormatOption = Annotated[
    BibFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="bibtex (natbib), biblatex or csl-json (default: by "
        "the file's extension: .json is csl-json, else bibtex).",
    ),
]
FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        help="The fields written: `paper` (the default: no abstract, "
        "keywords or file), `full`, or names: title,author,venue,year,doi,...",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of text.")]


def _format(fmt: BibFormat | None, path: Path | None) -> str:
    if fmt is not None:
        return fmt.value
    return "csl-json" if path is not None and path.suffix.lower() == ".json" else "bibtex"


@bib_app.command(
    "link",
    epilog=examples(
        "papertrail bib link refs.bib --topic thesis --topic related-work",
        "papertrail bib link refs.bib --aux main.aux --format biblatex",
        "papertrail bib link refs.json --topic survey --status read",
    ),
)
def link(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The bibliography file (.bib, .json).")],
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            "-t",
            help="Papers of this topic, sub-topics included (repeatable: any of them).",
        ),
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", "-s", help="Only papers with this status.")
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            help="Only papers matching this search (as `list --search`).",
            show_default=False,
        ),
    ] = None,
    aux: Annotated[
        list[Path] | None,
        typer.Option(
            "--aux",
            help="The keys this manuscript cites (.aux, .bcf, .tex, .md, "
            ".qmd), read again at every rewrite (repeatable).",
        ),
    ] = None,
    fmt: FormatOption = None,
    fields: FieldsOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Take over a file papertrail did not write.")
    ] = False,
) -> None:
    """Tie a bibliography file to a selection of the library: written now, and again after
    every command that changes it."""
    from papertrail.core import bib

    if aux and (topic or status or query):
        raise UsageError("--aux selects what the manuscript cites: leave out --topic, "
                         "--status and --query")  # fmt: skip
    for manuscript in aux or []:
        if not manuscript.is_file():
            raise UsageError(f"no manuscript file {one_line(str(manuscript))}")
    selection = bib.Selection(list(topic or []), status, query, [str(a) for a in aux or []])
    with library(ctx) as store:
        outcome = bib.link(store, path, _format(fmt, path), selection, fields, force=force)
    typer.echo(
        f"Linked {one_line(str(path))} ({_format(fmt, path)}, {one_line(selection.describe())}):"
        f" {outcome.entries} entr{'y' if outcome.entries == 1 else 'ies'}; rewritten "
        "whenever they change."
    )
    _report_missing(outcome)


@bib_app.command("list", epilog=examples("papertrail bib list", "papertrail bib list --json"))
def list_links(ctx: typer.Context, json: JsonOption = False) -> None:
    """The linked bibliography files: what each follows and whether it is up to date."""
    from papertrail.core import bib

    with library(ctx) as store:
        found = bib.states(store)
    if json:
        write_json_array({
            "path": one.path, "format": one.format, "topics": one.selection.topics,
            "status": one.selection.status, "query": one.selection.query,
            "aux": one.selection.aux, "fields": one.fields, "entries": one.entries,
            "state": one.state, "written_at": one.written_at,
        } for one in found)  # fmt: skip
        return
    if not found and sys.stdout.isatty():
        typer.echo("No linked bibliography (`papertrail bib link refs.bib -t TOPIC`).")
    for one in found:
        typer.echo("\t".join((
            one_line(one.path), one.format, one_line(one.selection.describe()),
            str(one.entries), one.state,
        )))  # fmt: skip


@bib_app.command("unlink", epilog=examples("papertrail bib unlink refs.bib"))
def unlink(
    ctx: typer.Context, path: Annotated[Path, typer.Argument(help="A linked file.")]
) -> None:
    """Stop keeping a file up to date (the file stays as it is)."""
    from papertrail.core import bib

    with library(ctx) as store:
        bib.unlink(store, path)
    typer.echo(f"Unlinked {one_line(str(path))} (the file stays as it is).")


@bib_app.command(
    "sync",
    epilog=examples("papertrail bib sync", "papertrail bib sync refs.bib --force"),
)
def sync(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="A linked file (default: all of them).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rewrite files edited by hand too.")
    ] = False,
) -> None:
    """Rewrite linked files now (after another member changed a shared library, say)."""
    from papertrail.core import bib

    with library(ctx) as store:
        outcomes = bib.sync(store, path, force=force)
    if not outcomes:
        typer.echo("No linked bibliography (`papertrail bib link refs.bib -t TOPIC`).")
    skipped = False
    for outcome in outcomes:
        name = one_line(outcome.path)
        if outcome.action == "skipped":
            skipped = True
            warn(f"{name} was edited by hand since papertrail wrote it: left as it is "
                 "(--force rewrites it)")  # fmt: skip
        else:
            verb = "Wrote" if outcome.action == "written" else "Up to date:"
            typer.echo(f"{verb} {name} ({outcome.entries} entries)")
        _report_missing(outcome)
    if skipped:
        raise typer.Exit(1)


@bib_app.command(
    "aux",
    epilog=examples(
        "papertrail bib aux main.aux -o refs.bib",
        "papertrail bib aux main.bcf -f biblatex -o refs.bib",
        "papertrail bib aux --from-tex chapters/*.tex -o refs.bib",
        "papertrail bib aux --from-tex paper.md -f csl-json -o refs.json",
    ),
)
def aux(
    ctx: typer.Context,
    manuscripts: Annotated[
        list[Path],
        typer.Argument(
            help="A LaTeX run's .aux (natbib or biblatex), biblatex's .bcf; with "
            "--from-tex, .tex/.md/.qmd sources."
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    from_tex: Annotated[
        bool,
        typer.Option("--from-tex", help="Read \\cite{...} in .tex and [@key] in .md/.qmd sources."),
    ] = False,
    fmt: FormatOption = None,
    fields: FieldsOption = None,
    json: JsonOption = False,
) -> None:
    """Write exactly the entries a manuscript cites; name the keys the library lacks, with
    the closest ones it holds."""
    from papertrail.core import bib
    from papertrail.exporters import write_text

    for manuscript in manuscripts:
        suffix = manuscript.suffix.lower()
        if not from_tex and suffix not in (".aux", ".bcf"):
            raise UsageError(f"{one_line(str(manuscript))} is no .aux or .bcf: --from-tex "
                             "reads .tex, .md and .qmd sources")  # fmt: skip
    if json and output is None:
        raise UsageError("--json describes what -o wrote: give -o FILE")
    chosen = _format(fmt, output)
    with library(ctx) as store:
        keys = bib.read_cited_keys(manuscripts)
        rendered = bib.render(
            store, bib.Selection(aux=[str(m) for m in manuscripts]), chosen,
            bib.check_fields(fields),
        )  # fmt: skip
        if output is None:
            sys.stdout.write(rendered.text)
        else:
            write_text(output.expanduser(), rendered.text)
    if json:
        missing = [{"key": key, "closest": close} for key, close in rendered.missing]
        write_json({"output": str(output), "cited": len(keys),
                    "written": len(rendered.paper_ids), "missing": missing})  # fmt: skip
    elif output is not None:
        typer.echo(f"Wrote {len(rendered.paper_ids)} entries to {one_line(str(output))} "
                   f"({len(keys)} keys cited).", err=True)  # fmt: skip
    outcome_missing = rendered.missing
    for key, close in [] if json else outcome_missing:
        hint = f" (closest: {', '.join(close)})" if close else ""
        warn(f"not in the library: {key}{hint}")
    if outcome_missing:
        raise typer.Exit(1)


def _report_missing(outcome: SyncOutcome) -> None:
    for key, close in outcome.missing:
        hint = f" (closest: {', '.join(close)})" if close else ""
        warn(f"{one_line(outcome.path)} cites {key}, which the library lacks{hint}")
