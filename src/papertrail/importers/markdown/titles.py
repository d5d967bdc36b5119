"""Titles, authors and years as a list writes them, cleaned of what surrounds them.

Everything here works on plain text (markdown already gone, see `inline`): what is left
around a title is list decoration (emoji, `:star:` codes, counts like `[1.2k🔥]`, quotes,
a trailing period, a venue in parentheses).
"""

from __future__ import annotations

import re
import unicodedata

from papertrail.importers.markdown.links import BARE_ID_RE, is_label, parse_id

MAX_TITLE = 500
QUOTES = "\"'“”‘’„「」『』《》"

_SHORTCODES_RE = re.compile(r"(?:\s*:[a-z0-9_+\-]{1,30}:)+\s*")
_COUNT_RE = re.compile(
    r"\[\s{0,3}[\d.,]{1,10}\s{0,3}[kKmM]?\s{0,3}(?::[a-z_]{1,20}:|[⭐🔥★☆])\s{0,3}\]"
)
_VENUE_PAREN_RE = re.compile(
    r"\s*[(（]\s*(?:[A-Z][A-Za-z]{1,9}|arXiv)[ \t'’]{0,2}\d{2}(?:\d{2})?\s*[)）]$"
)
_STRAY_MARKS_RE = re.compile(r"^[*_`~]+(?=\s)|(?<=\s)[*_`~]+$")
_STRAY_CLOSER_RE = re.compile(r"^[*•·]?[)\]）】]\s*")
_URLISH_RE = re.compile(r"(?:https?://|www\.|ftp://)", re.I)
_YEAR = r"(?:19|20)\d{2}"
_DATE_RE = re.compile(rf"\s*\[?\s*{_YEAR}(?:\s*[-/.年]\s*\d{{1,2}}){{0,2}}\s*[日月]?\]?\s*")
_NUMBER_RE = re.compile(r"[\s\d.,:/#+\-–—]*")
PAREN_YEAR_RE = re.compile(rf"[(（]\s*(?:[A-Za-z][\w .&'-]{{0,30}}?[ ,]\s*)?({_YEAR})\s*[)）]")
BARE_YEAR_RE = re.compile(rf"(?<![\w.\-:/])({_YEAR})(?![\w\-:/]|\.\d)")
YEAR_PREFIX_RE = re.compile(
    # `2017-Towards ...`; `2019-CVPR - Learning ...`, `2019-Arxiv - ChoiceNet: ...`: a venue
    # written between the year and a dash belongs to the prefix.
    rf"({_YEAR})\s{{0,3}}[-–—:：]\s{{0,3}}(?:[A-Z][\w@'’.&]{{1,19}}\s{{1,3}}[-–—]\s{{1,3}})?(?=\w)"
)
# `Automatic Library Fuzzing through API Relation Evolvement, 2025`: the year is no part of it.
_TRAIL_COMMA_YEAR_RE = re.compile(rf"\s*,\s*{_YEAR}$")
# `Title, in *arXiv* 2024`: the `in` that opens the venue; `Title, VLDB'22`, `Title, WWW'18`:
# a venue with its year after the comma (a word of capitals, or `arXiv`, then `'22` or 2022).
_TRAIL_VENUE_RE = re.compile(
    r"\s*,\s*(?:in|In|(?:[A-Z][A-Za-z&-]*[A-Z][A-Za-z&-]*|arXiv)\s?(?:['’]\d{2}|\s(?:19|20)\d{2}))$"
)
# `J. Schulman et al.`, `A. Author, B. Author and C. Author`, `Vaswani, Ashish, et al.`
_ET_AL_RE = re.compile(r"\bet\.?\s*al\b\.?", re.I)
_FILE_NAME_RE = re.compile(r"\.(?:md|json|bib|pdf|txt|html?|csv|py|ipynb|png|jpe?g|svg|zip)$", re.I)
_VENUE_YEAR_RE = re.compile(r"(?:[A-Z]{2,}[A-Za-z]*|arXiv|NeurIPS)\s*['’]?\s*(?:19|20)?\d{2}")
_VENUE_TAIL_RE = re.compile(r"[\s.,]*\b(?:arxiv|preprint|corr)\b[\s.,]*$", re.I)
_INITIALS_ONLY_RE = re.compile(r"^(?:[^\W\d_]\.?[ -]?){1,4}$")  # `P.O.`, `R.`, `J`
_INITIALS_RE = re.compile(r"(?:^|[\s.])[^\W\d_]\.?$")  # `Geoffrey E.`: ends in an initial
# Lower-case words a name may hold (`Ludwig van Beethoven`, `Jean de la Fontaine`).
_PARTICLES = frozenset({
    "van", "von", "vom", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du",
    "des", "la", "le", "ten", "ter", "zu", "bin", "ibn", "al", "y", "e",
})  # fmt: skip
# Scripts that write a name without a space between surname and given name.
_UNSPACED_SCRIPT_RE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A name: words that start with a letter (any script), no digits, not too long.
_NAME_RE = re.compile(r"^(?=[^\W\d_])[^\d\s]+(?:\s+[^\d\s]+){0,5}$")


