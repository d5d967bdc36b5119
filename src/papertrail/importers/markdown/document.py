"""A whole document: blocks and headings in, records, topic tree and skipped entries out.

Entries are list items, table rows and the lines of a paragraph that start like an entry
(`[Title](url)`, `**[3]** ...`, `**Title** [link]`, a bare arXiv id). Bullets that only
give an entry's links (`- Paper: https://...`, `- Code：...`) belong to the entry above
them, a list item or a title line. A heading with no entries of its own that links a paper
(or whose remarks link "the paper") names that paper; its remarks become the note.
"""

from __future__ import annotations

import re
from collections import Counter

from papertrail.importers.markdown import headings as hd
from papertrail.importers.markdown.candidates import MIN_SCORE, names_people, pick_title
from papertrail.importers.markdown.entries import Entry, read_entry, written_citation
from papertrail.importers.markdown.inline import Inline, Link
from papertrail.importers.markdown.links import (
    LABELS,
    is_label,
    norm_label,
    scan_ids,
    url_kind,
)
from papertrail.importers.markdown.paper_headings import find_paper_headings, heading_entry
from papertrail.importers.markdown.records import Collector
from papertrail.importers.markdown.rows import label_columns, read_row
from papertrail.importers.markdown.titles import finish_title
from papertrail.importers.markdown.tree import Block, join, parse_blocks, prepare
from papertrail.model.ids import doi_in_url
from papertrail.model.records import ParsedList

_ATTRIBUTE_RE = re.compile(r"\s*([^\s:：]{1,20}(?:[ -][^\s:：]{1,20})?)\s*[:：]\s*")
_LEAD_RE = re.compile(
    r"(?:\s+|:[a-z0-9_+\-]{1,30}:|[\u2600-\u27bf\u2b50\ufe0f\U0001f300-\U0001faff])*"
)
_NUMBERED_RE = re.compile(r"\s*\[\d{1,4}\](?![(\[])")
_BARE_ID_START_RE = re.compile(
    r"(?:arxiv:\s*)?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.I
)
_BOOK_TITLE_RE = re.compile(r"《([^《》]{2,600})》")
_COMMA_RE = re.compile(r"[ \t*\\]{0,3}[,，、]")


# papertrail's own markdown export says so (exporters/markdown.py writes this mark).
_EXPORT_MARK = "<!-- papertrail export:"


def parse_document(text: str, source: str, extras: list[str]) -> ParsedList:
    prepared = prepare(text)
    document = _Document(parse_blocks(prepared), prepared.split("\n"), source, extras)
    document.out.exported = _EXPORT_MARK in prepared[:2000]
    return document.run()


def _exported_title(content: Inline) -> str | None:
    """The title of an item of papertrail's export: its first link's text, or its bold
    words when it has no link, exactly as written (escapes undone by the parser)."""
    link = next((lk for lk in content.links if lk.start == 0 and not lk.image), None)
    if link is not None and not link.bare:
        return " ".join(content.text[link.start : link.end].split())
    whole = next((b for a, b in content.strong if a == 0), None)
    return " ".join(content.text[:whole].split()) or None if whole else None


def _bold_title_only(content: Inline) -> bool:
    """Whether an exported item is a paper without an address: its bold title, then at
    most its authors and year, no link outside the title (`**https://example.org/a**` is a
    title there, not a link)."""
    whole = next((b for a, b in content.strong if a == 0), None)
    return whole is not None and all(lk.start < whole for lk in content.links)


def _is_attribute(content: Inline) -> bool:
    """`Paper: https://...`, `Code：[repo](url)`: a label, a colon, and a link."""
    m = _ATTRIBUTE_RE.match(content.text)
    if not m or norm_label(m.group(1)) not in LABELS:
        return False
    return any(lk.start >= m.end() and not lk.image for lk in content.links)


