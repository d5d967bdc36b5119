"""papertrail's command line: thin commands that parse, call the core, and render."""

from __future__ import annotations

from papertrail.cli import (  # noqa: F401 - registers the commands
    db,
    duplicates,
    edit,
    history,
    io,
    papers,
    queue,
    topics,
)
from papertrail.cli.app import app


def main() -> None:
    app(prog_name="papertrail")
