"""`papertrail fetch`: arXiv metadata for the papers that lack it; papers not on arXiv
completed from Crossref and DBLP; with --published/--citations, Semantic Scholar too.
A service that is down is one warning line; what was found is kept.

The services' clients (httpx) and Rich's progress bar are imported only when a
fetch needs them, keeping start-up small when there is nothing to fetch.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, fail, library, service_settings, settings, warn
from papertrail.cli.refs import REF_FORMS, describe, stdin_refs
from papertrail.cli.terminal.output import is_terminal, paper_title
from papertrail.config import Settings
from papertrail.core import papers as core
from papertrail.db.store import Store
from papertrail.errors import EXIT_ERROR, EXIT_NETWORK
from papertrail.model.query import PaperQuery
from papertrail.model.records import Paper
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from papertrail.model.same_paper import Judgement

app = typer.Typer()  # this module's commands, registered in cli/commands.py


def _name(paper: Paper) -> str:
    ident = paper.arxiv_id or (f"doi:{paper.doi}" if paper.doi else "")
    return one_line(f"[{paper.id}] {ident + ' ' if ident else ''}{paper_title(paper)}")


def papers_to_complete(store: Store, refs: Sequence[str]) -> list[Paper]:
    from papertrail.core.not_on_arxiv import completion_targets

    return completion_targets(store, refs)


# -- fetch: arXiv--------------------------------------------------------------------------------


@app.command(
    epilog=examples(
        "papertrail fetch",
        "papertrail fetch 1706.03762 --refresh",
        "papertrail fetch --published --citations",
        "papertrail fetch --pdf",
        "papertrail fetch --pdf 1510.00149",
    )
)
def fetch(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            help=f"Papers to fetch (default: all pending): {REF_FORMS}; - reads stdin.",
            callback=stdin_refs,
        ),
    ] = None,
    refresh: Annotated[
        bool, typer.Option(help="Fetch again papers that have metadata; report newer versions.")
    ] = False,
    published: Annotated[
        bool, typer.Option("--published", help="Find where arXiv preprints were published.")
    ] = False,
    citations: Annotated[
        bool, typer.Option("--citations", help="Fetch citation counts (Semantic Scholar).")
    ] = False,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf", help="Download arXiv's PDFs of the papers that have none (indexed for `find`)."
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say why each search hit was taken or not.")
    ] = False,
) -> None:
    """Fetch arXiv metadata for papers that lack it; complete papers not on arXiv from
    Crossref and DBLP; with --published/--citations, ask Semantic Scholar too."""
    config = settings(ctx)
    with library(ctx) as store:
        targets = core.fetch_targets(store, refs or [], refresh)
        others = papers_to_complete(store, refs or [])
        failed = False
        if targets:
            failed = _fetch_arxiv(store, config, targets)
        elif not (others or published or citations or pdf):
            typer.echo("Nothing to fetch: every arXiv paper has its metadata.")
            return
        complete(store, config, others, verbose)
        if published or citations:
            published_and_citations(store, config, refs or [], published, citations)
        if pdf:
            failed = _fetch_pdfs(store, config, refs or []) or failed
    if failed:
        raise typer.Exit(EXIT_ERROR)


def _fetch_arxiv(store: Store, config: Settings, targets: list[str]) -> bool:
    """The arXiv part of `fetch`; whether some ids were refused."""
    result = _fetch_with_progress(store, config, targets)
    typer.echo(f"Fetched metadata for {result.updated} of {len(targets)} paper(s).")
    for paper, old in result.newer_versions:
        typer.echo(f"Newer version: {describe(paper)} is now v{paper.version} (was v{old})")
    for arxiv_id in result.not_on_arxiv:
        typer.echo(f"Error: arXiv has no paper {arxiv_id}", err=True)
    for ref, why in result.rejected:
        typer.echo(f"Error: {one_line(ref)}: {one_line(why)}", err=True)
    if result.failure:
        fail(
            f"{result.failure}; {result.remaining} paper(s) still pending: "
            "run `papertrail fetch` again",
            EXIT_NETWORK,
        )
    return bool(result.not_on_arxiv or result.rejected)


def _fetch_with_progress(store: Store, config: Settings, targets: list[str]) -> core.FetchResult:
    if not is_terminal(sys.stderr):
        return core.fetch_metadata(store, config, targets)
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("Fetching from arXiv", total=len(targets))
        return core.fetch_metadata(
            store, config, targets, progress=lambda done: progress.update(task, completed=done)
        )


# -- fetch --pdf --------------------------------------------------------------------------------


def _fetch_pdfs(store: Store, config: Settings, refs: Sequence[str]) -> bool:
    from papertrail.core.pdfs import pdf_targets  # fetch --pdf only

    wanted, others = pdf_targets(store, refs)
    for paper in others:
        warn(f"{_name(paper)} is not on arXiv: no PDF to download (`papertrail attach` one)")
    if not wanted:
        typer.echo("Every arXiv paper has its PDF." if not others else "No PDF to download.")
        return False
    return download_pdfs(store, config, wanted)


def download_pdfs(store: Store, config: Settings, paper_ids: Sequence[int]) -> bool:
    """Download arXiv's PDFs of these papers (a progress bar on a terminal) and say how it
    went; whether some failed. arXiv refusing or unreachable ends the command (exit 3)."""
    from papertrail.core.pdfs import fetch_pdfs  # fetch --pdf, add --pdf

    if not paper_ids:
        return False
    if not is_terminal(sys.stderr):
        report = fetch_pdfs(store, config, paper_ids)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("Downloading PDFs from arXiv", total=len(paper_ids))
            report = fetch_pdfs(
                store,
                config,
                paper_ids,
                progress=lambda done: progress.update(task, completed=done),
            )
    typer.echo(f"Downloaded {len(report.fetched)} of {len(paper_ids)} PDF(s).")
    for paper in report.fetched:
        shown = "; ".join(item.describe() for item in store.files_of(paper.id) if item.is_pdf)
        typer.echo(f"PDF: {_name(paper)}: {one_line(shown)}")
    for paper, why in report.failed:
        typer.echo(f"Error: {_name(paper)}: {one_line(why)}", err=True)
    if report.stopped:
        fail(
            f"{report.stopped}; {report.remaining} PDF(s) not downloaded: run "
            "`papertrail fetch --pdf` again later",
            EXIT_NETWORK,
        )
    return bool(report.failed)


# -- fetch: papers not on arXiv ------------------------------------------------------------------


def complete(store: Store, config: Settings, papers: list[Paper], verbose: bool) -> None:
    if not papers:
        return
    from papertrail.core.not_on_arxiv import complete_papers

    result = complete_papers(store, service_settings(config), papers)
    typer.echo(
        f"Completed {len(result.completed)} of {len(papers)} paper(s) not on arXiv "
        "(Crossref, DBLP)."
    )
    for completion in result.completed:
        accepted = completion.accepted
        assert accepted is not None
        where = accepted.work.doi or accepted.work.venue or ""
        typer.echo(f"Completed: {_name(completion.paper)} from {accepted.work.source} "
                   f"{one_line(where)}".rstrip())  # fmt: skip
    for completion in result.unsure:
        for judgement in completion.unsure:
            typer.echo(f"Unsure, not stored: {_name(completion.paper)}: {_hit(judgement)}")
    if verbose:
        for completion in result.completed + result.unsure + result.unmatched:
            for judgement in completion.judgements:
                typer.echo(f"  {_name(completion.paper)}: {judgement.verdict}: {_hit(judgement)}")
            if not completion.judgements and completion.accepted is None:
                typer.echo(f"  {_name(completion.paper)}: no hits")
    for message in result.warnings:
        warn(message)


def _hit(judgement: Judgement) -> str:
    work = judgement.work
    year = f" ({work.year})" if work.year else ""
    doi = f" doi:{work.doi}" if work.doi else ""
    return one_line(f"{work.source} {work.title!r}{year}{doi}: {judgement.reason}")


# -- fetch --published / --citations ----------------------------------------------------------


def published_and_citations(
    store: Store, config: Settings, refs: Sequence[str], published: bool, citations: bool
) -> None:
    from papertrail.core.published import fetch_published_and_citations

    if refs:
        papers = [store.get(i) for i in dict.fromkeys(map(store.resolve, refs))]
    else:
        papers = [p for p in store.iter_papers(PaperQuery()) if p.arxiv_id or p.doi]
    result = fetch_published_and_citations(
        store, service_settings(config), papers, published=published, citations=citations
    )
    if published:
        preprints = [p for p in papers if p.arxiv_id]
        typer.echo(f"Published versions: {len(result.published)} of {len(preprints)} preprint(s).")
        for found in result.published:
            where = " ".join(str(v) for v in (found.venue, found.year) if v)
            doi = f" doi:{found.doi}" if found.doi else ""
            typer.echo(one_line(f"Published: {_name(found.paper)}: {where}{doi} "
                                f"({found.source})"))  # fmt: skip
    if citations:
        typer.echo(f"Citation counts: {len(result.citations)} of {len(papers)} paper(s).")
    if result.unknown:
        typer.echo(f"Semantic Scholar does not know {len(result.unknown)} paper(s).")
    for message in result.warnings:
        warn(message)
