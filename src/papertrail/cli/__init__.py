"""papertrail's command line: thin commands that parse, call the core, and render.

Commands are listed in cli/commands.py and each is loaded only when it runs.
"""

from __future__ import annotations

import os
import sys

from papertrail.cli.app import root as app
from papertrail.model.text import writes_unicode


def main() -> None:
    _never_fail_to_encode()
    sys.argv = [_as_typed(arg) for arg in sys.argv]
    app(prog_name="papertrail")


def _as_typed(arg: str) -> str:
    """An argument as the user typed it: in a C locale Python decodes what is not ASCII
    into surrogates (which no database stores); the bytes are read again as UTF-8, what
    terminals send, and what is not UTF-8 becomes U+FFFD rather than a traceback."""
    if not any("\udc80" <= char <= "\udcff" for char in arg):
        return arg
    return os.fsencode(arg).decode("utf-8", errors="replace")


def _never_fail_to_encode() -> None:
    """In a C or latin-1 locale (containers, cron), what the streams cannot encode is
    written as escapes (`\\u4e2d`) instead of ending the command with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not writes_unicode(stream):
            reconfigure(errors="backslashreplace")
    if (getattr(sys.stdin, "encoding", "") or "").lower() in {"ascii", "ansi_x3.4-1968"}:
        reconfigure = getattr(sys.stdin, "reconfigure", None)  # REFs read from `-`
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
