"""Rules layer: what one entry (a list item, table row or line) names, and under which title.

An entry names papers through its links (arXiv ids anywhere in it, else a link to a paper
page) and gives the first one a title: a link's text unless that text is a label (pdf,
Paper, Tweet, a URL), else the bold or quoted title, the words after a label link
(`[[CVPR](url)] Title`), or the words before one (`Title (2015), A. Author [[pdf]](url)`).
Links to what is not a paper (code, social media, chat, video, blogs, datasets ...) make
no record: the entry is skipped with the reason, unless it also links a paper. An entry
that cites a paper without linking it (a title of three words or more with a year, in one
of the usual citation orders) is a paper to read with no address; so is a bare title (no
link, or only empty ones) in a list of titled, linked papers (the document decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrail.importers.markdown.candidates import (
    MIN_SCORE,
    candidates,
    is_short_name,
    is_venue,
    names_people,
)
from papertrail.importers.markdown.inline import Inline, Link
from papertrail.importers.markdown.links import (
    BARE_ID_RE,
    PAPER_LABELS,
    best_address,
    is_label,
    is_paper_kind,
    norm_label,
    on_paper_host,
    parse_id,
    scan_ids,
    url_kind,
)
from papertrail.importers.markdown.titles import (
    BARE_YEAR_RE,
    PAREN_YEAR_RE,
    QUOTES,
    finish_title,
    parse_authors,
    split_year_prefix,
)
from papertrail.model.ids import ArxivId, doi_in_url

# A label that, followed by a space, introduces the title: `[pdf](url) Title`.
_RUN_LABELS = frozenset(["pdf", "paper", "arxiv", "link", "html", "abs", "openreview"])
_LEAD_JUNK_RE = re.compile(
    r"(?:\s+|\[\d{1,4}\](?![(\[])|\[[ xX~]\](?=\s)"
    r"|\[[^\[\]\n]{0,20}?(?::[a-z_]{1,20}:|[⭐🔥★])\s*\]"
    r"|[\[【(]?(?:19|20)\d{2}(?:[./-]\d{1,2}){0,2}[\]】)](?=\s)"
    r"|[\u2600-\u27bf\u2b50\ufe0f\U0001f300-\U0001faff])*"
)
_LEAD_DATE_RE = re.compile(r"\s*[\[【(]?((?:19|20)\d{2})(?:[./-]\d{1,2}){0,2}[\]】)]")
_NUMBERED_RE = re.compile(r"\s*\[\d{1,4}\](?![(\[])")
_QUOTED_RE = re.compile(r"[\"“”„]([^\"“”„]{2,600})[\"“”„]")
_OPENER_MISSING_RE = re.compile(r"([^\"“”„]{3,600}?)[,.，]\s{0,3}[”\"]")
_URL_AFTER_SEP_RE = re.compile(r"(?:\s[-–—]{1,2}|[:：])[ \t]{0,3}<?$")
_DATE_RE = re.compile(r"((?:19|20)\d{2})(?:[-/.]\d{1,2}){0,2}")
# A link to these names a post or a talk, not the paper: its text is no paper's title.
_NO_TITLE_KINDS = frozenset(["social media", "chat", "video"])
_ET_AL_RE = re.compile(r"\bet\.?\s*al\b\.?", re.I)
_INITIAL_AFTER_COMMA_RE = re.compile(r",\s+(?=[A-Z]\.\s?-?[A-Z])")
_ID_SEP_RE = re.compile(r"\s*(?:[-–—:|]\s*)?")
_AUTHORS_YEAR_RE = re.compile(r"\s*([^\n]{3,600}?)\.\s+(?:19|20)\d{2}[a-z]?\.\s*")
_CITE_YEAR_RE = re.compile(r"(?<![\w/.:-])((?:19|20)\d{2}|['’]\d{2})(?![\w/:-])")
# A sentence ends at `. ` after a word of two letters or more (not after an initial `J.`).
_SENTENCE_RE = re.compile(
    r"(?<=[^\W\d_A-Z]{2})\.\s+(?=[A-Z\d\[]|ar[Xx]iv)|(?<=\d{4})\.\s+(?=[A-Z])"
)
# `, J. Engel, ...`, ` (C. Kerl, J. Sturm)`: the people after a title.
_PEOPLE_AFTER_RE = re.compile(r",\s+(?=[A-Z]\.\s?-?[A-Z])|\s+\((?=[A-Z]\.\s?[A-Z])")
# APA: `Brodersen, K. H., & Scott, S. L. (2015). Title. Journal, 9(1).`, `(2021, April)`.
_APA_RE = re.compile(
    r"[^\w\"'“‘]{0,8}(?P<people>[^()]{3,400}?)\s\((?P<year>(?:19|20)\d{2})[a-z]?"
    r"(?:,[^()]{1,20})?\)\.?\s+(?P<title>.{8,400}?(?:[^\W\d_A-Z]{2}[?!]?[.?!](?=\s|$)|$))"
)
_END_YEAR_RE = re.compile(r",\s*(?:(?:19|20)\d{2}|[A-Za-z ]{0,12}['’]\d{2})\.?\s*$")
_SITE_RE = re.compile(r"\w\.(?:com|org|net|io|edu|ai|dev)\b", re.I)
_VENUE_TAIL_WORDS_RE = re.compile(r"(?:in|proc|arxiv|preprint)\b", re.I)
# `Title (Distributed and Parallel Databases 2020)`: a title, then where and when.
_CITED_PAREN_RE = re.compile(
    # `(ICDE 2022)`, `(aiXiv 2023)`, not `(usually from ... 2016`
    r"([^()（）\n]{8,300}?)\s*[(（]\s*(?=[A-Z\d]|[a-z]{1,3}[A-Z])"
    r"[^()（）\n]{0,40}?((?:19|20)\d{2})[^()（）\n]{0,40}[)）]"
)


@dataclass
class Entry:
    line: int
    group: int = 0
    title: str | None = None
    url: str | None = None  # the link to a paper that is not on arXiv
    # Running text names a paper at each paper's page it links: `published a [conference
    # paper](doi) and posted a [preprint](biorxiv)` names two (untitled, but for the first).
    more_urls: list[str] = field(default_factory=list)
    ids: list[ArxivId] = field(default_factory=list)
    id_titles: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    authors: list[str] = field(default_factory=list)
    problem: str | None = None  # why it names no paper
    anchor: str | None = None  # where its only link points inside the document (`#x`)
    lookalike: bool = False  # looks like an entry: worth a skip line when it names no paper
    snippet: str = ""
    status: str | None = None
    note: str | None = None  # remarks written under it (nested bullets without links)
    prose: bool = False  # a mention in running text, not an entry of the list
    standalone: bool = False  # a reading item without a link (`- [ ] **Title**`)
    alias: str | None = None  # a short name the list gives beside the title (`TidyBot`)
    cited: bool = False  # a citation without a link: a paper with no address
    # Nothing but a title (no link, or only empty ones): a paper with no address when its
    # list or table holds linked papers (see the document).
    bare: str | None = None
    # The segment's best title candidate, for an entry without a title: taken unless a
    # heading names the paper (a heading with its remarks is the entry then).
    fallback: str | None = None
    fallback_score: float = 0

    @property
    def is_paper(self) -> bool:
        return bool(self.ids or self.url or (self.standalone and self.title))


def _kind(link: Link) -> str:
    if link.image or (link.has_image and doi_in_url(link.url) is None):
        return "image"  # an image linking a DOI's page names that paper (no title: `fetch`)
    kind = url_kind(link.url)
    # A link on an unknown site labelled "code", "demo", "tweet" ... is that, not a paper.
    labelled = is_label(link.label) and norm_label(link.label) not in PAPER_LABELS
    return "extra" if kind == "web" and not link.bare and labelled else kind


def _is_label_link(link: Link) -> bool:
    return link.bracketed or link.bare or link.image or link.has_image or is_label(link.label)


def citation(text: str) -> tuple[str, str] | None:
    """`“Title,” Venue, 2018.` -> (`Title`, `Venue, 2018.`), for a text that cites."""
    for m in _QUOTED_RE.finditer(text):
        inner = m.group(1).rstrip(" *")
        after = text[m.end() :].lstrip(" *")
        if inner.endswith((",", ".", "，")) or not after or after[0] in ",.，":
            return inner, text[: m.start()] + " " + text[m.end() :]
    opener = _OPENER_MISSING_RE.match(text)
    if opener and not any(q in opener.group(1) for q in '"“”'):
        return opener.group(1), text[opener.end() :]
    return None


def named_bold(content: Inline, link: Link) -> tuple[str, str] | None:
    """(title, name) for `[Grasp-Anything-6D: **Language-Driven 6-DoF Grasp ...**](url)`:
    the bold words that end a link's text are the title, a short name before them its name."""
    for a, b in content.strong:
        if link.start < a < b <= link.end and not content.text[b : link.end].strip(" .*"):
            name = content.text[link.start : a].strip(" :：-–—|")
            title = finish_title(content.text[a:b])
            if title and name and is_short_name(name) and len(title.split()) >= 3:
                return title, name
    return None


