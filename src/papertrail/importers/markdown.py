"""Markdown reading lists -> `ParsedList`.

People keep reading lists in many shapes. This parser takes the ones found in the wild
(tests/data/markdown/ holds one small example of each):

* numbered citations: `**[3]** Authors. "**Title**." Venue (2015). [[pdf]](url) :star:`;
* bullets that lead with a label link: `- [[CVPR](url)] Title [[code](...)] [**`bnn`**]`;
* bold titles followed by labelled links: `**Title** [[Paper](url)] [[Project](url)]`;
* tables: `| [Title](url) | Venue | Type | Code |`;
* link items: `1. [Title](url)`, with date lines (`*2014-04-30*`) and remarks under them;
* paper headings: `### [Title](url)`, or a plain `### Title` whose remarks link to
  "本文"/"the paper", followed by remark paragraphs, which become the record's `note`;
* blog style: a paragraph naming 《Title》 followed by a `[N] [url](url)` reference;
* plain lines: `- Title. Authors. Venue. [PDF](url)`, `- Title ([arXiv](url))`,
  `* Title — https://...`, one `[Title](url)` or bare URL per line, `<a href>` links.

Keyword tags (`[**`bnn`**]`), citation counts (`[45:fire:]`) and star ratings are dropped
from titles and not used: tags are abbreviations that only the list's legend explains.
A ticked task-list box (`- [x] ...`, as `papertrail export --format markdown` writes for
papers read) makes a new paper "read"; like every import, it never changes the status of a
paper already in the library.

The rules, in short:

* Topics come from headings (ATX `#` and setext; a paragraph that is a single bold line
  counts as a heading below all others). Numbering ("2.3 Foo") and decorations are dropped;
  the slug is `slugify`'s. Nested headings give child topics (`ParsedList.topic_parents`).
  Not topics: year headings ("2023", "2015 and before": they give the year of the items
  under them), generic containers ("Papers"), "Other"/"其他"/"Misc" (the items keep the
  parent's topic), the document title (the only level-1 heading, when it comes first), and
  sections that are no part of the list ("Table of Contents", "License", "目录" ...), whose
  own content is not read. An item takes the topic of the deepest heading that is a topic.
* An item's arXiv id is any id named anywhere in it (arXiv URLs on any mirror, `arXiv:`
  text, `CoRR abs/...`); further distinct ids in the same item are records of their own.
  An item without an id but with a link to a paper is a non-arXiv record (`url`, `title`).
  Code, project, video ... links next to a paper, badges, images and `#anchors` are not
  papers. arXiv records carry no `url` (the store knows where arXiv papers live).
* Title: the paper's title, not a link's text when that text is a label (pdf, arXiv, CVPR,
  code, 本文 ...). Emphasis, badges, HTML, quotes, star ratings and a trailing period go.
* Year: the item's own date (`*2014-04-30*`, `(2015)`, the year of a citation) first, then
  the year heading it sits under, then, as a last resort, the year its arXiv id was issued.
* The same paper twice (same arXiv id; same URL for the others) is one record: topics are
  merged and `sources` lists every place it was seen, so `len(sources) - 1` counts the
  repeats (they are not "skipped"). An item that only points inside the document
  (`[Title](#anchor)`) joins the record of the same title when there is one.
* Items that look like entries but cannot be imported go to `skipped` as
  `(label, "why (source:line)")`. Prose, TOC anchors and badges are not entries.

Pure and linear: no I/O, stdlib only. No regular expression here can backtrack
catastrophically, and each entry is read through a window of `_MAX_ENTRY` characters, so a
50 MB line costs one scan. The only error raised is `ImportFormatError`, for input that is
not text (NUL bytes).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from papertrail.errors import ImportFormatError, InvalidArxivId
from papertrail.ids import ArxivId, parse_arxiv_id
from papertrail.records import PaperRecord, ParsedList
from papertrail.topics import slugify

__all__ = ["parse_markdown"]

_MAX_ENTRY = 20_000  # characters of one entry (item, paragraph, row, heading) that are read
_MAX_TITLE = 500
_MAX_NOTE = 20_000
_MAX_LABEL = 80

# --------------------------------------------------------------------------------------
# Words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Link texts that name a kind of link, never a paper's title.
_PAPER_LABELS = _words(
    """pdf paper papers arxiv arxiv.org abs abstract html link url openreview doi preprint
    full-text fulltext download local ppt pdf-link paper-link camera-ready here this this-paper
    the-paper 本文 论文 一篇论文 原文 全文 文章 链接 地址 下载 这里 此文"""
)
_EXTRA_LABELS = _words(
    """code codes github gitlab gitee project project-page projectpage homepage home-page
    website site web page demo video videos slides slide pptx poster talk blog bolg post
    zhihu reddit twitter youtube bilibili torch pytorch tensorflow tf keras caffe mxnet jax
    paddle mindspore huggingface hf colab notebook dataset data model models weights
    checkpoint checkpoints leaderboard supp supplementary appendix bibtex bib citation
    official official-code unofficial implementation reimplementation re-implement
    code-is-comming code-is-coming github地址 代码 项目 主页 项目主页 博客 介绍 视频 笔记 解读 翻译
    note notes media press news"""
)
_GENERIC_LABELS = _PAPER_LABELS | _EXTRA_LABELS
# A label that, followed by a space, introduces the title: `[pdf](url) Title`.
_RUN_LABELS = _words("pdf paper arxiv link html abs openreview")
# Remark links that stand for the paper a heading names: `[本文](url)发表于 2015 年`.
_THIS_PAPER_LABELS = _words(
    "pdf paper arxiv html link here this-paper the-paper 本文 论文 一篇论文 原文 全文 文章 链接"
)

# Headings whose own content is not part of the list (slugs).
_IGNORED_HEADINGS = _words(
    """table-of-contents contents content toc index license licence licensing contributing
    contribute contributors contribution contributions how-to-contribute acknowledgements
    acknowledgments acknowledgement acknowledgment thanks citation citations cite how-to-cite
    citing bibtex star-history stargazers stars changelog change-log updates update news
    todo to-do contact contacts about-me author authors sponsor sponsors 目录 许可 许可证
    协议 贡献 贡献者 致谢 引用 更新 更新日志 联系 联系方式"""
)
# Containers: not a topic, but what is under them is read.
_GENERIC_HEADINGS = _words(
    """papers paper paper-list papers-list list-of-papers reading-list reading-lists
    the-list list papers-and-code 论文 论文列表 文献 文章 阅读列表"""
)
# Catch-alls: the items keep the parent heading's topic.
_OTHER_HEADINGS = _words(
    """other others misc miscellaneous miscellanea more etc uncategorized unsorted various
    其他 其它 杂项 其他论文 其它论文 其他方法"""
)

_CODE_HOSTS = (".github.com", ".gitlab.com", ".gitee.com", ".bitbucket.org", ".huggingface.co")
_BADGE_HOSTS = ("shields.io", "badge.fury.io", "badgen.net", "awesome.re/badge")
_FILE_SUFFIXES = (".pdf", ".html", ".htm", ".md", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".txt")
_QUOTES = "\"'“”‘’„「」『』《》"

# --------------------------------------------------------------------------------------
# Regular expressions. Each is linear: alternatives start with distinct characters, and
# runs that could overlap are bounded or possessive.

_FENCE_RE = re.compile(r"[ \t]{0,3}(`{3,}+|~{3,}+)")
_LIST_RE = re.compile(r"([ \t]{0,40}+)(?:[-*+]|\d{1,9}+[.)])(?:[ \t]++|$)")
_QUOTE_RE = re.compile(r"[ \t]{0,3}>(?:[ \t]?>)*+[ \t]?")
_YAML_KEY_RE = re.compile(r"[A-Za-z_][\w-]{0,100}+[ \t]*:")
_SETEXT_RE = re.compile(r"[ \t]{0,3}(?:=++|-++)[ \t]*+$")
_BOLD_LINE_RE = re.compile(r"(\*\*|__)([^*_\n\[\]]{1,120}+)\1[ \t]*[:：]?[ \t]*$")

# `[text](url "title")`, `![alt](src)`; text may hold one level of brackets (`[[pdf]](u)`,
# `[![badge](src)](u)`), the URL one level of parentheses.
_MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\\]++|\\.|\[(?:[^\[\]\\]++|\\.)*+\])*+)\]"
    r"\(\s*+(<[^<>\n]*+>|(?:[^\s()\[\]\\<>]++|\\.|\((?:[^\s()\[\]\\<>]++|\\.)*+\))*+)"
    r"(?:\s++(?:\"[^\"\n]*+\"|'[^'\n]*+'))?\s*+\)",
    re.S,
)
_HTML_A_RE = re.compile(
    r"<a\s[^<>]{0,500}?\bhref\s*+=\s*+([\"'])([^\"'<>]{0,2000}+)\1[^<>]{0,500}+>"
    r"([^<]{0,1000}+)</a\s*+>",
    re.I,
)
_BARE_URL_RE = re.compile(
    r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'\[\]()（）\u3000-\u303f\uff00-\uffef]++", re.I
)
_WEB_URL_RE = re.compile(
    r"(?:(?:https?|ftp):)?//|www\.|[a-z0-9-]++(?:\.[a-z0-9-]++)++(?:/|$)", re.I
)
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]{0,20}+:", re.I)

_ID_CORE = (
    r"(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}"
    r"|[a-z]++(?:-[a-z]++)?(?:\.[a-z]++(?:-[a-z]++)?)?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
    r"(?:v[1-9]\d{0,3})?"
)
# The forms ids.find_arxiv_ids knows (`arxiv.org/abs/...` on any mirror, `arXiv:...`, the
# arXiv DOI), plus DBLP's `CoRR abs/1510.00149`. Each is matched only where its anchor word
# occurs (found with str.find), which is fast and cannot go quadratic on dotted junk the
# way an unanchored `(?:[a-z0-9-]+\.)*arxiv\.org` scan can.
_AT_ARXIV_RE = re.compile(
    r"arxiv(?:\.org/(?:abs|pdf|html|ps|format)/|\s{0,3}+:\s{0,3}+|\.(?=\d))"
    rf"(?P<id>{_ID_CORE})",
    re.I,
)
_AT_LANL_RE = re.compile(rf"lanl\.gov/(?:abs|pdf|html|ps|format)/(?P<id>{_ID_CORE})", re.I)
_AT_CORR_RE = re.compile(
    rf"corr\b[,.]?[ \t]{{0,3}}+(?:vol\.[ \t]{{0,3}}+)?abs/(?P<id>{_ID_CORE})", re.I
)
_ID_ANCHORS = (("arxiv", _AT_ARXIV_RE), ("lanl.gov", _AT_LANL_RE), ("corr", _AT_CORR_RE))

_LEAD_JUNK_RE = re.compile(
    r"(?:\s++"
    r"|\*\*\[\d{1,4}+\]\*\*"
    r"|\[\d{1,4}+\](?![(\[])"
    r"|\[[ xX]\](?=\s)"
    r"|\[[^\[\]\n]{0,20}?(?::[a-z_]{1,20}+:|[⭐🔥★])\s*+\]"
    r"|<span\b[^<>]{0,300}+>\s*+</span>"
    r"|[\u2600-\u27bf\u2b50\ufe0f\U0001f300-\U0001faff]"
    r")*+"
)
_NUMBER_LABEL_RE = re.compile(r"\s*+(?:\*\*)?\[\d{1,4}+\](?![(\[])")
_BOLD_AT_RE = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,500}?)(?<=\S)\1")
_QUOTED_RE = re.compile(r"[\"“”„]([^\"“”„]{2,600}+)[\"“”„]")
_OPENER_MISSING_RE = re.compile(r"([^\"“”„]{3,600}?)[,.，]\s{0,3}+[”\"]")
_RUN_STOP_RE = re.compile(r"\[|\n|\||<(?=[A-Za-z/!])")
# `` `[[pdf]](url)` ``: link syntax shown as code is an example, not a link.
_CODE_LINK_RE = re.compile(r"`[^`\n]{0,300}?\]\([^`\n]{0,300}+`")
_URL_AFTER_SEP_RE = re.compile(r"(?:\s[-–—]{1,2}+|[:：])[ \t]{0,3}+<?$")
_COMMA_AFTER_RE = re.compile(r"[ \t*\\]{0,3}+[,，、]")

_DATE_MARK_RE = re.compile(
    r"(?<![\w*])[*_]{1,2}+((?:19|20)\d{2})(?:[-/.]\d{1,2}){0,2}+[*_]{1,2}+(?![\w*])"
)
_PAREN_YEAR_RE = re.compile(r"[(（]((?:19|20)\d{2})[)）]")
_BARE_YEAR_RE = re.compile(r"(?<![\w.\-:/])((?:19|20)\d{2})(?![\w\-:/]|\.\d)")
_YEAR_PREFIX_RE = re.compile(r"((?:19|20)\d{2})\s{0,3}+[-–—:：]\s{0,3}+(?=\w)")
_YEAR_HEADING_RE = re.compile(
    r"(?:(?:before|until|till|up\s+to|after|since|from|pre|pre-|≤|<=?|>=?|≥)\s*+)?"
    r"((?:19|20)\d{2})"
    r"(?:\s*+(?:-|–|—|~|to|至)\s*+(?:(?:19|20)?\d{2}|now|present|today|至今))?"
    r"(?:\s*+(?:and|&|or)\s*+(?:before|earlier|prior|older|after|later|newer))?"
    r"(?:\s*+(?:venues?|papers?|conferences?|publications?|works?|年|年以前|年之前|年以后|以前|之前|以后|及以前|及之前))?"
    r"(?:\s*+\((?:\d{1,4}+|[^()]{0,20}+)\))?"
    r"\s*+[:：]?",
    re.I,
)
_NUMBERING_RE = re.compile(
    r"(?:\d{1,3}+(?:\.\d{1,3}+)*+(?:[.)、:：]\s*+|\s++)"
    r"|[IVX]{1,5}+[.)]\s++"
    r"|[A-Z][.)]\s++"
    r"|[A-Z]\s++(?=[^\x00-\x7f])"
    r"|(?:part|chapter|section|第)\s*+\d{1,3}+\s*+[:：.、章节部分]?\s*+)",
    re.I,
)
_KRAMDOWN_ATTR_RE = re.compile(r"\s*+\{[:#][^{}]{0,200}+\}\s*+$")

_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]{0,300}+>")
_EMPH_STAR_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*(?![\w*])")
_EMPH_UNDERSCORE_RE = re.compile(r"(?<!\w)_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?!\w)")
_COUNT_RE = re.compile(
    r"\[\s{0,3}+[\d.,]{1,10}+\s{0,3}+[kKmM]?\s{0,3}+(?::[a-z_]{1,20}+:|[⭐🔥★☆])\s{0,3}+\]"
)
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPE_BASE = 0xF0000  # escaped ASCII punctuation parks in a private-use plane meanwhile
_ESCAPED_RE = re.compile("[\U000f0021-\U000f007e]")
_SHORTCODES_END_RE = re.compile(r"(?:\s*+:[a-z0-9_+\-]{1,30}+:)++\s*+$")
_SHORTCODES_START_RE = re.compile(r"^(?:\s*+:[a-z0-9_+\-]{1,30}+:)++")
# `（KDD06）`, `(CVPR 2017)`, `(ICLR'19)` after a title: the venue, not part of the title.
_VENUE_PAREN_RE = re.compile(r"\s*+[(（]\s*+[A-Z]{2,8}+[ \t'’]{0,2}+\d{2}(?:\d{2})?\s*+[)）]$")
_EMPTY_PARENS_RE = re.compile(r"[(（][\s,，;&、]*+(?:(?:and|or|与|和)[\s,，;&、]*+)*+[)）]")
_URLISH_RE = re.compile(r"(?:https?://|www\.|ftp://)", re.I)
# A task-list box at the start of an item: `- [x] ...` read, `- [ ] ...` not yet.
_TASK_BOX_RE = re.compile(r"[ \t]{0,3}\[([ xX])\][ \t]+")


# --------------------------------------------------------------------------------------
# Public entry point


def parse_markdown(
    text: str, source: str = "<markdown>", extra_topics: Sequence[str] = ()
) -> ParsedList:
    """Read a Markdown reading list; see the module docstring for what is taken and how.

    `source` names the file in `sources` and messages; `extra_topics` (slugs) are added to
    every record, after the topic its headings give it, and are not put in `topic_parents`.
    Raises ImportFormatError only for input that is not text.
    """
    if not isinstance(text, str):
        raise ImportFormatError(f"{source}: expected decoded text, not {type(text).__name__}")
    if "\x00" in text:
        raise ImportFormatError(f"{source}: not a text file (it contains NUL bytes)")
    extras: list[str] = []
    for topic in extra_topics:
        if topic and topic not in extras:
            extras.append(topic)
    return _Parser(text, source, extras).run()


# --------------------------------------------------------------------------------------
# Data


@dataclass
class _Block:
    kind: str  # "heading" | "para" | "item" | "row" | "break"
    line: int  # 1-based line of the first line
    lines: list[str]
    line_numbers: list[int]
    level: int = 0  # headings: 1-6, 7 for a bold line standing alone
    group: int = 0  # list items and table rows of one list / table share a group

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class _Link:
    start: int  # span in the entry text, including the brackets of `[[label](url)]`
    end: int
    text: str  # the link text as written (markdown inside)
    url: str
    kind: str  # arxiv web code extra anchor relative empty image badge other
    label: bool  # a label (pdf, CVPR, code, a URL), not a title
    bracketed: bool  # `[[label](url)]` or `[[label]](url)`
    arxiv: ArxivId | None = None


@dataclass
class _Entry:
    line: int
    group: int = 0
    title: str | None = None
    url: str | None = None
    ids: list[ArxivId] = field(default_factory=list)
    id_titles: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    problem: str | None = None
    anchor: bool = False
    lookalike: bool = False
    prose: bool = False  # a paragraph read only because it mentions an arXiv id
    snippet: str = ""
    read: bool = False  # a ticked task-list box: `- [x] ...`


@dataclass
class _Heading:
    block: int  # index into blocks
    level: int
    parent: int  # index into headings, -1 for none
    role: str = "topic"  # topic year generic other ignored title empty paper
    slug: str | None = None
    year: int | None = None
    has_children: bool = False
    body: list[int] = field(default_factory=list)  # block indices
    end_line: int = 0  # last line (1-based, inclusive) of the section's own body


# --------------------------------------------------------------------------------------
# Small helpers


def _norm_label(text: str) -> str:
    """`[[PyTorch(Author)]]` -> `pytorch`: the form link texts are looked up in."""
    if len(text) > 60:
        return _norm_label_uncached(text)
    return _norm_label_cached(text)


@functools.lru_cache(maxsize=4096)
def _norm_label_cached(text: str) -> str:
    return _norm_label_uncached(text)


def _norm_label_uncached(text: str) -> str:
    text = _clean_text(text)
    text = re.sub(r"\([^()]{0,40}+\)", "", text)
    return slugify(text)


def _is_generic(text: str) -> bool:
    norm = _norm_label(text)
    return not norm or norm in _GENERIC_LABELS or bool(_URLISH_RE.match(text.strip()))


def _links_to_text(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(1) or "](" in m.group(2):
            inner = m.group(2)
            if m.group(1):
                return " "
            # `[[pdf]](u)` and badges: keep a nested link's own text, drop images.
            return _MD_LINK_RE.sub(lambda n: " " if n.group(1) else n.group(2), inner)
        return m.group(2)

    return _MD_LINK_RE.sub(repl, text)


def _clean_text(text: str) -> str:
    """Markdown/HTML to plain text: links to their text, no images, emphasis, code marks."""
    text = text[: _MAX_TITLE * 4]
    if "<" in text:
        text = _HTML_TAG_RE.sub(" ", text)
    if "[" in text:
        text = _links_to_text(text)
        text = _COUNT_RE.sub(" ", text)
    escaped = "\\" in text
    if escaped:
        # `\*` and `\_` are literal characters, not emphasis: hide them until the end.
        text = _ESCAPE_RE.sub(lambda m: chr(_ESCAPE_BASE + ord(m.group(1))), text)
    if "*" in text or "_" in text:
        text = text.replace("**", "").replace("__", "")
        text = _EMPH_STAR_RE.sub(r"\1", text)
        text = _EMPH_UNDERSCORE_RE.sub(r"\1", text)
    text = text.replace("`", "")
    if escaped:
        text = _ESCAPED_RE.sub(lambda m: chr(ord(m.group()) - _ESCAPE_BASE), text)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def _is_decoration(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn") and ch not in "©®°"


def _finish_title(text: str | None) -> str | None:
    """A title candidate as a title, or None when nothing usable is left."""
    if not text:
        return None
    text = _clean_text(text)
    for _ in range(4):
        before = text
        text = _SHORTCODES_END_RE.sub("", text)
        text = _SHORTCODES_START_RE.sub("", text)
        text = text.strip(" \t\n-–—|:;,，；：、([（")
        while text and _is_decoration(text[-1]):
            text = text[:-1].rstrip()
        while text and _is_decoration(text[0]):
            text = text[1:].lstrip()
        # An opening quote without its closing one (`“Sequence to ...`) goes.
        if text and (
            text[0] in "“‘「『《„" or (text[0] in _QUOTES and text.count(text[0]) % 2 == 1)
        ):
            text = text[1:]
        if text and text[-1] in _QUOTES:
            text = text[:-1]
        if text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
        if text.endswith("]") and text.count("[") < text.count("]"):
            text = text[:-1]
        if text.endswith(")") and text.count("(") < text.count(")"):
            text = text[:-1]
        if text == before:
            break
    text = _VENUE_PAREN_RE.sub("", text).strip()
    if len(text) > _MAX_TITLE:
        text = text[:_MAX_TITLE].rstrip()
    if not any(ch.isalnum() for ch in text):
        return None
    if _URLISH_RE.match(text) or _norm_label(text) in _GENERIC_LABELS:
        return None
    if _parse_id(text) is not None:  # `[arXiv:1510.00149](...)` names a paper, not a title
        return None
    return text


def _split_year_prefix(title: str | None) -> tuple[int | None, str | None]:
    """`2017-Towards Accurate ...` -> (2017, `Towards Accurate ...`)."""
    if title:
        m = _YEAR_PREFIX_RE.match(title)
        if m and len(title) - m.end() >= 8:
            return int(m.group(1)), title[m.end() :]
    return None, title


def _citation(text: str) -> tuple[str, str] | None:
    """`“Title,” Venue, 2018.` -> (`Title`, `Venue, 2018.`), for a link text that cites."""
    for m in _QUOTED_RE.finditer(text):
        inner = m.group(1).rstrip(" *")
        after = text[m.end() :].lstrip(" *")
        if inner.endswith((",", ".", "，")) or not after or after[0] in ",.，":
            return inner, text[: m.start()] + " " + text[m.end() :]
    m = _OPENER_MISSING_RE.match(text)
    if m and not any(q in m.group(1) for q in '"“”'):
        return m.group(1), text[m.end() :]
    return None


def _title_from_link_text(text: str) -> tuple[str | None, str, bool]:
    """(title, leftover text, whether it was a citation) from a link's text."""
    plain = _clean_text(text)
    cited = _citation(plain)
    if cited:
        return _finish_title(cited[0]), cited[1], True
    # `_finish_title` cleans the markdown itself: cleaning twice would read an escaped
    # `\*word\*` as emphasis the second time.
    return _finish_title(text), "", False


