"""`papertrail feed add|list|remove` and `papertrail inbox [add|dismiss]`.

Rich is imported only when the inbox is drawn on a terminal: piped output starts
without it (start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from papertrail.cli import complete
from papertrail.cli.app import examples, library, settings, warn
from papertrail.cli.refs import TopicOption, describe, parse_numbers, report_added
from papertrail.cli.terminal.output import is_terminal, short_abstract, write_json, write_rows
from papertrail.errors import UsageError
from papertrail.model.records import JSON_KEYS
from papertrail.model.text import one_line

if TYPE_CHECKING:
    from papertrail.core.inbox import Refresh
    from papertrail.core.ranking import Fit, RankedInbox
    from papertrail.db.store import Store
    from papertrail.model.records import FeedSpec, InboxEntry, Paper

from papertrail.core import inbox as core

app = typer.Typer()  # this module's commands, registered in cli/commands.py
feed_app = typer.Typer(
    help="Follow arXiv categories (with keyword and author filters).",
    epilog=examples(
        "papertrail feed add cs.LG stat.ML --keyword quantiz -t quantization",
        "papertrail feed list",
        "papertrail feed remove 2",
    ),
    no_args_is_help=True,
)
INBOX_HELP = (
    "Fetch today's announcements of the followed categories and list the inbox, best fit "
    "to the library first; `inbox add N` takes items, `inbox dismiss N` drops them."
)
inbox_app = typer.Typer(
    help=INBOX_HELP,
    epilog=examples(
        "papertrail inbox",
        "papertrail inbox --topic quantization --abstracts",
        "papertrail inbox show 3",
        "papertrail inbox add 2 5-7 -t to-read",
        "papertrail inbox dismiss --all",
    ),
)
app.add_typer(feed_app, name="feed")
app.add_typer(inbox_app, name="inbox")

Numbers = Annotated[list[str], typer.Argument(help="Item numbers as `inbox` shows them (3 5-7).")]


# -- feed ---------------------------------------------------------------------------------------


@feed_app.command(
    "add",
    epilog=examples(
        "papertrail feed add cs.LG stat.ML --keyword quantiz -t quantization",
        "papertrail feed add hep-th --author Witten",
        "papertrail feed add math",
    ),
)
def feed_add(
    ctx: typer.Context,
    categories: Annotated[
        list[str],
        typer.Argument(
            help="arXiv categories (cs.LG, hep-th) or archives (math).",
            autocompletion=complete.categories,
        ),
    ],
    keyword: Annotated[
        list[str] | None,
        typer.Option("--keyword", "-k", help="Keep items mentioning this (repeatable)."),
    ] = None,
    author: Annotated[
        list[str] | None,
        typer.Option("--author", "-a", help="Keep items by this author (repeatable)."),
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Topic for papers taken from this feed.")
    ] = None,
) -> None:
    """Follow arXiv categories; with filters, only items matching a keyword or author."""
    with library(ctx, create=True) as store:
        feed = core.follow(store, categories, keyword or [], author or [], topic)
    typer.echo(f"Following {_describe_feed(feed)}")


def _describe_feed(feed: FeedSpec) -> str:
    parts = [f"[{feed.id}] {' '.join(feed.categories)}"]
    if feed.keywords:
        parts.append("keywords: " + ", ".join(feed.keywords))
    if feed.authors:
        parts.append("authors: " + ", ".join(feed.authors))
    if feed.topic:
        parts.append(f"topic: {feed.topic}")
    return one_line("; ".join(parts))


@feed_app.command("list", epilog=examples("papertrail feed list", "papertrail feed list --json"))
def feed_list(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """The followed feeds: id, categories, keywords, authors, topic."""
    with library(ctx) as store:
        feeds = store.feeds()
    if json_out:
        write_json([_feed_json(feed) for feed in feeds])
    elif not feeds:
        typer.echo("No feeds followed: `papertrail feed add CATEGORY...` follows one.")
    elif is_terminal():  # the one table style (docs/cli.md), not raw tab-separated lines
        from papertrail.cli.terminal.render import console, feeds_table

        console().print(feeds_table(feeds))
    else:
        write_rows(
            [str(f.id), " ".join(f.categories), one_line("; ".join(f.keywords)),
             one_line("; ".join(f.authors)), f.topic or ""]
            for f in feeds
        )  # fmt: skip


def _feed_json(feed: FeedSpec) -> dict[str, object]:
    return {
        "id": feed.id, "categories": feed.categories, "keywords": feed.keywords,
        "authors": feed.authors, "topic": feed.topic, "created_at": feed.created_at,
    }  # fmt: skip


@feed_app.command("remove", epilog=examples("papertrail feed remove 2"))
def feed_remove(
    ctx: typer.Context,
    feed_ids: Annotated[
        list[int],
        typer.Argument(help="Feed ids as `feed list` shows them.", autocompletion=complete.feeds),
    ],
) -> None:
    """Stop following feeds (items already in the inbox stay)."""
    with library(ctx) as store:
        removed = core.unfollow(store, feed_ids)
    for feed in removed:
        typer.echo(f"Stopped following {_describe_feed(feed)}")


# -- inbox --------------------------------------------------------------------------------------


@inbox_app.callback(invoke_without_command=True)
def inbox(
    ctx: typer.Context,
    everything: Annotated[
        bool, typer.Option("--all", help="Keep every item of the categories, filters aside.")
    ] = False,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Show the stored inbox without asking arXiv.")
    ] = False,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="`interest`: best fit to the library first (the default); `date`: arXiv's order.",
        ),
    ] = "interest",
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Rank for this topic alone.")
    ] = None,
    abstracts: Annotated[
        bool, typer.Option("--abstracts", help="Show the start of each abstract.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, max=1_000_000, help="Show the N best at most."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Fetch today's announcements of the followed categories and list the inbox, best fit
    to the library first; `inbox add N` takes items, `inbox dismiss N` drops them."""
    if ctx.invoked_subcommand is not None:
        return
    if sort not in ("interest", "date"):
        raise UsageError(f"--sort takes interest or date, not {sort!r}")
    config = settings(ctx)
    with library(ctx) as store:
        if not no_fetch:
            _report_refresh(core.refresh(store, config, everything=everything))
        entries, expired = core.pending(store, config)
        fits = _ranked(store, entries, topic) if sort == "interest" and entries else None
    if expired:
        typer.echo(
            f"{len(expired)} item(s) left the inbox untouched after {config.inbox_days} days.",
            err=True,
        )
    if fits is not None:
        entries, found = fits.entries, fits.fits
    else:
        found = [None] * len(entries)
    if limit is not None:
        entries, found = entries[:limit], found[:limit]
    if json_out:
        write_json([inbox_json(entry, fit) for entry, fit in zip(entries, found, strict=True)])
    elif not entries:
        typer.echo("The inbox is empty.")
    elif is_terminal():
        _print_inbox(entries, found, abstracts=abstracts)
    else:
        write_rows(
            _entry_fields(entry, fit, abstracts=abstracts)
            for entry, fit in zip(entries, found, strict=True)
        )