def is_decoration(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn", "Cn", "Co") and ch not in "©®°"


_OPENERS = {"”": "“„", "’": "‘", "」": "「", "』": "『", "》": "《"}


def _closes_a_quote(text: str) -> bool:
    """Whether the quote that ends a title closes one opened in it (`Another Look at
    “Provable Security”`), not a stray mark left by the list's quoting."""
    last = text[-1]
    if last in "\"'":
        return text.count(last) % 2 == 0
    return any(opener in text for opener in _OPENERS.get(last, ""))


def finish_title(text: str | None) -> str | None:
    """A title candidate as a title, or None when nothing usable is left."""
    if not text:
        return None
    text = _COUNT_RE.sub(" ", text[: MAX_TITLE * 4])
    text = " ".join(text.split())
    for _ in range(4):
        before = text
        text = _SHORTCODES_RE.sub(" ", text).strip()
        # Markup left over (`** Title **` that did not parse), not `A*` or `Q*`.
        text = _STRAY_MARKS_RE.sub("", text)
        if text[:1] in ("*", "_") and text[0] not in text[1:]:
            text = text[1:]  # `[*Title](url)`: an emphasis never closed (`A*` keeps its star)
        text = text.strip(" \t\n-–—|:;,，；：、([（")
        text = _STRAY_CLOSER_RE.sub("", text)  # `*) Title`: a list marker, no title starts so
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        while text and is_decoration(text[-1]):
            text = text[:-1].rstrip()
        while text and is_decoration(text[0]):
            text = text[1:].lstrip()
        if len(text) > 2 and text[0] + text[-1] in ('""', "''", "“”", "‘’", "《》", "「」", "『』"):
            text = text[1:-1]
        # An opening quote without its closing one (`“Sequence to ...`) goes.
        if text and (text[0] in "“‘「『《„" or (text[0] in QUOTES and text.count(text[0]) % 2)):
            text = text[1:]
        if text and text[-1] in QUOTES and not _closes_a_quote(text):
            text = text[:-1]
        if text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
        for opener, closer in ("[]", "()", "（）"):
            if text.endswith(closer) and text.count(opener) < text.count(closer):
                text = text[:-1]
        if text == before:
            break
    text = _VENUE_PAREN_RE.sub("", text).strip()
    text = _TRAIL_COMMA_YEAR_RE.sub("", text)
    text = _TRAIL_VENUE_RE.sub("", text)[:MAX_TITLE].rstrip()
    return text if usable_title(text) else None


def usable_title(text: str) -> bool:
    """Whether a text can be a paper's title: not a label, number, date, URL, id or markup."""
    if len(text) < 3 or not any(ch.isalpha() for ch in text):
        return False
    if _NUMBER_RE.fullmatch(text) or _DATE_RE.fullmatch(text):
        return False
    if _URLISH_RE.match(text) or is_label(text) or "](" in text or "|" in text:
        return False
    if _FILE_NAME_RE.search(text):  # `notes.md`, `Library.csl.json`: a file, not a title
        return False
    if _VENUE_YEAR_RE.fullmatch(text):  # `CVPR 2023`, `NeurIPS'22`: a venue, not a title
        return False
    if BARE_ID_RE.fullmatch(text) or parse_id(text.removeprefix("arXiv:")) is not None:
        return False
    return text.lower() not in ("null", "none", "n/a", "tbd", "todo", "coming soon")


def split_year_prefix(title: str | None) -> tuple[int | None, str | None]:
    """`2017-Towards Accurate ...` -> (2017, `Towards Accurate ...`)."""
    if title:
        m = YEAR_PREFIX_RE.match(title)
        if m and len(title) - m.end() >= 8:
            return int(m.group(1)), title[m.end() :]
    return None, title


def parse_authors(text: str) -> list[str]:
    """Names from an author text (`A. Author, B. Author and C. Author et al.`), or []."""
    text = re.sub(r"[(（][^()（）]{0,120}[)）]", " ", text)  # affiliations
    text = _VENUE_TAIL_RE.sub("", text)  # `Liu et al. arXiv.`, `XLang Lab arXiv.`
    had_et_al = bool(_ET_AL_RE.search(text))
    text = _ET_AL_RE.split(text, maxsplit=1)[0]
    text = text.strip(" ,;:*")  # a full stop may end an initial: `_name_part` decides
    if not text.strip("."):
        return []
    if ";" in text:  # `Mordvintsev, Alexander; Olah, Christopher`: one person per `;`
        people = [_split_names(p) for p in text.split(";")]
        parts = [" ".join(reversed(p)) if len(p) == 2 else ", ".join(p) for p in people if p]
    else:
        parts = _surnames_first(_split_names(text), had_et_al)
    names = [" ".join(p.split()) for p in parts]
    if not names or len(names) > 100 or not all(_is_name(n) for n in names):
        return []
    return names


def _is_name(text: str) -> bool:
    """Reads like a person's or an organisation's name: no digits, at most six words, none
    of them a lower-case word other than a particle (`See also the paper` is not a name)."""
    if not _NAME_RE.match(text) or len(text) > 60:
        return False
    return all(not w[0].islower() or w in _PARTICLES or w[:2] in ("d'", "l'") for w in text.split())


def _split_names(text: str) -> list[str]:
    parts = [_name_part(p) for p in re.split(r",|;|\band\b|&|，|、", text)]
    return [p for p in parts if p]


def _surnames_first(parts: list[str], had_et_al: bool) -> list[str]:
    """`Vaswani, Ashish` is one person written surname first; so is the first name of a
    citation (`LeCun, Yann, Yoshua Bengio, and Geoffrey Hinton`), the others in plain order;
    `Pinheiro, P.O., Collobert, R.` pairs each surname with the initials after it."""
    if len(parts) < 2 or " " in parts[0] or _UNSPACED_SCRIPT_RE.search(parts[0]):
        return parts  # `张三, 李四`: names written without spaces are two people
    paired = len(parts) % 2 == 0 and all(_INITIALS_ONLY_RE.match(p) for p in parts[1::2])
    if paired and len(parts) > 2 and not any(" " in p for p in parts[::2]):
        pairs = zip(parts[::2], parts[1::2], strict=True)
        return [f"{given} {surname}" for surname, given in pairs]
    if len(parts) == 2 and (had_et_al or " " not in parts[1] or _INITIALS_RE.search(parts[1])):
        return [f"{parts[1]} {parts[0]}"]
    if len(parts) >= 3 and all(" " in p for p in parts[2:]):
        return [f"{parts[1]} {parts[0]}", *parts[2:]]
    if had_et_al and " " not in parts[1]:
        return [f"{parts[1]} {parts[0]}"]
    return parts


def _name_part(text: str) -> str:
    """A name as written between commas, without the full stop (kept after an initial)."""
    text = text.strip(" *").lstrip(".")
    return text if _INITIALS_RE.search(text) and text.endswith(".") else text.rstrip(" .")