def _scan_ids(text: str) -> list[tuple[int, ArxivId]]:
    """(position, id) of every arXiv id named in the text, in order (repeats kept)."""
    low = text.lower()
    found: list[tuple[int, ArxivId]] = []
    for word, pattern in _ID_ANCHORS:
        pos = low.find(word)
        while pos >= 0:
            m = pattern.match(text, pos)
            if m and (word != "corr" or pos == 0 or not low[pos - 1].isalnum()):
                parsed = _parse_id(m.group("id"))
                if parsed is not None:
                    found.append((pos, parsed))
            pos = low.find(word, pos + 1)
    if len(found) > 1:
        found.sort(key=lambda hit: hit[0])
    return found


@functools.lru_cache(maxsize=4096)
def _parse_id(text: str) -> ArxivId | None:
    try:
        return parse_arxiv_id(text)
    except InvalidArxivId:
        return None


def _id_year(arxiv_id: str) -> int | None:
    digits = arxiv_id.rsplit("/", 1)[-1]
    try:
        yy = int(digits[:2])
    except ValueError:
        return None
    if "/" in arxiv_id:
        return 1900 + yy if yy >= 91 else 2000 + yy
    return 2000 + yy


def _link_kind(text: str, url: str, image: bool, arxiv: ArxivId | None) -> str:
    if arxiv is not None:
        return "arxiv"
    if image:
        return "image"
    low = url.lower()
    if "![" in text or any(host in low for host in _BADGE_HOSTS):
        return "badge"
    if not url:
        return "empty"
    if url.startswith("#"):
        return "anchor"
    if not low.startswith(("https://", "http://")) and (
        not _WEB_URL_RE.match(low)
        or (not _SCHEME_RE.match(low) and not low.startswith(("//", "www.")) and _bare_file(low))
    ):
        return "other" if _SCHEME_RE.match(low) and not low.startswith("file:") else "relative"
    host = low.split("//", 1)[1] if "//" in low[:12] else low
    host = "." + host.split("/", 1)[0].split("?", 1)[0]
    if host.endswith(_CODE_HOSTS) and not low.split("?", 1)[0].endswith(".pdf"):
        return "code"
    norm = _norm_label(text)
    if norm in _EXTRA_LABELS:
        return "extra"
    return "web"