def _ranked(store: Store, entries: list[InboxEntry], topic: str | None) -> RankedInbox | None:
    """The inbox in order of interest; None (arXiv's order, with a warning saying what is
    missing) when the library has nothing to learn from and no topic was asked for."""
    from papertrail.core import ranking  # numpy: only the commands that rank load it

    try:
        return ranking.rank_inbox(store, entries, topic)
    except ranking.NothingToLearn as missing:
        if topic is not None:
            raise
        warn(f"not ranked (arXiv's order): {missing}")
        return None


def inbox_json(entry: InboxEntry, fit: Fit | None) -> dict[str, object]:
    """The full paper object's keys (no library id: not in the library yet), the item's
    own, and the ranking's `score`, `topic` (null when not ranked) and `why` (why it fits;
    not ranked, why the feed kept it, as before ranking came); the feed's reason is
    `matched`."""
    record = entry.record
    paper = {key: getattr(record, key, None) for key in JSON_KEYS}
    paper["id"] = None
    paper["files"] = []
    item = entry.to_json()
    item["matched"] = item["why"]
    fitted = fit.to_json() if fit is not None else {"score": None, "topic": None}
    return {**paper, **item, **fitted}


def _report_refresh(found: Refresh) -> None:
    """What the fetch brought, on stderr: stdout is the inbox itself."""
    day = f" of {found.announced}" if found.announced else ""
    if not found.in_feed:
        typer.echo(
            f"No announcements{day}: arXiv publishes none on weekends and holidays.", err=True
        )
    else:
        typer.echo(
            f"arXiv announcements{day}: {found.in_feed} item(s); {len(found.filed)} new "
            f"in the inbox, {found.in_library} already in the library, "
            f"{found.already_seen} seen before.",
            err=True,
        )
    for paper, version in found.newer_versions:
        had = f"v{paper.version}" if paper.version else "an earlier version"
        typer.echo(
            f"Newer version on arXiv: {describe(paper)}: v{version} (the library has {had}); "
            f"`papertrail fetch --refresh {paper.id}` takes it",
            err=True,
        )


def _entry_fields(entry: InboxEntry, fit: Fit | None, *, abstracts: bool = False) -> list[str]:
    """number, arXiv id, title, authors, categories, why it matched; ranked: the score and
    why it fits; --abstracts: the abstract last."""
    record = entry.record
    fields = [
        str(entry.number), record.arxiv_id or "", one_line(record.title),
        one_line("; ".join(record.authors)), " ".join(record.categories),
        one_line(entry.reason),
    ]  # fmt: skip
    if fit is not None:
        fields += [f"{fit.score:.3f}", one_line(fit.why())]
    if abstracts:
        fields.append(one_line(record.abstract or ""))
    return fields


