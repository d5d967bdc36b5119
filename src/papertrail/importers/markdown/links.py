"""What a link points to: an arXiv paper, another paper, or something that is not a paper.

Decided from the address (host and path) first and from the link's label second: a link
labelled "code" on an unknown host is a code link, a link to github.com is one whatever
its label says. arXiv ids are found in links and in text in every form `ids` knows, plus
DBLP's `CoRR abs/NNNN.NNNNN`.
"""

from __future__ import annotations

import functools
import re

from papertrail.errors import InvalidArxivId
from papertrail.model.ids import ArxivId, doi_in_url, parse_arxiv_id
from papertrail.model.slugs import slugify


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Link labels that name a kind of link to the paper, never its title.
PAPER_LABELS = words(
    """pdf paper papers arxiv arxiv.org abs abstract html link url openreview doi preprint
    full-text fulltext download local ppt pdf-link paper-link camera-ready here this this-paper
    the-paper 本文 论文 一篇论文 原文 全文 文章 链接 地址 下载 这里 此文 acl aclweb anthology"""
)
# Link labels of what goes with a paper but is not it.
EXTRA_LABELS = words(
    """code codes github gitlab gitee project project-page projectpage homepage home-page
    website site web page demo demos video videos slides slide pptx poster talk blog bolg post
    zhihu reddit twitter tweet tweets x thread discord slack wechat weibo youtube bilibili torch
    pytorch tensorflow tf keras caffe mxnet jax paddle mindspore huggingface hf hugging-face
    colab notebook dataset datasets data model models weights checkpoint checkpoints
    leaderboard benchmark supp supplementary appendix bibtex bib citation official
    official-code unofficial implementation reimplementation re-implement code-is-comming
    code-is-coming coming-soon github地址 代码 项目 主页 项目主页 博客 介绍 视频 笔记 解读 翻译
    note notes media press news newsletter tutorial course docs documentation api
    local-demo online-demo star stars"""
)
LABELS = PAPER_LABELS | EXTRA_LABELS

# Hosts (and host suffixes) of what is not a paper, with the kind said in skip reasons.
_HOST_KINDS: dict[str, str] = {}
for _kind, _hosts in {
    "repository": """github.com gitlab.com gitee.com bitbucket.org sourceforge.net huggingface.co
        hf.co modelscope.cn pypi.org npmjs.com codeocean.com""",
    "social media": """twitter.com x.com t.co facebook.com linkedin.com weibo.com weibo.cn
        reddit.com zhihu.com threads.net mastodon.social bsky.app instagram.com
        news.ycombinator.com""",
    "chat": """discord.gg discord.com slack.com t.me telegram.me gitter.im mp.weixin.qq.com
        qm.qq.com""",
    "video": """youtube.com youtu.be bilibili.com b23.tv vimeo.com videolectures.net
        slideslive.com twitch.tv""",
    "blog": """medium.com substack.com blogspot.com wordpress.com csdn.net cnblogs.com jianshu.com
        towardsdatascience.com distill.pub mailchi.mp zhuanlan.zhihu.com""",
    "course": "coursera.org udacity.com edx.org udemy.com ocw.mit.edu classcentral.com",
    "dataset": "kaggle.com archive.ics.uci.edu",
    "meetup or event": "meetup.com eventbrite.com eventbrite.co.uk lu.ma",
    "tool or site": """colab.research.google.com readthedocs.io readthedocs.org shields.io
        badge.fury.io badgen.net star-history.com awesome.re wikipedia.org""",
}.items():
    _HOST_KINDS.update(dict.fromkeys(_hosts.split(), _kind))
