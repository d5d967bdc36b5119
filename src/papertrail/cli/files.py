"""Commands on papers' files: attach, detach, find (the text inside them), files (the store,
--prune).

The PDF reader, the file store and Rich are imported by core/files.py inside the
functions that need them: this module's commands start without them (start-up).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from papertrail.cli.app import examples, library, warn
from papertrail.cli.filters import StatusFilter, TopicFilter
from papertrail.cli.refs import Ref, describe
from papertrail.cli.terminal.output import is_terminal, write_json_array, write_rows
from papertrail.core import files as core
from papertrail.core.topics import check_topic
from papertrail.errors import EXIT_ERROR, UsageError
from papertrail.model.files import PageHit, PaperHit, human_size
from papertrail.model.records import Paper
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py


@app.command(
    epilog=examples(
        "papertrail attach 1510.00149 ~/Downloads/deep-compression.pdf",
        "papertrail attach 12 paper.pdf supplement.zip",
    )
)
def attach(
    ctx: typer.Context,
    ref: Ref,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files: PDFs (their text is indexed for `find`), or any other file, kept "
            "as an attachment without text.",
            metavar="FILE...",
        ),
    ],
    ocr: OcrOption = False,
) -> None:
    """Attach files to a paper: PDFs first (their text read and indexed for `find`); other
    files are kept as attachments."""
    with library(ctx) as store:
        report = core.attach(store, ref, paths, ocr=ocr_wanted(ocr))
    for item in report.ocr_read:
        typer.echo(f"Read by OCR: {one_line(item.describe())} of {describe(report.paper)}")
    for item in report.attached:
        typer.echo(f"Attached {one_line(item.describe())} to {describe(report.paper)}")
        if item.is_pdf and not item.searchable:
            warn(f"{item.name}: {item.state()}{_ocr_hint(item.problem)}")
    for name in report.already:
        typer.echo(f"Already attached: {one_line(name)} to {describe(report.paper)}")
    for path, why in report.failed:
        typer.echo(f"Error: {one_line(path)}: {one_line(why)}", err=True)
    if report.failed:
        raise typer.Exit(EXIT_ERROR)


OcrOption = Annotated[
    bool,
    typer.Option(
        "--ocr",
        help="Read the pages of scans (no text layer) with tesseract, when it is installed: "
        "slow, seconds a page.",
    ),
]


def ocr_wanted(asked: bool) -> bool:
    """--ocr, when this machine has tesseract; without it, a warning (OCR is optional)."""
    if asked and not core.ocr_available():
        warn("tesseract is not installed: scans are kept unsearchable (--ocr needs it)")
        return False
    return asked


def _ocr_hint(problem: str | None) -> str:
    if problem:
        return ""
    hint = " (`attach --ocr` reads it)" if core.ocr_available() else ""
    return f" (a scan: its pages are images){hint}"


@app.command(
    epilog=examples(
        "papertrail detach 1510.00149",
        "papertrail detach 12 supplement.zip",
        "papertrail detach 12 --all",
    )
)
def detach(
    ctx: typer.Context,
    ref: Ref,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files to take off: a name as `show` lists it, its number there, or the "
            "start of its SHA-256 (default: the paper's only file).",
            metavar="[FILE]...",
            show_default=False,
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every file of the paper.")] = False,
) -> None:
    """Take files off a paper (the file stays stored until `files --prune`: `undo` brings it
    back)."""
    with library(ctx) as store:
        paper, detached = core.detach(store, ref, names or [], every=every)
    for item in detached:
        typer.echo(f"Detached {one_line(item.name)} from {describe(paper)}")


@app.command(
    epilog=examples(
        'papertrail find "ladder decomposition"',
        "papertrail find quantiz* -t compression --status unread",
        'papertrail find "neural network" NOT transformer -n 5 --json',
    )
)
def find(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            help='Words (stemmed: "compressing" finds "compression"), "a phrase", prefix*, '
            "AND (implied), OR, NOT or -word, (groups). Every condition holds on one page.",
            metavar="QUERY...",
        ),
    ],
    topic: TopicFilter = None,
    status: StatusFilter = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=1000, help="At most this many papers.")
    ] = 20,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Search the text of the papers' PDFs: papers ranked by relevance, each with the pages
    that match and a snippet."""
    with library(ctx) as store:
        found = core.find(
            store, " ".join(query), topic=check_topic(store, topic),
            status=status.value if status else None, limit=limit,
        )  # fmt: skip
        papers = list(core.with_files(store, (paper for paper, _ in found), few=True))
        empty = not found and core.nothing_to_search(store)
    hits = [hit for _, hit in found]
    if json_out:
        write_json_array(core.hit_json(paper, hit) for paper, hit in zip(papers, hits, strict=True))
    elif empty:
        typer.echo(
            "No page matches: no file in the library has text yet "
            "(`papertrail fetch --pdf`, or `papertrail attach REF FILE`).",
            err=True,
        )
    elif not found:
        typer.echo("No page matches.", err=True)
    elif is_terminal():
        _print_hits(papers, hits)
    else:
        write_rows(
            [str(paper.id), paper.arxiv_id or "-", one_line(paper.title or ""), str(page.page),
             one_line(page.snippet)]
            for paper, hit in zip(papers, hits, strict=True) for page in hit.pages
        )  # fmt: skip


