"""Inline content as plain text plus what markdown said about it.

markdown-it-py gives a paragraph, heading or table cell as a list of inline tokens. The
rules want plain text to read words in, and to know which stretches of it were a link
(with its target), bold, italic or code. `Inline` holds exactly that: `text` (link labels
kept, images and markup gone, `<br>` and line breaks as "\\n") and spans into it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from markdown_it.token import Token

Span = tuple[int, int]
T = TypeVar("T")


def _first(span: Span) -> int:
    return span[0]


# A URL written as plain text; it stops at whitespace, brackets, quotes and CJK punctuation.
_BARE_URL_RE = re.compile(
    r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'\[\]()（）\u3000-\u303f\uff00-\uffef]+", re.I
)
_HTML_ATTR_RE = re.compile(r"""\b(href|src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_HTML_TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


@dataclass
class Link:
    """A link (or image) of the text: its label's span in `Inline.text` and its target."""

    start: int
    end: int
    url: str
    image: bool = False  # an image (its alt text is not part of the text)
    bare: bool = False  # a URL written as text or as an <autolink>
    has_image: bool = False  # a link around an image: a badge or logo
    bracketed: bool = False  # `[[label](url)]` or `[[label]](url)`: a label, never a title
    label: str = ""  # the label as plain text, set by `Inline.finish`


@dataclass
class Inline:
    text: str = ""
    links: list[Link] = field(default_factory=list)
    strong: list[Span] = field(default_factory=list)
    em: list[Span] = field(default_factory=list)
    code: list[Span] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # where the source's lines end

    def finish(self) -> Inline:
        """Fill in link labels; `[[pdf]](u)` and `[[pdf](u)]` become bracketed links."""
        text = self.text
        for link in self.links:
            if link.image:
                continue
            label = text[link.start : link.end]
            if len(label) >= 2 and label[0] == "[" and label[-1] == "]":
                link.bracketed, label = True, label[1:-1]
            elif text[link.start - 1 : link.start] == "[" and text[link.end : link.end + 1] == "]":
                link.bracketed = True
                link.start, link.end = link.start - 1, link.end + 1
            link.label = " ".join(label.split())
        return self

    def spans_at(self, spans: Sequence[Span], pos: int) -> Span | None:
        return next((s for s in spans if s[0] <= pos < s[1]), None)

    def slice(self, start: int, end: int) -> Inline:
        """The part of the text between start and end, with the spans that fall inside it."""
        return Inline(
            self.text[start:end],
            [
                replace(lk, start=lk.start - start, end=lk.end - start)
                for lk in _window(self.links, start, end, key=lambda lk: lk.start)
                if lk.end <= end and (lk.end > lk.start or lk.image) and lk.start >= start
            ],
            _clip(self.strong, start, end),
            _clip(self.em, start, end),
            _clip(self.code, start, end),
        )

    def crosses(self, pos: int) -> bool:
        """Whether bold or italic text runs across `pos` (began before it, ends after)."""
        return any(
            a < pos < b for a, b in _window(self.strong, pos, pos) + _window(self.em, pos, pos)
        )

    def line_spans(self) -> list[Span]:
        """(start, end) of each source line of the text."""
        spans: list[Span] = []
        start = 0
        for end in [*self.breaks, len(self.text)]:
            spans.append((start, end))
            start = end + 1
        return spans


_LOOK_BACK = 8  # spans that start before a window and may run into it (spans are short)


def _window(items: list[T], start: int, end: int, key: Callable[[Any], int] = _first) -> list[T]:
    """The items (sorted by `key`) that start in [start - a few items, end]: bisect, not scan."""
    low = max(0, bisect.bisect_left(items, start, key=key) - _LOOK_BACK)
    high = bisect.bisect_right(items, end, key=key)
    return items[low:high]


def _clip(spans: list[Span], start: int, end: int) -> list[Span]:
    return [
        (max(a, start) - start, min(b, end) - start)
        for a, b in _window(spans, start, end)
        if a < end and b > start
    ]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.out = Inline()
        self.open: dict[str, list[int]] = {"strong": [], "em": [], "link": []}
        self.pending_links: list[Link] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def add_text(self, text: str) -> None:
        if self.open["link"] or ("http" not in text and "www." not in text):
            self.add(text)
            return
        last = 0
        for m in _BARE_URL_RE.finditer(text):
            url = m.group(0).rstrip(".,;:!?'\"*_")
            self.add(text[last : m.start()])
            self.out.links.append(Link(self.pos, self.pos + len(url), url, bare=True))
            self.add(url)
            last = m.start() + len(url)
        self.add(text[last:])

    def open_span(self, kind: str) -> None:
        self.open[kind].append(self.pos)

    def close_span(self, kind: str) -> None:
        if self.open[kind]:
            start = self.open[kind].pop()
            getattr(self.out, kind).append((start, self.pos))

    def open_link(self, url: str, bare: bool = False) -> None:
        self.pending_links.append(Link(self.pos, self.pos, url.strip(), bare=bare))
        self.open["link"].append(self.pos)

    def close_link(self) -> None:
        if self.pending_links:
            link = self.pending_links.pop()
            self.open["link"].pop()
            link.end = self.pos
            self.out.links.append(link)

    def image(self, src: str, alt: str) -> None:
        self.out.links.append(Link(self.pos, self.pos, src.strip(), image=True, label=alt))
        for link in self.pending_links:
            link.has_image = True
        self.add(" ")

    def html(self, tag: str) -> None:
        m = _HTML_TAG_RE.match(tag)
        if m is None:
            return  # a comment, a declaration
        closing, name = m.group(1) == "/", m.group(2).lower()
        attrs = {
            a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
            for a in _HTML_ATTR_RE.finditer(tag)
        }
        if name == "br" or (name in ("p", "div", "li", "tr") and not closing):
            self.add("\n")
        elif name == "a":
            if closing:
                self.close_link()
            elif "href" in attrs:
                self.open_link(attrs["href"])
        elif name == "img" and not closing:
            self.image(attrs.get("src", ""), attrs.get("alt", ""))
        elif name in ("b", "strong", "i", "em"):
            kind = "strong" if name in ("b", "strong") else "em"
            self.close_span(kind) if closing else self.open_span(kind)
        elif name in ("td", "th") and not closing:
            self.add(" | ")

    def finish(self) -> Inline:
        while self.pending_links:
            self.close_link()
        self.out.text = "".join(self.parts)
        self.out.links.sort(key=lambda lk: (lk.start, lk.end))
        for spans in (self.out.strong, self.out.em, self.out.code):
            spans.sort()
        return self.out.finish()


def build_inline(tokens: Sequence[Token]) -> Inline:
    """An inline token list (a paragraph's, heading's or cell's children) as an `Inline`."""
    b = _Builder()
    for tok in tokens:
        kind = tok.type
        if kind == "text":
            b.add_text(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            b.out.breaks.append(b.pos)
            b.add("\n")
        elif kind == "code_inline":
            start = b.pos
            b.add(tok.content)
            b.out.code.append((start, b.pos))
        elif kind in ("strong_open", "em_open"):
            b.open_span(kind[:-5])
        elif kind in ("strong_close", "em_close"):
            b.close_span(kind[:-6])
        elif kind == "link_open":
            b.open_link(str(tok.attrGet("href") or ""), bare=tok.markup == "autolink")
        elif kind == "link_close":
            b.close_link()
        elif kind == "image":
            b.image(str(tok.attrGet("src") or ""), tok.content)
        elif kind == "html_inline":
            b.html(tok.content)
    return b.finish()