def _bare_file(low: str) -> bool:
    """`paper.pdf`, `foundation.html#x`: a relative file name that only looks like a host."""
    first = low.split("/", 1)[0].split("#", 1)[0].split("?", 1)[0]
    return first.endswith(_FILE_SUFFIXES)


def _scan_links(text: str) -> list[_Link]:
    links: list[_Link] = []
    spans: list[tuple[int, int]] = []
    for m in _MD_LINK_RE.finditer(text):
        image = bool(m.group(1))
        raw_text, url = m.group(2), m.group(3).strip()
        if url.startswith("<") and url.endswith(">"):
            url = url[1:-1].strip()
        if "\\" in url:
            url = _ESCAPE_RE.sub(r"\1", url)
        start, end = m.start(), m.end()
        bracketed = False
        if raw_text.startswith("[") and raw_text.endswith("]") and "](" not in raw_text:
            bracketed = True
        elif (
            not image
            and start > 0
            and text[start - 1] == "["
            and end < len(text)
            and text[end] == "]"
        ):
            start, end, bracketed = start - 1, end + 1, True
        found = _scan_ids(url)
        arxiv = found[0][1] if found else None
        kind = _link_kind(raw_text, url, image, arxiv)
        label = (
            bracketed
            or image
            or kind in ("badge", "extra")
            or _is_generic(raw_text)
            or raw_text.strip() == url
        )
        links.append(_Link(start, end, raw_text, url, kind, label, bracketed, arxiv))
        spans.append((m.start(), m.end()))
    if "<a" in text or "<A" in text:
        for m in _HTML_A_RE.finditer(text):
            if _inside(spans, m.start()):
                continue
            url, raw_text = m.group(2).strip(), m.group(3)
            found = _scan_ids(url)
            arxiv = found[0][1] if found else None
            kind = _link_kind(raw_text, url, False, arxiv)
            label = kind in ("badge", "extra") or _is_generic(raw_text)
            links.append(_Link(m.start(), m.end(), raw_text, url, kind, label, False, arxiv))
            spans.append((m.start(), m.end()))
    low = text.lower()
    linked = sum(1 for link in links if link.url.lower().startswith(("http:", "https:")))
    if low.count("http") > linked or "www." in low:
        spans.sort()
        for m in _bare_urls(text, spans):
            url = m.group(0).rstrip(".,;:!?'\"*_")
            found = _scan_ids(url)
            arxiv = found[0][1] if found else None
            kind = _link_kind(url, url, False, arxiv)
            end = m.start() + len(url)
            if (
                end < len(text)
                and text[end] == ">"
                and m.start() > 0
                and text[m.start() - 1] == "<"
            ):
                links.append(_Link(m.start() - 1, end + 1, url, url, kind, True, False, arxiv))
            else:
                links.append(_Link(m.start(), end, url, url, kind, True, False, arxiv))
    links.sort(key=lambda link: link.start)
    return links