def title_from_label(label: str) -> tuple[str | None, str, bool]:
    """(title, leftover text, whether it was a citation) from a link's label."""
    cited = citation(label)
    if cited and not _opens_with_quote(label, cited[1]):
        return finish_title(cited[0]), cited[1], True
    return finish_title(label), "", False


def _opens_with_quote(label: str, rest: str) -> bool:
    """`["This is My Fault", Really? Understanding ...](doi)`: a title that starts with a
    quotation, not a citation `"Title," Venue, 2020` (what follows has no year, venue or
    people, and is three words or more)."""
    rest = rest.strip(" ,.")
    return (
        label.lstrip()[:1] in QUOTES
        and len(rest.split()) >= 3
        and not _CITE_YEAR_RE.search(rest)
        and not is_venue(rest)
        and not names_people(rest)
    )


class _Reader:
    """Reads one entry; `title`, `span` and friends are filled in step by step."""

    def __init__(self, content: Inline, prose: bool) -> None:
        self.c = content
        self.text = content.text
        self.prose = prose
        self.links = [lk for lk in content.links if not lk.image]
        self.kinds = {id(lk): _kind(lk) for lk in self.links}
        self.title: str | None = None
        self.span: tuple[int, int] | None = None
        self.title_link: Link | None = None
        self.cited = bool(_NUMBERED_RE.match(self.text)) and not self._link_at(0)
        self.rest = ""
        self.bold_title = False  # the title is a bold span (its words are the title's own)
        self.alias: str | None = None  # a short name the title's link writes before it
        self.pos = self._skip_junk(0)

    def _link_at(self, pos: int) -> Link | None:
        return next((lk for lk in self.links if lk.start == pos), None)

    def _skip_junk(self, pos: int) -> int:
        while True:
            pos = _LEAD_JUNK_RE.match(self.text, pos).end()  # type: ignore[union-attr]
            badge = next(
                (
                    lk
                    for lk in self.c.links
                    if lk.start == pos
                    and lk.end > pos
                    and self.kinds.get(id(lk), "image") == "image"
                ),
                None,
            )
            if badge is None:
                return pos
            pos = badge.end

    def _set(self, title: str | None, span: tuple[int, int], link: Link | None = None) -> bool:
        if title:
            self.title, self.span, self.title_link = title, span, link
        return bool(title)

    def read_title(self) -> None:
        first = self._link_at(self.pos)
        if first is not None and self.kinds[id(first)] != "image":
            if not _is_label_link(first) and self.kinds[id(first)] not in _NO_TITLE_KINDS:
                title, self.rest, cited = title_from_label(first.label)
                self.cited |= cited
                if named := named_bold(self.c, first):
                    title, self.alias = named
                self._set(title, (first.start, first.end), first)
            elif first.bracketed or (
                norm_label(first.label) in _RUN_LABELS
                and self.text[first.end : first.end + 1] == " "
            ):
                self._run_after(first)
        elif (strong := self.c.spans_at(self.c.strong, self.pos)) and strong[0] == self.pos:
            self._from_strong(strong)
        if self.title is None:
            self._first_titled_link()
        if self.title is None and first is None:
            self._quoted()
        if self.title is None and self.cited:
            for strong in self.c.strong:
                if strong[0] >= self.pos and self._from_strong(strong):
                    break
        if self.title is None and first is None:
            # `Tan et al. **EfficientDet.** CVPR 2020. [pdf](url)`: the bold words.
            for strong in self.c.strong:
                if strong[0] > self.pos and self._from_strong(strong):
                    break
        if self.title is None and first is None:
            self._before_label()
        if self.prose and self.title and len(self.title.split()) < 3:
            # `see the [follow-up](arxiv...)`: a mention in running text, not a title.
            self.title, self.title_link, self.span = None, None, None

    def _from_strong(self, strong: tuple[int, int]) -> bool:
        words = self.text[strong[0] : strong[1]]
        if words.startswith(("(", "[")) or any(
            strong[0] <= lk.start < strong[1] and not _is_label_link(lk) for lk in self.links
        ):
            return False
        found = self._set(finish_title(words), strong)
        self.bold_title = found
        return found

    def _run_after(self, label: Link) -> None:
        start = self._skip_junk(label.end)
        stop = len(self.text)
        for mark in ("[", "\n", "|"):
            found = self.text.find(mark, start)
            if 0 <= found < stop:
                stop = found
        nxt = next((lk.start for lk in self.links if lk.start >= start), stop)
        stop = min(stop, nxt)
        title = finish_title(self.text[start:stop])
        # `[PDF](doi...) - nice`: one word after a label link is a remark, not a title.
        self._set(title if title and len(title.split()) > 1 else None, (start, stop))

    def _first_titled_link(self) -> None:
        for link in self.links:
            kind = self.kinds[id(link)]
            if (
                not _is_label_link(link)
                and kind not in ("extra", "image", *_NO_TITLE_KINDS)
                and (
                    is_paper_kind(kind)
                    or kind in ("anchor", "empty", "relative")
                    or not self.text[: link.start].strip()
                )
            ):
                title, rest, cited = title_from_label(link.label)
                if named := named_bold(self.c, link):
                    title, self.alias = named
                if title:
                    self.rest, self.cited = rest, self.cited or cited
                    self._set(title, (link.start, link.end), link)
                    return

    def _quoted(self) -> None:
        for m in _QUOTED_RE.finditer(self.text, self.pos):
            if any(lk.start <= m.start() < lk.end for lk in self.links):
                continue
            if self._set(finish_title(m.group(1)), (m.start(), m.end())):
                self.cited = True
                return

    def _before_label(self) -> None:
        """`Title. Authors. Venue. [PDF](url)`, `Title ([arXiv](url))`, `Title — https://...`."""
        for link in self.links:
            if link.start <= self.pos:
                continue
            before = self.text[link.start - 1]
            labelled = (
                link.bracketed or norm_label(link.label) in PAPER_LABELS
            ) and before in " \t([（"
            bare = (
                link.bare
                and self.kinds[id(link)] in ("arxiv", "paper", "web")
                and bool(_URL_AFTER_SEP_RE.search(self.text, self.pos, link.start))
            )
            if labelled or bare:
                self._title_before(link.start)
                return

    def _title_before(self, end: int) -> None:
        # Up to the line's end, or to italic words (`Mask R-CNN, *ICCV 2017* [[PDF](url)]`).
        end = min([a for a, _ in self.c.em if self.pos < a < end] + [end])
        words = self.text[self.pos : end].split("\n", 1)[0]
        year = PAREN_YEAR_RE.search(words)
        if year:  # `Title (2015), A. Author et al.`
            self.rest = words[year.start() :]
            words = words[: year.start()]
        else:
            # `Title, G. Hinton and R. Salakhutdinov.`: the authors start at `, G. `.
            words = _INITIAL_AFTER_COMMA_RE.split(words, maxsplit=1)[0].split(". ", 1)[0]
        self._set(finish_title(words), (self.pos, end))
        if year:
            self.span = (self.pos, self.pos + year.start())


