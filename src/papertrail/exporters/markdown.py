"""Markdown export: a heading per topic (nested as the topic tree), one task item per paper.

    ## quantization
    - [x] [Title](<https://arxiv.org/abs/1510.00149>) *Song Han; Huizi Mao* (2015) arXiv:1510.00149
      ```note
      the paper's note, as written
      ```

`- [x]` read, `- [~]` reading, `- [ ]` unread. `papertrail import` reads it back: every
paper (a task item is a paper also without a link), its status, topics (a heading whose
words would not read back as the topic carries it as `{: topic="..."}`), authors, year and
note. The file is marked as papertrail's (EXPORT_MARK): the importer takes each item's
link text as its title as written. Every value is escaped for markdown: a title's
brackets, stars or arXiv ids, a URL's newlines or angle brackets can never start another
paper, heading or link.

The markdown importer's heading rules are imported only when a topic becomes a
heading (start-up of the other exporters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from papertrail.exporters import ordered_topics
from papertrail.model.ids import web_address
from papertrail.model.records import Paper
from papertrail.model.text import clean_data, one_line_data

# Tells the importer the file is papertrail's own: each item's title is its link's text,
# whatever it says (`PDF`, a URL, `[brackets]`), not a label to look past.
EXPORT_MARK = "<!-- papertrail export: each title is its link's text -->"
UNFILED = "Other"  # the importer gives items under "Other" no topic of their own
_BOXES = {"read": "x", "reading": "~"}
# What markdown may read as syntax inside a line: escaped with a backslash. (Values never
# start a line, so list and heading markers need nothing.)
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>()!|~&]")
# In a `<...>` link destination: backslash escapes for what would end or change it,
# percent-encoding for line breaks and other control characters.
_URL_ESCAPED = re.compile(r"[\\<>&]")
_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ARXIV_WORD = re.compile(r"arxiv|lanl\.gov|corr(?=\W{0,3}abs/)", re.I)


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
    out.write(f"# Reading list\n\n{EXPORT_MARK}\n")
    for slug in _topics_with_papers(topic_parents, by_topic):
        depth = _depth(slug, topic_parents)
        out.write(f"\n{'#' * min(depth + 2, 6)} {_heading(slug)}\n\n")
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
    for topic in by_topic:
        slug: str | None = topic
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


def _heading(slug: str) -> str:
    """The slug as a heading; with an explicit topic attribute when its words would not
    read back as that topic (`2023` reads as a year, `other` as a catch-all...)."""
    from papertrail.importers.markdown.headings import Heading, classify

    heading = Heading(block=0, level=2, parent=-1)
    classify(heading, slug)
    text = escape(slug)
    if heading.role == "topic" and heading.slug == slug:
        return text
    return f'{text} {{: topic="{slug}"}}' if '"' not in slug else text


def escape(text: str) -> str:
    """A value as markdown text that reads back as exactly that text, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", one_line_data(text))


def escape_url(url: str, arxiv: bool = True) -> str:
    """A URL as a `<...>` link destination: nothing in it can end the link or the line.

    The URL of a paper that is not on arXiv must not read back as an arXiv link: an
    `arxiv` inside it is written with its `a` percent-encoded (the same URL to a browser).
    """
    url = _URL_CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", url.strip())
    if not arxiv:
        url = _ARXIV_WORD.sub(lambda m: "%" + f"{ord(m.group()[0]):02X}" + m.group()[1:], url)
    return "<" + _URL_ESCAPED.sub(r"\\\g<0>", url) + ">"


def _item(paper: Paper) -> str:
    box = _BOXES.get(paper.status or "", " ")
    arxiv_page = f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else ""
    url = web_address(paper.url) or arxiv_page  # one stored before links were checked
    if paper.title:
        title = escape(paper.title)
        link = escape_url(url, arxiv=paper.arxiv_id is not None)
        line = f"- [{box}] [{title}]({link})" if url else f"- [{box}] **{title}**"
    else:  # an arXiv paper whose metadata has not been fetched yet
        line = f"- [{box}] {escape_url(url)}"
    if paper.authors:
        line += " *" + "; ".join(escape(name) for name in paper.authors) + "*"
    if paper.year:
        line += f" ({paper.year})"
    if paper.arxiv_id:
        line += f" arXiv:{paper.arxiv_id}" + (f"v{paper.version}" if paper.version else "")
    return line + "\n" + _note(paper.note)


def _note(note: str | None) -> str:
    """The note as a fenced block marked `note`, longer fence than any backtick run in it."""
    if not note or not note.strip():
        return ""
    note = clean_data(note)  # control characters shown, never written raw
    longest = max((len(run) for run in re.findall(r"`+", note)), default=0)
    fence = "`" * max(3, longest + 1)
    body = "\n".join("  " + line if line else "" for line in note.splitlines())
    return f"  {fence}note\n{body}\n  {fence}\n"
