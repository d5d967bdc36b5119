"""Commands on topics and the library as a whole: tag, untag, topics, topic ..., stats.

Rich is imported only when a tree or a table is drawn on a terminal (start-up of
piped output).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from papertrail.cli import complete
from papertrail.cli.app import deprecated, examples, fail, library, paged_output
from papertrail.cli.click import ClickUsageError
from papertrail.cli.refs import describe, stdin_refs
from papertrail.cli.terminal.output import (
    is_terminal,
    write_json,
    write_json_array,
    write_rows,
    write_stats,
)
from papertrail.core import topics as core
from papertrail.errors import UsageError

app = typer.Typer()  # this module's commands, registered in cli/commands.py

TagArgs = Annotated[
    list[str],
    typer.Argument(
        metavar="REF TOPIC... | -t TOPIC REF...",
        help="A paper and its topics; or, with -t, the papers (- reads them from stdin).",
    ),
]
TopicsOption = Annotated[
    list[str] | None,
    typer.Option("--topic", "-t", help="The topic, for several papers (repeatable).",
                 show_default=False, autocompletion=complete.topics),
]  # fmt: skip


def _one_paper_and_topics(args: list[str], verb: str) -> tuple[str, list[str]]:
    if len(args) < 2:
        raise UsageError(f"give a paper and the topics to {verb}, or -t TOPIC REF...")
    return args[0], args[1:]


@app.command(
    epilog=examples(
        "papertrail tag 1510.00149 pruning model-compression",
        "papertrail tag -t survey 12 13 14",
    )
)
def tag(ctx: typer.Context, args: TagArgs, topic: TopicsOption = None) -> None:
    """Add topics to a paper (tag REF TOPIC...), or a topic to papers (tag -t TOPIC REF...)."""
    if topic:
        refs = stdin_refs(args) or []
        with library(ctx) as store:
            for name in topic:
                change = core.tag_many(store, name, refs)
                had_it = f" ({change.unchanged} had it)" if change.unchanged else ""
                typer.echo(f"Tagged {len(change.papers)} paper(s) with {change.slug}{had_it}")
        return
    ref, topics = _one_paper_and_topics(args, "add")
    with library(ctx) as store:
        paper, added = core.tag(store, ref, topics)
    typer.echo(
        f"Tagged {describe(paper)}: {', '.join(paper.topics)}" + ("" if added else " (unchanged)")
    )


@app.command(
    epilog=examples(
        "papertrail untag 1510.00149 model-compression",
        "papertrail untag -t survey 12",
    )
)
def untag(ctx: typer.Context, args: TagArgs, topic: TopicsOption = None) -> None:
    """Remove topics from a paper (untag REF TOPIC...), or a topic from papers (-t TOPIC REF...)."""
    if topic:
        refs = stdin_refs(args) or []
        with library(ctx) as store:
            for name in topic:
                change = core.untag_many(store, name, refs)
                typer.echo(f"Untagged {len(change.papers)} paper(s): {change.slug}")
        return
    ref, topics = _one_paper_and_topics(args, "remove")
    with library(ctx) as store:
        paper, removed = core.untag(store, ref, topics)
    if not removed:
        fail(f"paper {paper.id} has none of the topics: {', '.join(topics)}")
    typer.echo(f"Untagged {describe(paper)}: {', '.join(removed)}")


AllOption = Annotated[
    bool,
    typer.Option("--all", help="Include what is hidden by default: topics no paper uses "
                 "(and, in stats, beyond the largest 20; months beyond the last 24)."),
]  # fmt: skip


@app.command(
    epilog=examples(
        "papertrail topics",
        "papertrail topics --all",
        "papertrail topics --json",
    )
)
def topics(
    ctx: typer.Context,
    all_topics: AllOption = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Each topic, its parent, its papers (sub-topics included) and how many are read."""
    with library(ctx) as store:
        summaries = core.topic_summaries(store, include_unused=all_topics)
    if json_out:
        write_json_array(topic.to_json() for topic in summaries)
        return
    if is_terminal():
        from papertrail.cli.terminal.render import console, topics_tree

        with paged_output(ctx) as out:
            console(out).print(topics_tree(summaries) if summaries else "No topics yet.")
        return
    write_rows([t.slug, t.parent or "", str(t.papers), str(t.read)] for t in summaries)


