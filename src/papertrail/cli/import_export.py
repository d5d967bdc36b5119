"""Reading lists in and out: import (markdown, BibTeX, JSON, the bundled seed) and export.

The importers and exporters are imported only by the command that uses them:
`export` never loads an importer, and neither loads at start-up for the other commands of
this module.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, library
from papertrail.cli.filters import (
    AuthorFilter,
    LimitOption,
    SearchFilter,
    SinceFilter,
    SortOption,
    StatusFilter,
    TagFilter,
    TopicFilter,
    UntilFilter,
    YearFilter,
    paper_query,
)
from papertrail.cli.refs import OptionalRefs
from papertrail.errors import ImportFormatError, UsageError
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py

if TYPE_CHECKING:
    from papertrail.core.importing import ImportReport
    from papertrail.core.pdfs import PdfImportReport


class ImportFormat(StrEnum):
    markdown = "markdown"
    bibtex = "bibtex"
    json = "json"
    csl_json = "csl-json"
    ris = "ris"


class ExportFormat(StrEnum):
    json = "json"
    bibtex = "bibtex"
    biblatex = "biblatex"
    csl_json = "csl-json"
    markdown = "markdown"
    csv = "csv"


@app.command(
    "import",
    epilog=examples(
        "papertrail import",
        "papertrail import reading-list.md -t to-read",
        "papertrail import library.bib --dry-run",
        "papertrail import ~/papers/ --dry-run",
        "papertrail import paper.pdf -t to-read",
    ),
)
def import_list(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Markdown, BibTeX/BibLaTeX, CSL-JSON, RIS or papertrail JSON files "
            "(default: the bundled seed lists). @string macros of a .bib apply to the "
            "files after it. PDFs, or directories of PDFs: each paper identified from its "
            "arXiv stamp, DOI or title, added, and the file attached.",
            show_default=False,
        ),
    ] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", "-t", help="Add this topic to every paper.")
    ] = None,
    fmt: Annotated[
        ImportFormat | None,
        typer.Option("--format", "-f", help="The files' format (default: by extension/shape)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="List what would be added, merged, skipped; write nothing."),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every skipped entry and why.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="A bad entry fails the whole import (default: skipped)."),
    ] = False,
    ocr: Annotated[
        bool,
        typer.Option(
            "--ocr",
            help="PDFs: read the pages of scans (no text layer) with tesseract, when it is "
            "installed: slow, seconds a page.",
        ),
    ] = False,
) -> None:
    """Import reading lists; with no FILE, the seed reading lists papertrail ships with."""
    if files and fmt is None and any(map(_is_pdf_import, files)):
        if not all(map(_is_pdf_import, files)):
            raise UsageError("import PDFs (or directories of them) and reading lists apart")
        _import_pdfs(ctx, files, topic or [], dry_run, verbose, ocr)
        return
    if ocr:
        raise UsageError("--ocr is for importing PDFs")
    # Imported here, not at the top: every other command starts without them.
    from papertrail import importers
    from papertrail.core import importing
    from papertrail.model.records import now_iso

    paths = files or [importers.seed_path()]
    options = importers.ParseOptions(strict=strict)
    reports = []
    with library(ctx, create=True, dry_run=dry_run) as store, store.transaction(commit=not dry_run):
        # One transaction for all the files: an error in the last undoes the first.
        for path in paths:
            parsed = importers.parse_file(
                path, importers.detect_format(path, fmt and fmt.value), options
            )
            reports.append(importing.merge(
                store, parsed, source=path.name, source_key=importing.source_key(path),
                now=now_iso(), extra_topics=topic or [], dry_run=dry_run,
            ))  # fmt: skip
    for report in reports:
        _print_report(report, verbose=verbose)
    if any(report.added for report in reports) and not dry_run:
        typer.echo("Run `papertrail fetch` to get arXiv metadata for the new papers.")


def _is_pdf_import(path: Path) -> bool:
    """Whether `import` takes `path` as PDFs (a directory, or a file named .pdf)."""
    return path.is_dir() or path.suffix.lower() == ".pdf"


def _import_pdfs(
    ctx: typer.Context,
    paths: list[Path],
    topics: list[str],
    dry_run: bool,
    verbose: bool,
    ocr: bool,
) -> None:
    """`import FILE.pdf|DIR`: each PDF's paper found or added, the file attached."""
    import sys

    from papertrail.cli.app import settings
    from papertrail.cli.files import ocr_wanted
    from papertrail.cli.terminal.output import is_terminal
    from papertrail.core.pdfs import import_pdfs, pdf_paths  # PDFs only: workers, file store

    found = pdf_paths(paths)
    if not found:
        names = ", ".join(str(path) for path in paths)
        raise ImportFormatError(
            f"{names} is a directory with no PDF in it: import reads a directory's *.pdf "
            "files, and a reading list from a file"
        )
    ocr = ocr_wanted(ocr)
    with library(ctx, create=True, dry_run=dry_run) as store:
        if is_terminal(sys.stderr):
            from papertrail.cli.terminal.render import progress_bar  # a terminal only

            with progress_bar() as progress:
                task = progress.add_task("Reading PDFs", total=len(found))
                report = import_pdfs(
                    store, settings(ctx), found, topics=topics, dry_run=dry_run, ocr=ocr,
                    progress=lambda done: progress.update(task, completed=done),
                )  # fmt: skip
        else:
            report = import_pdfs(
                store, settings(ctx), found, topics=topics, dry_run=dry_run, ocr=ocr
            )
    _print_pdf_report(report, verbose)
    if report.count("skipped"):
        raise typer.Exit(1)