def _print_hits(papers: list[Paper], hits: list[PaperHit]) -> None:
    from rich.console import Console  # a terminal only
    from rich.text import Text

    console = Console(highlight=False)
    for paper, hit in zip(papers, hits, strict=True):
        head = Text(describe(paper), style="bold")
        head.append(f"  {hit.matching_pages} page(s) match", style="dim")
        console.print(head)
        for page in hit.pages:
            console.print(_snippet_text(page))
        console.print()


def _snippet_text(page: PageHit) -> object:
    from rich.text import Text  # a terminal only

    text = Text(f"  p. {page.page}: ", style="cyan")
    start = len(text)
    text.append(one_line(page.snippet))
    if one_line(page.snippet) == page.snippet:  # spans hold for the text as shown
        for low, high in page.highlights:
            text.stylize("bold yellow", start + low, start + high)
    return text


@app.command(
    epilog=examples(
        "papertrail files",
        "papertrail files 1510.00149 --json",
        "papertrail files --prune --dry-run",
    )
)
def files(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Papers whose files to list (default: every paper's).", show_default=False
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Delete the stored files no paper has any more (detached, or of removed "
            "papers): `undo` cannot bring those back afterwards.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --prune: say what would go; delete nothing.")
    ] = False,
    forget: Annotated[
        list[str] | None,
        typer.Option(
            "--forget",
            help="With --prune: a library that kept files in this store and is gone (its "
            "path or URL as the warning names it); its files are no longer kept for it.",
            metavar="LIBRARY",
            show_default=False,
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """The papers' files (name, pages, size, searchable) and where the file store is;
    --prune deletes the files no paper has any more."""
    if forget and not prune:
        raise UsageError("--forget goes with --prune")
    with library(ctx, dry_run=dry_run) as store:
        if prune:
            report = core.prune(store, dry_run=dry_run, forget=forget or [])
            verb = "Would delete" if dry_run else "Deleted"
            typer.echo(f"{verb} {report.files} file(s) no paper has ({human_size(report.bytes)}).")
            if report.missing:
                warn(f"{report.missing} of them were already gone from the file store")
            if report.kept:
                others = ", ".join(report.sharing)
                warn(
                    f"{report.kept} of them stay in the file store: another library keeping "
                    f"its files there has them ({others})"
                )
            for other, why in report.unchecked:
                warn(
                    f"the file store is shared with {other}, which could not be asked "
                    f"({why}): no file was deleted from the store (`files --prune --forget "
                    f"{other}` if it is gone)"
                )
            return
        ids = [store.resolve(ref) for ref in refs] if refs else None
        by_paper = store.files_of_papers(ids)
        papers = {paper_id: store.get(paper_id) for paper_id in by_paper}
        location = core.store_location(store)
        if json_out:
            write_json_array(
                {"id": paper_id, "files": [f.to_json() for f in core.blob_paths(store, items)]}
                for paper_id, items in by_paper.items()
            )
            return
    rows = [
        [str(paper_id), papers[paper_id].arxiv_id or "-", one_line(item.name),
         str(item.pages or ""), human_size(item.size), item.state(), item.sha256]
        for paper_id, items in by_paper.items() for item in items
    ]  # fmt: skip
    write_rows(rows)
    if is_terminal(sys.stderr):
        typer.echo(
            f"{len(rows)} file(s) of {len(by_paper)} paper(s); file store: {one_line(location)}",
            err=True,
        )
