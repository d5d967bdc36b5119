"""Commands on papers: add, list, show, mark-read/-reading/-unread, note, remove, open.

Each command imports what only it needs (Rich's panels and tables on a terminal,
the DOI services, the editor) inside its function: the other commands of this module start
without them (start-up is budgeted in benchmarks/).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, library, paged_output, settings, warn
from papertrail.cli.filters import (
    YEARS,
    AuthorFilter,
    LimitOption,
    ReverseOption,
    SearchFilter,
    SinceFilter,
    SortOption,
    Status,
    StatusFilter,
    TagFilter,
    TopicFilter,
    UntilFilter,
    YearFilter,
    paper_query,
)
from papertrail.cli.refs import OptionalRefs, Ref, Refs, TopicOption, describe, stdin_refs
from papertrail.cli.terminal.output import (
    is_terminal,
    summary_line,
    write_json,
    write_json_array,
    write_lines,
    write_paper_plain,
    write_rows,
)
from papertrail.core import papers as core
from papertrail.core.refs import resolve_all
from papertrail.errors import EXIT_ERROR, NotARef, PaperNotFound, PapertrailError, UsageError
from papertrail.model.ids import names_arxiv_paper, parse_arxiv_id, parse_doi
from papertrail.model.records import Paper
from papertrail.model.text import clean, one_line

if TYPE_CHECKING:
    from papertrail.db.store import Store
    from papertrail.model.query import PaperQuery

app = typer.Typer()  # this module's commands, registered in cli/commands.py

# -- add / fetch ----------------------------------------------------------------------------


@app.command(
    epilog=examples(
        "papertrail add 1706.03762 https://arxiv.org/abs/1512.03385v1 -t cnn",
        "papertrail add 1510.00149 --no-fetch --status reading",
        "papertrail add doi:10.1145/3184558.3186235",
        'papertrail add --title "Deep Sparse Rectifier Neural Networks" --year 2011',
    )
)
def add(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            help="arXiv ids or URLs, or DOIs (10.x/..., doi:..., https://doi.org/...); "
            "- reads them from standard input.",
            show_default=False,
            callback=stdin_refs,
        ),
    ] = None,
    topic: TopicOption = None,
    status: Annotated[Status | None, typer.Option(help="Reading status.")] = None,
    note: Annotated[str | None, typer.Option(help="A note to keep with the paper(s).")] = None,
    no_fetch: Annotated[bool, typer.Option("--no-fetch", help="Do not ask arXiv now.")] = False,
    title: Annotated[str | None, typer.Option(help="Title of a paper not on arXiv.")] = None,
    url: Annotated[str | None, typer.Option(help="Link to a paper not on arXiv.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of a paper not on arXiv.", **YEARS)] = None,
    authors: Annotated[
        str | None, typer.Option(help='Authors of a paper not on arXiv, "A; B".')
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Download arXiv's PDF too (indexed for `find`).")
    ] = False,
) -> None:
    """Add papers by arXiv id or URL (metadata fetched in one request), by DOI (Crossref),
    or one by --title."""
    status_value = status.value if status else None
    topic = topic or _default_topic()
    if title is not None:
        if refs:
            raise UsageError("give either arXiv REFs or --title, not both")
        with library(ctx, create=True) as store:
            paper, created = core.add_manual(
                store, title=title, url=url, year=year,
                authors=(authors or "").split(";"), topics=topic or [],
                status=status_value, note=note,
            )  # fmt: skip
        typer.echo(("Added " if created else "Already in the library: ") + describe(paper))
        return
    if not refs:
        raise UsageError("give at least one arXiv id or URL, or --title for other papers")
    dois = [doi for doi in map(parse_doi, refs) if doi is not None]
    arxiv_refs = [ref for ref in refs if parse_doi(ref) is None]
    for ref in arxiv_refs:  # a usage error before anything is written (exit 2)
        if not names_arxiv_paper(ref):
            raise NotARef(ref)
    failed = False
    with library(ctx, create=True) as store:
        if dois:
            failed = _add_dois(ctx, store, dois, topic or [], status_value, note, not no_fetch)
        if arxiv_refs:
            result = core.add_arxiv(
                store, settings(ctx), arxiv_refs, topics=topic or [], status=status_value,
                note=note, fetch=not no_fetch,
            )  # fmt: skip
            failed = _report_add(result) or failed
            if pdf:
                papers = result.added + [paper for paper, _ in result.already_present]
                failed = _add_pdfs(ctx, store, papers, no_fetch) or failed
    if failed:
        raise typer.Exit(EXIT_ERROR)


def _default_topic() -> list[str]:
    """The `default_topic` setting, for an `add` given no -t."""
    from papertrail.config import setting

    value = setting("default_topic")
    return [value] if isinstance(value, str) and value.strip() else []


def _add_pdfs(ctx: typer.Context, store: Store, papers: list[Paper], no_fetch: bool) -> bool:
    """`add --pdf`: the new papers' PDFs, as `fetch --pdf` gets them; whether some failed."""
    if no_fetch or settings(ctx).offline:
        why = "--no-fetch" if no_fetch else "offline (PAPERTRAIL_OFFLINE)"
        warn(f"PDFs not downloaded ({why}); run `papertrail fetch --pdf` later")
        return False
    from papertrail.cli.fetch import download_pdfs  # `add --pdf` only

    return download_pdfs(store, settings(ctx), [paper.id for paper in papers])