def _print_pdf_report(report: PdfImportReport, verbose: bool) -> None:
    from papertrail.cli.refs import describe

    signs = {"added": "+", "attached": "=", "already": "=", "skipped": "!"}
    for outcome in report.outcomes:
        name = one_line(outcome.path.name)
        if outcome.action == "skipped":
            typer.echo(f"Error: {name}: {one_line(outcome.note)}", err=True)
            continue
        if not (report.dry_run or verbose or outcome.note):
            continue
        paper = describe(outcome.paper) if outcome.paper else "a new paper"
        how = f" ({outcome.how})" if outcome.how else ""
        verb = {"added": "new", "attached": "to", "already": "already with"}[outcome.action]
        note = f"; {one_line(outcome.note)}" if outcome.note else ""
        typer.echo(f"  {signs[outcome.action]} {name}{how}: {verb} {paper}{note}")
    verb = "Would import" if report.dry_run else "Imported"
    typer.echo(
        f"{verb} {len(report.outcomes)} PDF(s): {report.count('added')} new paper(s), "
        f"{report.count('attached')} attached to papers in the library, "
        f"{report.count('already')} already there, {report.count('skipped')} skipped."
    )
    if report.offline_reason and report.count("added"):
        typer.echo(
            f"Metadata pending ({one_line(report.offline_reason)}): run `papertrail fetch` "
            "to complete the new papers."
        )


def _print_report(report: ImportReport, verbose: bool = False) -> None:
    verb = "Would import" if report.dry_run else "Imported"
    if report.dry_run:
        for label in report.added:
            typer.echo(f"  + {one_line(label)}")
        for label in report.merged:
            typer.echo(f"  = {one_line(label)} (already present)")
    if report.dry_run or verbose:
        for label, reason in report.skipped:
            typer.echo(f"  skipped {one_line(label)}: {one_line(reason)}")
    for warning in report.warnings:
        typer.echo(f"  warning: {one_line(warning)}")
    typer.echo(
        f"{verb} {one_line(report.source)}: {len(report.added)} added, "
        f"{len(report.merged)} already present (merged), {len(report.skipped)} skipped."
    )
    if report.skipped and not (report.dry_run or verbose):
        typer.echo(f"Skipped: {_skip_summary(report.skipped)} (--verbose lists them).")


# The formats that write citation keys (and take --fields).
KEYED_FORMATS = ("bibtex", "biblatex", "csl-json")


def _fields(text: str | None, fmt: ExportFormat) -> frozenset[str] | None:
    """`--fields` as the set of fields to write (None: all); UsageError for a bad one."""
    if text is None:
        return None
    if fmt.value not in KEYED_FORMATS:
        raise UsageError("--fields is for the bibtex, biblatex and csl-json formats")
    from papertrail.model.entry_types import parse_fields

    try:
        return parse_fields(text)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _skip_summary(skipped: list[tuple[str, str]], shown: int = 4) -> str:
    """`12 a repository link, 3 no link or arXiv id, ...`: skips counted by their reason."""
    counts: dict[str, int] = {}
    for _, reason in skipped:
        kind = re.split(r" \(|'|: ", reason, maxsplit=1)[0].strip() or "other"
        counts[kind] = counts.get(kind, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    parts = [f"{n} {one_line(kind)}" for kind, n in ranked[:shown]]
    rest = sum(n for _, n in ranked[shown:])
    return ", ".join(parts + ([f"{rest} other"] if rest else []))


@app.command(
    "export",
    epilog=examples(
        "papertrail export --format bibtex -o papers.bib",
        "papertrail export --topic quantization --status read --format markdown",
        "papertrail export 12 1706.03762 vaswani2017attention -f biblatex --fields paper",
    ),
)
def export_papers(
    ctx: typer.Context,
    refs: OptionalRefs = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="The format.")] = (
        ExportFormat.json
    ),
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
    until: UntilFilter = None,
    tag: TagFilter = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            help="BibTeX, biblatex, CSL-JSON: the fields to write: `paper` (no abstract, "
            "keywords or file), `full` (the default), or names: title,author,venue,year,...",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export papers (REF..., or the same filters as `list`): JSON, BibTeX, biblatex,
    CSL-JSON, markdown, CSV."""
    from papertrail.core.exporting import read
    from papertrail.core.refs import resolve_all
    from papertrail.exporters import export_to

    chosen = _fields(fields, fmt)
    with library(ctx) as store:
        query = paper_query(
            store, topic=topic, status=status, search=search, author=author,
            year=year, since=since, sort=sort, limit=limit, until=until, tag=tag,
        )  # fmt: skip
        if refs:
            query = query._replace(paper_ids=resolve_all(store, refs))
        papers = read(store, fmt.value, query, files=chosen is None or "file" in chosen)
        count = export_to(
            output, fmt.value, papers, store.topic_parents(), database=store.file, fields=chosen
        )

    if output is not None:
        typer.echo(f"Exported {count} paper(s) to {one_line(str(output))}", err=True)