class _TopicGroup(TyperGroup):
    """`topic list` is `topics`: say so where click says only "No such command"."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except ClickUsageError as error:
            if args and args[0] in ("list", "ls", "show"):
                error.message += " `papertrail topics` lists the topics and their papers."
            raise


topic_app = typer.Typer(
    cls=_TopicGroup,
    help="Rename, merge, delete, move (parent) or prune topics (for every paper at once).",
    epilog=examples(
        "papertrail topic rename cnns cnn",
        "papertrail topic merge quantisation quantization",
        "papertrail topic delete old-stuff",
        "papertrail topic parent binary-quantization quantization",
        "papertrail topic prune --unused --dry-run",
    ),
    no_args_is_help=True,
)
app.add_typer(topic_app, name="topic")


@topic_app.command(
    "rename",
    epilog=examples(
        "papertrail topic rename cnns cnn",
    ),
)
def topic_rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The topic now.")],
    new: Annotated[str, typer.Argument(help="Its new name.")],
) -> None:
    """Rename a topic: its papers and sub-topics follow."""
    with library(ctx) as store:
        old_slug, new_slug = core.rename(store, old, new)
    typer.echo(f"Renamed topic {old_slug} to {new_slug}")


@topic_app.command(
    "merge",
    epilog=examples(
        "papertrail topic merge quantisation quantization",
    ),
)
def topic_merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FROM", help="The topic that goes.")],
    target: Annotated[str, typer.Argument(metavar="INTO", help="The topic that stays.")],
) -> None:
    """Give FROM's papers and sub-topics to INTO, then delete FROM."""
    with library(ctx) as store:
        change = core.merge(store, source, target)
    typer.echo(f"Merged into {change.slug}: {len(change.papers)} paper(s) gained it")


@topic_app.command(
    "delete",
    epilog=examples(
        "papertrail topic delete old-stuff --yes",
    ),
)
def topic_delete(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="The topic to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a topic; its papers keep their other topics, its sub-topics move up a level."""
    with library(ctx) as store:
        slug, papers = core.papers_of(store, topic)
        if not yes:
            if not is_terminal(sys.stdin):
                raise UsageError("deleting a topic needs --yes when not on a terminal")
            typer.confirm(f"Delete topic {slug} from {len(papers)} paper(s)?", abort=True)
        change = core.delete(store, slug)
    typer.echo(f"Deleted topic {change.slug} ({len(change.papers)} paper(s) had it)")


ChildArg = Annotated[str, typer.Argument(help="The topic to move.")]
ParentArg = Annotated[
    str | None, typer.Argument(help="Its new parent; omit with --clear.", show_default=False)
]
ClearOption = Annotated[bool, typer.Option("--clear", help="Make CHILD a top-level topic.")]


@topic_app.command(
    "parent",
    epilog=examples(
        "papertrail topic parent binary-quantization quantization",
        "papertrail topic parent quantization --clear",
    ),
)
def topic_parent(
    ctx: typer.Context, child: ChildArg, parent: ParentArg = None, clear: ClearOption = False
) -> None:
    """Put a topic under another one (filtering by the parent then includes it)."""
    if (parent is None) != clear:
        raise typer.BadParameter("give a PARENT, or --clear to make CHILD top-level")
    with library(ctx) as store:
        child_slug, parent_slug = core.set_topic_parent(store, child, parent)
    typer.echo(
        f"{child_slug} is now under {parent_slug}"
        if parent_slug
        else f"{child_slug} is now a top-level topic"
    )


@app.command(
    "topic-parent",
    hidden=True,
    epilog=examples(
        "papertrail topic-parent binary-quantization quantization    # now: topic parent",
    ),
)
def old_topic_parent(
    ctx: typer.Context, child: ChildArg, parent: ParentArg = None, clear: ClearOption = False
) -> None:
    """Deprecated: use `topic parent`."""
    deprecated("topic-parent", "topic parent")
    topic_parent(ctx, child, parent, clear)


@topic_app.command(
    "prune",
    epilog=examples(
        "papertrail topic prune --unused --dry-run",
        "papertrail topic prune '05*' '*-secondary' --yes",
        "papertrail topic prune 'crcox*' --unused",
    ),
)
def topic_prune(
    ctx: typer.Context,
    patterns: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[GLOB]...",
            help="Topics to delete: names or globs (* ? [...]); none: every unused topic.",
            show_default=False,
        ),
    ] = None,
    unused: Annotated[
        bool,
        typer.Option("--unused", help="Only topics no paper has (sub-topics included)."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be deleted; delete nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Name each topic deleted.")
    ] = False,
) -> None:
    """Delete topics in bulk: by glob, or every unused one; sub-topics move up a level."""
    patterns = patterns or []
    unused = unused or not patterns
    with library(ctx) as store:
        if not dry_run and not yes and patterns and not unused:
            plan = core.prune(store, patterns, unused=unused, dry_run=True)
            if plan.papers:
                if not is_terminal(sys.stdin):
                    raise UsageError(
                        "pruning topics papers have needs --yes when not on a terminal"
                    )
                typer.confirm(
                    f"Delete {len(plan.topics)} topic(s) from {plan.papers} paper(s)?", abort=True
                )
        pruned = core.prune(store, patterns, unused=unused, dry_run=dry_run)
    if verbose or dry_run:
        for topic in pruned.topics:
            typer.echo(f"  {topic.slug} ({topic.papers} paper(s))")
    verb = "Would delete" if dry_run else "Deleted"
    typer.echo(f"{verb} {len(pruned.topics)} topic(s); {pruned.papers} paper(s) had one of them")


