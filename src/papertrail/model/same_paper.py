"""Whether two descriptions are one paper: the one place papertrail decides it.

Importing a list (a record against the library and the rest of the file), completing a
paper from a service's search hits (`fetch`), finding where a preprint was published,
`add --title`, and `duplicates` all ask here, with the same rules:

- titles are compared once normalised (`normal_title`: case, accents, punctuation and
  spacing aside; words of any script kept);
- people by their first author's family name (`family_name`: "Bengio, Y.", "Yoshua
  Bengio", "Bengio Y" and "Y. Bengio Jr." are all "bengio"; an organisation is its name);
- years by `years_agree`, with a year of slack where a preprint may meet its published
  version (arXiv in December, the journal in January);
- the same arXiv id is the same paper, whatever else; a DOI, title, year or author that
  both sides know and that differs tells two papers apart; a DOI shared by two records
  whose titles disagree (sources do carry wrong DOIs) does not make them one paper;
- a paper known by nothing but its address (a PDF or a publisher's page, no title or id
  yet) is the paper at that address (`normal_url`: scheme, `www.`, case of the host and a
  trailing `/` or `#part` aside);
- a number in a title is never a typo: "GPT-5" and "GPT-5.2", "Qwen2.5" and "Qwen3" are
  different works, however alike their titles.

Plain functions on plain values: no I/O, so the rules are tested apart from what uses them.
Every command that reads or writes a paper imports this module, so it costs next to
nothing at start-up: no dataclass to compile, and difflib is imported only by the
comparison of near-identical titles (`duplicates`), as is array.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Literal, NamedTuple

from papertrail.model.ids import arxiv_from_doi, normal_doi
from papertrail.model.records import CorporateName, PaperRecord
from papertrail.model.text import fold

if TYPE_CHECKING:
    from array import array

    from papertrail.model.works import Work

# -- the rules -------------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W_]+")
_NUMBERS = re.compile(r"\d+")
_SUBTITLE = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s)\s*")
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")
# A preprint and its publication can be a year apart (arXiv in December, print in January).
YEAR_SLACK = 1
# SequenceMatcher ratio from which two normalised titles are one title with a typo: one
# character in 20 (0.95 for a substitution, 0.976 for an insertion) passes.
NEAR = 0.92


def normal_title(title: str | None) -> str:
    """`Über die  Quantisierung!` -> `uber die quantisierung`: words of any script only."""
    if not title:
        return ""
    return " ".join(_WORDS.findall(fold(title)))


def main_title(title: str) -> str:
    """The normalised title without its subtitle (after a colon or a dash)."""
    return normal_title(_SUBTITLE.split(title, maxsplit=1)[0])


def normal_url(url: str) -> str:
    """`HTTPS://www.Site.org/a/#x` -> `site.org/a`: one address however it is written (a
    `#/route` or `#!/route` of a single-page site is part of it)."""
    url = re.sub(r"^[a-z][a-z0-9+.-]{0,20}://", "", url.strip(), flags=re.I)
    url, _, fragment = url.partition("#")
    if fragment[:1] in ("/", "!"):
        url = f"{url}#{fragment}"
    host, _, rest = url.partition("/")
    return (host.lower().removeprefix("www.") + "/" + rest).rstrip("/")


def family_name(name: str | None) -> str:
    """The part of a person's name that two sources agree on, normalised ("" for none).

    "Bengio, Y." and "Yoshua Bengio" give "bengio"; so do "Bengio Y" (initials after the
    name) and "Y. Bengio Jr."; "LeCun, Yann" gives "lecun", "Smith-Jones" "smithjones".
    An organisation (a CorporateName, or stored braced as `{WHO}`) is its whole name.
    """
    if not name:
        return ""
    if isinstance(name, CorporateName) or (name.startswith("{") and name.endswith("}")):
        return normal_title(name.strip("{}"))
    family, _, rest = name.partition(",")
    if not rest or _is_suffix(rest):
        family = name.split(",")[0] if rest else name
    tokens = [t for t in family.split() if not _is_suffix(t)]
    if len(tokens) > 1 and _INITIALS.match(tokens[-1]) and not _INITIALS.match(tokens[0]):
        tokens = tokens[:1]  # "Bengio Y", as PubMed and some bibliographies write names
    return "".join(_WORDS.findall(fold(tokens[-1]))) if tokens else ""


def _is_suffix(text: str) -> bool:
    return text.strip().rstrip(".").casefold() in _NAME_SUFFIXES


def first_family(authors: Iterable[str]) -> str | None:
    """The first author's family name, or None when there is no author."""
    for name in authors:
        return family_name(name) or None
    return None


