"""The whole CLI in a locale that cannot encode the library's text (a container's C locale,
a cron job's latin-1): output degrades to escapes, never a traceback; JSON stays valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from papertrail.cli.commands import COMMANDS
from tests.support.cli import ok

# Every command, as a reader would run it on the seed library (its notes are Chinese).
READS = [
    ["list"], ["list", "--json"], ["list", "--topic", "quantization"], ["show", "1"],
    ["show", "1", "--json"], ["topics"], ["topics", "--json"], ["stats"], ["stats", "--json"],
    ["log"], ["log", "--json"], ["queue"], ["next", "-n", "3"], ["next", "--json"],
    ["duplicates"], ["duplicates", "--json"], ["export"], ["export", "-f", "bibtex"],
    ["export", "-f", "csl-json"], ["export", "-f", "markdown"], ["export", "-f", "csv"],
    ["feed", "list"], ["inbox", "--no-fetch"], ["db", "status"], ["undo", "--list"],
    ["--help"], *([name, "--help"] for name in COMMANDS),
]  # fmt: skip
WRITES = [
    ["note", "1", "笔记 ünïcödé 🙂"], ["tag", "1", "量化"], ["mark-read", "1"], ["queue", "2"],
    ["edit", "2", "--title", "标题 — a title"], ["undo"],
]  # fmt: skip


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_every_command_in_a_narrow_locale(encoding: str) -> None:
    ok("import")
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0",
           "PYTHONIOENCODING": encoding}  # fmt: skip
    for args in [*WRITES, *READS]:
        result = subprocess.run(
            [sys.executable, "-m", "papertrail", *args],
            capture_output=True, timeout=120, env=env,
        )  # fmt: skip
        shown = f"{args}: {result.stderr[-600:]!r}"
        assert b"Traceback" not in result.stdout + result.stderr, shown
        assert result.returncode == 0, shown
        _decoded(result.stdout, encoding)  # what was written is whole text
        if "--json" in args or (args[:2] in (["export"], ["export", "-f"]) and "json" in args):
            json.loads(result.stdout)
    shown = subprocess.run(
        [sys.executable, "-m", "papertrail", "show", "1"],
        capture_output=True, timeout=120, env=env,
    ).stdout  # fmt: skip
    assert "\\u7b14\\u8bb0" in _decoded(shown, encoding) or "笔记" in shown.decode()


def _decoded(output: bytes, encoding: str) -> str:
    """Text in the locale's encoding; click writes UTF-8 to a stream it finds declared
    ASCII (the C locale: the terminal behind it shows UTF-8), which is whole text too."""
    try:
        return output.decode(encoding)
    except UnicodeDecodeError:
        assert encoding == "ascii"
        return output.decode("utf-8")