def _only_labels(content: Inline) -> bool:
    """`[[Paper]](u) [[Code]](u)`, `[PDF](u) | [Slides](u)`: links labelled, nothing else."""
    links = [lk for lk in content.links if not lk.image]
    if not links or not all(lk.bracketed or is_label(lk.label) for lk in links):
        return False
    rest = content.text
    for lk in sorted(links, key=lambda lk: -lk.start):
        rest = rest[: lk.start] + rest[lk.end :]
    return not rest.strip(" \t\n[](),|·•-–—:;/")


def _cites(block: Block, line: Inline) -> bool:
    """A quoted line that writes a citation out (`> A. Author. Title. Venue 2014.`): an
    entry of a list of references, not a quotation."""
    return block.quote and written_citation(line.text) is not None


def _labels_first(part: Inline) -> bool:
    """Whether the part's first line is labelled links only (`[[Paper](u)] [[Code](u)]`)."""
    end = part.text.find("\n")
    return _only_labels(part.slice(0, end if end >= 0 else len(part.text)))


def _bold_line(block: Block) -> bool:
    """A paragraph that is one bold line standing alone: a heading below all others."""
    c = block.content
    text = c.text.rstrip().rstrip(":：").rstrip()
    lead = len(text) - len(text.lstrip())
    return (
        block.kind == "para"
        and "\n" not in text
        and not c.links
        and 0 < len(text) <= 120
        and any(a <= lead and b >= len(text) for a, b in c.strong)
    )


def _title_line(block: Block) -> bool:
    """A paragraph that can be an entry's title: one short line, its own words."""
    text = block.content.text.strip()
    return block.kind == "para" and "\n" not in text and 0 < len(text) <= 300


def _starts_entry(line: Inline) -> bool:
    text = line.text
    if _NUMBERED_RE.match(text) and not any(lk.start == 0 for lk in line.links):
        return True
    pos = _LEAD_RE.match(text).end()  # type: ignore[union-attr]
    links = [lk for lk in line.links if lk.end > lk.start]
    if any(lk.start == pos and not lk.bare for lk in links):
        return True
    if links and any(a == pos for a, _ in line.strong):
        return True
    return bool(_BARE_ID_START_RE.match(text, pos)) or bool(
        links and links[0].bare and links[0].start == pos
    )


def _reading_item(entry: Entry, content: Inline) -> None:
    """A task-list item is something to read: a paper even when its link is no paper's."""
    entry.standalone = True
    if not entry.is_paper:
        web = [lk.url for lk in content.links if lk.url.lower().startswith(("http:", "https:"))]
        entry.url = web[0] if web else None
        entry.problem = None if entry.title else entry.problem


def _bold_words(content: Inline) -> str | None:
    """The title a line gives when it is all bold (`**Title**`), else None."""
    text = content.text.strip()
    lead = len(content.text) - len(content.text.lstrip())
    whole = any(a <= lead and b >= lead + len(text) for a, b in content.strong)
    return finish_title(text) if whole and text and not content.links else None


def _names_people(content: Inline) -> bool:
    """`[Haotong Qin](u), [Ruihao Gong](u), Xiao Bai`: a line of names, not an entry."""
    names = [
        lk
        for lk in content.links
        if not is_label(lk.label)
        and not lk.image
        and url_kind(lk.url) != "arxiv"
        and len(lk.label.split()) <= 4
        and _COMMA_RE.match(content.text, lk.end)
    ]
    return len(names) >= 2


def _reference_then_link(part: Inline) -> bool:
    """`Keller, G. B. (2018). Title. Neuron. https://...`: a reference written out, then the
    link to its paper, is an entry even in a paragraph of running text."""
    links = [lk for lk in part.links if not lk.image]
    if not links or url_kind(links[0].url) != "paper":  # a paper's page or PDF, not photos
        return False
    return written_citation(" ".join(part.text[: links[0].start].split())) is not None


def _on_paper_page(entry: Entry) -> bool:
    """Whether an entry names a paper by an arXiv id or a paper's page or PDF."""
    return bool(entry.ids or (entry.url and url_kind(entry.url) == "paper"))


