"""Rich tables and panels for a human at a terminal.

Every piece of data goes in as a `Text` built from `one_line`/`clean`, never as a markup
string: a title such as `[red]x[/red]` is shown as written and control characters are
made visible.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.progress import Progress
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from papertrail.cli.terminal.output import bar, paper_details
from papertrail.model.records import STATS_TOPICS, FeedSpec, LibraryStats, Paper, TopicSummary
from papertrail.model.text import clean, one_line

if TYPE_CHECKING:
    from papertrail.core.duplicates import Duplicate

STATUS_STYLES = {"unread": "yellow", "reading": "cyan", "read": "green"}


def console(file: TextIO | None = None) -> Console:
    """A console on standard output, or on `file`: the pager's pipe, which keeps the
    terminal's width and colours (`less -R` shows them)."""
    if file is None or file is sys.stdout:
        return Console(highlight=False)
    width = shutil.get_terminal_size().columns
    return Console(file=file, highlight=False, force_terminal=True, width=width)


def progress_bar() -> Progress:
    """A progress bar on standard error, gone when done: progress never goes into the
    output (docs/cli.md), so `papertrail import DIR > report.txt` still shows it."""
    return Progress(console=Console(stderr=True, highlight=False), transient=True)


def status_text(status: str) -> Text:
    return Text(status, style=STATUS_STYLES.get(status, ""))


def paper_panel(paper: Paper) -> Panel:
    details = Table.grid(padding=(0, 2))
    details.add_column(style="bold", no_wrap=True)
    details.add_column()
    for label, value in paper_details(paper):
        # Long values (URLs) fold onto the next line, never cut with an ellipsis.
        cell = status_text(value) if label == "Status" else Text(one_line(value), overflow="fold")
        details.add_row(label, cell)
    parts: list[Table | Text] = [details]
    for label, text in (("Abstract", paper.abstract), ("Note", paper.note)):
        if text:
            parts.append(Text(f"\n{label}", style="bold"))
            parts.append(Text(clean(text)))
    return Panel(Group(*parts), title=f"#{paper.id}", title_align="left", expand=True)


def topics_tree(topics: Sequence[TopicSummary]) -> Tree:
    """The topic tree: each topic with its papers (sub-topics included) and progress."""
    root = Tree(Text("Topics", style="bold"), guide_style="dim")
    nodes: dict[str | None, Tree] = {None: root}
    known = {topic.slug for topic in topics}
    pending = list(topics)
    while pending:  # parents first; a topic whose parent is hidden hangs from the root
        waiting = []
        for topic in pending:
            parent = topic.parent if topic.parent in known else None
            if parent not in nodes:
                waiting.append(topic)
                continue
            label = Text(topic.slug, style="bold")
            label.append(f"  {bar(topic.read, topic.papers, 10)} ", style="green")
            label.append(f"{topic.read}/{topic.papers} read", style="dim")
            nodes[topic.slug] = nodes[parent].add(label)
        if len(waiting) == len(pending):  # a cycle in old data: show the rest at the root
            known -= {topic.slug for topic in waiting}
        pending = waiting
    return root


def table(title: str | None = None) -> Table:
    """papertrail's one table style on a terminal: a bold header over plain rows, as
    `list` draws them (no boxes)."""
    return Table(
        title=title, header_style="bold", title_justify="left", box=box.SIMPLE_HEAD,
        title_style="bold",
    )  # fmt: skip


def tags_table(counts: Sequence[tuple[str, int, int]]) -> Table:
    """`tags`: each tag, its papers and how many are read."""
    shown = table()
    shown.add_column("Tag")
    shown.add_column("Papers", justify="right")
    shown.add_column("Read", justify="right")
    for name, papers, read in counts:
        shown.add_row(Text(name), str(papers), str(read))
    return shown


def stats_group(stats: LibraryStats) -> Group:
    status = table("Papers by status")
    status.add_column("Status")
    status.add_column("Papers", justify="right")
    for name, count in stats.by_status.items():
        status.add_row(status_text(name), str(count))
    status.add_row(Text("total", style="bold"), str(stats.total))
    status.add_row(Text("queued", style="bold"), str(stats.queue_length))

    topics = table("Progress by topic")
    topics.add_column("Topic")
    topics.add_column("Progress")
    topics.add_column("Read", justify="right")
    for topic in stats.shown_topics():
        topics.add_row(
            Text(topic.slug),
            Text(bar(topic.read, topic.papers), style="green"),
            f"{topic.read}/{topic.papers}",
        )

    if (more := len(stats.topics) - len(stats.shown_topics())) > 0:
        topics.caption = f"the largest {STATS_TOPICS}; {more} more: `stats --all`, `topics`"
    if not stats.read_per_month:
        return Group(status, topics)
    months = table("Papers read per month")
    months.add_column("Month")
    months.add_column("Read", justify="right")
    months.add_column("")
    peak = max((n for _, n in stats.read_per_month), default=0)
    for month, count in stats.shown_months():
        months.add_row(month, str(count), Text(bar(count, peak, 30), style="cyan"))
    return Group(status, topics, months)


def duplicates_table(pairs: Sequence[Duplicate]) -> Table:
    """`duplicates` on a terminal: each pair, why, and the two titles."""
    shown = table()
    for name in ("A", "B", "Why", "Titles"):
        shown.add_column(name, justify="right" if name in "AB" else "left")
    for pair in pairs:
        titles = Text(one_line(pair.first.title or ""))
        titles.append("\n" + one_line(pair.second.title or ""), style="dim")
        shown.add_row(str(pair.first.id), str(pair.second.id), Text(pair.reason), titles)
    return shown


def feeds_table(feeds: Sequence[FeedSpec]) -> Table:
    """`feed list` on a terminal."""
    shown = table()
    for name in ("#", "Categories", "Keywords", "Authors", "Topic"):
        shown.add_column(name, justify="right" if name == "#" else "left")
    for feed in feeds:
        shown.add_row(  # Text: data is never read as Rich markup
            str(feed.id), Text(" ".join(feed.categories)), Text(one_line("; ".join(feed.keywords))),
            Text(one_line("; ".join(feed.authors))), Text(feed.topic or ""),
        )  # fmt: skip
    return shown
