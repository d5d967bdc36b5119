"""Citation keys for exports: the paper's own when it has a usable, unused one, else
`author year word` (`han2015deep`), clashes suffixed a, b, c... in constant time each."""

from __future__ import annotations

import re
import unicodedata

from papertrail.records import Paper

_KEY_WORD = re.compile(r"[a-z0-9]+")
_USABLE_KEY = re.compile(r"[^\s,{}()=#%\"'\\~\x00-\x1f\x7f-\x9f]+")
_STOP_WORDS = {"a", "an", "the", "on", "of", "and", "for", "to", "in", "with"}


class KeyMaker:
    """Unique keys in constant time per paper (a counter per base, not a search)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def key(self, paper: Paper) -> str:
        own = paper.citation_key
        if own and _USABLE_KEY.fullmatch(own) and own not in self.taken:
            self.taken.add(own)
            return own
        base = _base_key(paper)
        key, suffix = base, self.next_suffix.get(base, 0)
        while key in self.taken:
            suffix += 1
            key = base + _letters(suffix)
        self.next_suffix[base] = suffix
        self.taken.add(key)
        return key


def _first_word(text: str, skip: set[str] | frozenset[str] = frozenset()) -> str:
    """The first ASCII word of a text (accents dropped, lower case) not in `skip`."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for match in _KEY_WORD.finditer(text.lower()):
        if match.group() not in skip:
            return match.group()
    return ""


def _base_key(paper: Paper) -> str:
    family = paper.authors[0].split()[-1:] if paper.authors else []
    last = _first_word(family[0]) if family else ""
    parts = [last or "anon", str(paper.year or ""), _first_word(paper.title or "", _STOP_WORDS)]
    return "".join(parts) or f"paper{paper.id}"


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: suffixes for keys that clash."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
