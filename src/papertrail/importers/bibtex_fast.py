"""A fast path for the plain entries that make up most large .bib files.

bibtexparser's splitter walks every brace, comma and newline in Python: most of the time
of a large import. A chunk made only of plain entries (`@type{key, field = value, ...}`;
values `{...}` nesting braces at most three deep, `"..."` or a bare word; no `#`, `@`,
escaped braces or @string blocks) is read here with two regular expressions, into what
the splitter would have given. Anything else -- or any doubt -- returns None, and the
chunk goes to bibtexparser. A test checks both agree on every chunk this path takes.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Text inside braces: runs of plain characters, or a backslash and the character it
# escapes. Each alternative starts with a different character, so there is only ever one
# way to match: possessive quantifiers (`++`, `*+`) never give back what they took, which
# keeps the regular expression engine from retrying runs character by character.
_TEXT = r"(?:[^{}@\\]++|\\[^{}@])"
_BRACED = r"\{(?:" + _TEXT + r"|\{(?:" + _TEXT + r"|\{" + _TEXT + r"*+\})*+\})*+\}"
_VALUE = _BRACED + r'|"[^"{}@\\]*+"|[\w.:+-]++'
_FIELD = re.compile(r"\s*([\w.:+-]+)\s*=\s*(" + _VALUE + r")\s*(?:,|(?=\s*\}))")
_ENTRY = re.compile(r"[ \t]*@(\w+)[ \t]*\{[ \t]*([^\s,{}()=#%\"'@\\]+)[ \t]*,")
_END = re.compile(r"\s*\}")
_GAP = re.compile(r"(?:\s++|%[^\n@]*+)*+")  # whitespace and `%` comment lines between entries


class PlainEntry(NamedTuple):
    entry_type: str
    key: str
    fields: list[tuple[str, str]]  # (name as written, raw value with its delimiters)
    start_line: int  # 0-based, within the chunk


def split_plain(chunk: str) -> list[PlainEntry] | None:
    """The entries of a chunk of plain entries, or None if it holds anything else."""
    entries: list[PlainEntry] = []
    position, line = 0, 0
    while True:
        gap = _GAP.match(chunk, position)
        assert gap is not None  # _GAP matches the empty string too
        line += chunk.count("\n", position, gap.end())
        position = gap.end()
        if position == len(chunk):
            return entries
        head = _ENTRY.match(chunk, position)
        if head is None:
            return None
        fields, names = [], set()
        position = head.end()
        while (field := _FIELD.match(chunk, position)) is not None:
            if field.group(1) in names:
                return None  # a field given twice: bibtexparser reports it
            names.add(field.group(1))
            fields.append((field.group(1), field.group(2)))
            position = field.end()
        end = _END.match(chunk, position)
        if end is None:
            return None
        entries.append(PlainEntry(head.group(1).lower(), head.group(2), fields, line))
        line += chunk.count("\n", head.start(), end.end())
        position = end.end()