def _add_dois(
    ctx: typer.Context, store: Store, dois: list[str], topics: list[str],
    status: str | None, note: str | None, fetch: bool,
) -> bool:  # fmt: skip
    """Papers by DOI, with Crossref's (or OpenAlex's) metadata; whether some were unknown."""
    from papertrail.core.not_on_arxiv import add_dois

    config = None
    if fetch:  # the services package is loaded only to talk to a service
        from papertrail.services.config import ServiceSettings

        config = ServiceSettings.load(settings(ctx).offline)
    result = add_dois(store, config, dois, topics=topics, status=status, note=note, fetch=fetch)
    _report_added(result.added, result.already_present, result.pending, result.offline_reason)
    for doi in result.unknown:
        typer.echo(f"Error: neither Crossref nor OpenAlex knows DOI {one_line(doi)}: nothing added",
                   err=True)  # fmt: skip
    return bool(result.unknown)


def _report_add(result: core.AddResult) -> bool:
    """Say what `add` did; whether some REFs were refused."""
    _report_added(result.added, result.already_present, result.pending, result.offline_reason)
    for arxiv_id in result.not_on_arxiv:
        typer.echo(f"Error: arXiv has no paper {arxiv_id}", err=True)
    for ref, why in result.rejected:
        typer.echo(f"Error: {one_line(ref)}: {one_line(why)}", err=True)
    return bool(result.not_on_arxiv or result.rejected)


def _report_added(
    added: list[Paper],
    already_present: list[tuple[Paper, list[str]]],
    pending: list[Paper],
    offline_reason: str | None,
) -> None:
    for paper in added:
        typer.echo("Added " + describe(paper))
    for paper, new_topics in already_present:
        extra = f" (added topics: {', '.join(new_topics)})" if new_topics else ""
        typer.echo(f"Already in the library: {describe(paper)}{extra}")
    if pending:
        warn(
            f"{len(pending)} paper(s) added without metadata ({offline_reason}); "
            "run `papertrail fetch` later"
        )


# -- list / show ----------------------------------------------------------------------------


