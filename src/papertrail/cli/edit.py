"""`edit`: change a paper's title, authors, year, links, identifiers, venue or key by hand.

The editor's module is imported only when a form is edited (start-up of `edit
--title` stays small).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli.app import examples, library, settings, warn
from papertrail.cli.refs import Ref, describe
from papertrail.cli.terminal.output import is_terminal
from papertrail.core import edit as editing
from papertrail.core import papers as core
from papertrail.errors import PapertrailError, UsageError
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from papertrail.db.store import Store

app = typer.Typer()  # this module's commands, registered in cli/commands.py


@app.command(
    epilog=examples(
        'papertrail edit 42 --title "Deep Residual Learning" --year 2016',
        "papertrail edit 42 --arxiv 1512.03385",
        "papertrail edit 42 --key he2016resnet",
        "papertrail edit 42 --type inproceedings --pages 770-778",
        "papertrail edit 42",
    )
)
def edit(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str | None, typer.Option(help="The title.", show_default=False)] = None,
    authors: Annotated[
        str | None, typer.Option(help='The authors, "A; B" ("" clears).', show_default=False)
    ] = None,
    year: Annotated[str | None, typer.Option(help="The year.", show_default=False)] = None,
    url: Annotated[str | None, typer.Option(help="The link.", show_default=False)] = None,
    doi: Annotated[str | None, typer.Option(help="The DOI (10.x/y).", show_default=False)] = None,
    arxiv: Annotated[
        str | None,
        typer.Option(
            help="Its arXiv id: links the paper and fetches metadata.", show_default=False
        ),
    ] = None,
    venue: Annotated[
        str | None, typer.Option(help="Journal or conference.", show_default=False)
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(help='Its citation key in exports ("" makes a new one).', show_default=False),
    ] = None,
    entry_type: Annotated[
        str | None,
        typer.Option(
            "--type", help="Its entry type: article, inproceedings, book...", show_default=False
        ),
    ] = None,
    pages: Annotated[str | None, typer.Option(help="Its pages (14-26).", show_default=False)] = (
        None
    ),
    volume: Annotated[str | None, typer.Option(help="The volume.", show_default=False)] = None,
    number: Annotated[
        str | None, typer.Option(help="The issue number.", show_default=False)
    ] = None,
    publisher: Annotated[
        str | None, typer.Option(help="The publisher.", show_default=False)
    ] = None,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Do not ask arXiv after linking an id.")
    ] = False,
) -> None:
    """Change fields of a paper; with no option, edit them all in $VISUAL / $EDITOR.

    Fields you edit are kept: `fetch` never replaces them with arXiv's.
    """
    given = {"title": title, "authors": authors, "year": year, "url": url, "doi": doi,
             "arxiv": arxiv, "venue": venue, "key": key, "type": entry_type, "volume": volume,
             "number": number, "pages": pages, "publisher": publisher}  # fmt: skip
    raw = {name: value for name, value in given.items() if value is not None}
    with library(ctx) as store:
        paper_id = store.resolve(ref)
        if raw:
            result = editing.edit_paper(store, paper_id, raw)
        else:
            result = _edit_in_editor(store, paper_id)
        if not result.changed:
            typer.echo(f"Nothing changed: {describe(result.paper)}")
            return
        typer.echo(f"Edited {describe(result.paper)}: {', '.join(result.changed)}")
        for note in result.notes:
            typer.echo(f"Note: {one_line(note)}", err=True)
        if result.linked_arxiv and not no_fetch:
            _fetch_linked(store, ctx, result.linked_arxiv)


def _edit_in_editor(store: Store, paper_id: int) -> editing.EditResult:
    """Open the form; on a terminal a bad value reopens it, as typed, with the reason on top."""
    from papertrail.cli.terminal.editor import edit_text, kept_in_file

    paper = store.get(paper_id)
    text = editing.form_text(paper)
    while True:
        edited = edit_text(text, suffix=".txt")
        try:
            typed = editing.typed_fields(paper, editing.parse_form(edited))
            return editing.edit_paper(store, paper_id, typed, started_from=paper)
        except editing.EditConflict as error:
            raise PapertrailError(f"{error}: nothing changed; {kept_in_file(edited)}") from None
        except UsageError as error:
            if edited == text or not is_terminal(sys.stdin):
                raise  # saved unchanged after an error, or no one to ask: refuse with the reason
            kept = [line for line in edited.splitlines() if not line.startswith("# ERROR")]
            text = f"# ERROR: {error}\n" + "\n".join(kept) + "\n"


def _fetch_linked(store: Store, ctx: typer.Context, arxiv_id: str) -> None:
    config = settings(ctx)
    if config.offline:
        warn(f"offline: arXiv metadata for {arxiv_id} is pending; run `papertrail fetch` later")
        return
    result = core.fetch_metadata(store, config, [arxiv_id])
    if result.failure:
        warn(f"{result.failure}; run `papertrail fetch` later")
    elif result.not_on_arxiv:
        warn(f"arXiv has no paper {arxiv_id}")
    elif result.updated:
        typer.echo(f"Fetched metadata for {arxiv_id}")
