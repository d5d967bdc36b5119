"""Markdown reading lists -> `ParsedList`, on markdown-it-py's token tree.

Two layers: parsing (`tree`, `inline`: markdown-it-py's CommonMark + GFM tables, walked
into headings, list items, table rows and paragraphs whose inline content is plain text
with links, bold, italic and code spans) and rules (`entries`, `rows`, `links`, `titles`,
`headings`, `paper_headings`, `document`, `records`: what an entry is, which text is its
title, which of its links is its paper, which headings are topics).

Layouts understood (tests/data/markdown/ holds one small example of each):

* numbered citations: `**[3]** Authors. "**Title**." Venue (2015). [[pdf]](url) :star:`;
* `1. **Title.** Venue 2020. [paper](url)` with an italic author line below;
* label bullets: `- [[CVPR](url)] Title [[code](...)]`, `- [2023/10] **Title** *A. Author
  et al.* [[paper](url)] [[code](url)]`;
* bold or plain title lines with labelled links, on the line or as bullets below
  (`- Paper: https://...`, `- Code：...`);
* tables, the title in any column (with badges, images, `<br>` and a bold link in its
  cell), other cells holding Paper/Code/Tweet/[pdf] links, a date or a venue;
* link items `1. [Title](url)` with date lines (`*2014-04-30*`) and remarks;
* `- Title (2015), A. Author et al. [[pdf]](url)`, `- Title. Authors. Venue. [PDF](url)`,
  `- Title ([arXiv](url))`, `* Title — https://...`;
* bare arXiv ids (`- 2104.12255`, `* astro-ph/0601001 - Hot Jupiters`) and bare URLs;
* paper headings `### [Title](url)` (or a plain title whose remarks link "the paper")
  with their remarks as the record's note;
* `- [x]` read, `- [~]` reading, `- [ ]` unread (what `export --format markdown` writes);
* citations without a link (`* Title (SIGMOD 2018)`, `* [CVPR'2025] "Title", A. Author.`)
  and references written out in a blockquote (`> A. Author. Title. Venue 2014.`): papers to
  read with no address; so are bare titles (`* Title`, `* Title [[paper]]()`, a row
  `| 1988 | Title | No |`) in a list or table of titled, linked papers.

Links to what is not a paper (code, social media, chat, video, blogs, courses, datasets,
leaderboards, tools) make no record unless the entry also links a paper; entries that look
like entries but name no paper go to `skipped` as `(label, "why (source:line)")`.
The only error raised is `ImportFormatError`, for input that is not text.

The parser's modules are imported only when a document is parsed (start-up).
"""

from __future__ import annotations

from collections.abc import Sequence

from papertrail.errors import ImportFormatError
from papertrail.gc_pause import collector_paused
from papertrail.model.records import ParsedList

__all__ = ["parse_markdown"]


def parse_markdown(
    text: str, source: str = "<markdown>", extra_topics: Sequence[str] = ()
) -> ParsedList:
    """Read a markdown reading list.

    `source` names the file in `sources` and messages; `extra_topics` (slugs) are added to
    every record, after the topic its headings give it, and are not put in `topic_parents`.
    """
    from papertrail.importers.markdown.document import parse_document

    if not isinstance(text, str):
        raise ImportFormatError(f"{source}: expected decoded text, not {type(text).__name__}")
    if "\x00" in text:
        raise ImportFormatError(f"{source}: not a text file (it contains NUL bytes)")
    extras: list[str] = []
    for topic in extra_topics:
        if topic and topic not in extras:
            extras.append(topic)
    # The parse makes hundreds of thousands of short-lived, acyclic objects (tokens, spans):
    # the cyclic garbage collector's passes over them cost a third of the time (measured),
    # and reference counting frees them anyway. It is paused for the parse only.
    with collector_paused():
        return parse_document(text, source, extras)
