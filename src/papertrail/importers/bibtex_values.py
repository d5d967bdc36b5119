"""BibTeX field values as plain text: `#` concatenation and @string macros, LaTeX, names, dates.

bibtexparser's splitter gives each field's raw value (`{...}`, `"..."`, `2011`, `jul`,
`Smith # { and } # Jones`); the rules here turn it into what a reader would see.
bibtexparser resolves a macro only when it is a field's whole value and cannot read
BibLaTeX's `family=..., given=...` names, so those two are done here; everything else
(splitting names, their von/Jr parts, LaTeX accents) is the library's.

pylatexenc and bibtexparser's name splitter are imported only for values that
need them (LaTeX commands, names with particles): start-up and plain entries stay fast.
"""

from __future__ import annotations

import re
from functools import lru_cache

from papertrail.model.ids import bare_doi
from papertrail.model.records import CorporateName

# BibTeX's predefined month macros.
MONTHS = {
    m: str(n)
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_PIECE = re.compile(r'\s*(\{|"|[^\s#{"]+)')
_BRACES = re.compile(r"[{}]")
_LATEX = re.compile(r"[\\~$]")  # what only LaTeX can make text of
_AND = re.compile(r"(?:^|\s)and(?=\s|$)", re.IGNORECASE)
_STRAY_AND = re.compile(r"^(?:and\s+)+|(?:\s+and)+$", re.IGNORECASE)
_NAME_PART = re.compile(r"^\s*(family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)
_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d\d)(?:-(?P<day>\d\d))?)?")
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_PAGE_DASH = re.compile(r"\s*(?:-+|–|—)\s*")
_ACCENT_GROUP = re.compile(r"\{[^\s,{}]*(?:\{[^\s,{}]*\}[^\s,{}]*)*\}")
# Commands that only set the font or box of their argument (`$h^\\textup{CFF}$`,
# `\\mbox{-2}`): pylatexenc drops the arguments of those it does not know, cutting the
# title; the argument is the text, so they are unwrapped first.
_FONT_COMMAND = re.compile(
    r"\\(?:text(?:up|rm|it|bf|sf|tt|sc|sl|md|normal)?|math(?:rm|it|bf|sf|tt|cal|bb|frak)"
    r"|mbox|hbox|fbox|emph|operatorname|ensuremath|boldsymbol|bm|mathnormal)\s*(?=\{)"
)
# Escaped characters, set aside (as private-use characters) while LaTeX is decoded and
# braces dropped, then put back: pylatexenc reads `\\^{}` as an accent on nothing.
_LITERALS = {
    "\\{": "{", "\\}": "}", "\\^{}": "^", "\\~{}": "~", "\\textasciicircum{}": "^",
    "\\textasciitilde{}": "~", "\\textbackslash{}": "\\", "\\$": "$", "\\&": "&", "\\%": "%",
    "\\#": "#", "\\_": "_",
}  # fmt: skip
_PRIVATE = {literal: chr(0xE000 + n) for n, literal in enumerate(dict.fromkeys(_LITERALS.values()))}
_KEEP = {escape: _PRIVATE[literal] for escape, literal in _LITERALS.items()}
_RESTORE = {ord(private): literal for literal, private in _PRIVATE.items()}
_ESCAPED = re.compile("|".join(re.escape(e) for e in sorted(_LITERALS, key=len, reverse=True)))
_URL_MACRO = re.compile(r"^\\url\{(.*)\}$", re.DOTALL)
_URL_ESCAPE = re.compile(r"\\([_%&#$~])")


class UndefinedMacros(set[str]):
    """Names of @string macros used but never defined (reported once per file)."""


def resolve(raw: str, macros: dict[str, str], undefined: UndefinedMacros) -> str:
    """A raw field value with its delimiters removed, `#` pieces joined, macros expanded."""
    if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:
        return raw[1:-1]  # the common case, without a scan
    pieces: list[str] = []
    position = 0
    while position < len(raw):
        match = _PIECE.match(raw, position)
        if match is None:
            break
        token = match.group(1)
        if token in '{"':
            end = _closing(raw, match.end() - 1)
            pieces.append(raw[match.end() : end])
            position = end + 1
        else:
            pieces.append(_macro(token, macros, undefined))
            position = match.end()
        hash_at = raw.find("#", position)
        if hash_at < 0:
            break
        position = hash_at + 1
    return "".join(pieces)


def _closing(raw: str, start: int) -> int:
    """Where the delimiter opened at `start` (`{` or `"`) closes, braces nesting inside."""
    depth = 0
    for index in range(start + 1, len(raw)):
        char = raw[index]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and raw[start] == "{":
                return index
            depth -= 1
        elif char == '"' and raw[start] == '"' and depth == 0:
            return index
    return len(raw)


def _macro(token: str, macros: dict[str, str], undefined: UndefinedMacros) -> str:
    if token.isdigit():
        return token
    key = token.lower()
    if key in macros:
        return macros[key]
    if key in MONTHS:
        return MONTHS[key]
    undefined.add(token)
    return ""


