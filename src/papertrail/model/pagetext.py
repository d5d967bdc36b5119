"""Page text as papertrail stores and indexes it, from what a PDF library gives.

Pure functions on str, used by the extraction worker (normalize_page) and by the search
code (unspace_cjk for display).

- PDFium ends lines with CRLF and marks a word hyphenated across a line break with
  U+FFFE in place of the hyphen and the break ("architec\\ufffeture"): the word is joined.
- NFKC folds ligatures (U+FB01 'fi'), full-width forms and compatibility characters, so
  that "ﬁnd" is found by "find".
- Chinese and Japanese have no spaces between words, and SQLite's unicode61 tokenizer (and
  PostgreSQL's default parser) would make a whole run of ideographs one token: a search for
  a word inside it would never match. The stored text has a space between adjacent CJK
  characters (each one a token), queries get the same treatment (a CJK run becomes a
  phrase of single characters), and snippets are shown with those spaces taken out.
"""

from __future__ import annotations

import re
import unicodedata

# A page has a text layer when it holds this many non-space characters; below it (a page
# number, arXiv's stamp on a scanned paper) it is an image for search purposes.
MIN_TEXT_CHARS = 100

# Han (incl. extensions A-B and compatibility), kana, CJK punctuation/symbols are left out.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])(?=[{_CJK}])")
# Highlight markers (\x02 \x03, see db.fulltext_sqlite) may stand between a CJK
# character and the space.
_SPACE_BETWEEN_CJK = re.compile(
    f"(?:(?<=[{_CJK}])|(?<=[{_CJK}][\x02\x03])) (?=[\x02\x03]?[{_CJK}])"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
# C0/C1 controls but tab, newline and form feed; U+FFFE/U+FFFF non-characters.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\ufeff\uffff]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_page(text: str, *, max_chars: int = 200_000) -> str:
    """The stored form of one page's text (see the module's docstring); at most
    `max_chars` characters (a page of prose has 2,000-6,000)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufffe\n", "").replace("\ufffe", "").replace("\u00ad", "")
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return space_cjk(text[:max_chars])


def has_text_layer(text: str) -> bool:
    return len("".join(text.split())) >= MIN_TEXT_CHARS


def space_cjk(text: str) -> str:
    """A space between every two adjacent CJK characters."""
    return _BETWEEN_CJK.sub(" ", text)


def unspace_cjk(text: str) -> str:
    """The text as printed: spaces between two CJK characters taken out."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def has_cjk(text: str) -> bool:
    return _CJK_RUN.search(text) is not None


def cjk_runs_spaced(text: str) -> str:
    """Each run of CJK characters in `text` as single characters separated by spaces (for a
    query: FTS5 and PostgreSQL then read the run as a phrase of one-character tokens)."""
    return _CJK_RUN.sub(lambda m: " ".join(m.group()), text)