def years_agree(a: int | None, b: int | None, slack: int = 0) -> bool:
    """Years at most `slack` apart, or one of them unknown."""
    return a is None or b is None or abs(a - b) <= slack


def numbers_agree(a: str, b: str) -> bool:
    """Two titles name the same numbers (versions, years, sizes) in the same order."""
    return _NUMBERS.findall(a) == _NUMBERS.findall(b)


def _differ(a: object, b: object) -> bool:
    return a is not None and b is not None and a != b


# -- one paper as matching sees it ------------------------------------------------------------


class Known:
    """What matching needs of one paper. `ref` is a paper id, or a record not yet stored."""

    __slots__ = ("address", "arxiv_id", "doi", "family", "ref", "title", "year")

    def __init__(
        self,
        ref: int | PaperRecord | None,
        arxiv_id: str | None,
        doi: str | None,
        year: int | None,
        family: str | None,
        title: str,  # normalised
        address: str | None = None,  # normalised; see `describe` and `add_address`
    ) -> None:
        self.ref, self.arxiv_id, self.doi = ref, arxiv_id, doi
        self.year, self.family, self.title = year, family, title
        self.address = address

    def __repr__(self) -> str:
        return (
            f"Known({self.ref!r}, {self.arxiv_id!r}, {self.doi!r}, {self.year!r}, "
            f"{self.family!r}, {self.title!r})"
        )

    def agrees(self, other: Known) -> bool:
        """Nothing that both know tells them apart."""
        return not (
            _differ(self.arxiv_id, other.arxiv_id)
            or _differ(self.doi, other.doi)
            or _differ(self.family, other.family)
            or not years_agree(self.year, other.year)
        )


def describe(record: PaperRecord, ref: int | PaperRecord | None = None) -> Known:
    """What matching needs of a record."""
    paper = known(
        ref, record.arxiv_id, record.doi, record.title, record.year, first_family(record.authors)
    )
    if record.url and not (paper.arxiv_id or paper.doi):
        paper.address = normal_url(record.url)
    return paper


def known(
    ref: int | PaperRecord | None,
    arxiv_id: str | None,
    doi: str | None,
    title: str | None,
    year: int | None,
    family: str | None,
) -> Known:
    """A Known from its parts (`family`: already a family name)."""
    arxiv_id = arxiv_id or arxiv_from_doi(doi)
    normal = normal_doi(doi)
    if normal and arxiv_from_doi(normal):
        normal = None  # an arXiv DOI is the arXiv id, compared as such
    return Known(ref, arxiv_id, normal, year, family, normal_title(title))


# -- importing: a file's records against the library ------------------------------------------