@app.command(
    epilog=examples(
        "papertrail tags",
        "papertrail tags --sort papers -n 20",
        "papertrail list --tag deep-learning",
    )
)
def tags(
    ctx: typer.Context,
    sort: Annotated[
        str, typer.Option(help="Order: name, or papers (the most used first).")
    ] = "name",
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, max=10**9, help="At most N tags.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Each tag (keywords imports bring: flat, beside the topics) and its papers."""
    if sort not in ("name", "papers"):
        raise UsageError(f"--sort takes name or papers, not {sort!r}")
    with library(ctx) as store:
        counts = store.tag_counts()
    if sort == "papers":
        counts.sort(key=lambda row: -row[1])
    counts = counts[:limit] if limit else counts
    if json_out:
        write_json_array({"tag": name, "papers": n, "read": read} for name, n, read in counts)
        return
    if is_terminal():
        from papertrail.cli.terminal.render import console, tags_table

        with paged_output(ctx) as out:
            console(out).print(tags_table(counts) if counts else "No tags yet.")
        return
    write_rows([name, str(n), str(read)] for name, n, read in counts)


@app.command(
    epilog=examples(
        "papertrail stats",
        "papertrail stats --json",
        "papertrail stats --lab",
    )
)
def stats(
    ctx: typer.Context,
    all_topics: AllOption = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
    lab: Annotated[
        bool,
        typer.Option(
            "--lab", help="Per member of the lab: read this month, reading now, queue length."
        ),
    ] = False,
) -> None:
    """Papers by status, the queue, progress per topic, and papers read per month."""
    if lab:
        from papertrail.cli.readers import print_lab_stats  # only `stats --lab` (start-up)

        print_lab_stats(ctx, json_out)
        return
    with library(ctx) as store:
        summary = store.stats()
        summary.queue_length = store.queue_length()
    if not all_topics:
        summary.topics = [topic for topic in summary.topics if topic.papers]
        summary.topics_cut = True  # text: the largest topics and the latest months
    if json_out:
        write_json(summary.to_json())
    elif is_terminal():
        from papertrail.cli.terminal.render import console, stats_group

        with paged_output(ctx) as out:
            console(out).print(stats_group(summary))
    else:
        write_stats(summary)
