"""BibTeX export: @misc for arXiv preprints (eprint, archivePrefix, primaryClass), unique keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TextIO

from papertrail.output import one_line
from papertrail.records import Paper

_SPECIAL = re.compile(r"([&%$#_])")
_KEY_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = {"a", "an", "the", "on", "of", "and", "for", "to", "in", "with"}


def write(papers: Iterable[Paper], topic_parents: dict[str, str | None], out: TextIO) -> int:
    keys: set[str] = set()
    count = 0
    for paper in papers:
        out.write(_entry(paper, _unique(_base_key(paper), keys)))
        count += 1
    return count


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _KEY_WORD.findall(plain)


def _base_key(paper: Paper) -> str:
    last = _ascii_words(paper.authors[0].split()[-1]) if paper.authors else []
    words = [w for w in _ascii_words(paper.title or "") if w not in _STOP_WORDS]
    parts = [last[0] if last else "anon", str(paper.year or ""), words[0] if words else ""]
    return "".join(parts) or f"paper{paper.id}"


def _unique(base: str, taken: set[str]) -> str:
    key, suffix = base, 0
    while key in taken:
        suffix += 1
        key = base + _letters(suffix)
    taken.add(key)
    return key


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: suffixes for keys that clash."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def _value(text: str) -> str:
    """A field value that BibTeX reads back as the same text: braces dropped, specials escaped."""
    flat = one_line(text.replace("{", "").replace("}", ""))
    return _SPECIAL.sub(r"\\\1", flat.replace("\\", "/"))


def _entry(paper: Paper, key: str) -> str:
    fields: list[tuple[str, str]] = []
    if paper.title:
        fields.append(("title", "{" + _value(paper.title) + "}"))
    if paper.authors:
        fields.append(("author", " and ".join(_value(a) for a in paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", paper.primary_category))
    if paper.journal_ref:
        fields.append(("journal", _value(paper.journal_ref)))
    for name in ("doi", "url"):
        value = getattr(paper, name)
        if value:
            fields.append((name, one_line(value).replace("{", "%7B").replace("}", "%7D")))
    if paper.topics:
        fields.append(("keywords", ", ".join(paper.topics)))
    if paper.abstract:
        fields.append(("abstract", _value(paper.abstract)))
    kind = "article" if paper.journal_ref else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n\n"