def _bare_urls(text: str, spans: list[tuple[int, int]]) -> list[re.Match[str]]:
    """Bare URLs in the stretches of text between the links already found."""
    found: list[re.Match[str]] = []
    pos = 0
    for start, end in [*spans, (len(text), len(text))]:
        if start > pos:
            found.extend(_BARE_URL_RE.finditer(text, pos, start))
        pos = max(pos, end)
    return found


def _is_people(text: str, links: list[_Link]) -> bool:
    """`[Haotong Qin](u), [Ruihao Gong](u), Xiao Bai`: a paragraph of names, not an entry."""
    names = [
        link
        for link in links
        if not link.label
        and link.kind != "arxiv"
        and len(_clean_text(link.text).split()) <= 4
        and _COMMA_AFTER_RE.match(text, link.end)
    ]
    return len(names) >= 2


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    k = bisect.bisect_right(spans, (pos, 1 << 62)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def _blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(" ")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _norm_url(url: str) -> str:
    url = url.strip()
    url = re.sub(r"^[a-z][a-z0-9+.-]{0,20}://", "", url, flags=re.I)
    url = url.split("#", 1)[0]
    host, _, rest = url.partition("/")
    host = host.lower()
    host = host.removeprefix("www.")
    return (host + "/" + rest).rstrip("/")


def _norm_title(title: str) -> str:
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def _strip_comments(text: str) -> str:
    """HTML comments out, line breaks kept (so line numbers still match the file)."""
    if "<!--" not in text:
        return text
    parts: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            parts.append(text[pos:])
            break
        end = text.find("-->", start + 4)
        stop = len(text) if end < 0 else end + 3
        parts.append(text[pos:start])
        parts.append("\n" * text.count("\n", start, stop))
        pos = stop
        if end < 0:
            break
    return "".join(parts)


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a YAML front matter block (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for j in range(1, min(len(lines), 500)):
        if lines[j].strip() in ("---", "..."):
            if any(_YAML_KEY_RE.match(line) for line in lines[1:j]):
                return j + 1
            return 0
    return 0


def _atx(line: str) -> tuple[int, str] | None:
    body = line.lstrip(" ")
    if len(line) - len(body) > 3 or not body.startswith("#"):
        return None
    level = len(body) - len(body.lstrip("#"))
    if level > 6:
        return None
    rest = body[level:]
    if rest and rest[0] not in " \t" and " " not in rest.strip():
        return None  # `#hashtag`; `#2 Deep Learning` (no space) is still taken
    text = rest.strip()
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):
        text = closed.strip()
    return level, text


def _is_break(stripped: str) -> bool:
    compact = stripped.replace(" ", "").replace("\t", "")
    return len(compact) >= 3 and compact[0] in "-*_" and compact == compact[0] * len(compact)


def _is_table_separator(stripped: str) -> bool:
    return "-" in stripped and not stripped.strip("|:- \t")


def _heading_plain(text: str) -> str:
    """The words of a heading: link texts kept, images, HTML, emphasis, emoji gone."""
    text = _KRAMDOWN_ATTR_RE.sub("", text[: _MAX_TITLE * 4])
    text = _clean_text(text)
    text = _SHORTCODES_END_RE.sub("", _SHORTCODES_START_RE.sub("", text))
    text = "".join(ch for ch in text if not _is_decoration(ch)) if not text.isascii() else text
    return " ".join(text.split()).strip(" :：-–—|")


# --------------------------------------------------------------------------------------
# The parser


class _Parser:
    def __init__(self, text: str, source: str, extras: list[str]) -> None:
        self.source = source
        self.extras = extras
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        self.raw_lines = text.split("\n")
        self.lines = _strip_comments(text).split("\n")
        self.blocks: list[_Block] = []
        self.headings: list[_Heading] = []
        self.owner: list[int] = []  # block index -> heading index (-1: before any heading)
        self.entries: dict[int, list[_Entry]] = {}
        self.out = ParsedList()
        self.by_key: dict[tuple[str, str], PaperRecord] = {}
        self.skipped: list[tuple[int, str, str]] = []
        self.pending_anchors: list[tuple[_Entry, int]] = []
        self.heading_links: dict[int, list[_Link]] = {}  # paper links in a heading's text

    def run(self) -> ParsedList:
        self._build_blocks()
        self._build_headings()
        self._read_entries()
        self._find_paper_headings()
        self._emit()
        self.skipped.sort(key=lambda item: item[0])
        self.out.skipped = [(label, reason) for _, label, reason in self.skipped]
        return self.out

    # ---- blocks ------------------------------------------------------------------------

    def _build_blocks(self) -> None:
        lines = self.lines
        n = len(lines)
        i = _front_matter_end(lines)
        blocks = self.blocks
        cur: _Block | None = None  # the open paragraph or list item
        blank_since = True  # a blank line since `cur` got its last line
        group = 0
        last_item_indent = 0

        def close() -> None:
            nonlocal cur
            cur = None

        while i < n:
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                if cur is not None and cur.kind == "para":
                    close()
                blank_since = True
                i += 1
                continue
            fence = _FENCE_RE.match(line)
            if fence:
                mark = fence.group(1)
                j = i + 1
                while j < n:
                    closing = lines[j].strip()
                    if closing.startswith(mark[0] * len(mark)) and not closing.strip(mark[0]):
                        break
                    j += 1
                close()
                group += 1
                blank_since = True
                i = j + 1
                continue
            low = stripped.lower()
            if "<pre" in low and "</pre" not in low[low.index("<pre") :]:
                j = i + 1
                while j < n and "</pre" not in lines[j].lower():
                    j += 1
                close()
                group += 1
                blank_since = True
                i = j + 1
                continue
            quote = _QUOTE_RE.match(line)
            if quote:
                line = line[quote.end() :]
                stripped = line.strip()
                if not stripped:
                    if cur is not None and cur.kind == "para":
                        close()
                    blank_since = True
                    i += 1
                    continue
            lineno = i + 1
            heading = _atx(line)
            if heading:
                close()
                group += 1
                text = heading[1][:_MAX_ENTRY]
                blocks.append(_Block("heading", lineno, [text], [lineno], level=heading[0]))
                blank_since = True
                i += 1
                continue
            if (
                cur is not None
                and cur.kind == "para"
                and len(cur.lines) == 1
                and not blank_since
                and _SETEXT_RE.match(line)
                and cur.lines[0].strip()
            ):
                cur.kind = "heading"
                cur.level = 1 if stripped[0] == "=" else 2
                cur.lines = [cur.lines[0].strip()]
                close()
                group += 1
                blank_since = True
                i += 1
                continue
            if _is_break(stripped):
                close()
                group += 1
                blocks.append(_Block("break", lineno, [], []))
                blank_since = True
                i += 1
                continue
            if stripped.startswith("|"):
                if _is_table_separator(stripped):
                    # The row before a separator is the table's header, not an entry.
                    if blocks and blocks[-1].kind == "row" and blocks[-1].line == lineno - 1:
                        blocks.pop()
                    i += 1
                    continue
                if not (blocks and blocks[-1].kind == "row" and not blank_since and cur is None):
                    group += 1
                close()
                blocks.append(_Block("row", lineno, [stripped], [lineno], group=group))
                blank_since = False
                i += 1
                continue
            item = _LIST_RE.match(line)
            if item:
                indent = len(item.group(1).expandtabs(4))
                if not (cur is not None and cur.kind == "item") and not (
                    blocks and blocks[-1].kind == "item" and cur is None and blank_since
                ):
                    group += 1
                blocks.append(
                    _Block(
                        "item", lineno, [line[item.end() :]], [lineno], level=indent, group=group
                    )
                )
                cur = blocks[-1]
                last_item_indent = indent
                blank_since = False
                i += 1
                continue
            indent = len(line) - len(line.lstrip(" \t"))
            if cur is not None and cur.kind == "item":
                if not blank_since or indent > last_item_indent:
                    cur.lines.append(line.strip())
                    cur.line_numbers.append(lineno)
                    blank_since = False
                    i += 1
                    continue
                close()
                group += 1
            elif cur is not None and cur.kind == "para":
                cur.lines.append(line.strip())
                cur.line_numbers.append(lineno)
                blank_since = False
                i += 1
                continue
            if blocks and blocks[-1].kind in ("item", "row"):
                group += 1
            cur = _Block("para", lineno, [stripped], [lineno], group=group)
            blocks.append(cur)
            blank_since = False
            i += 1
        # A paragraph that is one bold line standing alone is a heading below all others.
        for block in blocks:
            if block.kind == "para" and len(block.lines) == 1:
                m = _BOLD_LINE_RE.match(block.lines[0])
                if m:
                    block.kind = "heading"
                    block.level = 7
                    block.lines = [m.group(2).strip()]

    # ---- headings ----------------------------------------------------------------------

    def _build_headings(self) -> None:
        stack: list[int] = []
        for bi, block in enumerate(self.blocks):
            if block.kind != "heading":
                self.owner.append(stack[-1] if stack else -1)
                if stack:
                    self.headings[stack[-1]].body.append(bi)
                continue
            while stack and self.headings[stack[-1]].level >= block.level:
                stack.pop()
            parent = stack[-1] if stack else -1
            hi = len(self.headings)
            self.headings.append(_Heading(bi, block.level, parent))
            stack.append(hi)
            self.owner.append(hi)
        for hi, heading in enumerate(self.headings):
            nxt = self.headings[hi + 1] if hi + 1 < len(self.headings) else None
            heading.has_children = nxt is not None and nxt.level > heading.level
            end = self.blocks[nxt.block].line - 1 if nxt is not None else len(self.raw_lines)
            heading.end_line = end
        level_one = [h for h in self.headings if h.level == 1]
        for heading in self.headings:
            self._classify_heading(heading)
        if (
            len(level_one) == 1
            and self.headings
            and self.headings[0] is level_one[0]
            and self.headings[0].role == "topic"
        ):
            self.headings[0].role = "title"

    def _classify_heading(self, heading: _Heading) -> None:
        plain = _heading_plain(self.blocks[heading.block].lines[0])
        if not plain:
            heading.role = "empty"
            return
        m = _YEAR_HEADING_RE.fullmatch(plain)
        if m:
            heading.role, heading.year = "year", int(m.group(1))
            return
        whole = slugify(plain)
        numbering = _NUMBERING_RE.match(plain)
        name = plain[numbering.end() :] if numbering and numbering.end() < len(plain) else plain
        slug = slugify(name.strip(" :：-–—|"))
        for candidate in (whole, slug):
            if candidate in _IGNORED_HEADINGS:
                heading.role = "ignored"
                return
            if candidate in _GENERIC_HEADINGS:
                heading.role = "generic"
                return
            if candidate in _OTHER_HEADINGS:
                heading.role = "other"
                return
        if not slug:
            heading.role = "empty"
            return
        heading.slug = slug

    # ---- entries -----------------------------------------------------------------------

    def _read_entries(self) -> None:
        prev_prose: str | None = None
        for bi, block in enumerate(self.blocks):
            if block.kind == "heading" or block.kind == "break":
                prev_prose = None
                continue
            owner = self.owner[bi]
            if owner >= 0 and self.headings[owner].role == "ignored":
                continue
            if block.kind == "para":
                found: list[_Entry] = []
                for line, text, is_entry in self._para_chunks(block):
                    if is_entry or _scan_ids(text[:_MAX_ENTRY]):
                        entry = self._interpret(
                            text, line, block.group, prev_prose, para=True, prose=not is_entry
                        )
                        if entry is not None:
                            found.append(entry)
                        prev_prose = None
                    else:
                        prev_prose = text
                if found:
                    self.entries[bi] = found
                continue
            prev_prose = None
            text = block.text
            if block.kind == "row":
                text = text.strip().lstrip("|")
            box = _TASK_BOX_RE.match(text) if block.kind == "item" else None
            if box:
                text = text[box.end() :]
            entry = self._interpret(text, block.line, block.group, None)
            if entry is not None:
                entry.read = bool(box and box.group(1) in "xX")
                if block.kind == "row" and entry.title is None:
                    first_cell = next((c for c in text.split("|") if c.strip()), "")
                    entry.snippet = _clean_text(first_cell)[:_MAX_LABEL]
                self.entries[bi] = [entry]
        # Entries without a link count as entries when their list / table has papers.
        with_papers = {e.group for found in self.entries.values() for e in found if e.ids or e.url}
        for found in self.entries.values():
            for e in found:
                if e.problem and not e.lookalike and e.group in with_papers and e.snippet:
                    e.lookalike = True

    def _para_chunks(self, block: _Block) -> list[tuple[int, str, bool]]:
        """Split a paragraph at lines that start an entry (one paper per line lists)."""
        chunks: list[tuple[int, list[str], bool]] = []
        for line, number in zip(block.lines, block.line_numbers, strict=True):
            starts = self._starts_entry(line)
            if starts or not chunks:
                chunks.append((number, [line], starts))
            else:
                chunks[-1][1].append(line)
        return [(number, "\n".join(lines), flag) for number, lines, flag in chunks]

    @staticmethod
    def _starts_entry(line: str) -> bool:
        head = line[:_MAX_ENTRY]
        pos = _LEAD_JUNK_RE.match(head).end()
        if _NUMBER_LABEL_RE.match(head):
            return True
        rest = head[pos:]
        if rest.startswith("[") and "](" in rest:
            return not rest.startswith("[!") or rest.count("](") > 1
        if rest.startswith(("**", "__")) and "](" in rest:
            return True
        return rest[:3].lower() == "<a " and "href" in rest.lower()

    def _interpret(
        self,
        text: str,
        line: int,
        group: int,
        prev_prose: str | None,
        para: bool = False,
        prose: bool = False,
    ) -> _Entry | None:
        text = text[:_MAX_ENTRY]
        if "`" in text and "](" in text:
            text = _CODE_LINK_RE.sub(lambda m: " " * len(m.group(0)), text)
        links = _scan_links(text)
        numbered = bool(_NUMBER_LABEL_RE.match(text))
        real = [link for link in links if link.kind not in ("image", "badge")]
        if para and _is_people(text, real):
            return None
        entry = _Entry(line=line, group=group, prose=prose)
        title: str | None = None
        title_span: tuple[int, int] | None = None
        title_link: _Link | None = None
        citation = numbered
        cite_rest = ""

        pos = _LEAD_JUNK_RE.match(text).end()
        k = 0
        while k < len(links) and links[k].start <= pos and links[k].kind in ("image", "badge"):
            if links[k].start == pos:
                pos = _LEAD_JUNK_RE.match(text, links[k].end).end()
            k += 1
        first = links[k] if k < len(links) and links[k].start == pos else None
        if first is not None:
            if not first.label and first.kind not in ("image", "badge"):
                title, cite_rest, cited = _title_from_link_text(first.text)
                citation = citation or cited
                title_span, title_link = (first.start, first.end), first
            elif first.bracketed or (
                _norm_label(first.text) in _RUN_LABELS
                and first.end < len(text)
                and text[first.end] in " \t"
            ):
                run_start = _LEAD_JUNK_RE.match(text, first.end).end()
                stop = _RUN_STOP_RE.search(text, run_start)
                run_end = stop.start() if stop else len(text)
                title = _finish_title(text[run_start:run_end])
                if title:
                    title_span = (run_start, run_end)
        elif text.startswith(("**", "__"), pos):
            m = _BOLD_AT_RE.match(text, pos)
            if m and not m.group(2).startswith(("(", "[")):
                title = _finish_title(m.group(2))
                if title:
                    title_span = (m.start(), m.end())
        if title is None:
            for link in real:
                if not link.label and link.kind not in ("code", "extra"):
                    title, cite_rest, cited = _title_from_link_text(link.text)
                    if title:
                        citation = citation or cited
                        title_span, title_link = (link.start, link.end), link
                        break
        if title is None and first is None:
            search_from = pos
            link_spans = sorted((lk.start, lk.end) for lk in links)
            while True:
                m = _QUOTED_RE.search(text, search_from)
                if m is None:
                    break
                if not _inside(link_spans, m.start()):
                    candidate = _finish_title(m.group(1))
                    if candidate:
                        title, title_span, citation = candidate, (m.start(), m.end()), True
                        break
                search_from = m.start() + 1
        if title is None and numbered:
            for m in _BOLD_AT_RE.finditer(text, pos):
                if not m.group(2).startswith(("(", "[")):
                    title = _finish_title(m.group(2))
                    if title:
                        title_span = (m.start(), m.end())
                        break
        if title is None and first is None:
            # `Title. Authors. Venue. [PDF](url)`, `Title ([arXiv](url))`, `Title [[pdf]](u)`.
            label = next(
                (
                    lk
                    for lk in real
                    if lk.start > pos
                    and (
                        (
                            (lk.bracketed or _norm_label(lk.text) in _PAPER_LABELS)
                            and text[lk.start - 1] in " \t([（"
                        )
                        # `Title — https://...`, `Title: <https://...>`
                        or (
                            lk.text == lk.url
                            and lk.kind in ("arxiv", "web")
                            and _URL_AFTER_SEP_RE.search(text, pos, lk.start) is not None
                        )
                    )
                ),
                None,
            )
            if label is not None:
                before = text[pos : label.start].split(". ", 1)[0]
                title = _finish_title(before)
                if title:
                    title_span = (pos, label.start)
        if title is None and prev_prose and "《" in prev_prose and (first is not None or numbered):
            m = re.search(r"《([^《》]{2,600}+)》", prev_prose)
            if m:
                title = _finish_title(m.group(1))
        if prose and title and len(title.split()) < 3:
            # `see the [follow-up](arxiv...)`: a mention in running text, not a title.
            title, title_link, title_span = None, None, None
        prefix_year, title = _split_year_prefix(title)
        entry.title = title

        # arXiv ids: the title link's first, then every other one in order of appearance.
        ids: dict[str, ArxivId] = {}
        if title_link is not None and title_link.arxiv is not None:
            ids[title_link.arxiv.id] = title_link.arxiv
        for _, found in _scan_ids(text):
            known = ids.get(found.id)
            if known is None or (known.version is None and found.version is not None):
                ids[found.id] = found
        entry.ids = list(ids.values())
        for link in real:
            if link.arxiv is not None and not link.label and link is not title_link:
                named, _, _ = _title_from_link_text(link.text)
                # `[Extension1](arxiv...)` names the link, not the paper: one word is no title.
                if named and len(named.split()) > 1 and link.arxiv.id not in entry.id_titles:
                    entry.id_titles[link.arxiv.id] = named

        # The link to a non-arXiv paper: the title's link, else the first labelled one.
        if not entry.ids:
            candidates = ([title_link] if title_link is not None else []) + real
            for link in candidates:
                if link.kind == "web":
                    entry.url = link.url
                    break
            if entry.url is None:
                entry.problem, entry.anchor = self._problem(title_link, real)

        # Year: the item's own date, a year in parentheses, a citation's year.
        date_mark = _DATE_MARK_RE.search(text)
        if date_mark:
            entry.year = int(date_mark.group(1))
        else:
            spans = [(lk.start, lk.end) for lk in links]
            if title_span:
                spans.append(title_span)
            rest = _blank_spans(text, spans) + " " + cite_rest
            m = _PAREN_YEAR_RE.search(rest)
            if m:
                entry.year = int(m.group(1))
            elif prefix_year:
                entry.year = prefix_year
            elif citation:
                years = _BARE_YEAR_RE.findall(rest)
                if years:
                    entry.year = int(years[-1])
        # An anchor alone (`[End](#head)`) is navigation unless the item looks like an entry.
        entry.lookalike = bool(
            numbered
            or date_mark
            or (title and not entry.anchor)
            or any(link.kind in ("empty", "relative") for link in real)
        )
        entry.snippet = title or _clean_text(text.split("\n", 1)[0])[:_MAX_LABEL]
        if not entry.ids and not entry.url and not entry.problem:
            entry.problem = "no link or arXiv id"
        return entry

    @staticmethod
    def _problem(title_link: _Link | None, real: list[_Link]) -> tuple[str, bool]:
        primary = title_link
        if primary is None:
            primary = next((lk for lk in real if lk.bracketed), real[0] if real else None)
        if primary is None:
            return "no link or arXiv id", False
        if primary.kind == "empty":
            return "its link is empty", False
        if primary.kind == "relative":
            return f"relative link {primary.url!r}: no address to import", False
        if primary.kind == "anchor":
            return (
                f"its link {primary.url!r} points inside the document, "
                "and no paper here has that title",
                True,
            )
        if primary.kind in ("code", "extra"):
            return f"only a code/project link ({primary.url}), no link to a paper", False
        if primary.kind == "other":
            return f"link {primary.url!r} is not a web address", False
        return "no link to a paper", False

    # ---- paper headings ----------------------------------------------------------------

    def _find_paper_headings(self) -> None:
        """Decide which headings name a paper (`### [Title](url)` + remarks) not a topic."""
        candidates: list[int] = []
        for hi, heading in enumerate(self.headings):
            if heading.role != "topic" or heading.has_children or heading.level > 6:
                continue
            if any(
                e.title and not e.prose for bi in heading.body for e in self.entries.get(bi, [])
            ):
                continue  # entries of its own: a topic
            text = self.blocks[heading.block].lines[0][:_MAX_ENTRY]
            links = [lk for lk in _scan_links(text) if lk.kind in ("arxiv", "web")]
            self.heading_links[hi] = links
            if links or _scan_ids(text) or self._body_names_paper(heading):
                heading.role = "paper"
            else:
                candidates.append(hi)
        # A heading without links among paper headings is a paper whose link is missing.
        paper_parents = {(h.parent, h.level) for h in self.headings if h.role == "paper"}
        for hi in candidates:
            heading = self.headings[hi]
            kinds = {self.blocks[bi].kind for bi in heading.body} - {"break"}
            if (heading.parent, heading.level) in paper_parents and kinds and "row" not in kinds:
                heading.role = "paper"

    def _body_names_paper(self, heading: _Heading) -> bool:
        for bi in heading.body:
            block = self.blocks[bi]
            if block.kind == "heading":
                continue
            for link in _scan_links(block.text[:_MAX_ENTRY]):
                if link.kind in ("arxiv", "web") and _norm_label(link.text) in _THIS_PAPER_LABELS:
                    return True
        return False

    def _heading_entry(self, hi: int) -> tuple[_Entry, str | None]:
        """The paper a heading names, and its note (the remarks under a title heading)."""
        heading = self.headings[hi]
        block = self.blocks[heading.block]
        text = block.lines[0][:_MAX_ENTRY]
        entry = _Entry(line=block.line)
        links = self.heading_links.get(hi, [])
        all_links = _scan_links(text)
        rest = _blank_spans(text, [(lk.start, lk.end) for lk in all_links])
        only_link = (
            len(all_links) == 1
            and not _clean_text(rest).strip(" :：-–—|()")
            and not all_links[0].label
        )
        if only_link:
            entry.title, _, _ = _title_from_link_text(all_links[0].text)
        elif links:
            entry.title = _finish_title(_EMPTY_PARENS_RE.sub(" ", rest))
        else:
            entry.title = _finish_title(text)
        prefix_year, entry.title = _split_year_prefix(entry.title)
        ids: dict[str, ArxivId] = {}
        body_texts = [
            self.blocks[bi].text[:_MAX_ENTRY]
            for bi in heading.body
            if self.blocks[bi].kind not in ("heading", "break")
        ]
        for part in [text, *body_texts]:
            for _, found in _scan_ids(part):
                if found.id not in ids or (ids[found.id].version is None and found.version):
                    ids[found.id] = found
        entry.ids = list(ids.values())
        if not entry.ids:
            url = next((lk.url for lk in links if lk.kind == "web"), None)
            if url is None:
                for body in body_texts:
                    url = next(
                        (
                            lk.url
                            for lk in _scan_links(body)
                            if lk.kind == "web" and _norm_label(lk.text) in _THIS_PAPER_LABELS
                        ),
                        None,
                    )
                    if url:
                        break
            entry.url = url
            if url is None:
                entry.problem = "no link or arXiv id"
        m = _DATE_MARK_RE.search(text) or _PAREN_YEAR_RE.search(rest)
        entry.year = int(m.group(1)) if m else prefix_year
        entry.snippet = entry.title or _clean_text(text)[:_MAX_LABEL]
        entry.lookalike = True
        note = self._note(heading) if only_link or not links else None
        return entry, note

    def _note(self, heading: _Heading) -> str | None:
        start = self.blocks[heading.block].line  # the heading's line; the body follows it
        lines = [line.rstrip() for line in self.raw_lines[start : heading.end_line]]
        while lines and (not lines[-1].strip() or _is_break(lines[-1].strip())):
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        kept: list[str] = []
        for line in lines:
            if not line.strip() and kept and not kept[-1].strip():
                continue
            kept.append(line)
        note = "\n".join(kept)[:_MAX_NOTE]
        return note or None

    # ---- records -----------------------------------------------------------------------

    def _topic_heading(self, hi: int) -> int:
        while hi >= 0:
            heading = self.headings[hi]
            if heading.role == "topic":
                return hi
            hi = heading.parent
        return -1

    def _topic_for(self, owner: int) -> str | None:
        hi = self._topic_heading(owner)
        if hi < 0:
            return None
        chain: list[str] = []
        while hi >= 0:
            slug = self.headings[hi].slug
            if slug and (not chain or chain[-1] != slug):
                chain.append(slug)
            hi = self._topic_heading(self.headings[hi].parent)
        parents = self.out.topic_parents
        for k in range(len(chain) - 1, -1, -1):
            if chain[k] not in parents:
                parents[chain[k]] = chain[k + 1] if k + 1 < len(chain) else None
        return chain[0]

    def _year_for(self, owner: int) -> int | None:
        hi = owner
        while hi >= 0:
            heading = self.headings[hi]
            if heading.role == "year":
                return heading.year
            hi = heading.parent
        return None

    def _emit(self) -> None:
        for bi, block in enumerate(self.blocks):
            owner = self.owner[bi]
            if block.kind == "heading":
                if self.headings[owner].role == "paper":
                    entry, note = self._heading_entry(owner)
                    self._emit_entry(entry, self.headings[owner].parent, note)
                continue
            if owner >= 0 and self.headings[owner].role in ("ignored", "paper"):
                continue
            for entry in self.entries.get(bi, []):
                self._emit_entry(entry, owner, None)
        self._resolve_anchors()

    def _emit_entry(self, entry: _Entry, owner: int, note: str | None) -> None:
        if entry.ids or entry.url:
            topic = self._topic_for(owner)
            topics = ([topic] if topic else []) + [t for t in self.extras if t != topic]
            heading_year = self._year_for(owner)
            source = f"{self.source}:{entry.line}"
            if entry.ids:
                for k, found in enumerate(entry.ids):
                    if k == 0:
                        title, year = entry.title, entry.year or heading_year
                    else:
                        title, year = entry.id_titles.get(found.id), None
                    record = PaperRecord(
                        arxiv_id=found.id,
                        version=found.version,
                        title=title,
                        year=year or _id_year(found.id),
                        topics=list(topics),
                        note=note if k == 0 else None,
                        status="read" if entry.read else None,
                        sources=[source],
                    )
                    self._add(("arxiv", found.id), record)
            else:
                record = PaperRecord(
                    title=entry.title,
                    url=entry.url,
                    year=entry.year or heading_year,
                    topics=list(topics),
                    note=note,
                    status="read" if entry.read else None,
                    sources=[source],
                )
                # Two titles on one URL is a slip in the list, not one paper: keep both.
                key = _norm_url(entry.url or "") + " " + _norm_title(entry.title or "")
                self._add(("url", key), record)
        elif entry.anchor:
            self.pending_anchors.append((entry, owner))
        elif entry.lookalike:
            self._skip(entry, entry.problem or "no link or arXiv id")

    def _skip(self, entry: _Entry, why: str) -> None:
        label = entry.snippet or "(empty item)"
        self.skipped.append((entry.line, label, f"{why} ({self.source}:{entry.line})"))

    def _add(self, key: tuple[str, str], record: PaperRecord) -> None:
        known = self.by_key.get(key)
        if known is None:
            self.by_key[key] = record
            self.out.records.append(record)
            return
        _merge(known, record)

    def _resolve_anchors(self) -> None:
        if not self.pending_anchors:
            return
        by_title: dict[str, PaperRecord] = {}
        for record in self.out.records:
            if record.title:
                by_title.setdefault(_norm_title(record.title), record)
        for entry, owner in self.pending_anchors:
            known = by_title.get(_norm_title(entry.title)) if entry.title else None
            if known is not None:
                topic = self._topic_for(owner)
                topics = ([topic] if topic else []) + self.extras
                _merge(known, PaperRecord(topics=topics, sources=[f"{self.source}:{entry.line}"]))
            elif entry.lookalike:
                self._skip(entry, entry.problem or "no link or arXiv id")


def _merge(known: PaperRecord, other: PaperRecord) -> None:
    for topic in other.topics:
        if topic not in known.topics:
            known.topics.append(topic)
    known.sources.extend(source for source in other.sources if source not in known.sources)
    if known.title is None:
        known.title = other.title
    if known.status is None:
        known.status = other.status
    if known.version is None:
        known.version = other.version
    if known.year is None:
        known.year = other.year
    if known.url is None and known.arxiv_id is None:
        known.url = other.url
    if other.note and other.note != known.note:
        known.note = other.note if known.note is None else f"{known.note}\n\n{other.note}"
