"""The Typer application, its global options, and the one place errors become messages."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from papertrail import __version__
from papertrail.config import Settings
from papertrail.errors import PapertrailError
from papertrail.output import one_line
from papertrail.store import Store


class PapertrailGroup(TyperGroup):
    """Turns papertrail's errors into `Error: ...` on stderr and a documented exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PapertrailError as error:
            fail(str(error), error.exit_code)
        except BrokenPipeError:
            # `papertrail list | head`: the reader left; that is not an error.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
            raise typer.Exit(0) from None


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {one_line(message)}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"Warning: {one_line(message)}", err=True)


app = typer.Typer(
    cls=PapertrailGroup,
    help="papertrail: keep your research reading lists, with arXiv metadata, in one library.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"papertrail {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or URL (sqlite:///..., postgresql+psycopg://...). "
            "Default: $PAPERTRAIL_DB, else papertrail.db in your user data directory.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """papertrail: keep your research reading lists, with arXiv metadata, in one library."""
    ctx.obj = db


def settings(ctx: typer.Context) -> Settings:
    return Settings.load(ctx.find_root().obj)


@contextmanager
def library(ctx: typer.Context) -> Iterator[Store]:
    """The open library for a command, closed when the command ends."""
    from papertrail.schema import open_store

    store = open_store(settings(ctx).db)
    # The history names each change after the command that made it ("topic rename").
    store.new_entry(" ".join(ctx.command_path.split()[1:]) or "papertrail")
    try:
        yield store
    finally:
        store.close()
