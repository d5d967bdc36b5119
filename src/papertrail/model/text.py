"""Text from outside: made safe to show (control and invisible characters made visible,
one-line values for table cells, TSV fields and messages), and folded for comparing."""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL (tab and newline are handled by `clean`/`one_line`);
# and the invisible ones that reorder or hide text: bidi overrides, embeddings, isolates
# and marks, zero-width spaces and joiners, word joiner, BOM.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)


# Control characters alone: what a text file cannot carry as it is.
_CONTROL_ONLY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Make control and invisible characters visible (`\\x1b`, `\\u202e`) so data can
    never drive the terminal or disguise itself."""
    return _CONTROL.sub(_visible, text)


def one_line(text: str | None) -> str:
    """`clean`, with tabs and newlines folded into spaces: one table cell, one TSV field."""
    if not text:
        return ""
    if text.isprintable():  # the common case, checked in C: nothing to fold or show
        return text
    return clean(" ".join(text.split()))


def clean_data(text: str) -> str:
    """`clean` for a file papertrail reads back (its markdown export): control characters
    made visible, but invisible ones (a word joiner, a zero-width space) kept as they are,
    so that the value comes back exactly. A terminal gets `clean`."""
    return _CONTROL_ONLY.sub(_visible, text)


def one_line_data(text: str | None) -> str:
    """`one_line` for a file papertrail reads back: see `clean_data`."""
    if not text:
        return ""
    if text.isprintable():
        return text
    return clean_data(" ".join(text.split()))


def fold(text: str) -> str:
    """Case and accents folded away (Unicode-aware): "Wübben" -> "wubben"."""
    if text.isascii():
        return text.casefold()
    import unicodedata  # start-up of the commands that only show text

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


ELLIPSIS = "…"


def bounded(text: str | None, limit: int) -> tuple[str | None, bool]:
    """`text` cut to at most `limit` characters (an ellipsis marks the cut), and whether it
    was cut. The cut falls on a space near the end when there is one: no halved word."""
    if text is None or len(text) <= limit:
        return text, False
    cut = text[: limit - 1]
    space = cut.rfind(" ", max(0, limit - 40))
    if space > 0:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS, True


# `scheme://user:password@`: a database URL a driver's message may quote.
_CREDENTIALS = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^:/@\s]*):[^@\s]*@")


def without_passwords(text: str) -> str:
    """`text` with the password of every URL in it replaced by `***`."""
    return _CREDENTIALS.sub(r"\g<scheme>\g<user>:***@", text)


def writes_unicode(stream: object) -> bool:
    """Whether a text stream encodes every character (UTF-8, -16, -32): JSON written to one
    that does not (a C or latin-1 locale) escapes what is not ASCII, and stays valid."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))