class PaperIndex:
    """Papers by arXiv id, DOI and normalised title: a file of 100,000 entries is matched
    without a query per entry."""

    def __init__(self) -> None:
        self.by_arxiv: dict[str, Known] = {}
        self.by_doi: dict[str, Known] = {}
        self.by_title: dict[str, list[Known]] = {}
        self.by_address: dict[str, Known] = {}

    def find(self, probe: Known) -> Known | None:
        """The paper a record (as `describe` gives it) is, if the index has it."""
        if probe.arxiv_id and probe.arxiv_id in self.by_arxiv:
            return self.by_arxiv[probe.arxiv_id]  # one arXiv id, one paper, whatever else
        same_doi = self.by_doi.get(probe.doi) if probe.doi else None
        if (
            same_doi is not None
            and not _differ(same_doi.arxiv_id, probe.arxiv_id)
            and not titles_disagree(same_doi.title, probe.title)
        ):
            return same_doi
        for candidate in self.by_title.get(probe.title, ()):
            if candidate.agrees(probe):
                return candidate
        # The paper at the same address, when nothing tells them apart and one of the two
        # has no title yet (two titles on one address are two papers: a list's slip).
        same = self.by_address.get(probe.address) if probe.address else None
        if same is not None and same.agrees(probe) and not (same.title and probe.title):
            return same
        return None

    def doi_conflict(self, probe: Known) -> Known | None:
        """The paper that has the probe's DOI under another title (`find` kept them apart)."""
        same_doi = self.by_doi.get(probe.doi) if probe.doi else None
        if same_doi is not None and titles_disagree(same_doi.title, probe.title):
            return same_doi
        return None

    def add(self, paper: Known, *, only_arxiv: bool = False) -> Known:
        """Index a paper; `only_arxiv`: by its arXiv id alone (see ParsedList.distinct)."""
        if paper.arxiv_id:
            self.by_arxiv.setdefault(paper.arxiv_id, paper)
        if only_arxiv:
            return paper
        if paper.doi:
            self.by_doi.setdefault(paper.doi, paper)
        if paper.title:
            same = self.by_title.setdefault(paper.title, [])
            if not any(k is paper for k in same):
                same.append(paper)
        if paper.address:
            self.by_address.setdefault(paper.address, paper)
        return paper

    def add_address(self, paper: Known, url: str) -> None:
        """Index a stored paper by its address too (see `find`)."""
        paper.address = normal_url(url)
        self.by_address.setdefault(paper.address, paper)

    def learn(self, paper: Known, probe: Known) -> None:
        """A merge filled what `paper` lacked: index it by its new ids and title too."""
        for name in ("arxiv_id", "doi", "year", "family"):
            if getattr(paper, name) is None:
                setattr(paper, name, getattr(probe, name))
        self.add(paper)
        if probe.title and probe.title != paper.title:
            self.by_title.setdefault(probe.title, []).append(paper)
        paper.title = paper.title or probe.title  # titled now: no other title joins it


# -- a service's search hits: is this hit the paper we have? ---------------------------------

Verdict = Literal["same", "unsure", "different"]


class Judgement(NamedTuple):
    verdict: Verdict
    reason: str
    work: Work


def judge(
    work: Work, title: str, year: int | None = None, first_author: str | None = None
) -> Judgement:
    """Whether `work` is the paper titled `title` (with this year and first author).

    Search engines rank by similarity, so their top hit for "Attention is all you need"
    may well be another paper: an unequal title is always rejected. Unsure (listed for the
    user, never stored): one title is the other plus a subtitle; a title of one or two
    words with nothing else to confirm it.
    """
    ours, theirs = normal_title(title), normal_title(work.title)
    if not theirs:
        return Judgement("different", "it has no title", work)
    if ours != theirs:
        if main_title(work.title or "") == ours or main_title(title) == theirs:
            return Judgement("unsure", f"the title differs by a subtitle ({work.title!r})", work)
        return Judgement("different", f"another title ({work.title!r})", work)
    if not years_agree(year, work.year, YEAR_SLACK):
        return Judgement("different", f"same title, but from {work.year}, not {year}", work)
    ours_family, theirs_family = family_name(first_author), first_family(work.authors)
    if ours_family and theirs_family and ours_family != theirs_family:
        return Judgement("different", f"same title, but first author {work.authors[0]!r}", work)
    confirmed = [what for what, both in (("year", year is not None and work.year is not None),
                 ("first author", bool(first_author and work.authors))) if both]  # fmt: skip
    if not confirmed and len(ours.split()) <= 2:
        return Judgement("unsure", "a title this short needs a year or author to confirm", work)
    return Judgement("same", f"{' and '.join(['title', *confirmed])} agree", work)


