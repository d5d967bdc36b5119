"""The click that Typer 0.28 vendors (`typer._click`, a private module): the only module
that names it, so that a Typer release that moves it changes this file alone. pyproject.toml
says why papertrail stays on Typer 0.28. Typer imports all three before any of papertrail's
code runs: naming them here costs nothing."""

from __future__ import annotations

from typer._click import Command
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.shell_completion import CompletionItem

__all__ = ["Command", "CompletionItem", "NoArgsIsHelpError"]
