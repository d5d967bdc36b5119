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
from papertrail.core.fetch_log import (
    ARXIV,
    COMPLETE,
    FETCH_AGAIN_DAYS,
    SEMANTIC_SCHOLAR,
    remember,
    unasked,
)
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
    retry: Annotated[
        bool,
        typer.Option(
            "--retry",
            help=f"Ask again about papers a service answered about in the last "
            f"{FETCH_AGAIN_DAYS} days (it had no such paper, or nothing matched).",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="List each failure, and why each search hit was taken or not."
        ),
    ] = False,
) -> None:
    """Fetch arXiv metadata for papers that lack it; complete papers not on arXiv from
    Crossref and DBLP; with --published/--citations, ask Semantic Scholar too.

    What a service answered is remembered: a paper it did not know is not asked again for
    a while (--retry asks again; papers named as REFs are always asked)."""
    config = settings(ctx)
    tally = Tally()
    with library(ctx) as store:
        targets = core.fetch_targets(store, refs or [], refresh)
        others = papers_to_complete(store, refs or [])
        if not refs:  # papers named on the command line are always asked
            targets, tally.skipped = _unasked_arxiv(store, targets, retry)
            kept = unasked(store, COMPLETE, [p.id for p in others], retry=retry)
            others = [p for p in others if p.id in set(kept.ask)]
            tally.skipped += kept.skipped
        failed = False
        if targets:
            failed = _fetch_arxiv(store, config, targets, verbose, tally)
        elif not (others or published or citations or pdf):
            typer.echo("Nothing to fetch: every arXiv paper has its metadata.")
            _say_skipped(tally)
            return
        complete(store, config, others, verbose, tally)
        if published or citations:
            published_and_citations(
                store, config, refs or [], published, citations, retry=retry, tally=tally
            )
        if pdf:
            failed = _fetch_pdfs(store, config, refs or []) or failed
        if tally.stored():
            store.set_summary(tally.summary())
    _say_skipped(tally)
    if failed or tally.failed:
        raise typer.Exit(EXIT_ERROR)


class Tally:
    """What one `fetch` stored and skipped, for its history entry and its last lines."""

    def __init__(self) -> None:
        self.metadata = self.completed = self.published = self.citations = 0
        self.skipped = 0  # papers not asked: answered about lately
        self.failed = False  # something failed: the exit code says so

    def stored(self) -> int:
        return self.metadata + self.completed + self.published + self.citations

    def summary(self) -> str:
        parts = [
            (self.metadata, "arXiv metadata"),
            (self.completed, "completed from Crossref/DBLP"),
            (self.published, "published version(s)"),
            (self.citations, "citation count(s)"),
        ]
        return "fetched " + ", ".join(f"{n} {what}" for n, what in parts if n)


def _say_skipped(tally: Tally) -> None:
    if tally.skipped:
        typer.echo(
            f"Not asked again: {tally.skipped} paper(s) the services answered about in the "
            f"last {FETCH_AGAIN_DAYS} days (--retry asks again).",
            err=True,
        )


def _unasked_arxiv(store: Store, targets: list[str], retry: bool) -> tuple[list[str], int]:
    """The arXiv ids arXiv was not asked about lately, and how many it was."""
    ids = store.find_arxiv(targets)
    kept = set(unasked(store, ARXIV, list(ids.values()), retry=retry).ask)
    wanted = [arxiv_id for arxiv_id in targets if ids.get(arxiv_id) in kept]
    return wanted, len(targets) - len(wanted)


