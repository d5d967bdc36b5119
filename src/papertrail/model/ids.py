"""arXiv identifiers in every form people paste, reduced to one canonical form.

Pure functions on strings: importing this module costs nothing, so the read path can
resolve a REF without loading the HTTP client.

Canonical ids are `YYMM.NNNNN` (or `YYMM.NNNN`) for new-style papers and
`archive/YYMMNNN` for old-style ones; the subject class of an old-style id
(`math.GT/0309136`) is not part of the paper's identity, so it is dropped, as arXiv does.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from papertrail.errors import InvalidArxivId

# The archives that issued old-style identifiers (arXiv's own list, closed in 2007).
OLD_ARCHIVES = frozenset(
    [
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "quant-ph",
        "solv-int",
        "supr-con",
    ]
)  # fmt: skip

_NEW = r"(?P<new>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})"
_OLD = (
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)"  # hep-th
    r"(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?"  # .GT, a subject class: not part of the id
    r"/(?P<number>\d{2}(?:0[1-9]|1[0-2])\d{3})"
)
_VERSION = r"(?:v(?P<version>[1-9]\d{0,3}))?"
_ID = rf"(?:{_NEW}|{_OLD}){_VERSION}"


# Patterns are compiled on first use, not at import: most commands never parse an id.
@cache
def _full_id_re() -> re.Pattern[str]:
    return re.compile(rf"{_ID}\Z")


@cache
def _prefix_res() -> tuple[re.Pattern[str], ...]:
    """What precedes the id in a pasted URL, DOI or `arXiv:` mention, stripped in turn."""
    return (
        # Hosts and paths of arXiv pages that name a paper: abs, pdf, html, ps, format, src
        # pages on arxiv.org and its mirrors (cn., export., www., xxx.lanl.gov).
        re.compile(
            r"""^(?:https?://)?(?:[a-z0-9-]+\.)*(?:arxiv\.org|xxx\.lanl\.gov)
                /(?:abs|pdf|html|ps|format|src|e-print)/""",
            re.IGNORECASE | re.VERBOSE,
        ),
        # Sites whose paper pages are named by the arXiv id: Hugging Face's daily papers,
        # alphaXiv, Papers with Code's arXiv pages, Semantic Scholar's arXiv links.
        re.compile(
            r"""^(?:https?://)?(?:www\.)?
                (?:huggingface\.co/papers
                  |alphaxiv\.org/(?:abs|overview|pdf)
                  |ar5iv(?:\.labs\.arxiv)?\.org/(?:abs|html)
                  |paperswithcode\.com/paper/arxiv
                  |api\.semanticscholar\.org/arxiv
                  |semanticscholar\.org/arxiv)/""",
            re.IGNORECASE | re.VERBOSE,
        ),
        # The arXiv DOI.
        re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?10\.48550/arxiv\.", re.IGNORECASE),
        re.compile(r"^arxiv\s*:\s*", re.IGNORECASE),
    )


@cache
def _text_re() -> re.Pattern[str]:
    r"""For scanning free text (importers): ids inside arXiv URLs, `arXiv:` mentions and DOIs.
    No host-prefix pattern here (cn.arxiv.org still contains arxiv.org): an unanchored
    `([a-z0-9-]+\.)*` would make scanning "a.a.a.a..." quadratic."""
    return re.compile(
        r"""(?:(?:arxiv\.org|xxx\.lanl\.gov)/(?:abs|pdf|html|ps|format)/
              |arxiv\s*:\s*
              |10\.48550/arxiv\.)"""
        + rf"(?P<id>{_ID.replace('?P<', '?P<t_')})",
        re.IGNORECASE | re.VERBOSE,
    )


class ArxivId(NamedTuple):  # a NamedTuple, not a dataclass: free to create at start-up
    """A canonical arXiv id and, when the text named one, its version."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def _from_match(match: re.Match[str], prefix: str = "") -> ArxivId | None:
    groups = match.groupdict()
    version = groups[f"{prefix}version"]
    new = groups[f"{prefix}new"]
    if new:
        return ArxivId(new, int(version) if version else None)
    archive = groups[f"{prefix}archive"].lower()
    if archive not in OLD_ARCHIVES:
        return None
    return ArxivId(f"{archive}/{groups[f'{prefix}number']}", int(version) if version else None)


def _strip_url(text: str) -> str:
    """Reduce a pasted URL or prefixed id to the bare `id[vN]` part, if it has one."""
    rest = text
    for prefix in _prefix_res():
        rest = prefix.sub("", rest, count=1)
    # Query strings, fragments and junk that pasting drags along: ?utm=..., #page=2, &embed.
    rest = re.split(r"[?#&\s]", rest, maxsplit=1)[0]
    rest = rest.rstrip("/")
    if "." in rest[-5:]:
        for suffix in (".pdf", ".html", ".ps", ".gz"):
            if rest.lower().endswith(suffix):
                rest = rest[: -len(suffix)]
    return rest


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse any pasted form of an arXiv id; raise InvalidArxivId if it is none."""
    candidate = _strip_url(text.strip())
    # `arXiv:` ids are sometimes written with a capitalised subject class or archive.
    match = _full_id_re().match(candidate) or _full_id_re().match(candidate.lower())
    parsed = _from_match(match) if match else None
    if parsed is None:
        raise InvalidArxivId(text)
    return parsed


def names_paper_by_id(text: str) -> bool:
    """Whether a REF reads `text` as a paper's number, arXiv id or DOI: never a topic name
    or a citation key, which such text could not name."""
    stripped = text.strip()
    if stripped[:1].isalpha() and stripped.isascii() and stripped.isalnum():
        # Letters and digits, a letter first (most citation keys): no number, no DOI
        # (10.), no arXiv id (a dot or a slash). Exports ask it of every key.
        return False
    if stripped.isdigit() or parse_doi(stripped) is not None:
        return True
    try:
        parse_arxiv_id(stripped)
    except InvalidArxivId:
        return False
    return True


def names_arxiv_paper(text: str) -> bool:
    """Whether `text` is an arXiv id in any form (a URL of any site that names one)."""
    try:
        parse_arxiv_id(text)
    except InvalidArxivId:
        return False
    return True


def find_arxiv_ids(text: str) -> list[ArxivId]:
    """Every arXiv id named in free text (URLs, `arXiv:` mentions, DOIs), in order, once each."""
    found: dict[str, ArxivId] = {}
    for match in _text_re().finditer(text):
        parsed = _from_match(match, prefix="t_")
        if parsed is not None and parsed.id not in found:
            found[parsed.id] = parsed
    return list(found.values())


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


# -- DOIs -------------------------------------------------------------------------------------

# 10.<registrant>/<suffix>, bare or as doi:..., https://doi.org/..., dx.doi.org/...
_DOI_RE = re.compile(
    r"^(?:doi\s*:\s*|(?:https?://)?(?:dx\.)?doi\.org/)?(?P<doi>10\.\d{4,9}/\S+)$", re.IGNORECASE
)


def parse_doi(text: str) -> str | None:
    """The DOI a REF names (bare `10.1145/...`, `doi:...`, `https://doi.org/...`), or None.

    arXiv's own DOIs (10.48550/arXiv.*) are arXiv ids: parse_arxiv_id takes them.
    """
    candidate = unquote(text.strip())
    match = _DOI_RE.match(candidate)
    if match is None or not candidate.isprintable():
        return None
    doi = match["doi"].rstrip(".,;")
    if doi.lower().startswith("10.48550/arxiv."):
        return None
    return doi


# A publisher's page of a DOI: `dl.acm.org/doi/10.1145/...`, `onlinelibrary.wiley.com/doi/
# abs/10.1002/x/abstract`: the path holds the DOI, a view word may stand around it.
_DOI_PATH_RE = re.compile(
    r"^https?://[^/?#]+/(?:[^?#]*/)?doi/(?:(?:abs|full|pdf|epdf|book|fulltext)/)?"
    r"(?P<doi>10\.\d{4,9}/[^?#\s]+?)(?:/(?:abstract|full|pdf|epdf|fulltext|html))?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def doi_in_url(url: str | None) -> str | None:
    """The DOI a paper's web address names: doi.org's, or a publisher's `/doi/` page."""
    if not url:
        return None
    found = parse_doi(url)
    if found is None and (match := _DOI_PATH_RE.match(unquote(url.strip()))):
        found = parse_doi(match["doi"])
    return found


_PUBMED_RE = re.compile(
    r"(?:ncbi\.nlm\.nih\.gov/pmc/articles/|pmc\.ncbi\.nlm\.nih\.gov/articles/"
    r"|europepmc\.org/(?:abstract|article)/pmc/)(?P<pmc>pmc\d{1,9})\b"
    r"|(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/"
    r"|europepmc\.org/(?:abstract|article)/med/)(?P<pmid>\d{1,9})\b",
    re.IGNORECASE,
)


def pubmed_in_url(url: str | None) -> str | None:
    """`pmcid:PMC4726808` or `pmid:26717394`: the PubMed Central or PubMed record a web
    address shows (NCBI's pages, Europe PMC's), in the form OpenAlex looks works up by."""
    found = _PUBMED_RE.search(url or "")
    if found is None:
        return None
    return f"pmcid:{found['pmc'].upper()}" if found["pmc"] else f"pmid:{found['pmid']}"


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()<>[]")


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def bare_doi(doi: str | None) -> str | None:
    """A DOI as stored: without `https://doi.org/` or `doi:` (its case kept)."""
    if not doi:
        return None
    return _DOI_PREFIX.sub("", doi.strip()) or None


def normal_doi(doi: str | None) -> str | None:
    """A DOI as compared: DOIs are case-insensitive."""
    bare = bare_doi(doi)
    return bare.lower() if bare else None


def arxiv_from_doi(doi: str | None) -> str | None:
    """The arXiv id of an arXiv DOI (10.48550/arXiv.2301.00001), else None."""
    if not doi or "10.48550/" not in doi.lower():
        return None
    try:
        return parse_arxiv_id(doi).id
    except InvalidArxivId:
        return None


def is_web_address(url: str) -> bool:
    """http(s)://host/... exactly as written: browsers forgive stray whitespace and control
    characters that a check of the parsed scheme would not see. The one rule for a link a
    library stores, from any source (no `javascript:`, `file:`, `data:`), and opens."""
    if not url.isprintable() or " " in url:
        return False
    if not url.lower().startswith(("http://", "https://")):
        return False
    return bool(urlsplit(url).hostname)


def web_address(url: str | None) -> str | None:
    """`url` when it holds web addresses only (`is_web_address`; Zotero keeps several in
    one field, space-separated), else None."""
    parts = url.split() if url and url.isprintable() else []
    return url if parts and all(is_web_address(part) for part in parts) else None