_PATH_KINDS = (
    ("leaderboard", "leaderboard"),
    ("/sota", "leaderboard"),
    ("/datasets/", "dataset"),
    ("/blog", "blog"),
    ("/course", "course"),
    ("/spaces/", "demo"),
    ("/newsletter", "blog"),
)
# Where papers live: publishers, proceedings, repositories of papers.
_PAPER_HOSTS = words(
    """doi.org dx.doi.org openreview.net aclanthology.org aclweb.org proceedings.mlr.press
    jmlr.org papers.nips.cc proceedings.neurips.cc openaccess.thecvf.com dl.acm.org
    ieeexplore.ieee.org link.springer.com sciencedirect.com nature.com science.org pnas.org
    ojs.aaai.org ijcai.org ecva.net biorxiv.org medrxiv.org ssrn.com semanticscholar.org
    researchgate.net
    ncbi.nlm.nih.gov pubmed.ncbi.nlm.nih.gov mdpi.com onlinelibrary.wiley.com
    tandfonline.com iopscience.iop.org journals.aps.org academic.oup.com cell.com
    frontiersin.org plos.org isca-speech.org ceur-ws.org aclanthology.info
    proceedings.neurips.cc bmva.org roboticsproceedings.org jair.org tmlr.org
    transacl.org direct.mit.edu mitpressjournals.org queue.acm.org cacm.acm.org"""
)
_ARXIV_HOSTS = ("arxiv.org", "xxx.lanl.gov")

_ID_CORE = (
    r"(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}"
    r"|[a-z]++(?:-[a-z]++)?(?:\.[a-z]++(?:-[a-z]++)?)?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
    r"(?:v[1-9]\d{0,3})?"
)
# Each form is matched only where its anchor word occurs (found with str.find): fast, and
# never quadratic on dotted junk.
_AT_ARXIV_RE = re.compile(
    rf"arxiv(?:\.org/(?:abs|pdf|html|ps|format)/|\s{{0,3}}+[:：]?\s{{0,3}}+|\.(?=\d))"
    rf"(?P<id>{_ID_CORE})",
    re.I,
)
_AT_LANL_RE = re.compile(rf"lanl\.gov/(?:abs|pdf|html|ps|format)/(?P<id>{_ID_CORE})", re.I)
_AT_CORR_RE = re.compile(
    rf"corr\b[,.]?[ \t]{{0,3}}+(?:vol\.[ \t]{{0,3}}+)?abs/(?P<id>{_ID_CORE})", re.I
)
# Pages that show an arXiv paper under its id: Hugging Face papers, alphaXiv, ar5iv.
_AT_MIRROR_RE = re.compile(
    rf"(?:huggingface\.co/papers|alphaxiv\.org/(?:abs|overview)|ar5iv\.org/(?:abs|html))/"
    rf"(?P<id>{_ID_CORE})",
    re.I,
)
_ID_ANCHORS = (
    ("arxiv", _AT_ARXIV_RE), ("lanl.gov", _AT_LANL_RE), ("corr", _AT_CORR_RE),
    ("huggingface.co/papers/", _AT_MIRROR_RE), ("alphaxiv.org/", _AT_MIRROR_RE),
    ("ar5iv.org/", _AT_MIRROR_RE),
)  # fmt: skip
# An entry that is just an id: `2104.12255`, `astro-ph/0601001 - Hot Jupiters`.
BARE_ID_RE = re.compile(rf"\s*(?:arxiv\s*:\s*)?(?P<id>{_ID_CORE})(?![\w/.])", re.I)
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]{0,20}:", re.I)


def scan_ids(text: str) -> list[tuple[int, ArxivId]]:
    """(position, id) of every arXiv id named in the text, in order (repeats kept)."""
    low = text.lower()
    found: list[tuple[int, ArxivId]] = []
    for word, pattern in _ID_ANCHORS:
        pos = low.find(word)
        while pos >= 0:
            m = pattern.match(text, pos)
            if m and (word != "corr" or pos == 0 or not low[pos - 1].isalnum()):
                parsed = parse_id(m.group("id"))
                if parsed is not None:
                    found.append((pos, parsed))
            pos = low.find(word, pos + 1)
    found.sort(key=lambda hit: hit[0])
    return found


@functools.lru_cache(maxsize=4096)
def parse_id(text: str) -> ArxivId | None:
    try:
        return parse_arxiv_id(text)
    except InvalidArxivId:
        return None


def id_year(arxiv_id: str) -> int | None:
    digits = arxiv_id.rsplit("/", 1)[-1]
    if not digits[:2].isdigit():
        return None
    yy = int(digits[:2])
    return (1900 + yy if yy >= 91 else 2000 + yy) if "/" in arxiv_id else 2000 + yy