def _titled_paper_link(link: Link) -> bool:
    """`our survey: [How Can Recommender Systems Benefit from LLMs](doi...)`: a paper host's
    link whose words are a title (four words or more) names that paper, in prose too."""
    return (
        not link.image
        and not link.has_image
        and url_kind(link.url) == "paper"
        and len(link.label.split()) >= 4
        and finish_title(link.label) is not None
        and not names_people(link.label)  # `[Qinbin Li, PhD, NUS](cv.pdf)`: a person
    )


def _doi_link(link: Link) -> bool:
    """`published a [conference paper](worldscientific.com/doi/abs/10.1142/...)`: an address
    that holds a DOI names that paper, in prose too (`fetch` gives it its title)."""
    return not link.image and doi_in_url(link.url) is not None


_YEAR_SLUG_RE = re.compile(r"(?:^|-)((?:19|20)\d{2})(?=-|$)")
_YEAR_WORD_RE = re.compile(r"(?<![\w.])(?:19|20)\d{2}(?![\w.])")
_ACRONYM_RE = re.compile(r"\b(?:[A-Z]{2,}[a-z]?|[A-Z][a-z]+[A-Z][A-Za-z]*)\b")


class _Document:
    def __init__(self, blocks: list[Block], lines: list[str], source: str, extras: list[str]):
        self.blocks, self.lines = blocks, lines
        self.out = Collector(source, extras)
        self.attached: dict[int, list[Inline]] = {}  # block -> the attribute bullets it owns
        self.entries: dict[int, list[Entry]] = {}
        # table -> its columns of venue/site links, and of distinct names (see `rows`)
        self.label_cols: dict[int, tuple[set[int], set[int]]] = {}

    def run(self) -> ParsedList:
        self._attach_attributes()
        for bi, block in enumerate(self.blocks):
            if bi not in self.attached and _bold_line(block):
                block.kind, block.level = "heading", 7
        marks = [
            (bi, b.level, b.content.text) for bi, b in enumerate(self.blocks) if b.kind == "heading"
        ]
        self.headings, self.owner = hd.build(
            marks, len(self.blocks), len(self.lines), [b.line for b in self.blocks]
        )
        self.anchors = {hd.anchor(b.content.text) for b in self.blocks if b.kind == "heading"}
        self._read_entries()
        find_paper_headings(self.headings, self.blocks, self.entries)
        self._emit()
        return self.out.finish()

    # ---- entries ---------------------------------------------------------------------

    def _attach_attributes(self) -> None:
        for bi, block in enumerate(self.blocks):
            if block.kind != "item":
                continue
            owner = block.parent
            if owner >= 0 and _only_labels(block.content) and self._linkless_item(owner):
                # `- **Title (Venue Year)**` / `  - Authors` / `  - [[Paper]](u) [[Video]](u)`:
                # the sub-item of links belongs to the entry above it (its segment).
                self.attached.setdefault(owner, []).append(block.content)
                block.kind = "attribute"
                continue
            if not _is_attribute(block.content):
                continue
            if owner < 0:  # a title line, then the list: `**Title**` / `- Paper: url`
                first = bi
                while first > 0 and self.blocks[first - 1].kind == "attribute":
                    first -= 1
                owner = first - 1
                if owner < 0 or not _title_line(self.blocks[owner]):
                    continue
            self.attached.setdefault(owner, []).append(block.content)
            block.kind = "attribute"

    def _linkless_item(self, bi: int) -> bool:
        block = self.blocks[bi]
        return block.kind == "item" and not block.content.links and bool(block.content.text.strip())

    def _with_attributes(self, bi: int, content: Inline) -> Inline:
        extra = self.attached.get(bi)
        return join(content, *extra) if extra else content

    def _read_entries(self) -> None:
        prev_prose: str | None = None
        for bi, block in enumerate(self.blocks):
            owner = self.owner[bi]
            if block.kind != "para":
                prev_prose = None
            if owner >= 0 and self.headings[owner].role == "ignored":
                continue
            if owner >= 0 and self.headings[owner].role == "cite" and block.kind != "para":
                continue
            if block.kind == "para":
                prev_prose = self._read_para(bi, block, prev_prose)
            elif block.kind == "item" and self._is_remark(block):
                parent = self.entries[block.parent][0]
                text = " ".join(block.content.text.split())
                parent.note = f"{parent.note}\n{text}" if parent.note else text
            elif block.kind == "item":
                entry = read_entry(
                    self._with_attributes(bi, block.content), block.line, block.group
                )
                entry.status = {"x": "read", "~": "reading"}.get(block.box or "")
                entry.note = block.note
                if block.box is not None:
                    _reading_item(entry, block.content)
                    if self.out.exported:  # papertrail's own export: titles as written
                        entry.title = _exported_title(block.content) or entry.title
                        if _bold_title_only(block.content):
                            # A paper the export wrote without an address: the words of
                            # its title are no link and no arXiv id.
                            entry.url, entry.ids, entry.id_titles = None, [], {}
                self.entries[bi] = [entry]
            elif block.kind == "row":
                self.entries[bi] = [read_row(block, self._label_columns(block.group))]
        for bi, found in self.entries.items():
            if self.blocks[bi].remark:  # a `<details>` body: its links are mentions
                for e in found:
                    e.title, e.fallback, e.prose, e.lookalike = None, None, True, False
                    e.url = None if not e.ids else e.url
        self._lone_citations()
        # Entries without a link count as entries when their list or table has papers.
        with_papers = {e.group for found in self.entries.values() for e in found if e.is_paper}
        for found in self.entries.values():
            for e in found:
                if e.problem and e.group in with_papers and e.snippet:
                    e.lookalike = True

    def _lone_citations(self) -> None:
        """A citation without a link is a paper in a list of papers: one with another paper
        or another such citation (`- Meeting with Bob (Jan 2024)` alone in a list of notes
        is none)."""
        entries = [e for found in self.entries.values() for e in found]
        linked = {e.group for e in entries if e.is_paper and not e.cited}
        cited = Counter(e.group for e in entries if e.cited)
        # A reference written out in a blockquote (`> A. Author. Title. Venue 2014.`) stands
        # alone under its project's link: its stricter reading is enough.
        quoted = {
            id(e) for bi, found in self.entries.items() if self.blocks[bi].quote for e in found
        }
        for e in entries:
            if e.cited and e.group not in linked and cited[e.group] < 2 and id(e) not in quoted:
                e.cited = e.standalone = False
                e.problem = "no link or arXiv id"
        # Lists whose linked papers carry titles of their own (remarks linking "the paper"
        # under a paper's heading are no list of papers).
        titled = {e.group for e in entries if e.is_paper and not e.cited and e.title}
        self._bare_titles(titled)

    def _bare_titles(self, linked: set[int]) -> None:
        """`* Title` (or `* Title [[paper]]()`) among linked papers is a paper to read whose
        list gave no address yet; an item with sub-items or under another (a heading of its
        own, a remark) is none. Under a dated heading (`### 2017 ISCA`, `## 2019`) a list of
        three such titles or more is a list of papers, linked or not, and an item's
        sub-items without links are remarks on it."""
        parents = {b.parent for b in self.blocks if b.kind == "item"}
        with_links = {b.parent for b in self.blocks if b.kind == "item" and b.content.links}
        remarks: dict[int, list[str]] = {}  # an item's sub-items without links
        for b in self.blocks:
            if b.kind == "item" and b.parent != -1 and not b.content.links:
                remarks.setdefault(b.parent, []).append(" ".join(b.content.text.split()))
        dated = self._dated_lists(bool(linked))
        for bi, found in self.entries.items():
            block = self.blocks[bi]
            if block.parent != -1:
                continue
            for e in found:
                listed = e.group in linked and bi not in parents
                listed = listed or (e.group in dated and bi not in with_links)
                if e.bare and listed and not e.is_paper:
                    e.standalone, e.cited, e.problem, e.anchor = True, True, None, None
                    e.title = e.snippet = e.title or e.bare
                    e.year = e.year or self._dated(self.owner[bi])
                    e.note = e.note or "\n".join(remarks.get(bi, [])) or None

    def _dated_lists(self, has_papers: bool) -> set[int]:
        """The lists of three bare titles or more under a heading that names a venue and a
        year (`2017 ISCA`, `KDD 2022`), or only a year in a list that links papers too (not
        `Goals for 2025`, `v2.0 (2023)`: a plan's or a changelog's items)."""
        count: Counter[int] = Counter()
        for bi, found in self.entries.items():
            hi = self.owner[bi]
            if self.blocks[bi].parent != -1:
                continue
            if self._names_venue(hi) or (has_papers and hd.year_for(self.headings, hi)):
                count.update(e.group for e in found if e.bare and not e.is_paper)
        return {group for group, n in count.items() if n >= 3}

    def _names_venue(self, hi: int) -> bool:
        """Whether the nearest heading above that gives a year names a venue beside it, an
        acronym (`### AAAI 2023` / `#### Others`)."""
        while hi >= 0:
            text = self.blocks[self.headings[hi].block].content.text
            if _YEAR_WORD_RE.search(text):
                return bool(_ACRONYM_RE.search(text))
            hi = self.headings[hi].parent
        return False

    def _dated(self, hi: int) -> int | None:
        """The year a heading or one above it names (`2019`, `2017 ISCA`, `CVPR 2023`: a
        short heading with one year; `Surveys 2015-2023` names none)."""
        while hi >= 0:
            heading = self.headings[hi]
            if heading.role == "year":
                return heading.year
            slug = heading.slug or ""
            years = _YEAR_SLUG_RE.findall(slug)
            if len(years) == 1 and slug.count("-") <= 3:
                return int(years[0])
            hi = heading.parent
        return None

    def _label_columns(self, group: int) -> tuple[set[int], set[int]]:
        if not self.label_cols:  # every table's rows, once
            tables: dict[int, list[Block]] = {}
            for b in self.blocks:
                if b.kind == "row":
                    tables.setdefault(b.group, []).append(b)
            self.label_cols = {g: label_columns(rows) for g, rows in tables.items()}
        return self.label_cols.get(group, (set(), set()))

    def _is_remark(self, block: Block) -> bool:
        """A bullet without links under a paper's entry: a remark on that paper."""
        found = self.entries.get(block.parent)
        return bool(
            found
            and found[0].is_paper
            and not block.content.links
            and not scan_ids(block.content.text)
            and block.content.text.strip()
        )

    def _read_para(self, bi: int, block: Block, prev_prose: str | None) -> str | None:
        """Read a paragraph's entries (one per line that starts one); return its last prose."""
        content = block.content
        chunks: list[tuple[int, int, int, bool]] = []  # (line, start, end, starts an entry)
        for offset, (start, end) in enumerate(content.line_spans()):
            # A line inside bold or italic text that began on the line before continues it.
            starts = (block.summary and not chunks) or (
                not content.crosses(start)
                and (
                    _starts_entry(line_part := content.slice(start, end))
                    or _cites(block, line_part)
                )
            )
            if starts or not chunks:
                chunks.append((block.line + offset, start, end, starts))
            else:
                chunks[-1] = (*chunks[-1][:2], end, chunks[-1][3])
        found: list[Entry] = []
        attached = bi in self.attached
        title_line: str | None = None
        segment = 0  # where the lines since the last entry start: one entry's segment
        for n, (line, start, end, is_entry) in enumerate(chunks):
            part = content.slice(start, end)
            if not is_entry and "\n" in part.text and not content.crosses(start):
                # `**Title** \` / `*Authors* \` / `ICLR 2023. [[Paper](u)]`: lines of one
                # entry read together start it as one line would (a bold title, its links).
                is_entry = _starts_entry(part)
            if attached and n == len(chunks) - 1:
                part, is_entry = self._with_attributes(bi, part), True
            mentions = (
                scan_ids(part.text)
                or any(scan_ids(lk.url) for lk in part.links)
                or any(_titled_paper_link(lk) or _doi_link(lk) for lk in part.links)
                or _reference_then_link(part)
            )
            if not (is_entry or mentions) or _names_people(part):
                prev_prose = part.text
                # `**Title** \` / `*Authors* \` / `arXiv 2023. [[Paper](u)]`: the bold line
                # stays the title across the lines between it and the links.
                title_line = _bold_words(part) or (title_line if "\n" in content.text else None)
                continue
            is_entry = is_entry or _cites(block, part)
            entry = read_entry(part, line, block.group, prose=not is_entry)
            if entry.is_paper and title_line and _labels_first(part):
                # `**Title**` / `[[github](u)][[preprint](u)]` / `This is work from [Lab](u)`:
                # the bold line is the title, not a link's words in the remarks below.
                entry.title, entry.line, entry.prose = title_line, line - 1, False
            elif entry.title is None and entry.is_paper and title_line:
                # `**Title**` on its own line, its links on the next: `[arXiv](u) | [Code](u)`
                entry.title, entry.line, entry.prose = title_line, line - 1, False
            elif entry.title is None and prev_prose and entry.is_paper:
                m = _BOOK_TITLE_RE.search(prev_prose)
                entry.title = finish_title(m.group(1)) if m else None
            if entry.title is None and _on_paper_page(entry) and segment < start:
                # `Keller, G. B. (2018). Title. Neuron, 100(2).` / `https://...`: a reference
                # written out on the lines before its link gives the title and year.
                ref = written_citation(" ".join(content.slice(segment, start).text.split()))
                if ref:
                    entry.title, entry.year, entry.prose = ref[0], ref[1], False
            if entry.title is None and entry.is_paper and segment < start:
                # Hard-broken lines of one entry: the best title of all of them.
                best = pick_title(content.slice(segment, end))
                entry.fallback = best.title if best and best.score >= MIN_SCORE else None
                entry.fallback_score = best.score if best else 0
                entry.prose = entry.prose and entry.fallback is None  # an entry of its own
            title_line = None
            found.append(entry)
            prev_prose = None
            segment = end + 1
        if found:
            self.entries[bi] = found
        return prev_prose

    # ---- records ---------------------------------------------------------------------

    def _emit(self) -> None:
        for bi, block in enumerate(self.blocks):
            owner = self.owner[bi]
            if block.kind == "heading":
                if self.headings[owner].role == "paper":
                    entry, note = heading_entry(self.headings, self.blocks, self.lines, owner)
                    parent = self.headings[owner].parent
                    self.out.add(
                        entry,
                        hd.topic_chain(self.headings, parent),
                        hd.year_for(self.headings, parent),
                        note,
                    )
                continue
            if owner >= 0 and self.headings[owner].role in ("ignored", "paper"):
                continue
            chain = hd.topic_chain(self.headings, owner)
            entries = [e for e in self.entries.get(bi, []) if e.anchor not in self.anchors]
            if owner >= 0 and self.headings[owner].role == "cite":
                entries = [e for e in entries if e.ids]  # the list's own paper, on arXiv
            resources = hd.in_resources(self.headings, owner)
            for entry in entries:  # a link to a heading here is navigation (a TOC), no entry
                if entry.title is None and entry.is_paper and entry.fallback:
                    entry.title = entry.fallback
                if (
                    resources
                    and entry.is_paper
                    and not entry.ids
                    and url_kind(entry.url or "") != "paper"
                ):
                    entry.problem, entry.url = "listed among resources, not a paper", None
                self.out.add(entry, chain, hd.year_for(self.headings, owner))