def read_entry(
    content: Inline, line: int, group: int = 0, prose: bool = False, cites: bool = True
) -> Entry:
    """The papers one entry names, with the first one's title, year and authors; `cites`:
    whether a citation without a link is a paper (a list item's, not a table row's)."""
    r = _Reader(content, prose)
    entry = Entry(line=line, group=group, prose=prose)
    bare = BARE_ID_RE.match(r.text, r.pos)
    if bare and not r.links and parse_id(bare.group("id")):
        # `2104.12255`, `astro-ph/0601001 - Hot Jupiters`
        entry.ids = [parse_id(bare.group("id"))]  # type: ignore[list-item]
        rest = r.text[_ID_SEP_RE.match(r.text, bare.end()).end() :]  # type: ignore[union-attr]
        entry.title = finish_title(rest.split("\n", 1)[0])
        entry.lookalike = True
        entry.snippet = entry.title or bare.group("id")
        return entry
    r.read_title()
    if r.title is None and not r.links and not prose:
        _title_before_id(r)
    if not prose:
        _better_title(r, entry)
    lead_year, entry.title = split_year_prefix(r.title)
    entry.alias = entry.alias or r.alias
    if prose and r.bold_title and r.span and r.span[0] == r.pos:
        entry.prose = False  # `**Title** \` and its lines: an entry, not a mention in prose
    _find_papers(r, entry)
    if prose and r.title_link is not None and entry.ids and not scan_ids(r.title_link.url):
        # `refer to the [How To Contribute](#x) section ... surveys on [music generation](arxiv)`:
        # in running text a link's words name that link only, not another link's paper.
        named = entry.id_titles.get(entry.ids[0].id)
        entry.title = named if named and len(named.split()) >= 3 else None
    if prose and entry.url and not entry.ids and not _own_title(r, entry):
        # `Maintained by [Ann Lee, PhD](cv) and [our lab](doi...)`: in running text the
        # words of another link, or of the sentence, are not the DOI's paper's title.
        entry.title = None
    if prose and entry.title is None and (entry.ids or url_kind(entry.url or "") == "paper"):
        _reference_before_link(r, entry)
    if _venue_site(r, entry):
        # `[IEEE International Parallel & Distributed Processing Symposium](http://ipdps.org/)`
        entry.url, entry.title = None, None
        entry.problem = f"a venue's site ({r.title_link.url}), not a paper"  # type: ignore[union-attr]
    entry.year = _year(r, lead_year)
    if entry.title and "(" in entry.title and (apa := apa_reference(entry.title)):
        # `Zheng, P., & Triesch, J. (2014). Title. Frontiers ...` read whole as a title
        entry.title, entry.year = apa
    if not entry.is_paper and not prose and cites:
        _cited_without_link(r, entry)
        if not entry.is_paper:
            entry.bare = _bare_title(r)
    dated = any(_DATE_RE.fullmatch(r.text[a:b].strip()) for a, b in r.c.em)
    entry.authors = _authors(r)
    entry.lookalike = bool(
        r.cited
        or dated
        or (entry.title and not entry.anchor)
        or any(r.kinds[id(lk)] in ("empty", "relative") for lk in r.links)
        # `[Lecture on detection](youtube...)`: an entry, of a talk: skipped and counted.
        or any(r.kinds[id(lk)] in _NO_TITLE_KINDS and not _is_label_link(lk) for lk in r.links)
    )
    first_line = " ".join(r.text.split("\n", 1)[0].split()).rstrip(":： ")
    entry.snippet = entry.title or first_line[:80]
    return entry


