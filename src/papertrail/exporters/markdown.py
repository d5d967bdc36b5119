"""Markdown export: a heading per topic (nested as the topic tree), `- [x]` read, `- [ ]` not.

`papertrail import` reads it back: headings become the same topics and tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from papertrail.exporters import ordered_topics
from papertrail.output import one_line
from papertrail.records import Paper

UNFILED = "Other"  # the importer gives items under "Other" no topic of their own
# Characters that would end the link text or start emphasis: escaped with a backslash.
_MARKDOWN_SPECIAL = re.compile(r"[\\\[\]*_`<>]")


def write(papers: Iterable[Paper], topic_parents: dict[str, str | None], out: TextIO) -> int:
    by_topic: dict[str, list[Paper]] = {}
    unfiled: list[Paper] = []
    count = 0
    for paper in papers:
        count += 1
        for slug in paper.topics or []:
            by_topic.setdefault(slug, []).append(paper)
        if not paper.topics:
            unfiled.append(paper)
    out.write("# Reading list\n")
    for slug in _topics_with_papers(topic_parents, by_topic):
        depth = _depth(slug, topic_parents)
        out.write(f"\n{'#' * min(depth + 2, 6)} {slug}\n\n")
        for paper in by_topic.get(slug, []):
            out.write(_item(paper))
    if unfiled:
        out.write(f"\n## {UNFILED}\n\n")
        for paper in unfiled:
            out.write(_item(paper))
    return count


def _topics_with_papers(
    parents: dict[str, str | None], by_topic: dict[str, list[Paper]]
) -> list[str]:
    """Topics that hold papers, with their ancestors (so the tree reads back), in tree order."""
    needed: set[str] = set()
    for slug in by_topic:
        while slug is not None and slug not in needed:
            needed.add(slug)
            slug = parents.get(slug)
    tree = {**{s: None for s in by_topic}, **parents}
    return [s for s in ordered_topics(tree) if s in needed]


def _depth(slug: str, parents: dict[str, str | None]) -> int:
    depth = 0
    while (slug := parents.get(slug)) is not None and depth < 10:  # type: ignore[assignment]
        depth += 1
    return depth


def _item(paper: Paper) -> str:
    box = "x" if paper.status == "read" else " "
    # An arXiv paper without its metadata yet is named by its id, which reads back as no title.
    label = paper.title or (f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "(untitled)")
    title = _MARKDOWN_SPECIAL.sub(r"\\\g<0>", one_line(label))
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else "")
    line = f"- [{box}] [{title}]({url})" if url else f"- [{box}] {title}"
    details = []
    if paper.authors:
        details.append(one_line(paper.first_author))
    if paper.year:
        details.append(f"({paper.year})")
    if paper.arxiv_id:
        details.append(f"arXiv:{paper.arxiv_id}")
    return line + (" — " + " ".join(details) if details else "") + "\n"