def _print_inbox(
    entries: list[InboxEntry], found: list[Fit | None], *, abstracts: bool = False
) -> None:
    from rich.text import Text

    from papertrail.cli.terminal.render import console
    from papertrail.cli.terminal.render import table as one_style

    ranked = any(fit is not None for fit in found)
    table = one_style()  # the `list`/`stats` style: a bold header, no boxes
    table.pad_edge = False
    table.add_column("#", justify="right", no_wrap=True)
    if ranked:
        table.add_column("Fit", justify="right", no_wrap=True)
    table.add_column("Paper", ratio=1, min_width=30)
    table.add_column("Why", max_width=36)
    for entry, fit in zip(entries, found, strict=True):
        record = entry.record
        authors = record.authors[:3] + (
            [f"+{len(record.authors) - 3}"] if len(record.authors) > 3 else []
        )
        cell = Text(one_line(record.title), style="bold")
        cell.append("\n" + one_line(", ".join(authors)), style="")
        cell.append(f"\n{record.arxiv_id}  {' '.join(record.categories)}", style="dim")
        if abstracts and record.abstract:
            cell.append("\n" + short_abstract(record.abstract), style="italic")
        why = Text(one_line(fit.why()) + "\n" if fit is not None else "")
        why.append(one_line(entry.reason), style="dim" if fit is not None else "")
        row = [str(entry.number)] + ([f"{fit.score:.2f}" if fit else ""] if ranked else [])
        table.add_row(*row, cell, why)
    out = console()
    out.print(table)
    out.print(
        f"{len(entries)} item(s): `papertrail inbox add N` takes some, "
        "`papertrail inbox dismiss N` drops them, `papertrail inbox show N` reads one",
        style="dim",
    )


@inbox_app.command(
    "show", epilog=examples("papertrail inbox show 3", "papertrail inbox show 3 --json")
)
def inbox_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The item number as `inbox` shows it.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """One inbox item to decide on: abstract, authors, categories, and why it fits."""
    numbers = parse_numbers([number])
    if len(numbers) != 1:
        raise UsageError(f"give one item number, not {number!r}")
    with library(ctx) as store:
        entry = core.item(store, numbers[0])
        show_inbox_item(store, entry, json_out=json_out)


def show_inbox_item(store: Store, entry: InboxEntry, *, json_out: bool = False) -> None:
    """An inbox item, as `inbox show` and `show ARXIV-ID` print it."""
    from papertrail.core import ranking  # numpy: only the commands that rank load it

    fit: Fit | None = None
    like: list[tuple[Paper, float]] = []
    try:
        fit, like = ranking.explain(store, entry.record)
    except ranking.NothingToLearn as missing:
        if not json_out:
            warn(f"no fit to the library: {missing}")
    if json_out:
        item = inbox_json(entry, fit)
        item["like"] = [{"id": p.id, "title": p.title, "similarity": round(s, 4)}
                        for p, s in like]  # fmt: skip
        write_json(item)
        return
    record = entry.record
    lines = [
        ("Inbox item", str(entry.number)), ("Title", record.title or ""),
        ("Authors", ", ".join(record.authors)), ("arXiv", record.arxiv_id or ""),
        ("Categories", " ".join(record.categories)), ("Announced", entry.announced or ""),
        ("Matched", entry.reason),
    ]  # fmt: skip
    if fit is not None:
        lines.append(("Fits", f"{fit.score:.2f} {fit.why()}"))
    for paper, similarity in like:
        lines.append(("Like", f"[{paper.id}] {paper.title or ''} ({similarity:.2f})"))
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        typer.echo(f"{label:<{width}}  {one_line(value)}")
    if record.abstract:
        typer.echo("\n" + " ".join(record.abstract.split()))


@inbox_app.command(
    "add", epilog=examples("papertrail inbox add 1 3", "papertrail inbox add 2-4 -t to-read")
)
def inbox_add(ctx: typer.Context, numbers: Numbers, topic: TopicOption = None) -> None:
    """Move inbox items into the library (arXiv's metadata fetched in one request)."""
    with library(ctx) as store:
        taken = core.take(store, settings(ctx), parse_numbers(numbers), topic or [])
    report_added(taken.added)
    if taken.incomplete:
        warn(
            f"{len(taken.added.pending)} paper(s) added with the feed's metadata only "
            f"({taken.incomplete}); `papertrail fetch` completes them"
        )


@inbox_app.command(
    "dismiss", epilog=examples("papertrail inbox dismiss 2 5-7", "papertrail inbox dismiss --all")
)
def inbox_dismiss(
    ctx: typer.Context,
    numbers: Annotated[
        list[str] | None, typer.Argument(help="Item numbers (3 5-7).", show_default=False)
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Dismiss every item.")] = False,
) -> None:
    """Drop inbox items; they will not be shown again."""
    if bool(numbers) == everything:
        raise UsageError("give the item numbers to dismiss, or --all")
    with library(ctx) as store:
        dismissed = core.dismiss(store, None if everything else parse_numbers(numbers or []))
    typer.echo(f"Dismissed {len(dismissed)} item(s).")