def _reference_before_link(r: _Reader, entry: Entry) -> None:
    """`Keller, G. B. (2018). Predictive processing. Neuron, 100(2). https://...`: a
    paragraph that opens with a reference written out, then its link, is that paper's
    entry, not a mention in running text."""
    start = min((lk.start for lk in r.links), default=len(r.text))
    head = r.text[r.pos : start].strip()
    found = written_citation(head) if head and "\n" not in head.strip() else None
    if found:
        entry.title, entry.year, entry.prose = found[0], found[1], False


def apa_reference(text: str) -> tuple[str, int] | None:
    """(title, year) of `Keller, G. B., & Mrsic-Flogel, T. D. (2018). Title. Neuron.`
    (`🔥 ` or another mark before it, `(2021, April)`, no period after the year)."""
    apa = _APA_RE.match(text) if "(" in text and len(text) <= 600 else None
    # People: `Keller, G. B.`, `Yaoda Xu, Maryam Vaziri-Pashkam`; not a name (`BERT (2018).`).
    if apa is None or "," not in apa["people"] or not parse_authors(apa["people"]):
        return None
    found = finish_title(apa["title"])
    return (found, int(apa["year"])) if found else None


def written_citation(text: str) -> tuple[str, int] | None:
    """(title, year) of a reference written out in one of the usual orders, or None:
    `A. Author, B. Author. Title. Venue, 2015.`, `Title, A. Author, B. Author, ICCV '13`,
    `Title (A. Author, B. Author), In Proc. ..., 2013`, `Title, 2014`, APA's `A. Author
    (2015). Title. Venue`. The title is the first sentence that is not a list of people,
    and it stands next to the people or the year: a sentence that merely holds a year is
    none."""
    years = _CITE_YEAR_RE.findall(text)
    if not years:  # `... Mapping. arXiv preprint arXiv:1910.02490.`: the id's year
        years = [f"20{found.id[:2]}" for _, found in scan_ids(text) if found.id[:2].isdigit()]
    if not years or len(text) > 600:
        return None
    apa = apa_reference(text)
    if apa:
        return apa
    last = years[-1]
    short = int(last[-2:])  # `ICCV '13`, `IJRR '16`, `Proc. ISMAR '98`
    year = int(last) if len(last) == 4 else (1900 if short > 40 else 2000) + short
    cited = citation(text)  # `D. Nister, “Title,” Venue, 2004.`
    after = text[text.find(cited[0]) + len(cited[0]) :] if cited else ""
    if cited and len(after.strip(' *"”’.,')) >= 3:  # `“Title,” Venue`: the citation goes on
        found = finish_title(cited[0])
        return (found, year) if found and len(found.split()) >= 2 else None
    after_people = False
    sentences = _SENTENCE_RE.split(_NUMBERED_RE.sub("", text, count=1).strip())
    for k, sentence in enumerate(sentences):
        head = _PEOPLE_AFTER_RE.split(sentence, maxsplit=1)
        title = head[0]
        dated = _END_YEAR_RE.search(title)
        title = _END_YEAR_RE.sub("", title)
        if _people([sentence]):
            after_people = True
            continue
        found = finish_title(title)
        if (
            found
            and len(found.split()) >= 3
            and not is_venue(found)
            and not names_people(found)
            and not _VENUE_TAIL_WORDS_RE.match(found)
            and not _SITE_RE.search(found)  # `Daniel Seita. danieltakeshi.github.io, 2020`
            and (
                after_people
                or len(head) == 2
                or (dated and ". " not in found)
                or _people(sentences[k + 1 : k + 2])  # `Title. Ann Lee, Bo Chen. 2021.`
            )
        ):
            return found, year
        return None
    return None


