"""Parsing layer: a markdown document as a flat list of blocks, read by markdown-it-py.

markdown-it-py (CommonMark plus GFM tables) does the parsing; this module only walks its
token stream and keeps what a reading list is made of: headings, list items (with the
item they are nested in), table rows (with their cells and the table's header), paragraphs
and thematic breaks, each with its inline content as an `Inline` and its line number.
Code blocks and HTML blocks are not part of a list and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from papertrail.importers.markdown.inline import Inline, build_inline

# Longer lines are cut: no entry is that long, and markdown-it-py's time grows with them.
MAX_LINE = 20_000
_TASK_BOX_RE = re.compile(r"\[([ xX~])\][ \t]")
# `#2 Models`: people write headings without the space CommonMark wants (`#tag` stays text).
_TIGHT_HEADING_RE = re.compile(r"^( {0,3}#{1,6})(?=[^\s#][^\n]*? \S)", re.M)
# Inside an HTML block: code, preformatted text and comments are no part of the list.
_UNREAD_HTML_RE = re.compile(r"<(pre|code|script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_SUMMARY_RE = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.I | re.S)
_DETAILS_END_RE = re.compile(r"</details\s*>", re.I)
_YAML_KEY_RE = re.compile(r"[A-Za-z_][\w-]{0,100}[ \t]*:")
# A wrapper's own line (`<div class="reading" markdown="1">`, `</div>`): Jekyll's kramdown
# reads what it wraps as markdown, CommonMark as raw HTML up to the next blank line.
_WRAPPER_RE = re.compile(
    r"[ \t]{0,3}(?:<(?:div|section|article|aside)\b[^<>]*\bmarkdown\s*=[^<>]*>"
    r"|</(?:div|section|article|aside)\s*>)[ \t]*",
    re.I,
)
# A cell boundary: a `|` not escaped (GFM splits cells there, in code spans too).
_CELL_SEP_RE = re.compile(r"(?<!\\)\|")


@dataclass
class Block:
    kind: str  # heading | item | row | para | break
    line: int  # 1-based line of the block's first line
    content: Inline = field(default_factory=Inline)
    level: int = 0  # headings: 1-6; items: nesting depth
    group: int = 0  # the items of one list, the rows of one table share it
    parent: int = -1  # items: the index of the item this one is nested in
    box: str | None = None  # items: the task-list box, " ", "x" or "~"
    cells: list[Inline] = field(default_factory=list)  # rows
    header: list[str] = field(default_factory=list)  # rows: the table's header cells
    note: str | None = None  # items: a fenced block marked `note` inside the item
    summary: bool = False  # paragraphs: a `<details>` block's `<summary>`, one entry
    remark: bool = False  # inside a `<details>` block, after its summary
    quote: bool = False  # paragraphs: inside a blockquote (`> A. Author. Title. Venue 2014.`)


def _as_written(url: str) -> str:
    return url


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": 40}).enable(["table", "strikethrough"])
    md.normalizeLink = _as_written  # type: ignore[method-assign]  # no percent-encoding
    return md


def prepare(text: str) -> str:
    """Line endings unified, front matter and wrappers' lines blanked (line numbers kept),
    huge lines cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    lines = text.split("\n")
    end = _front_matter_end(lines)
    if end:
        lines[:end] = [""] * end
    if "<" in text:
        lines = ["" if _is_wrapper(line) else line for line in lines]
    text = "\n".join(line[:MAX_LINE] for line in lines)
    return _TIGHT_HEADING_RE.sub(r"\1 ", text) if "#" in text else text


