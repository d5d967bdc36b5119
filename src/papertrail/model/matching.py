"""Is a search hit the paper we have? Pure functions, no network.

A hit is accepted only when it is the same paper: the titles are equal once normalised
(case, accents, punctuation and spacing aside), and neither the year nor the first
author disagrees. Search engines rank by similarity, so their top hit for "Attention is
all you need" may well be another paper: an unequal title is always rejected.

Unsure (listed for the user, never stored): one title is the other plus a subtitle; a
title of one or two words with nothing else to confirm it; several hits that pass but
disagree with each other (two works sharing a title).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from papertrail.model.works import Work

Verdict = Literal["same", "unsure", "different"]
# A preprint and its publication can be a year apart (arXiv in December, print in January).
YEAR_SLACK = 1
_NON_WORD_RE = re.compile(r"[^\w]+")
_SUBTITLE_RE = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s)\s*")


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str
    work: Work


def normalise_title(title: str) -> str:
    """Lower case, accents and punctuation removed, spacing collapsed."""
    decomposed = unicodedata.normalize("NFKD", title)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD_RE.sub(" ", bare.casefold()).replace("_", " ").split())


def main_title(title: str) -> str:
    """The normalised title without its subtitle (after a colon or a dash)."""
    return normalise_title(_SUBTITLE_RE.split(title, maxsplit=1)[0])


def family_name(name: str) -> str:
    """The part of a name two sources are likely to agree on: the last word, normalised
    ("Vaswani" in "Ashish Vaswani"; "Gomez" in "Aidan N. Gómez"; "Bengio" in "Bengio, Y.")."""
    name = name.split(",")[0] if "," in name else name
    words = normalise_title(name).split()
    return words[-1] if words else ""


def judge(
    work: Work, title: str, year: int | None = None, first_author: str | None = None
) -> Judgement:
    """Whether `work` is the paper titled `title` (with this year and first author)."""
    ours, theirs = normalise_title(title), normalise_title(work.title or "")
    if not theirs:
        return Judgement("different", "it has no title", work)
    if ours != theirs:
        if main_title(work.title or "") == ours or main_title(title) == theirs:
            return Judgement("unsure", f"the title differs by a subtitle ({work.title!r})", work)
        return Judgement("different", f"another title ({work.title!r})", work)
    if year is not None and work.year is not None and abs(year - work.year) > YEAR_SLACK:
        return Judgement("different", f"same title, but from {work.year}, not {year}", work)
    if first_author and work.authors and family_name(first_author) != family_name(work.authors[0]):
        return Judgement("different", f"same title, but first author {work.authors[0]!r}", work)
    confirmed = [what for what, known in (("year", year is not None and work.year is not None),
                 ("first author", bool(first_author and work.authors))) if known]  # fmt: skip
    if not confirmed and len(ours.split()) <= 2:
        return Judgement("unsure", "a title this short needs a year or author to confirm", work)
    agreeing = " and ".join(["title", *confirmed])
    return Judgement("same", f"{agreeing} agree", work)


def best_match(
    works: list[Work], title: str, year: int | None = None, first_author: str | None = None
) -> tuple[Judgement | None, list[Judgement]]:
    """(the accepted hit or None, every judgement). Several accepted hits that disagree
    on year or DOI make all of them unsure."""
    judgements = [judge(work, title, year, first_author) for work in works]
    same = [j for j in judgements if j.verdict == "same"]
    if not same:
        return None, judgements
    distinct = {(j.work.year, (j.work.doi or "").lower()) for j in same}
    years = {j.work.year for j in same if j.work.year is not None}
    if len(distinct) > 1 and (len(years) > 1 or _dois(same) > 1):
        unsure = [Judgement("unsure", "several works share this title", j.work) for j in same]
        return None, [j for j in judgements if j.verdict != "same"] + unsure
    return same[0], judgements


def _dois(judgements: list[Judgement]) -> int:
    return len({j.work.doi.lower() for j in judgements if j.work.doi})