def _people(sentences: list[str]) -> bool:
    """Whether a sentence (the one given, if any) is a list of two people or more."""
    return any(":" not in s and len(parse_authors(s)) >= 2 for s in sentences)


def _venue_site(r: _Reader, entry: Entry) -> bool:
    """A link titled with a venue's name (`... Symposium (IPDPS)`) to the front page of a
    site: the venue, not a paper (a paper's own page has a path)."""
    link = r.title_link
    if link is None or entry.ids or entry.url != link.url or not is_venue(link.label):
        return False
    path = link.url.split("//", 1)[-1].split("/", 1)[1:]
    return not path or not path[0].strip("/#?")


def _cited_without_link(r: _Reader, entry: Entry) -> None:
    """An entry that cites a paper without linking it is a paper to read, with no address:
    `Title (SIGMOD 2018)`, `[CVPR'2025] "Title", A. Author, B. Author.` A citation has a
    year and a title of three words or more before any link (links after it are code or
    data: `Title (ICDE 2024) [Source code](url)`); a line of people or a venue is none."""
    text = r.text[r.pos :].split("\n", 1)[0]
    first_link = min((lk.start - r.pos for lk in r.links), default=len(text))
    title, year = None, None
    after = text[r.span[1] - r.pos : first_link] if r.span else ""
    if (
        r.cited
        and r.title
        and r.span
        and r.title_link is None
        and r.span[1] - r.pos <= first_link
        and len(after.strip(' *"”’.,')) >= 3  # `"Title", A. Author`: a citation goes on
    ):
        title = r.title
        found = BARE_YEAR_RE.search(text[:first_link])
        year = int(found.group(1)) if found else None
    elif (m := _CITED_PAREN_RE.match(text)) and m.end() <= first_link:
        title, year = finish_title(m.group(1)), int(m.group(2))
    elif written := written_citation(text[:first_link]):
        title, year = written
    if (
        title is None
        or year is None
        or len(title.split()) < 3
        or is_venue(title)
        or names_people(title)
    ):
        return
    entry.title, entry.standalone, entry.problem, entry.anchor = title, True, None, None
    entry.cited = True
    entry.year = entry.year or year
    entry.snippet = title


