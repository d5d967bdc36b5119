"""`papertrail cite`: formatted references through CSL (citeproc-py) with the styles
papertrail ships (papertrail/data/csl, CC BY-SA: see the README there), and citation
commands for a manuscript (`\\cite{key}`, `[@key]`).

citeproc-py (and lxml under it) is imported only when references are formatted: ~50 ms
that no other command pays (start-up).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from papertrail.db.store import Store
from papertrail.errors import PapertrailError, UsageError
from papertrail.exporters.csl_json import item
from papertrail.model.records import Paper

STYLES_DIR = Path(__file__).resolve().parent.parent / "data" / "csl"
STYLES = {
    "apa": "apa", "ieee": "ieee", "chicago-author-date": "chicago-author-date",
    "chicago": "chicago-author-date", "mla": "modern-language-association",
    "modern-language-association": "modern-language-association", "nature": "nature",
    "harvard": "harvard-cite-them-right", "harvard-cite-them-right": "harvard-cite-them-right",
}  # fmt: skip
FORMATS = ("text", "markdown", "html")
# "[1]Y. LeCun": citeproc-py joins a numbered style's label to the entry without a space.
_LABEL = re.compile(r"^(\[\d+\]|\d+\.)(?=\S)")
_TAGS = re.compile(r"<[^>]+>")


def style_path(style: str) -> Path:
    """A shipped style by name, or a .csl file."""
    name = STYLES.get(style.lower())
    if name is not None:
        return STYLES_DIR / f"{name}.csl"
    path = Path(style).expanduser()
    if path.suffix.lower() == ".csl" and path.is_file():
        return path
    names = ", ".join(sorted(set(STYLES)))
    raise UsageError(f"no style {style!r}: use one of {names}, or a .csl file")


def csl_item(paper: Paper, *, for_html: bool = False) -> dict[str, Any]:
    """A paper as CSL-JSON, as the csl-json export writes it, with what styles print for a
    preprint (arXiv as its publisher, its identifier as its number); `for_html`: every
    text escaped (citeproc-py's HTML output writes the values as they are)."""
    found = item(paper, paper.citation_key or f"paper{paper.id}")
    if paper.arxiv_id and found.get("type") == "article" and "container-title" not in found:
        found.setdefault("publisher", "arXiv")
        found.setdefault("number", f"arXiv:{paper.arxiv_id}")
        found.pop("note", None)  # the same identifier again
    found["title"] = paper.title  # as it is (the export's is CSL rich text)
    found.pop("abstract", None)
    found.pop("citation-key", None)  # citeproc-py warns about variables it does not know
    return _escaped(found) if for_html else found


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(one) for one in value]
    if isinstance(value, dict):
        return {name: one if name in ("id", "type") else _escaped(one)
                for name, one in value.items()}  # fmt: skip
    return value


def format_references(papers: list[Paper], style: str, fmt: str) -> list[str]:
    """Each paper's reference in the style, in the style's order."""
    if fmt not in FORMATS:
        raise UsageError(f"no format {fmt!r}: use one of {', '.join(FORMATS)}")
    path = style_path(style)
    # Heavy (lxml): only here (see the module's docstring).
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = [csl_item(paper, for_html=fmt != "text") for paper in papers]  # markdown: via html
    try:
        csl = CitationStylesStyle(str(path), validate=False)
        bibliography = CitationStylesBibliography(
            csl, CiteProcJSON(items), formatter.plain if fmt == "text" else formatter.html
        )
        for one in items:
            bibliography.register(Citation([CitationItem(one["id"])]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
    except Exception as error:  # citeproc-py raises many kinds on a style it cannot do
        raise PapertrailError(f"cannot format with {path.name}: {error}") from None
    return [_finish(text, fmt) for text in rendered]


def _finish(text: str, fmt: str) -> str:
    text = _LABEL.sub(r"\1 ", " ".join(text.split()))
    if fmt == "markdown":
        text = re.sub(r"</?i>", "*", text)
        text = re.sub(r"</?b>", "**", text)
        text = html.unescape(_TAGS.sub("", text))
        text = _LABEL.sub(r"\1 ", text)
    elif fmt == "html":
        text = _LABEL.sub(r"\1 ", text)
    return text


def cite_command(keys: list[str], fmt: str) -> str:
    """`\\cite{a,b}` (LaTeX) or `[@a; @b]` (pandoc markdown)."""
    if fmt == "markdown":
        return "[" + "; ".join(f"@{key}" for key in keys) + "]"
    return "\\cite{" + ",".join(keys) + "}"


def papers_of(store: Store, paper_ids: list[int]) -> list[Paper]:
    return store.get_many(paper_ids)