@functools.lru_cache(maxsize=8192)  # labels repeat: "paper", "code", "pdf" ...
def norm_label(text: str) -> str:
    """`[PyTorch(Author)]` -> `pytorch`: the form link labels are looked up in."""
    text = re.sub(r"\([^()]{0,40}\)", "", text[:200]).strip(" []【】()<>")
    norm = slugify(text)
    # `PDF2`, `Paper 1`, `code-3`: the links of one kind, numbered, are still that kind.
    base = _NUMBERED_RE.sub("", norm)
    return base if base != norm and base in LABELS else norm


_NUMBERED_RE = re.compile(r"-?\d{1,2}$")


def is_label(text: str) -> bool:
    """A link text that names a kind of link (pdf, code, Tweet, a URL), not a title."""
    norm = norm_label(text)
    return not norm or norm in LABELS or text.strip().lower().startswith(("http", "www."))


def host_of(url: str) -> str:
    low = url.strip().lower()
    rest = low.split("//", 1)[1] if "//" in low[:12] else low
    host = re.split(r"[/?#:]", rest, maxsplit=1)[0]
    return host.removeprefix("www.")


def _matches(host: str, names: frozenset[str] | dict[str, str]) -> str | None:
    parts = host.split(".")
    for k in range(len(parts) - 1):
        suffix = ".".join(parts[k:])
        if suffix in names:
            return suffix
    return None


_NESTED_RE = re.compile(r"\[([^\[\]\s]*)\]\((\S+)\)")
_KIND_ORDER = ("arxiv", "paper", "web")


def best_address(url: str) -> str:
    """The address a link means: `[https://a](https://b)` written as a link's address by
    mistake holds two, and the one on arXiv or a paper host is the paper's (a DOI's first)."""
    nested = _NESTED_RE.fullmatch(url.strip())
    if not nested:
        return url
    parts = [p for p in nested.groups() if p.lower().startswith(("http://", "https://"))]
    ranked = sorted(parts, key=lambda p: (_rank(url_kind(p)), doi_in_url(p) is None))
    return ranked[0] if ranked else url


def _rank(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


@functools.lru_cache(maxsize=8192)
def url_kind(url: str) -> str:
    """arxiv, paper, web, anchor, relative, empty, other, or what it is instead of a paper."""
    if _NESTED_RE.fullmatch(url.strip()):
        return url_kind(best_address(url))
    low = url.strip().lower()
    if not low:
        return "empty"
    if scan_ids(url):
        return "arxiv"
    if low.startswith("#"):
        return "anchor"
    if not low.startswith(("http://", "https://", "//", "www.")):
        if _SCHEME_RE.match(low) and not low.startswith("file:"):
            return "other"
        if "/" not in low.split("?")[0] or low.startswith(("/", ".")) or _is_file(low):
            return "relative"
        if "." not in low.split("/", 1)[0] and not low.split("?", 1)[0].endswith(".pdf"):
            return "relative"  # `site/data.json`: a file of the repository, no host
    host = host_of(low)
    if not host:
        return "other"
    path = low.split(host, 1)[-1].split("?", 1)[0]
    if path.endswith(".pdf") or _matches(host, _PAPER_HOSTS) or doi_in_url(url):
        return "paper"  # any publisher's `/doi/10....` page names its paper
    kind = _matches(host, _HOST_KINDS)
    if kind:
        return _HOST_KINDS[kind]
    if host.endswith((".github.io", ".gitlab.io")) or host.startswith("blog."):
        return "blog" if host.startswith("blog.") else "project page or blog"
    for word, name in _PATH_KINDS:
        if word in path or word in host:
            return name
    return "web"


def on_paper_host(url: str) -> bool:
    """A publisher's, a proceedings' or a preprint server's page, or any page of a DOI (a
    PDF elsewhere may be anyone's: a CV, a syllabus)."""
    return bool(_matches(host_of(url), _PAPER_HOSTS) or doi_in_url(url))


def _is_file(low: str) -> bool:
    first = low.split("/", 1)[0].split("#", 1)[0]
    return first.endswith((".pdf", ".html", ".htm", ".md", ".png", ".jpg", ".svg", ".txt"))


def is_paper_kind(kind: str) -> bool:
    return kind in ("arxiv", "paper", "web")