def _is_wrapper(line: str) -> bool:
    # A wrapper's line is short: the regex never meets a 100,000-character line.
    return len(line) <= 300 and line.lstrip()[:1] == "<" and bool(_WRAPPER_RE.fullmatch(line))


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a YAML front matter block (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for j in range(1, min(len(lines), 500)):
        if lines[j].strip() in ("---", "..."):
            return j + 1 if any(_YAML_KEY_RE.match(line) for line in lines[1:j]) else 0
    return 0


def parse_blocks(text: str) -> list[Block]:
    md = _parser()
    return _Walker(md.parse(text), md, text.split("\n")).run()


class _Walker:
    def __init__(self, tokens: list[Token], md: MarkdownIt, lines: list[str]) -> None:
        self.tokens, self.md, self.lines = tokens, md, lines
        self.blocks: list[Block] = []
        self.items: list[int] = []  # open list items (block indices), innermost last
        self.lists: list[int] = []  # groups of the open lists
        self.group = 0
        self.header: list[str] = []
        self.cells: list[Inline] | None = None
        self.in_head = False
        self.item_levels: dict[int, int] = {}  # item block index -> its token nesting level
        # Inside `<details>` after a `<summary>` that named a paper: the body is remarks.
        self.details = False
        self.quotes = 0  # open blockquotes

    def run(self) -> list[Block]:
        for i, tok in enumerate(self.tokens):
            handler = getattr(self, "_" + tok.type, None)
            if handler is not None:
                before, inside = len(self.blocks), self.details
                handler(i, tok)
                if inside:  # a `<details>` body: remarks on the paper its summary names
                    for block in self.blocks[before:]:
                        block.remark = not block.summary
        return self.blocks

    @staticmethod
    def _line(tok: Token) -> int:
        return tok.map[0] + 1 if tok.map else 0

    def _heading_open(self, i: int, tok: Token) -> None:
        inline = self.tokens[i + 1]
        self.group += 1
        self.blocks.append(
            Block(
                "heading",
                self._line(tok),
                build_inline(inline.children or []),
                level=int(tok.tag[1]),
            )
        )

    def _html_block(self, i: int, tok: Token) -> None:
        """An HTML block's links and text, as a paragraph (`<p><a href=...>Paper</a></p>`);
        a `<details>` block's `<summary>` as a paragraph of its own, which is one entry."""
        html = _UNREAD_HTML_RE.sub(" ", tok.content)
        summary = _SUMMARY_RE.search(html)
        if summary:
            self._html_para(tok, summary.group(1), summary=True)
            html = html[: summary.start()] + " " + html[summary.end() :]
            self.details = self.blocks[-1].summary if self.blocks else False
        self._html_para(tok, html)
        if _DETAILS_END_RE.search(html):
            self.details = False

    def _html_para(self, tok: Token, html: str, summary: bool = False) -> None:
        if "href" not in html and "](" not in html:
            return
        content = build_inline(self.md.parseInline(html)[0].children or [])
        # Each HTML line, row or paragraph (`<tr>`, `<p>`, `<br>`) is a line of its own.
        content.breaks = [k for k, ch in enumerate(content.text) if ch == "\n"]
        if content.links:
            self.group += 1
            block = Block("para", self._line(tok), content, group=self.group, summary=summary)
            self.blocks.append(block)

    def _fence(self, i: int, tok: Token) -> None:
        """A fenced block marked `note` in a list item is that item's note (exports write it)."""
        if tok.info.strip() == "note" and self.items:
            item = self.blocks[self.items[-1]]
            item.note = tok.content.rstrip("\n")

    def _blockquote_open(self, i: int, tok: Token) -> None:
        self.quotes += 1

    def _blockquote_close(self, i: int, tok: Token) -> None:
        self.quotes -= 1

    def _hr(self, i: int, tok: Token) -> None:
        self.group += 1
        self.blocks.append(Block("break", self._line(tok)))

    def _bullet_list_open(self, i: int, tok: Token) -> None:
        self.group += 1
        self.lists.append(self.group)

    _ordered_list_open = _bullet_list_open

    def _bullet_list_close(self, i: int, tok: Token) -> None:
        self.lists.pop()
        self.group += 1

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, i: int, tok: Token) -> None:
        parent = self.items[-1] if self.items else -1
        self.blocks.append(
            Block(
                "item",
                self._line(tok),
                level=len(self.items),
                group=self.lists[-1] if self.lists else 0,
                parent=parent,
            )
        )
        self.items.append(len(self.blocks) - 1)
        self.item_levels[self.items[-1]] = tok.level

    def _list_item_close(self, i: int, tok: Token) -> None:
        self.items.pop()

    def _inline(self, i: int, tok: Token) -> None:
        opener = self.tokens[i - 1].type
        if opener == "heading_open":
            return
        content = build_inline(tok.children or [])
        if opener in ("th_open", "td_open"):
            if self.in_head:
                self.header.append(" ".join(content.text.split()))
            elif self.cells is not None:
                self.cells.append(content)
            return
        item = self._own_item(tok)
        if item is None:
            self.group += 0 if self.blocks and self.blocks[-1].kind == "para" else 1
            block = Block("para", self._line(tok), content, group=self.group)
            block.quote = self.quotes > 0
            self.blocks.append(block)
            return
        if not item.content.text:
            box = _TASK_BOX_RE.match(content.text)
            if box:
                item.box = box.group(1).lower()
                content = content.slice(box.end(), len(content.text))
            item.content = content
        else:  # a later paragraph of the same item: its text continues the item's
            item.content = join(item.content, content)

    def _own_item(self, tok: Token) -> Block | None:
        """The list item this paragraph belongs to directly (not a nested one's)."""
        if not self.items:
            return None
        item = self.blocks[self.items[-1]]
        # Items hold paragraphs at their own level + 2 (list_item_open, paragraph_open).
        return item if tok.level == self.item_levels[self.items[-1]] + 2 else None

    def _table_open(self, i: int, tok: Token) -> None:
        self.group += 1
        self.header = []

    def _thead_open(self, i: int, tok: Token) -> None:
        self.in_head = True

    def _thead_close(self, i: int, tok: Token) -> None:
        self.in_head = False

    def _tr_open(self, i: int, tok: Token) -> None:
        if not self.in_head:
            self.cells = []
            self.blocks.append(Block("row", self._line(tok), group=self.group, header=self.header))

    def _tr_close(self, i: int, tok: Token) -> None:
        if self.cells is not None and self.blocks and self.blocks[-1].kind == "row":
            row = self.blocks[-1]
            row.cells = self.cells + self._extra_cells(row.line, len(self.cells))
            row.content = join(*row.cells, sep=" | ") if row.cells else Inline()
        self.cells = None

    def _extra_cells(self, line: int, parsed: int) -> list[Inline]:
        """Cells a row writes beyond its header's: GFM drops them, but a list's writer put
        them there (`| Title | WWW 2025 | | [[Link]](arxiv...) |` under three headers)."""
        if not 0 < line <= len(self.lines) or "|" not in self.lines[line - 1]:
            return []
        raw = self.lines[line - 1].strip().lstrip("> ").strip()
        raw = raw.removeprefix("|")
        if raw.endswith("|") and not raw.endswith("\\|"):
            raw = raw[:-1]
        parts = _CELL_SEP_RE.split(raw)
        extra: list[Inline] = []
        for part in parts[parsed:]:
            tokens = self.md.parseInline(part.strip())
            extra.append(build_inline(tokens[0].children or []) if tokens else Inline())
        return extra

    def _table_close(self, i: int, tok: Token) -> None:
        self.group += 1


def join(*parts: Inline, sep: str = "\n") -> Inline:
    """Inline contents one after the other, `sep` between them."""
    out = Inline()
    chunks: list[str] = []
    pos = 0
    for k, part in enumerate(parts):
        if k:
            chunks.append(sep)
            pos += len(sep)
        chunks.append(part.text)
        out.links += [replace(lk, start=lk.start + pos, end=lk.end + pos) for lk in part.links]
        out.strong += [(a + pos, b + pos) for a, b in part.strong]
        out.em += [(a + pos, b + pos) for a, b in part.em]
        out.code += [(a + pos, b + pos) for a, b in part.code]
        out.breaks += [b + pos for b in part.breaks]
        pos += len(part.text)
        if k < len(parts) - 1 and sep == "\n":
            out.breaks.append(pos)
    out.text = "".join(chunks)
    return out
