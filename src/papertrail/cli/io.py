"""Reading lists in and out: import (markdown, BibTeX, JSON, the bundled seed) and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from papertrail import importing
from papertrail.cli.app import app, library
from papertrail.cli.filters import (
    AuthorFilter,
    LimitOption,
    SearchFilter,
    SinceFilter,
    Sort,
    SortOption,
    StatusFilter,
    TopicFilter,
    YearFilter,
    paper_query,
)
from papertrail.exporters import FORMATS as EXPORT_FORMATS
from papertrail.exporters import export_to
from papertrail.library import now_iso
from papertrail.output import one_line


@app.command("import")
def import_list(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="A markdown, BibTeX or JSON file (default: the bundled seed lists).",
            show_default=False,
        ),
    ] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", "-t", help="Add this topic to every paper.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="markdown, bibtex or json (default: by extension)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")
    ] = False,
) -> None:
    """Import a reading list; with no FILE, the seed reading lists papertrail ships with."""
    if fmt is not None and fmt not in importing.FORMATS:
        raise typer.BadParameter(
            f"{fmt!r} is not one of {', '.join(importing.FORMATS)}", param_hint="--format"
        )
    path = file if file is not None else importing.seed_path()
    parsed = importing.parse_file(path, importing.detect_format(path, fmt))
    with library(ctx) as store:
        report = importing.merge(
            store, parsed, source=path.name, source_key=importing.source_key(path),
            now=now_iso(), extra_topics=topic or [], dry_run=dry_run,
        )  # fmt: skip
    _print_report(report)


def _print_report(report: importing.ImportReport) -> None:
    verb = "Would import" if report.dry_run else "Imported"
    if report.dry_run:
        for label in report.added:
            typer.echo(f"  + {one_line(label)}")
        for label in report.merged:
            typer.echo(f"  = {one_line(label)} (already present)")
    for label, reason in report.skipped:
        typer.echo(f"  skipped {one_line(label)}: {one_line(reason)}")
    typer.echo(
        f"{verb} {report.source}: {len(report.added)} added, "
        f"{len(report.merged)} already present (merged), {len(report.skipped)} skipped."
    )
    if report.added and not report.dry_run:
        typer.echo("Run `papertrail fetch` to get arXiv metadata for the new papers.")


@app.command("export")
def export_papers(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json, bibtex, markdown or csv.")
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: standard output)."),
    ] = None,
    topic: TopicFilter = None,
    status: StatusFilter = None,
    search: SearchFilter = None,
    author: AuthorFilter = None,
    year: YearFilter = None,
    since: SinceFilter = None,
    sort: SortOption = Sort.added,
    limit: LimitOption = None,
) -> None:
    """Export papers (with the same filters as `list`) as JSON, BibTeX, markdown or CSV."""
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(
            f"{fmt!r} is not one of {', '.join(EXPORT_FORMATS)}", param_hint="--format"
        )
    with library(ctx) as store:
        query = paper_query(
            store, topic=topic, status=status, search=search, author=author,
            year=year, since=since, sort=sort, limit=limit,
        )  # fmt: skip
        count = export_to(output, fmt, store.iter_papers(query), store.topic_parents())
    if output is not None:
        typer.echo(f"Exported {count} paper(s) to {output}", err=True)