def _fetch_arxiv(
    store: Store, config: Settings, targets: list[str], verbose: bool, tally: Tally
) -> bool:
    """The arXiv part of `fetch`; whether some ids were refused."""
    requests = -(-len(targets) // config.batch_size)
    seconds = (requests - 1) * config.arxiv_delay
    if seconds >= LONG_RUN:  # say up front how long
        typer.echo(
            f"Asking arXiv about {len(targets)} paper(s) in {requests} requests "
            f"{config.arxiv_delay:g} s apart: about {_duration(seconds)}.",
            err=True,
        )
    result = _fetch_with_progress(store, config, targets)
    tally.metadata += result.updated
    typer.echo(f"Fetched metadata for {result.updated} of {len(targets)} paper(s).")
    for paper, old in result.newer_versions:
        typer.echo(f"Newer version: {describe(paper)} is now v{paper.version} (was v{old})")
    missing = [*result.not_on_arxiv, *(ref for ref, _ in result.rejected)]
    remember(store, ARXIV, [], store.find_arxiv(missing).values())
    if verbose or len(missing) == 1:
        for arxiv_id in result.not_on_arxiv:
            typer.echo(f"Error: arXiv has no paper {arxiv_id}", err=True)
        for ref, why in result.rejected:
            typer.echo(f"Error: {one_line(ref)}: {one_line(why)}", err=True)
    elif missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        typer.echo(
            f"Error: arXiv has no paper for {len(missing)} id(s) ({shown}): not asked "
            f"again for {FETCH_AGAIN_DAYS} days (--retry); --verbose lists them",
            err=True,
        )
    if result.failure:
        fail(
            f"{result.failure}; {result.remaining} paper(s) still pending: "
            "run `papertrail fetch` again",
            EXIT_NETWORK,
        )
    return bool(missing)


LONG_RUN = 10  # seconds: a run expected to take longer says so before it starts


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


def _fetch_with_progress(store: Store, config: Settings, targets: list[str]) -> core.FetchResult:
    if not is_terminal(sys.stderr):
        requests = -(-len(targets) // config.batch_size)
        if (requests - 1) * config.arxiv_delay < LONG_RUN:  # short: no progress to show
            return core.fetch_metadata(store, config, targets)
        # Piped, a long run: plain progress lines on stderr, one a request.
        return core.fetch_metadata(
            store, config, targets,
            progress=lambda done: typer.echo(f"arXiv: {done}/{len(targets)}", err=True),
        )  # fmt: skip
    from papertrail.cli.terminal.render import progress_bar  # a terminal only

    with progress_bar() as progress:
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
        from papertrail.cli.terminal.render import progress_bar  # a terminal only

        with progress_bar() as progress:
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


def complete(
    store: Store, config: Settings, papers: list[Paper], verbose: bool, tally: Tally | None = None
) -> None:
    if not papers:
        return
    from papertrail.core.not_on_arxiv import complete_papers

    services = service_settings(config)
    seconds = len(papers) * 2 * services.delay  # two services a paper, a pause between
    if seconds >= LONG_RUN:
        typer.echo(
            f"Searching Crossref and DBLP for {len(papers)} paper(s) not on arXiv: "
            f"about {_duration(seconds)}.",
            err=True,
        )
    result = complete_papers(store, services, papers)
    found = [c.paper.id for c in result.completed]
    unanswered = [] if result.warnings else [c.paper.id for c in result.unsure + result.unmatched]
    remember(store, COMPLETE, found, unanswered)
    if tally is not None:
        tally.completed += len(found)
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
    store: Store,
    config: Settings,
    refs: Sequence[str],
    published: bool,
    citations: bool,
    *,
    retry: bool = False,
    tally: Tally | None = None,
) -> None:
    from papertrail.core.published import fetch_published_and_citations

    if refs:
        papers = [store.get(i) for i in dict.fromkeys(map(store.resolve, refs))]
    else:
        papers = [p for p in store.iter_papers(PaperQuery()) if p.arxiv_id or p.doi]
        kept = unasked(store, SEMANTIC_SCHOLAR, [p.id for p in papers], retry=retry)
        papers = [p for p in papers if p.id in set(kept.ask)]
        if tally is not None:
            tally.skipped += kept.skipped
    if len(papers) > 500:
        typer.echo(f"Asking Semantic Scholar about {len(papers)} paper(s).", err=True)
    result = fetch_published_and_citations(
        store, service_settings(config), papers, published=published, citations=citations
    )
    unknown = {p.id for p in result.unknown}
    answered = [p.id for p in papers if p.id not in unknown]
    remember(store, SEMANTIC_SCHOLAR, answered, [] if result.warnings else unknown)
    if tally is not None:
        tally.published += len(result.published)
        tally.citations += len(result.citations)
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
