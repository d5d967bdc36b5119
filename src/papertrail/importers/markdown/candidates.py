"""Rules layer: the title of an entry, chosen among the candidates its whole segment holds.

An entry's segment (a list item with its sub-items, a table row, a paragraph with its
hard-broken lines, a `<details>` summary) offers several texts that could be its title:
link texts, bold spans, quoted text, and the plain pieces between its links and its `|`
separators. Each candidate that `finish_title` accepts gets a score:

* what marks it: quoted +3, bold +2, a link's text +2, plain text before the first link
  labelled as a link (`[pdf]`, `Paper`, a bare URL) +1 (words after it are remarks);
* its length: +1 for every two words, up to +5, so a full title beats a short name;
  one or two words -2 (a short name: `TidyBot`, `T5`);
* what it reads like: a list of people (`A. Author, B. Author`, `et al.`, three names
  in a row) -6, a venue (`Conference`, `Proceedings`, `Journal`...) -4, all italic
  (a venue, the authors) -2, a sentence of description (starts with a lower-case word or
  "This", "We") -3;
* where it is: after the first paper link -1 (titles come before their links).

A plain piece holding quoted words is not a candidate (the quoted words are). The best
wins; ties go to the marked one, then to the earliest. A short name beaten by a longer title is kept
as the entry's alias. The rule looks at no list's particular layout.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from papertrail.importers.markdown.inline import Inline
from papertrail.importers.markdown.links import is_label, url_kind
from papertrail.importers.markdown.titles import finish_title, parse_authors

_QUOTED_RE = re.compile(r"[\"“„]([^\"“”„]{2,600})[\"”]")
_PIECE_SEP_RE = re.compile(r"\s*(?:\||\n|\s{2,}|\bet\.?\s*al\b\.?,)\s*")
_DASH_RE = re.compile(r"\s[-–—]{1,2}\s")
# Three or more people in a row: `Volodymyr Mnih, Koray Kavukcuoglu, David Silver`.
_NAMES_RE = re.compile(r"(?:[A-Z][\w'.-]+(?: [A-Z][\w'.-]*){1,3}, ){2,}[A-Z]")
_LEAD_TAG_RE = re.compile(r"^(?:\s*(?:\[[^\[\]]{1,30}\]|\(\d{1,4}\)|\d{1,4}[.)]|[*•·)>]+))+\s*")
_TRAIL_YEAR_RE = re.compile(
    r"\s*[(（\[][^()（）\[\]]{0,40}(?:19|20)\d{2}[^()（）\[\]]{0,20}[)）\]]\s*$"
)
_NOT_TITLED = frozenset(("social media", "chat", "video", "code", "extra"))
_VENUE_WORDS_RE = re.compile(
    r"\b(?:Conference|Proceedings|Symposium|Workshop|Transactions|Journal)\b", re.I
)
_ET_AL_RE = re.compile(r"\bet\.?\s*al\b", re.I)
_DESCRIPTION_RE = re.compile(r"^(?:this|we|our|in this|a curated|see|the authors?)\b", re.I)


MIN_SCORE = 0


class Candidate(NamedTuple):
    score: float
    start: int
    title: str
    words: int
    mark: int = 1  # 3 quoted, 2 bold or a link's text, 1 plain
    after_link: bool = False  # after the entry's first labelled link: a remark, likely


def _clean(text: str) -> str | None:
    text = _LEAD_TAG_RE.sub("", text)
    text = _TRAIL_YEAR_RE.sub("", text)
    return finish_title(text)


def names_people(title: str) -> bool:
    """`A. Author, B. Author`, `... et al.`, three names in a row: people, not a title."""
    return bool(
        _ET_AL_RE.search(title)
        or _NAMES_RE.search(title)
        # People are listed with commas: `Deep Learning and Vision` is no two people, and
        # no name holds a colon (`Neuro-Symbolic Learning: Knowledge, Reasoning and ...`).
        or ("," in title and ":" not in title and len(parse_authors(title)) >= 2)
    )


def _score(title: str, mark: int, italic: bool, after_link: bool) -> Candidate | None:
    words = len(title.split())
    score = mark + min(words // 2, 5) - (2 if words <= 2 else 0)
    if names_people(title):
        score -= 6
    if italic:
        score -= 2
    if _VENUE_WORDS_RE.search(title):  # `2014 IEEE International Conference on ...`
        score -= 4
    if _DESCRIPTION_RE.match(title) or title[:1].islower():
        score -= 3
    if after_link:
        score -= 1
    return Candidate(score, 0, title, words, mark, after_link)


def candidates(content: Inline) -> list[Candidate]:
    """Every title the segment could give, scored, in the order they appear."""
    text = content.text
    links = [lk for lk in content.links if not lk.image]
    first_link = min((lk.start for lk in links if is_label(lk.label) or lk.bracketed or lk.bare),
                     default=len(text))  # fmt: skip
    found: list[Candidate] = []

    def add(start: int, raw: str, mark: int) -> None:
        title = _clean(raw)
        if not title:
            return
        end = start + len(raw)
        italic = any(a <= start and b >= end - 1 for a, b in content.em) and mark < 2
        scored = _score(title, mark, italic, start > first_link)
        if scored is not None:
            found.append(scored._replace(start=start))

    for m in _QUOTED_RE.finditer(text):
        add(m.start(1), m.group(1), 3)
    for a, b in content.strong:
        add(a, text[a:b], 2)
    for link in links:
        if link.bracketed or link.bare or link.has_image or is_label(link.label):
            continue
        if url_kind(link.url) not in _NOT_TITLED:  # a post's or a video's words name no paper
            add(link.start, link.label, 2)
    # Plain pieces: the text with links blanked, cut at `|`, lines, dashes and wide gaps.
    blank = list(text)
    for link in links:
        for i in range(link.start, min(link.end, len(blank))):
            blank[i] = "\n"
    plain = "".join(blank)
    # Words running straight into a link's own words (`这是 16 年的[一篇论文](url)`) are a
    # sentence; into a bracketed label (`Title (ECCV24)[[paper](url)]`) they are not.
    starts = {lk.start for lk in links if not lk.bracketed}

    def _runs_into_link(end: int) -> bool:
        return end in starts

    pos = 0
    for piece in _PIECE_SEP_RE.split(plain):
        at = plain.find(piece, pos) if piece else pos
        pos = at + len(piece)
        if at > first_link:
            break  # words after the links are remarks on the paper, not its title
        if piece.strip() and not _QUOTED_RE.search(piece) and not _runs_into_link(at + len(piece)):
            add(at, piece, 1)
            # `Title – SNIP` is one title, `Name - A. Author, ...` two pieces: both are offered.
            offset = at
            for part in _DASH_RE.split(piece) if _DASH_RE.search(piece) else ():
                offset = plain.find(part, offset)
                add(offset, part, 1)
                offset += len(part)
    return found


def pick_title(content: Inline) -> Candidate | None:
    """The best title of the segment, or None when it offers none."""
    found = candidates(content)
    return max(found, key=lambda c: (c.score, c.mark, -c.start)) if found else None


def is_venue(title: str) -> bool:
    """`2014 IEEE International Conference on Bioinformatics`: where it appeared, no title."""
    return bool(_VENUE_WORDS_RE.search(title))


def is_short_name(title: str) -> bool:
    """`TidyBot`, `T5`, `GPT-4V`: a name a list writes beside the title, not the title."""
    return len(title.split()) <= 2 and len(title) <= 24