def text(value: str | None) -> str | None:
    """A value as plain text: LaTeX accents and commands decoded, braces dropped (escaped
    characters kept: `\\{`, `\\^{}`, `\\textbackslash{}`... are the characters)."""
    if not value:
        return None
    kept = False
    if "\\" in value and _ESCAPED.search(value):
        value, kept = _ESCAPED.sub(lambda m: _KEEP[m.group()], value), True
    if _LATEX.search(value):
        value = _latex_to_text(_FONT_COMMAND.sub("", value))
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    if kept:
        value = value.translate(_RESTORE)
    return " ".join(value.split()) or None


@lru_cache(maxsize=4096)  # names and venues repeat across a bibliography
def _latex_to_text(value: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    value = _HREF.sub(r"\2", value)  # pylatexenc (2.11) fails on every `\\href{url}{text}`
    try:
        return str(LatexNodes2Text().latex_to_text(value))  # $\\alpha$ -> α
    except Exception:  # any LaTeX it trips on costs one field, not the import
        return _COMMAND.sub("", value)


# `\\href{url}{words}`: the words (one level of braces inside each argument).
_HREF = re.compile(r"\\href\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*|\\(?=[^A-Za-z])")  # `\\emph`, `\\'`: their args stay


def url(value: str | None) -> str | None:
    """A URL, DOI or identifier field: `\\url{...}` unwrapped, `\\_` unescaped, no LaTeX."""
    if not value:
        return None
    if "\\" in value or "{" in value:
        value = _URL_ESCAPE.sub(r"\1", _URL_MACRO.sub(r"\1", value.strip()))
        value = _BRACES.sub("", value)
    return "".join(value.split()) or None


def doi(value: str | None) -> str | None:
    """A DOI without its resolver prefix: `https://doi.org/10.1/x` -> `10.1/x`."""
    return bare_doi(url(value))


def names(value: str | None) -> list[str]:
    """The people (or organisations) of an `author` field, first name first."""
    if not value or not value.strip():
        return []
    if "{" in _plain_names(value):
        from bibtexparser.middlewares.names import split_multiple_persons_names

        parts = split_multiple_persons_names(value)
    else:
        parts = _AND.split(value.strip())
    # `A and  and B` (a macro that was left empty) leaves a stray `and` or an empty part.
    parts = [_STRAY_AND.sub("", part.strip()) for part in parts]
    found = [name(part) for part in parts if part and part.lower() != "others"]
    return [person for person in found if person]


def name(raw: str) -> str | None:
    """One name as BibTeX writes it (`von Last, Jr, First`, `{Org}`...), first name first."""
    raw = raw.strip().strip(",").strip()
    if raw.startswith("{") and raw.endswith("}") and _closing(raw, 0) == len(raw) - 1:
        plain = text(raw[1:-1])
        return CorporateName(plain) if plain else None
    if _NAME_PART.match(raw):
        return _biblatex_name(raw)
    outside_accents = _plain_names(raw)
    if "{" not in outside_accents and "\\" not in outside_accents and raw.count(",") <= 1:
        last, _, first = raw.partition(",")
        return text(f"{first} {last}" if first else last)
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except Exception:  # an odd name is kept as written rather than lost
        return text(raw)
    return text(parts.merge_first_name_first)


def _plain_names(value: str) -> str:
    """`value` without its accent groups (`Nov{\\'a}k`, `Dvo{\\v{r}}ak`): braces that hold no
    space and no comma cannot change where names split, nor their parts."""
    return _ACCENT_GROUP.sub("", value) if "{" in value else value


def _biblatex_name(raw: str) -> str | None:
    """`family=Verclos, given=Rémi, prefix=de, useprefix=true` -> `Rémi de Verclos`."""
    parts: dict[str, str] = {}
    for item in _split_top_level(raw, ","):
        key, _, value = item.partition("=")
        parts[key.strip().lower()] = value.strip()
    order = ("given", "prefix", "family", "suffix")
    return text(" ".join(parts[k] for k in order if parts.get(k)))


def _split_top_level(value: str, separator: str) -> list[str]:
    """Split on a separator that is not inside braces."""
    items, depth, start = [], 0, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == separator and depth == 0:
            items.append(value[start:index])
            start = index + 1
    items.append(value[start:])
    return items


def year_and_date(year: str | None, date: str | None) -> tuple[int | None, str | None]:
    """The year, and the full date (YYYY-MM-DD) when the entry gives one (BibLaTeX `date`)."""
    published = None
    found = None
    if date:
        match = _DATE.match(date.strip())
        if match:
            found = int(match.group("year"))
            if match.group("day"):
                published = match.group(0)
    if year:
        match = _YEAR.search(year)
        if match:
            found = int(match.group())
    return found, published


def pages(value: str | None) -> str | None:
    """A page range with an en dash, whichever dash the file used (`2025--2035`)."""
    plain = text(value)
    return _PAGE_DASH.sub("–", plain) if plain else None
