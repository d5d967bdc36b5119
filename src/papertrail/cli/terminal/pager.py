"""Long output on a terminal goes through a pager, as git's does.

The pager is `$PAPERTRAIL_PAGER`, else the `pager` setting (config.toml), else `$PAGER`,
else `less -FRX` when it is installed (-F: quit at once when the text fits one screen, so
short output simply prints; -R: keep colours; -X: leave the text on the screen). An empty
value, `cat`, `--no-pager` or `pager = false` turn paging off. Text is written to the
pager as it is produced: the first screen shows while the rest is still being rendered.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

DEFAULT = "less -FRX"


def pager_command(setting: bool | str | None = None) -> str | None:
    """The pager command to run, or None for none. `setting` is the config file's `pager`
    (False: never page; a string: the pager to use; None/True: the default)."""
    if setting is False:
        return None
    for candidate in (
        os.environ.get("PAPERTRAIL_PAGER"),
        setting if isinstance(setting, str) else None,
        os.environ.get("PAGER"),
    ):
        if candidate is not None:
            return candidate if candidate.strip() not in ("", "cat") else None
    return DEFAULT if shutil.which("less") else None


@contextmanager
def paged(command: str | None) -> Iterator[TextIO]:
    """Standard output, through `command` when there is one. Quitting the pager early ends
    the output quietly, as does Ctrl-C while it runs."""
    if command is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    env = os.environ.copy()
    env.setdefault("LESS", "FRX")  # as git does, for `PAGER=less`
    try:
        # Split like a shell's words, but run without one: `less -R`, `sed s/^/> /`.
        process = subprocess.Popen(
            shlex.split(command), stdin=subprocess.PIPE, env=env,
            text=True, encoding=sys.stdout.encoding or "utf-8", errors="replace",
        )  # fmt: skip
    except (OSError, ValueError):
        yield sys.stdout  # the pager cannot start: print directly rather than not at all
        return
    assert process.stdin is not None
    try:
        yield process.stdin  # type: ignore[misc]  # opened in text mode: a TextIO
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the reader quit the pager (q, Ctrl-C) before the end: not an error
    finally:
        with suppress(BrokenPipeError, OSError):
            process.stdin.close()
        _wait(process)


def _wait(process: subprocess.Popen[str]) -> None:
    # Ctrl-C goes to the pager too, which handles it; wait for it to finish all the same.
    while True:
        try:
            process.wait()
            return
        except KeyboardInterrupt:
            continue