@app.command(
    "list",
    epilog=examples(
        "papertrail list --topic quantization --status unread",
        "papertrail list --search distillation --since 2020 --sort published",
        "papertrail list --no-pager",
        "papertrail list --ids --topic cnn | papertrail tag -t vision -",
        "papertrail list --keys --topic thesis",
    ),
)
def list_papers(
    ctx: typer.Context,
    topic: TopicFilter = None,
    status: StatusFilter = None,
    search: SearchFilter = None,
    author: AuthorFilter = None,
    year: YearFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    tag: TagFilter = None,
    sort: SortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    ids: Annotated[
        bool, typer.Option("--ids", help="Only the ids, one a line (to pipe into `tag -t T -`).")
    ] = False,
    keys: Annotated[
        bool,
        typer.Option("--keys", help="Only the citation keys, one a line (editors complete them)."),
    ] = False,
    has_pdf: Annotated[
        bool | None,
        typer.Option(
            "--has-pdf/--no-pdf",
            help="Only the papers that have a PDF (or have none).",
            show_default=False,
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    read_by: Annotated[
        str | None,
        typer.Option(
            "--read-by",
            help="Only the papers this reader (a lab member) has read.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List papers: a table on a terminal, tab-separated lines when piped."""
    with library(ctx) as store:
        query = paper_query(
            store, topic=topic, status=status, search=search, author=author,
            year=year, since=since, sort=sort, limit=limit, reverse=reverse, has_pdf=has_pdf,
            until=until, tag=tag,
        )._replace(read_by=read_by)  # fmt: skip
        if json_out:
            from papertrail.core.files import with_files  # the JSON's files, only

            write_json_array(
                paper.to_json() for paper in with_files(store, store.iter_papers(query))
            )
        elif ids:
            write_rows([str(paper.id)] for paper in store.iter_summaries(query))
        elif keys:
            write_rows([row[0]] for row in store.iter_rows(query, ("citation_key",)) if row[0])
        elif is_terminal():
            _print_table(ctx, store, query)
        else:
            write_lines(map(summary_line, store.iter_summaries(query)))


def _print_table(ctx: typer.Context, store: Store, query: PaperQuery) -> None:
    """The terminal table, streamed (through the pager) as its rows are read."""
    from papertrail.cli.terminal.table import write_table

    total = store.count_papers()
    extents = store.summary_extents(query)
    if not extents.max_id:
        typer.echo(f"No papers match (0 of {total} papers).")
        return
    matching = store.count_matching(query)
    with paged_output(ctx) as out:
        write_table(out, store.iter_summaries(query), extents, total=total, matching=matching)


@app.command(
    epilog=examples(
        "papertrail show 1706.03762",
        "papertrail show 42 --json",
    )
)
def show(
    ctx: typer.Context,
    ref: Ref,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Everything about one paper: abstract, authors, links, topics, note, dates, files.

    The arXiv id of an item waiting in the inbox shows the item (abstract, why it fits)."""
    from papertrail.cli.terminal.lab import lab_lines  # the lab's lines, only here
    from papertrail.core.readers import lab_view

    with library(ctx) as store:
        try:
            paper = core.get_paper(store, ref)
        except PaperNotFound:
            if not _show_inbox_item(store, ref, json_out):
                raise
            return
        from papertrail.core.files import with_files  # the paper's files, only here

        paper = next(with_files(store, [paper], few=True))
        view = lab_view(store, paper.id)
    # Who in the lab read it (the others; one's own status is the paper's) and the shared
    # notes, apart from one's own note.
    view = view._replace(readers=[r for r in view.readers if r.reader != store.reader_name])
    if json_out:  # the paper object of the JSON contract; `who-read --json` has the lab's
        write_json(paper.to_json())
    elif is_terminal():
        from rich.text import Text  # Rich on a terminal only, as paper_panel

        from papertrail.cli.terminal.render import console, paper_panel

        with paged_output(ctx) as out:
            console(out).print(paper_panel(paper))
            for line in lab_lines(view):
                console(out).print(Text(line))
    else:
        write_paper_plain(paper)
        lines = lab_lines(view)
        if lines:
            typer.echo("\n" + "\n".join(lines))


def _show_inbox_item(store: Store, ref: str, json_out: bool) -> bool:
    """`show ARXIV-ID` of an item waiting in the inbox: the item (False: no such item)."""
    from papertrail.core.inbox import item_of_arxiv_id  # only when no paper matched

    try:
        arxiv_id = parse_arxiv_id(ref).id
    except PapertrailError:
        return False
    entry = item_of_arxiv_id(store, arxiv_id)
    if entry is None:
        return False
    from papertrail.cli.inbox import show_inbox_item  # the inbox's rendering, only here

    show_inbox_item(store, entry, json_out=json_out)
    return True


# -- status -----------------------------------------------------------------------------------


def _mark(ctx: typer.Context, refs: list[str] | None, status: str, on: str | None = None) -> None:
    from papertrail.core.queue import parse_day

    when = parse_day(on) if on is not None else None
    with library(ctx) as store:
        if not refs:
            refs = _pick_interactively(store, status)
        for paper in core.set_status(store, refs, status, on=when):
            typer.echo(f"Marked {status}: {describe(paper)}")


def _pick_interactively(store: Store, status: str) -> list[str]:
    """What is likely (papers being read, the queue, the latest adds) in the terminal
    table; the user types the ids to mark, or /WORDS to find them among every unread and
    reading paper (title, authors, topics): never the whole library on the screen."""
    if not (is_terminal(sys.stdin) and is_terminal()):
        raise UsageError(f"give the papers to mark {status} (REF...); picking needs a terminal")
    from papertrail.cli.terminal.table import measure, write_table

    candidates = core.papers_to_pick(store)
    if not candidates:
        raise UsageError("no unread or reading papers to pick from")
    likely = core.likely_picks(store) or candidates[: core.PICK_SHOWN]
    shown = likely
    while True:
        write_table(sys.stdout, shown, measure(shown), total=len(candidates),
                    title=f"Mark {status}: which papers?")  # fmt: skip
        answer = typer.prompt(
            "Paper ids (space-separated), /WORDS to filter, empty to cancel",
            default="", show_default=False,
        ).strip()  # fmt: skip
        if not answer.startswith("/"):
            break
        found = core.matching(candidates, answer[1:])
        if not found:
            typer.echo(f"No paper matches {one_line(answer[1:])!r}; showing the likely ones.")
        elif len(found) > core.PICK_SHOWN:
            typer.echo(f"{len(found)} papers match; the first {core.PICK_SHOWN} are shown.")
        shown = found[: core.PICK_SHOWN] or likely
    picked = answer.replace(",", " ").split()
    if not picked:
        raise typer.Exit(0)
    return picked


OnOption = Annotated[
    str | None,
    typer.Option("--on", help="The day, YYYY-MM-DD (default: now).", show_default=False),
]


@app.command(
    "mark-read",
    epilog=examples(
        "papertrail mark-read 1510.00149",
        "papertrail mark-read 12 13 --on 2026-11-02",
        "papertrail mark-read        (on a terminal: pick from a list, /WORDS filters it)",
    ),
)
def mark_read(ctx: typer.Context, refs: OptionalRefs = None, on: OnOption = None) -> None:
    """Mark papers read (records when; takes them off the queue). With no REF on a terminal,
    pick from a list."""
    _mark(ctx, refs, "read", on)


@app.command(
    "mark-reading",
    epilog=examples(
        "papertrail mark-reading 1602.02830",
        "papertrail list --ids --topic pruning | papertrail mark-reading -",
    ),
)
def mark_reading(ctx: typer.Context, refs: Refs, on: OnOption = None) -> None:
    """Mark papers as being read (records when reading started; puts them at the top of the
    queue)."""
    _mark(ctx, refs, "reading", on)


@app.command(
    "mark-unread",
    epilog=examples(
        "papertrail mark-unread 40",
    ),
)
def mark_unread(ctx: typer.Context, refs: Refs) -> None:
    """Mark papers unread again (clears the reading dates)."""
    _mark(ctx, refs, "unread")


# -- topics, notes, removal, browser -----------------------------------------------------------


@app.command(
    epilog=examples(
        'papertrail note 1706.03762 "Read section 3 again"',
        "papertrail note 1706.03762",
        "papertrail note 42 --edit",
    )
)
def note(
    ctx: typer.Context,
    ref: Ref,
    text: Annotated[
        str | None, typer.Argument(help="A paragraph to add to the note.", show_default=False)
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help='Replace the whole note with TEXT ("" clears it).')
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", help="Edit the whole note in $VISUAL / $EDITOR.")
    ] = False,
    shared: Annotated[
        bool,
        typer.Option(
            "--shared",
            help="Your note the lab sees (`show` lists it apart); without it, notes are private.",
        ),
    ] = False,
) -> None:
    """Add a dated paragraph to a paper's note (what it said before stays); no TEXT shows it."""
    if edit and (replace or text is not None):
        raise UsageError("--edit takes no TEXT and no --replace")
    if shared:
        _shared_note(ctx, ref, text, replace=replace, edit=edit)
        return
    with library(ctx) as store:
        if edit:
            paper = _edit_note(store, ref)
        elif text is None:
            if replace:
                raise UsageError('--replace needs the new TEXT ("" clears the note)')
            paper = core.get_paper(store, ref)
            typer.echo(clean(paper.note) if paper.note else f"Paper {paper.id} has no note.")
            return
        elif replace:
            paper = core.set_note(store, ref, text)
        else:
            paper = core.append_note(store, ref, text)
    typer.echo(("Noted " if paper.note else "Cleared the note of ") + describe(paper))


def _shared_note(
    ctx: typer.Context, ref: str, text: str | None, *, replace: bool, edit: bool
) -> None:
    """`note --shared`: the reader's note the lab sees."""
    from papertrail.core.readers import share_note

    with library(ctx) as store:
        if text is None and not edit:
            if replace:
                raise UsageError('--replace needs the new TEXT ("" clears the note)')
            paper = core.get_paper(store, ref)
            shared = store.shared_note(paper.id)
            typer.echo(
                clean(shared) if shared else f"Paper {paper.id} has no shared note of yours."
            )
            return
        if edit:
            from papertrail.cli.terminal.editor import edit_text

            paper = core.get_paper(store, ref)
            before = store.shared_note(paper.id) or ""
            text = edit_text(before, suffix=".txt")
            if text.strip() == before.strip():
                typer.echo(f"Shared note unchanged: {describe(paper)}")
                return
            replace = True
        paper, now = share_note(store, ref, text or "", replace=replace)
    typer.echo(("Shared a note on " if now else "Cleared the shared note of ") + describe(paper))


def _edit_note(store: Store, ref: str) -> Paper:
    from papertrail.cli.terminal.editor import edit_text, kept_in_file

    paper = core.get_paper(store, ref)
    edited = edit_text(paper.note or "", suffix=".txt")
    if edited.strip() == (paper.note or "").strip():
        typer.echo(f"Note unchanged: {describe(paper)}")
        raise typer.Exit(0)
    try:
        return core.edit_note(store, paper.id, edited, started_from=paper.note)
    except core.NoteConflict as error:
        raise PapertrailError(f"{error}: nothing changed; {kept_in_file(edited)}") from None


@app.command(
    epilog=examples(
        "papertrail remove 42",
        "papertrail remove 12 13 --yes",
    )
)
def remove(
    ctx: typer.Context,
    refs: Refs,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove papers from the library."""
    with library(ctx) as store:
        papers = store.get_many(resolve_all(store, refs))
        if not yes:
            if not is_terminal(sys.stdin):
                raise UsageError("removing needs --yes when not on a terminal")
            for paper in papers:
                typer.echo(describe(paper))
            typer.confirm(f"Remove these {len(papers)} paper(s)?", abort=True)
        core.remove(store, [paper.id for paper in papers])
    for paper in papers:
        typer.echo("Removed " + describe(paper))


@app.command(
    "open",
    epilog=examples(
        "papertrail open 1706.03762",
        "papertrail open 42 --web",
        "papertrail open 42 --pdf",
    ),
)
def open_paper(
    ctx: typer.Context,
    ref: Ref,
    web: Annotated[
        bool, typer.Option("--web", help="The abstract page in the browser, not the PDF.")
    ] = False,
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="The PDF: the local file, else arXiv's in the browser."),
    ] = False,
) -> None:
    """Open a paper's PDF (the local file when there is one), or its abstract page with
    --web."""
    if web and pdf:
        raise UsageError("give --web or --pdf, not both")
    with library(ctx) as store:
        paper = core.get_paper(store, ref)
        local = None
        if not web:
            from papertrail.core.files import local_pdf  # the file store: only to open a file

            local = local_pdf(store, paper)
    if local is not None:
        typer.echo(f"Opening {one_line(str(local))}")
        _show_file(local)
        return
    url = core.browser_url(paper, pdf=pdf)
    import webbrowser

    typer.echo(f"Opening {one_line(url)}")
    if not webbrowser.open(url):
        warn("no browser could be started; open the address above yourself")


def _show_file(path: Path) -> None:
    """Hand a local file to the viewer: the `opener` setting, else the system's."""
    import shlex
    import shutil
    import subprocess

    from papertrail.config import opener_setting

    configured = opener_setting()
    command = shlex.split(configured) if configured else None
    if command is None:
        found = shutil.which("xdg-open") or shutil.which("open")
        command = [found] if found else None
    if command is None:
        import webbrowser

        if not webbrowser.open(path.as_uri()):
            warn("no program to open it was found; set PAPERTRAIL_OPENER, or open it yourself")
        return
    try:
        subprocess.Popen(
            [*command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    except OSError as error:
        raise PapertrailError(
            f"cannot run {command[0]!r} to open it: {error.strerror or error}"
        ) from None
