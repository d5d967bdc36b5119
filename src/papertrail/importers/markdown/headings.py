"""Headings: which are topics (and their slugs), years, containers, or no part of the list.

* Topics come from headings; numbering ("2.3 Foo"), emoji, badges, `:codes:` and link
  syntax are dropped and the slug is `slugify`'s. Nested headings give child topics.
* Not topics: year headings ("2023", "2015 and before": they give the year of the items
  under them), containers ("Papers"), catch-alls ("Other", "其他": the items keep the
  parent's topic), the document title (the only level-1 heading, when it comes first), and
  sections that are no part of the list ("Table of Contents", "License", "目录" ...), whose
  content is not read.
* Resource sections (Courses, Videos, Tools, Datasets ...) are topics, but only entries
  that link a paper page there are papers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrail.importers.markdown.links import words
from papertrail.importers.markdown.titles import is_decoration
from papertrail.model.slugs import slugify

IGNORED = words(
    """table-of-contents contents content toc index license licence licensing contributing
    contribute contributors contribution contributions how-to-contribute acknowledgements
    acknowledgments acknowledgement acknowledgment thanks bibtex star-history stargazers
    stars changelog change-log todo to-do contact
    contacts about-me about-us author authors sponsor sponsors
    follow-us join-us community star-us 目录 许可 许可证 协议 贡献 贡献者 致谢
    更新日志 联系 联系方式 加入我们 交流群"""
)
# How to cite the list: not read as a list, but the paper it names in its text (the list's
# own survey: `Our survey paper is at https://arxiv.org/abs/...`) is a paper (role "cite").
CITE = words("citation citations cite how-to-cite citing 引用")
GENERIC = words(
    """papers paper paper-list papers-list list-of-papers reading-list reading-lists
    the-list list papers-and-code news latest-news updates update 论文 论文列表 文献 文章
    阅读列表 新闻 动态 更新"""
)
OTHER = words(
    """other others misc miscellaneous miscellanea more etc uncategorized unsorted various
    其他 其它 杂项 其他论文 其它论文 其他方法"""
)
# Sections of what is not papers: their entries are papers only when they link one.
RESOURCES = words(
    """courses course lectures lecture videos video tutorials tutorial
    researchers people websites website blogs blog datasets dataset frameworks
    framework tools tool libraries library software toolkits toolkit resources links
    conferences workshops newsletters podcasts talks slides demos demo products
    companies leaderboards leaderboard
    free-online-books video-and-lectures miscellaneous-resources 教程 课程 视频
    数据集 工具 框架 应用 博客 网站 资源 课程资源 相关资源"""
)

_CJK_RESOURCES = tuple(w for w in RESOURCES if not w.isascii())
_YEAR_HEADING_RE = re.compile(
    r"(?:(?:before|until|till|up\s+to|after|since|from|pre|pre-|≤|<=?|>=?|≥)\s*)?"
    r"((?:19|20)\d{2})"
    r"(?:\s*(?:-|–|—|~|to|至)\s*(?:(?:19|20)?\d{2}|now|present|today|至今))?"
    r"(?:\s*(?:and|&|or)\s*(?:before|earlier|prior|older|after|later|newer))?"
    r"(?:\s*(?:venues?|papers?|conferences?|publications?|works?|年|年以前|年之前|年以后|以前|之前|以后|及以前|及之前))?"
    r"(?:\s*\((?:\d{1,4}|[^()]{0,20})\))?"
    r"\s*[:：]?",
    re.I,
)
_NUMBERING_RE = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*(?:[.)、:：]\s*|\s+)"
    r"|[IVX]{1,5}[.)]\s+|[A-Z][.)]\s+|[A-Z]\s+(?=[^\x00-\x7f])"
    r"|(?:part|chapter|section|第)\s*\d{1,3}\s*[:：.、章节部分]?\s*)",
    re.I,
)
_TOPIC_ATTR_RE = re.compile(r"\{:\s*topic=\"([^\"]{1,200})\"\s*\}\s*$")
_KRAMDOWN_ATTR_RE = re.compile(r"\s*\{[:#][^{}]{0,200}\}\s*$")
_SHORTCODE_RE = re.compile(r":[a-z0-9_+\-]{1,30}:")


@dataclass
class Heading:
    block: int  # index into the blocks
    level: int
    parent: int  # index into the headings, -1 for none
    role: str = "topic"  # topic year generic other ignored cite title empty paper
    slug: str | None = None
    year: int | None = None
    resources: bool = False
    has_children: bool = False
    body: list[int] = field(default_factory=list)  # block indices
    end_line: int = 0  # last line (1-based, inclusive) of the section's own body


def heading_words(text: str) -> str:
    """The words of a heading: link labels kept; emoji, `:codes:`, attributes gone."""
    text = _KRAMDOWN_ATTR_RE.sub("", text[:2000])
    text = _SHORTCODE_RE.sub(" ", text)
    if not text.isascii():
        text = "".join(ch for ch in text if not is_decoration(ch))
    return " ".join(text.split()).strip(" :：-–—|*_`")


def classify(heading: Heading, text: str) -> None:
    explicit = _TOPIC_ATTR_RE.search(text)
    if explicit:  # `## contents {: topic="contents"}`: the topic as written (exports do)
        heading.slug = slugify(explicit.group(1)) or None
        heading.role = "topic" if heading.slug else "empty"
        return
    plain = heading_words(text)
    if not plain:
        heading.role = "empty"
        return
    m = _YEAR_HEADING_RE.fullmatch(plain)
    if m:
        heading.role, heading.year = "year", int(m.group(1))
        return
    numbering = _NUMBERING_RE.match(plain)
    name = plain[numbering.end() :] if numbering and numbering.end() < len(plain) else plain
    slug = slugify(name.strip(" :：-–—|"))
    # `Awesome Papers` is a container as much as `Papers` is.
    for candidate in (slugify(plain), slug, slug.removeprefix("awesome-")):
        for role, names in (
            ("ignored", IGNORED),
            ("cite", CITE),
            ("generic", GENERIC),
            ("other", OTHER),
        ):
            if candidate in names:
                heading.role = role
                return
    if not slug:
        heading.role = "empty"
        return
    heading.slug = slug
    last = slug.rsplit("-", 1)[-1]
    heading.resources = last in RESOURCES or last.endswith(_CJK_RESOURCES)


def build(
    levels: list[tuple[int, int, str]], block_count: int, line_count: int, lines: list[int]
) -> tuple[list[Heading], list[int]]:
    """Headings (from (block index, level, text)) and each block's owning heading (-1: none)."""
    headings: list[Heading] = []
    owner = [-1] * block_count
    stack: list[int] = []
    at = {bi: (level, text) for bi, level, text in levels}
    for bi in range(block_count):
        if bi in at:
            level, text = at[bi]
            while stack and headings[stack[-1]].level >= level:
                stack.pop()
            heading = Heading(bi, level, stack[-1] if stack else -1)
            classify(heading, text)
            headings.append(heading)
            stack.append(len(headings) - 1)
        elif stack:
            headings[stack[-1]].body.append(bi)
        owner[bi] = stack[-1] if stack else -1
    for hi, heading in enumerate(headings):
        nxt = headings[hi + 1] if hi + 1 < len(headings) else None
        heading.has_children = nxt is not None and nxt.level > heading.level
        heading.end_line = lines[nxt.block] - 1 if nxt is not None else line_count
    first_level = [h for h in headings if h.level == 1]
    if len(first_level) == 1 and headings[0] is first_level[0] and headings[0].role == "topic":
        headings[0].role = "title"
    return headings, owner


def anchor(text: str) -> str:
    """The anchor GitHub gives a heading: `## 1.2 Tool-Use (LLM)` -> `12-tool-use-llm`."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def topic_chain(headings: list[Heading], hi: int) -> list[str]:
    """The topic slugs from the deepest topic heading at or above `hi` up to the root."""
    chain: list[str] = []
    while hi >= 0:
        heading = headings[hi]
        if heading.role == "topic" and heading.slug and (not chain or chain[-1] != heading.slug):
            chain.append(heading.slug)
        hi = heading.parent
    return chain


def year_for(headings: list[Heading], hi: int) -> int | None:
    while hi >= 0:
        if headings[hi].role == "year":
            return headings[hi].year
        hi = headings[hi].parent
    return None


def in_resources(headings: list[Heading], hi: int) -> bool:
    while hi >= 0:
        if headings[hi].resources:
            return True
        hi = headings[hi].parent
    return False
