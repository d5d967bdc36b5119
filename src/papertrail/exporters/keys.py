"""Citation keys for exports: the paper's own when it has a usable, unused one, else
`author year word` (`han2015deep`), clashes suffixed a, b, c... in constant time each."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from papertrail.records import Paper

_KEY_WORD = re.compile(r"[a-z0-9]+")
_USABLE_KEY = re.compile(r"[^\s,{}()=#%\"'\\~\x00-\x1f\x7f-\x9f]+")
_STOP_WORDS = {"a", "an", "the", "on", "of", "and", "for", "to", "in", "with"}


class KeyMaker:
    """Unique keys in constant time per paper (a counter per base, not a search)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        # A library names the same first authors again and again: the key word of each is
        # worked out once per export.
        self.family_words: dict[str, str] = {}

    def key(self, paper: Paper) -> str:
        first_author = paper.authors[0] if paper.authors else ""
        return self.key_for(paper.citation_key, first_author, paper.year, paper.title)

    def key_for(
        self, own: str | None, first_author: str, year: int | None, title: str | None
    ) -> str:
        """`key` from the fields it reads, for exporters that work on rows, not Papers."""
        if own and _USABLE_KEY.fullmatch(own) and own not in self.taken:
            self.taken.add(own)
            return own
        family = self.family_words.get(first_author)
        if family is None:
            family = self.family_words[first_author] = _family_word(first_author)
        key = base = f"{family}{year or ''}{_first_word(title, _STOP_WORDS) if title else ''}"
        if key in self.taken:
            suffix = self.next_suffix.get(base, 0)
            while key in self.taken:
                suffix += 1
                key = base + _letters(suffix)
            self.next_suffix[base] = suffix
        self.taken.add(key)
        return key


def _family_word(name: str) -> str:
    """The key word of an author's name: the first word of the last part ("anon" for none)."""
    family = name.rsplit(None, 1)[-1:]
    return (_first_word(family[0]) if family else "") or "anon"


def _first_word(text: str, skip: set[str] | frozenset[str] = frozenset()) -> str:
    """The first ASCII word of a text (accents dropped, lower case) not in `skip`."""
    if text.isascii():
        # The common case, without the regular expression (a key per paper adds up on
        # large exports): a word of ASCII letters and digits only is one match of
        # _KEY_WORD; any other word sends the text the long way.
        for word in text.split():
            if not word.isalnum():
                return _first_match(text, skip)
            word = word.lower()
            if word not in skip:
                return word
        return ""
    return _first_match(text, skip)


def _first_match(text: str, skip: set[str] | frozenset[str]) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for match in _KEY_WORD.finditer(text.lower()):
        if match.group() not in skip:
            return match.group()
    return ""


@cache  # the same few suffixes again and again
def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: suffixes for keys that clash."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
