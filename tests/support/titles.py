"""An independent check of imported titles: what no reader would accept as a paper's title.

Written apart from the importer's own rules (papertrail.importers.markdown.titles), so a
test that uses it can catch the importer's mistakes instead of repeating them.
"""

from __future__ import annotations

import re
import unicodedata

# Link labels people write next to papers; a title that is one of them is a label.
LABELS = frozenset(
    re.findall(
        r"\S+",
        """pdf paper papers arxiv abs abstract html link links url doi code github project page
        website homepage demo video slides poster blog tweet twitter thread discord slack
        youtube dataset data model weights huggingface leaderboard colab notebook bibtex
        citation here this download openreview preprint supplementary appendix star stars
        null none n/a tbd todo coming soon 论文 代码 链接 地址 本文""",
    )
)
_RESIDUE = re.compile(r"\*\*|__|\]\(|!\[|</?[a-z]+[ >/]|\|| {2}|^[\[\]()*_|#>-]|[\[(]$|\s[,;:]$")
_DATE = re.compile(r"[\[(]?(?:19|20)\d{2}(?:[-/.年]\d{1,2}){0,2}[\])]?")
_NUMBER = re.compile(r"[\d\s.,:#/+\-–—]+")
_URL = re.compile(r"(?:https?://|www\.)|\.(?:com|org|net|io)\b", re.I)
_ID = re.compile(r"(?:arxiv:\s*)?\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+/\d{7}", re.I)
_VENUE = re.compile(r"(?:[A-Z]{2,}\w*|arXiv)(?:\s*'?\s*\d{2}|\s+(?:19|20)\d{2})", re.I)
_FILE = re.compile(r"\.(?:md|json|bib|pdf|txt|html?|csv|py|png|jpe?g|svg)$", re.I)
_AUTHOR_TAIL = re.compile(r"\(\d{4}\),|\bet al\b|, [A-Z]$")


def unusable_reason(title: str | None) -> str | None:
    """Why a title is unusable, or None when it reads like a title."""
    if title is None:
        return None  # no title at all is honest (fetch fills it in), not a wrong one
    text = title.strip()
    low = text.lower().strip(" .:[]()")
    checks = [
        (len(text) < 3, "very short"),
        (not any(unicodedata.category(ch).startswith("L") for ch in text), "no letters"),
        (low in LABELS, "a link label"),
        (bool(_NUMBER.fullmatch(text)), "a number"),
        (bool(_DATE.fullmatch(text)), "a date"),
        (bool(_URL.search(text)), "a URL"),
        (bool(_ID.fullmatch(text)), "an arXiv id"),
        (bool(_RESIDUE.search(text)), "markup or row residue"),
        (bool(_AUTHOR_TAIL.search(text)), "author or year residue"),
        (bool(_FILE.search(text)), "a file name"),
        (bool(_VENUE.fullmatch(text)), "a venue"),
    ]
    return next((why for failed, why in checks if failed), None)