_MEASURE_RE = re.compile(r"\d+[A-Za-z]")  # a first word of digits and letters, not a number
# `Title. (Stony Brook University)`, `Title<TAB>(SJTU)`: who wrote it, after the title.
_AFFILIATION_RE = re.compile(r"(?:(?<=[.?!])[ \t]*|\t[ \t]*)\([^()\n]{1,160}\)\s*$")


def bare_title(text: str, bold: bool = False) -> str | None:
    """The title a text is, when the text is nothing but a title: three words or more, one
    phrase that starts with a capital or a digit (no sentence, list of people, venue or
    lead-in); `bold`: the text is one bold phrase, whose full stop is the title's."""
    plain = _AFFILIATION_RE.sub("", text)
    # A full stop before the authors' affiliation, or inside a bold phrase, is the title's.
    ends = (":", "：") if bold or plain != text else (":", "：", ".", "!")
    text = " ".join(plain.split())
    title = finish_title(text)
    if (
        title is None
        or not 3 <= len(title.split()) <= 30
        or not (title[0].isupper() or _MEASURE_RE.match(title))  # `3D ...`, `184QPS/W ...`
        or text.endswith(ends)  # a lead-in or a sentence
        or _SENTENCE_RE.search(title)
        or names_people(title)
        or is_venue(title)
        or BARE_YEAR_RE.search(title)
    ):
        return None
    return title


def _bare_title(r: _Reader) -> str | None:
    """`* Title` or `* Title [\\[paper\\]]()`: a title and at most empty links on one line."""
    text = r.text[r.pos :]
    if "\n" in text.strip() or any(r.kinds[id(lk)] != "empty" for lk in r.links):
        return None
    for link in sorted(r.links, key=lambda lk: -lk.start):
        start = max(link.start - r.pos, 0)
        text = text[:start] + " " + text[max(link.end - r.pos, 0) :]
    text = re.sub(r"\[\s*\]|\(\s*\)", " ", text)  # the brackets around `[\\[paper\\]]()`
    bold = r.bold_title and r.span is not None and not r.text[r.span[1] :].strip()
    return bare_title(text, bold=bold)


