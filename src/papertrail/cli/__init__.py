"""papertrail's command line: thin commands that parse, call the core, and render.

Commands are listed in cli/commands.py and each is loaded only when it runs.
"""

from __future__ import annotations

from papertrail.cli.app import root as app


def main() -> None:
    app(prog_name="papertrail")
