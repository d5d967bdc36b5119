"""Commands on topics and the library as a whole: topics, topic-parent, stats."""

from __future__ import annotations

from typing import Annotated

import typer

from papertrail import library as core
from papertrail.cli.app import app, library
from papertrail.output import is_terminal, write_rows, write_stats

AllOption = Annotated[
    bool, typer.Option("--all", help="Include topics no paper uses any more.")
]


@app.command()
def topics(ctx: typer.Context, all_topics: AllOption = False) -> None:
    """Each topic, its parent, its papers (sub-topics included) and how many are read."""
    with library(ctx) as store:
        summaries = core.topic_summaries(store, include_unused=all_topics)
    if is_terminal():
        from papertrail.render import console, topics_table

        console().print(topics_table(summaries) if summaries else "No topics yet.")
        return
    write_rows([t.slug, t.parent or "", str(t.papers), str(t.read)] for t in summaries)


@app.command("topic-parent")
def topic_parent(
    ctx: typer.Context,
    child: Annotated[str, typer.Argument(help="The topic to move.")],
    parent: Annotated[
        str | None, typer.Argument(help="Its new parent; omit with --clear.", show_default=False)
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Make CHILD a top-level topic.")] = False,
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


@app.command()
def stats(ctx: typer.Context, all_topics: AllOption = False) -> None:
    """Papers by status, progress per topic, and papers read per month."""
    with library(ctx) as store:
        summary = store.stats()
    if not all_topics:
        summary.topics = [topic for topic in summary.topics if topic.papers]
    if is_terminal():
        from papertrail.render import console, stats_group

        console().print(stats_group(summary))
        return
    write_stats(summary)
