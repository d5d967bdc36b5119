"""Citation keys: the paper's own when it has a usable, unused one, else
`author year word` (`han2015deep`), clashes suffixed a, b, c... in constant time each.

Every paper in a library holds its key (see Store's citation keys), unique in the library,
so that a paper keeps its key from one export to the next, whatever the filters and the
order. A key made without authors (`anon...`) is provisional: it is made again once the
paper has them, unless it is in a linked bibliography (db/keys.py); a key that changes by
itself stays a REF for its paper, an alias. An export still makes sure no two of its
entries share a key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from itertools import count

from papertrail.model.ids import names_paper_by_id
from papertrail.model.records import Paper, first_stored_author

_KEY_WORD = re.compile(r"[a-z0-9]+")
_USABLE_KEY = re.compile(r"[^\s,{}()=#%\"'\\~\x00-\x1f\x7f-\x9f]+")
_STOP_WORDS = {"a", "an", "the", "on", "of", "and", "for", "to", "in", "with"}


class KeyMaker:
    """Unique keys in constant time per paper (a counter per base, not a search)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)
        self.next_suffix: dict[str, int] = {}
        # A library names the same first authors again and again: the key word of each is
        # worked out once.
        self.family_words: dict[str, str] = {}

    def key(self, paper: Paper) -> str:
        first_author = paper.authors[0] if paper.authors else ""
        return self.own(paper.citation_key) or self.made(first_author, paper.year, paper.title)

    def own(self, key: str | None) -> str | None:
        """`key`, now taken, if it is usable and free; else None."""
        if key and key not in self.taken and storable_key(key):
            self.taken.add(key)
            return key
        return None

    def made(self, first_author: str, year: int | None, title: str | None) -> str:
        """A new key from the first author, the year and the title, now taken."""
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


def usable_key(key: str) -> bool:
    """Whether BibTeX takes `key` as an entry key (no spaces, commas, braces, quotes...)."""
    # Letters and digits, as the keys made here are, need no regular expression.
    return (key.isascii() and key.isalnum()) or _USABLE_KEY.fullmatch(key) is not None


def storable_key(key: str) -> bool:
    """Whether a library may hold `key`, from any source: BibTeX takes it (`usable_key`),
    and a REF does not read it as another paper's number, arXiv id or DOI (`show 2` must
    never show the paper whose key is "2")."""
    return usable_key(key) and not names_paper_by_id(key)


def is_provisional(key: str) -> bool:
    """Whether a key was made for a paper with no authors yet (made again when it has)."""
    return key.startswith("anon")


def is_placeholder(key: str) -> bool:
    """Whether a key stands for nothing yet (`anon`, `anona`: a paper with no authors, year
    or title, an arXiv id whose metadata is pending): nobody cites it, so when it is made
    again nothing keeps or announces it."""
    return key.startswith("anon") and (key[4:] == "" or (key[4:].isascii() and key[4:].isalpha()))


def is_made(key: str, first_author: str, year: int | None, title: str | None) -> bool:
    """Whether `key` is one `KeyMaker.made` gives for these fields (suffix or not)."""
    base = KeyMaker().made(first_author, year, title)
    rest = key[len(base) :]
    return key.startswith(base) and (
        not rest or (rest.isascii() and rest.isalpha() and rest.islower())
    )


def keys_to_store(
    papers: Iterable[tuple[int, str | None, str | None, int | None, str | None]],
) -> list[tuple[str, int]]:
    """(key, id) for each paper whose key must be stored, given as (id, own key, authors
    column, year, title) in the export's order: every paper but those whose own key is
    usable and not taken before them, each with the key an export of the whole library
    gives it."""
    keys = KeyMaker()
    return [
        (keys.made(first_stored_author(authors), year, title), paper_id)
        for paper_id, own, authors, year, title in papers
        if not keys.own(own)
    ]


def free_key(
    first_author: str, year: int | None, title: str | None,
    taken_among: Callable[[list[str]], set[str]],
) -> str:  # fmt: skip
    """The key `KeyMaker.made` would give, where `taken_among(candidates)` says which of
    some candidate keys the library holds (asked 27 at a time: base, a, b... z)."""
    base = KeyMaker().made(first_author, year, title)
    for start in count(0, 27):
        candidates = [base + _letters(n) for n in range(start, start + 27)]
        taken = taken_among(candidates)
        for candidate in candidates:
            if candidate not in taken:
                return candidate
    raise AssertionError("unreachable")  # count() never ends


def _family_word(name: str) -> str:
    """The key word of an author's name: the family name (same_paper.family_name: "LeCun,
    Yann" and "Yann LeCun" give "lecun") in ASCII letters and digits, "anon" for none."""
    from papertrail.model.same_paper import family_name  # start-up of commands making no key

    return _first_word(family_name(name)) or "anon"


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
    """1 -> a, 26 -> z, 27 -> aa: suffixes for keys that clash (0 -> "")."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
