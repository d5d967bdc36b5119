"""The click that Typer 0.28 vendors (`typer._click`, a private module): the only module
that names it, so that a Typer release that moves it changes this file alone. pyproject.toml
says why papertrail stays on Typer 0.28. Typer imports all three before any of papertrail's
code runs: naming them here costs nothing."""

from __future__ import annotations

import typer.exceptions
from typer._click import Command
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer._click.shell_completion import CompletionItem

# What click and Typer raise to end a command on purpose: usage errors, --help, an exit
# code, Ctrl-C. Not bugs: they pass through papertrail's last-resort error line.
# (Typer 0.28: its click's exceptions are TyperExceptions; Exit and Abort are Typer's.)
CONTROL_FLOW = (typer.exceptions.TyperException, typer.exceptions.Exit, typer.exceptions.Abort)

__all__ = ["CONTROL_FLOW", "ClickUsageError", "Command", "CompletionItem", "NoArgsIsHelpError"]
