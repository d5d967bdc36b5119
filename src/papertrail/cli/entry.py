"""The process's entry point (the `papertrail` script, `python -m papertrail`).

Start-up creates tens of thousands of objects (Typer, click, the command's modules) that
live as long as the process: the cyclic collector's passes over them find nothing and
cost an everyday command several milliseconds. It is paused here, before the first
import, and `cli.app.load_command` turns it back on once the command's module is loaded,
with those objects frozen out of its sight. Tests that call the CLI in-process never come
through here, so their collector is left alone.
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    from papertrail.cli import main as run

    run()
