"""Headings that name a paper: `### [Title](url)`, or a plain title whose remarks link it.

A heading with no entries of its own that links a paper (or whose remarks link "the
paper", "本文", "pdf" ...) names that paper, not a topic; the remarks below it become the
record's note, as written. Among such headings, one whose remarks have no link is a paper
whose link is missing (skipped, and said so).
"""

from __future__ import annotations

import re

from papertrail.importers.markdown.entries import Entry, title_from_label
from papertrail.importers.markdown.headings import Heading
from papertrail.importers.markdown.links import norm_label, scan_ids, url_kind, words
from papertrail.importers.markdown.titles import PAREN_YEAR_RE, finish_title, split_year_prefix
from papertrail.importers.markdown.tree import Block
from papertrail.model.ids import ArxivId

_THIS_PAPER = words(
    "pdf paper arxiv html link here this-paper the-paper 本文 论文 一篇论文 原文 全文 文章 链接"
)
_VAGUE = words("link here 链接 这里")
_MAX_NOTE = 20_000
_MANY = 4
# An entry whose best title candidate scores this much has a title of its own.
_TITLED = 2


def find_paper_headings(
    headings: list[Heading], blocks: list[Block], entries: dict[int, list[Entry]]
) -> None:
    """Which headings name a paper (`### [Title](url)` + remarks), not a topic."""
    candidates: list[int] = []
    for hi, heading in enumerate(headings):
        if heading.role != "topic" or heading.has_children or heading.level > 6:
            continue
        if any(
            (e.title or (e.fallback and e.fallback_score >= _TITLED)) and e.is_paper and not e.prose
            for bi in heading.body
            for e in entries.get(bi, [])
        ):
            continue  # entries of its own: a topic
        if sum(any(e.is_paper for e in entries.get(bi, [])) for bi in heading.body) >= _MANY:
            continue  # papers in block after block: entries of a topic, not remarks on one
        if len(_papers_named(heading, entries)) >= 2:
            continue  # `* [PDF1](u1)` / `* [PDF2](u2)`: two papers, entries of a topic
        content = blocks[heading.block].content
        paper_links = [lk for lk in content.links if url_kind(lk.url) in ("arxiv", "paper", "web")]
        if paper_links or scan_ids(content.text) or _body_names_paper(blocks, heading):
            heading.role = "paper"
        else:
            candidates.append(hi)
    # A heading without links among paper headings is a paper whose link is missing.
    paper_parents = {(h.parent, h.level) for h in headings if h.role == "paper"}
    for hi in candidates:
        heading = headings[hi]
        kinds = {blocks[bi].kind for bi in heading.body} - {"break"}
        if (heading.parent, heading.level) in paper_parents and kinds and "row" not in kinds:
            heading.role = "paper"


def _papers_named(heading: Heading, entries: dict[int, list[Entry]]) -> set[object]:
    """The papers the entries under a heading link: by arXiv ids, or by the address of a
    paper's page or PDF (a site's page in the remarks may be the code's, the author's)."""
    return {
        tuple(found.id for found in e.ids) or e.url
        for bi in heading.body
        for e in entries.get(bi, [])
        if not e.prose and (e.ids or (e.url and url_kind(e.url) == "paper"))
    }


def _body_links(blocks: list[Block], heading: Heading) -> list[tuple[str, str]]:
    return [
        (lk.label, lk.url)
        for bi in heading.body
        if blocks[bi].kind != "heading"
        for lk in blocks[bi].content.links
    ]


def _body_names_paper(blocks: list[Block], heading: Heading) -> bool:
    """Whether the remarks link "the paper": `[pdf](u)`, `[论文](u)` to any page, a word
    that says no more than "link" or "here" only to a paper's page (`try this [链接](u)`
    under a list's title links a sign-up page, not the list as a paper)."""
    return any(
        url_kind(url)
        in (("arxiv", "paper") if norm_label(label) in _VAGUE else ("arxiv", "paper", "web"))
        and norm_label(label) in _THIS_PAPER
        for label, url in _body_links(blocks, heading)
    )


def heading_entry(
    headings: list[Heading], blocks: list[Block], lines: list[str], hi: int
) -> tuple[Entry, str | None]:
    heading = headings[hi]
    block = blocks[heading.block]
    content = block.content
    entry = Entry(line=block.line, lookalike=True)
    links = [lk for lk in content.links if not lk.image]
    rest = content.text
    for lk in sorted(links, key=lambda lk: -lk.start):
        rest = rest[: lk.start] + " " + rest[lk.end :]
    only_link = len(links) == 1 and not rest.strip(" :：-–—|()") and not links[0].bracketed
    if only_link:
        entry.title, _, _ = title_from_label(links[0].label)
    else:
        entry.title = finish_title(
            re.sub(r"[(（][\s,，;&、]*(?:(?:and|or|与|和)[\s,，;&、]*)*[)）]", " ", rest)
        )
    prefix_year, entry.title = split_year_prefix(entry.title)
    ids: dict[str, ArxivId] = {}
    texts = [lk.url for lk in links] + [content.text]
    for bi in heading.body:
        if blocks[bi].kind not in ("heading", "break"):
            texts += [lk.url for lk in blocks[bi].content.links] + [blocks[bi].content.text]
    for text in texts:
        for _, found in scan_ids(text):
            if found.id not in ids or (ids[found.id].version is None and found.version):
                ids[found.id] = found
    entry.ids = list(ids.values())
    if not entry.ids:
        entry.url = next((lk.url for lk in links if url_kind(lk.url) in ("paper", "web")), None)
        if entry.url is None:
            entry.url = next(
                (
                    url
                    for label, url in _body_links(blocks, heading)
                    if url_kind(url) in ("paper", "web") and norm_label(label) in _THIS_PAPER
                ),
                None,
            )
        if entry.url is None:
            entry.problem = "no link or arXiv id"
    year = PAREN_YEAR_RE.search(rest)
    entry.year = int(year.group(1)) if year else prefix_year
    entry.snippet = entry.title or " ".join(content.text.split())[:80]
    return entry, _note(blocks, lines, heading) if only_link or not links else None


def _note(blocks: list[Block], lines: list[str], heading: Heading) -> str | None:
    start = blocks[heading.block].line  # the heading's line; the body follows it
    lines = [line.rstrip() for line in lines[start : heading.end_line]]
    while lines and (not lines[-1].strip() or re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", lines[-1])):
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    kept: list[str] = []
    for line in lines:
        if line.strip() or not kept or kept[-1].strip():
            kept.append(line)
    return "\n".join(kept)[:_MAX_NOTE] or None