def best_match(
    works: list[Work], title: str, year: int | None = None, first_author: str | None = None
) -> tuple[Judgement | None, list[Judgement]]:
    """(the accepted hit or None, every judgement). Several accepted hits that disagree
    on year or DOI (two works sharing a title) make all of them unsure."""
    judgements = [judge(work, title, year, first_author) for work in works]
    same = [j for j in judgements if j.verdict == "same"]
    if not same:
        return None, judgements
    distinct = {(j.work.year, (j.work.doi or "").lower()) for j in same}
    years = {j.work.year for j in same if j.work.year is not None}
    dois = {j.work.doi.lower() for j in same if j.work.doi}
    if len(distinct) > 1 and (len(years) > 1 or len(dois) > 1):
        unsure = [Judgement("unsure", "several works share this title", j.work) for j in same]
        return None, [j for j in judgements if j.verdict != "same"] + unsure
    return same[0], judgements


# -- duplicates in a library ------------------------------------------------------------------


def duplicate_reason(a: Known, b: Known) -> str | None:
    """Why two papers of one library look like one paper, or None.

    The same DOI; an arXiv preprint and its published version (one title, a year apart at
    most); one title, or titles a typo apart, with the same year and first author. Two
    arXiv records are two papers, whatever their titles.
    """
    if a.doi and a.doi == b.doi:
        return f"same DOI {a.doi}"
    if not a.title or not b.title or not _same_title(a.title, b.title):
        return None
    if _differ(a.family, b.family):
        return None
    if (a.arxiv_id is None) != (b.arxiv_id is None):
        return "preprint and published version" if years_agree(a.year, b.year, 1) else None
    if a.arxiv_id and b.arxiv_id:
        return None
    if not years_agree(a.year, b.year):
        return None
    return "same title" if a.title == b.title else "near-identical titles"


def titles_disagree(a: str, b: str) -> bool:
    """Two normalised titles, both known, that cannot be one work's: not equal, neither the
    other with a subtitle (or a subtitle less), and more than a typo apart."""
    if not a or not b or a == b or a.startswith(b + " ") or b.startswith(a + " "):
        return False
    return not _same_title(a, b)


def _same_title(a: str, b: str) -> bool:
    if a == b:
        return True
    from difflib import SequenceMatcher  # only `duplicates` compares near-identical titles

    return numbers_agree(a, b) and SequenceMatcher(None, a, b).ratio() >= NEAR


def likely_duplicates(papers: Sequence[Known]) -> list[tuple[Known, Known, str]]:
    """The pairs of `papers` that `duplicate_reason` gives a reason for, in the order of
    their position in `papers`; each pair once."""
    pairs: set[tuple[int, int]] = set()
    by_doi: dict[str, list[int]] = {}
    for index, paper in enumerate(papers):
        if paper.doi:
            by_doi.setdefault(paper.doi, []).append(index)
    for group in by_doi.values():
        pairs.update((a, b) for i, a in enumerate(group) for b in group[i + 1 :])
    pairs.update(title_candidates([paper.title for paper in papers]))
    found = []
    for a, b in sorted(pairs):
        reason = duplicate_reason(papers[a], papers[b])
        if reason:
            found.append((papers[a], papers[b], reason))
    return found