def _better_title(r: _Reader, entry: Entry) -> None:
    """The segment's best candidate (see `candidates`) where the reader's title is missing,
    a short name, a venue, a link's words that other words before it outscore, or holds
    the authors (`Name - A. Author et al., Title`)."""
    title = r.title
    if title is None and not (r.links or scan_ids(r.text)):
        return
    # A title from a link's words is questioned only when words come before the link.
    linked = r.title_link is not None and len(r.text[r.pos : r.title_link.start].split()) > 2
    if title is not None and not (
        is_short_name(title) or is_venue(title) or linked or _ET_AL_RE.search(title)
    ):
        return
    found = candidates(r.c)
    best = max(found, key=lambda c: (c.score, c.mark, -c.start)) if found else None
    if best is None or best.title == title or best.score < MIN_SCORE:
        return
    if title is None:
        entry.fallback = split_year_prefix(best.title)[1]
        entry.fallback_score = best.score
        return
    own = max((c.score for c in found if c.title == title), default=MIN_SCORE - 1)
    if best.score <= own or best.words < 3 or best.after_link or _ET_AL_RE.search(best.title):
        return  # a title in hand gives way only to a better one before the links
    if _ET_AL_RE.search(title) or is_venue(title):
        r.title = best.title
    elif is_short_name(title) and best.score > 2 and best.words > len(title.split()) + 1:
        if best.mark >= 2 or (r.span is not None and best.start < r.span[0]):
            # `**TidyBot**: "Personalized Robot Assistance with ..."`: the title, and its name.
            entry.alias, r.title = title, best.title
    elif linked and r.title_link is not None and best.start < r.title_link.start:
        r.title = best.title  # `Title | *Authors* | [PloS Computational Biology](doi)`


def _title_before_id(r: _Reader) -> None:
    """`Toolformer: Language Models Can Teach ..., arXiv 2302.04761`: the words before it."""
    found = scan_ids(r.text)
    if found:
        words = r.text[r.pos : found[0][0]].split("\n", 1)[0]
        # `A. Rosinol, L. Carlone. Kimera: ... Mapping. arXiv preprint arXiv:1910.02490.`
        written = written_citation(r.text[r.pos :].split("\n", 1)[0])
        title = written[0] if written else finish_title(words)
        if title and len(title.split()) >= 3:
            r.title, r.span = title, (r.pos, r.pos + len(words))


def _find_papers(r: _Reader, entry: Entry) -> None:
    ids: dict[str, ArxivId] = {}
    if r.title_link is not None:
        for _, found in scan_ids(r.title_link.url):
            ids[found.id] = found
    for link in r.links:
        for _, found in scan_ids(link.url):
            _keep(ids, found)
    # Ids written as text (`arXiv:1409.0473`), outside links and outside a bold title: a
    # title may name another paper ("Why arXiv:1706.03762 is overrated").
    unlinked = r.text
    title = [r.span] if r.span and r.bold_title else []
    for start, end in [(lk.start, lk.end) for lk in r.links] + title:
        unlinked = unlinked[:start] + " " * (end - start) + unlinked[end:]
    for _, found in scan_ids(unlinked):
        _keep(ids, found)
    for link in r.links:  # `[Authors. "Title." arXiv preprint arXiv:1602.05352 (2016).](pdf)`
        # (a link to an arXiv page names its paper by that: the words may name another)
        reference = "arxiv" in link.label.lower() and len(link.label.split()) >= 5
        reference = reference and not scan_ids(link.url)
        in_label = scan_ids(link.label) if reference else []  # not `[arXiv:2101.00001](u)`
        if in_label and (title_from_label(link.label)[2] or written_citation(link.label)):
            _keep(ids, in_label[0][1])
    entry.ids = list(ids.values())
    for link in r.links:
        in_url = scan_ids(link.url)
        if in_url and link is not r.title_link and not _is_label_link(link):
            named, _, _ = title_from_label(link.label)
            # `[Extension1](arxiv...)` names the link, not the paper: one word is no title.
            if named and len(named.split()) > 1:
                entry.id_titles.setdefault(in_url[0][1].id, named)
    if entry.ids:
        return
    # The paper's own page first: a link to a paper host or a PDF, then the title's link,
    # then a link labelled as the paper, then any other page (`[[github](u)][[tensorflow
    # hub](u)][[paper](biorxiv)]` names the paper by its last link).
    ordered = ([r.title_link] if r.title_link else []) + r.links
    ordered.sort(key=lambda lk: _url_rank(r, lk))
    for link in ordered:
        if r.kinds[id(link)] in ("paper", "web"):
            entry.url = best_address(link.url)
            if r.prose:
                pages = (best_address(lk.url) for lk in r.links if on_paper_host(lk.url))
                entry.more_urls = [u for u in dict.fromkeys(pages) if u != entry.url]
            return
    entry.problem, entry.anchor = _problem(r)