def title_candidates(titles: Sequence[str]) -> set[tuple[int, int]]:
    """Pairs of positions of (normalised) titles that may be one title with a typo.

    Two titles one edit apart share all their words but one, or, when the edit touches a
    space, all but one word of one and two neighbouring words of the other. So each title
    is filed under its words with one word, and with two neighbouring words, left out; two
    titles filed together are candidates when what they left out is itself one edit apart.
    A typo is found anywhere in a title (its start, its middle, its end), and the work
    grows with the library, not with its square: keys are hashes in arrays, and only the
    keys two titles share (found by sorting plain integers) are looked at again.
    """
    from array import array  # only `duplicates` files titles

    hashes: array[int] = array("q")
    owners: array[int] = array("q")
    codes: array[int] = array("q")  # what was left out: start * 2 + width - 1; -1: nothing
    for owner, title in enumerate(titles):
        for key, code in _blocking_keys(title.split()):
            hashes.append(key)
            owners.append(owner)
            codes.append(code)
    ordered = sorted(hashes)
    shared = {a for a, b in pairwise(ordered) if a == b}
    del ordered
    blocks: dict[int, list[tuple[int, int]]] = {}
    for key, owner, code in zip(hashes, owners, codes, strict=True):
        if key in shared:
            blocks.setdefault(key, []).append((owner, code))
    pairs: set[tuple[int, int]] = set()
    for block in blocks.values():
        members = [(owner, _left_out(titles[owner], code)) for owner, code in block]
        pairs.update(_close_members(members))
    return pairs


def _blocking_keys(words: list[str]) -> Iterator[tuple[int, int]]:
    """(hash of the words kept, with their places; code of what was left out) for the
    whole title and for each word, and each two neighbouring words, left out. Hashes are
    chained word by word, so each key costs the same whatever the title's length."""
    count = len(words)
    before = [0] * (count + 1)
    for i, word in enumerate(words):
        before[i + 1] = hash((before[i], word))
    after = [0] * (count + 1)
    for i in range(count - 1, -1, -1):
        after[i] = hash((words[i], after[i + 1]))
    yield hash(("=", before[count])), -1
    for first in range(count):
        for width in (1, 2):
            last = first + width
            if last <= count and (first > 0 or last < count):  # some words are kept
                yield hash((before[first], after[last])), first * 2 + width - 1


def _left_out(title: str, code: int) -> str:
    if code < 0:
        return ""
    first, width = divmod(code, 2)
    return "".join(title.split()[first : first + width + 1])


_SMALL_BLOCK = 24


def _close_members(members: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """The pairs of a block whose left-out words are at most one edit apart and name the
    same numbers (a number is never a typo: "GPT-4", "GPT-5"), so titles that differ only
    in a number ("Part 12", "Part 13") are never compared."""
    by_numbers: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for member in members:
        by_numbers.setdefault(tuple(_NUMBERS.findall(member[1])), []).append(member)
    for same_numbers in by_numbers.values():
        yield from _one_edit_pairs(same_numbers)


def _one_edit_pairs(members: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """The pairs of a block whose left-out words are at most one edit apart. Two strings
    one edit apart share a string with one character deleted (or one is the other), so
    members meet under those instead of each meeting every other: a block of titles that
    differ only in a number ("... 12 ...", "... 13 ...") costs its size, not its square."""
    if len(members) <= _SMALL_BLOCK:  # the common case: a few titles, compared pairwise
        for index, (a, left_a) in enumerate(members):
            for b, left_b in members[index + 1 :]:
                if a != b and _one_edit_apart(left_a, left_b):
                    yield (a, b) if a < b else (b, a)
        return
    meeting: dict[str, list[int]] = {}
    for position, (_, left_out) in enumerate(members):
        shorter = {left_out[:i] + left_out[i + 1 :] for i in range(len(left_out))}
        for variant in shorter | {left_out}:
            meeting.setdefault(variant, []).append(position)
    for positions in meeting.values():
        for index, first in enumerate(positions):
            a, left_a = members[first]
            for second in positions[index + 1 :]:
                b, left_b = members[second]
                if a != b and _one_edit_apart(left_a, left_b):
                    yield (a, b) if a < b else (b, a)


def _one_edit_apart(a: str, b: str) -> bool:
    """At most one character inserted, deleted or replaced turns `a` into `b`."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]