def _own_title(r: _Reader, entry: Entry) -> bool:
    """Whether the entry's title is the words of the very link it came in by (four or more)."""
    link = r.title_link
    return (
        link is not None
        and best_address(link.url) == entry.url
        and entry.title is not None
        and len(entry.title.split()) >= 4
    )


def _url_rank(r: _Reader, link: Link) -> int:
    if r.kinds[id(link)] == "paper" and doi_in_url(link.url):
        return -1  # a DOI names the paper itself, whatever else is linked beside it
    if r.kinds[id(link)] == "paper":
        return 0
    if link is r.title_link:
        return 1
    return 2 if norm_label(link.label) in PAPER_LABELS else 3


def _keep(ids: dict[str, ArxivId], found: ArxivId) -> None:
    known = ids.get(found.id)
    if known is None or (known.version is None and found.version is not None):
        ids[found.id] = found


def _problem(r: _Reader) -> tuple[str, str | None]:
    primary = r.title_link or next(
        (lk for lk in r.links if lk.bracketed), r.links[0] if r.links else None
    )
    if primary is None:
        return "no link or arXiv id", None
    kind = r.kinds[id(primary)]
    if kind == "empty":
        return "its link is empty", None
    if kind == "relative":
        return f"relative link {primary.url!r}: no address to import", None
    if kind == "anchor":
        return (
            f"its link {primary.url!r} points inside the document, "
            "and no paper here has that title",
            primary.url[1:],
        )
    if kind == "other":
        return f"link {primary.url!r} is not a web address", None
    if kind == "extra":
        kind = norm_label(primary.label) or "project"
    return f"a {kind} link ({primary.url}), not a paper", None


def _year(r: _Reader, prefix_year: int | None) -> int | None:
    lead = _LEAD_DATE_RE.match(r.text)
    if lead and lead.end() <= r.pos:
        return int(lead.group(1))
    for a, b in r.c.em:  # `*2014-04-30*`: a date line
        m = _DATE_RE.fullmatch(r.text[a:b].strip())
        if m:
            return int(m.group(1))
    spans = [(lk.start, lk.end) for lk in r.links]
    if r.span:
        spans.append(r.span)
    rest = r.text
    for a, b in spans:  # blanked, not cut: the spans may overlap
        rest = rest[:a] + " " * (b - a) + rest[b:]
    rest += " " + r.rest
    m = PAREN_YEAR_RE.search(rest)
    if m:
        return int(m.group(1))
    if prefix_year:
        return prefix_year
    years = BARE_YEAR_RE.findall(rest)
    if years and (r.cited or r.span):  # `Title. NeurIPS 2020.`, `[Title](url), ICLR 2015`
        return int(years[-1] if r.cited else years[0])
    return None


def _authors(r: _Reader) -> list[str]:
    """From italic text after the title, or the words after `(2015),` in `Title (2015), A. B`."""
    if r.span is None:
        return []
    # `Kishore Papineni, Salim Roukos, and Wei-Jing Zhu. 2002. [Title](url). In *Proc.*`:
    # the authors, then the year, before the title (the italic words after it: the venue).
    acl = _AUTHORS_YEAR_RE.fullmatch(r.text[r.pos : r.span[0]])
    if acl:
        return parse_authors(acl.group(1))
    for a, b in r.c.em:
        if a >= r.span[1]:
            names = parse_authors(r.text[a:b])
            if names:
                return names
    if r.rest.startswith(("(", "（")):
        after = re.sub(r"^[(（][^)）]*[)）][\s,.]*", "", r.rest)
        return parse_authors(after)
    # `Tan et al. **Title.** CVPR 2020.`: the authors before a bold title;
    # `LeCun, Yann, and Geoffrey Hinton. "Deep learning." Nature (2015)`: before a quoted one.
    before = r.text[r.pos : r.span[0]]
    if (r.bold_title and _ET_AL_RE.search(before)) or (r.cited and before.rstrip().endswith(".")):
        return parse_authors(before)
    # `[Title](url) - J. Schulman et al., ICML 2015`: plain words naming authors "et al."
    nxt = min([lk.start for lk in r.links if lk.start >= r.span[1]] + [len(r.text)])
    after = r.text[r.span[1] : nxt].split("\n", 1)[0]
    if _ET_AL_RE.search(after):
        return parse_authors(_ET_AL_RE.split(after.strip(" -–—,.:;"), maxsplit=1)[0] + " et al.")
    return []
