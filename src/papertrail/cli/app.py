"""The root of papertrail's command line: global options, commands loaded on demand, and
the one place errors become messages.

What a command needs beyond parsing (settings, the pager, the database, text
cleaning) is imported inside the functions that give it: `--help` and `--version` start
without them (start-up).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TextIO

import typer
import typer.main
from typer.core import TyperGroup

from papertrail import __version__
from papertrail.cli.click import CONTROL_FLOW, Command, CompletionItem, NoArgsIsHelpError
from papertrail.cli.commands import COMMANDS
from papertrail.errors import PaperNotFound, PapertrailError

if TYPE_CHECKING:  # imported by the commands that use them, not for `--help`
    from papertrail.config import Settings
    from papertrail.db.store import Store
    from papertrail.services.config import ServiceSettings


class LazyCommands(Mapping[str, Any]):
    """The root's sub-commands: names from the COMMANDS table, each command built (and its
    module imported) only when looked up, so a command run loads its own module alone."""

    def __init__(self) -> None:
        self._loaded: dict[str, Any] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            self._loaded[name] = load_command(name)
        return self._loaded[name]


def load_command(name: str) -> Any:
    """Import the module COMMANDS names for `name` and build that one click command."""
    module = importlib.import_module(f"papertrail.cli.{COMMANDS[name][0]}")
    if not gc.isenabled():  # paused for start-up by cli/entry.py: see there
        gc.freeze()
        gc.enable()
    commands: typer.Typer = module.app
    for info in commands.registered_commands:
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=None
            )
    for group in commands.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group, pretty_exceptions_short=True, rich_markup_mode=None, suggest_commands=True
            )
    raise LookupError(f"papertrail.cli.{COMMANDS[name][0]} defines no command {name!r}")


class PapertrailGroup(TyperGroup):
    """The root command: sub-commands loaded on demand; papertrail's errors become
    `Error: ...` on stderr and a documented exit code; no command at all shows the help."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = LazyCommands()  # type: ignore[assignment]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # From the table: listing the commands imports none of them, and wraps (never cuts)
        # their help.
        with formatter.section("Commands"):
            formatter.write_dl([
                (name, help)
                for name, (_, help) in COMMANDS.items()
                if not help.startswith("Deprecated")  # old spellings work, unlisted
            ])  # fmt: skip

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        # Names and help from the table, options as any command has them.
        names = [
            CompletionItem(name, help=help)
            for name, (_, help) in COMMANDS.items()
            if name.startswith(incomplete)
        ]
        return names + Command.shell_complete(self, ctx, incomplete)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            show_help(ctx)
        return super().parse_args(ctx, _db_first(_global_first(args, "--no-pager")))

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # here, not at exit: a write error is still ours to report
            return result
        except NoArgsIsHelpError as bare:
            show_help(bare.ctx)  # a bare sub-group (`papertrail db`), like bare `papertrail`
        except PapertrailError as error:
            for problem in getattr(error, "problems", [])[:-1]:  # the settings: one line each
                typer.echo(f"Error: {problem}", err=True)
            fail(_with_hint(str(error), error, ctx.invoked_subcommand), error.exit_code)
        except BrokenPipeError:
            # `papertrail list | head`: the reader left; that is not an error.
            _discard_stdout()
            raise typer.Exit(0) from None
        except OSError as error:  # stdout on a full disk (/dev/full), an I/O error...
            _discard_stdout()
            fail(f"cannot write the output: {error.strerror or error}")
        except CONTROL_FLOW:
            raise  # usage errors, --help, exit codes, Ctrl-C: click reports them
        except Exception as error:
            # A bug: one line that says so, not a traceback. Writes are transactions, so
            # the step it broke left nothing half-written. PAPERTRAIL_DEBUG=1 shows where.
            if os.environ.get("PAPERTRAIL_DEBUG"):
                raise
            fail(
                f"internal error, please report it ({type(error).__name__}: {error}); "
                "PAPERTRAIL_DEBUG=1 shows where it happened"
            )


# Words typed as a sub-command where a command takes papers (`queue add REF`): such a
# word reads as a citation key, so "no paper 'add'" alone would puzzle.
_VERBS = frozenset({"add", "list", "ls", "show", "remove", "rm", "delete", "move", "new"})


def _with_hint(message: str, error: PapertrailError, command: str | None) -> str:
    ref = getattr(error, "ref", None)
    if not isinstance(error, PaperNotFound) or ref not in _VERBS or command is None:
        return message
    return f"{message} ({command} takes papers, not {ref!r}: see `papertrail {command} -h`)"


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not fail (and print) again."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (tests capturing output)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _global_first(args: list[str], flag: str) -> list[str]:
    """`papertrail list --no-pager` as `papertrail --no-pager list`: a global flag is often
    typed after the command (up to a `--`, after which everything is an argument)."""
    end = args.index("--") if "--" in args else len(args)
    if flag not in args[:end]:
        return args
    return [flag, *(arg for arg in args[:end] if arg != flag), *args[end:]]


def _db_first(args: list[str]) -> list[str]:
    """`papertrail list --db lab.db` as `papertrail --db lab.db list`: --db (with its value)
    works on either side of the command (up to a `--`)."""
    end = args.index("--") if "--" in args else len(args)
    for index, arg in enumerate(args[:end]):
        if index == 0:
            continue  # before the command already
        if arg == "--db" and index + 1 < end:
            rest = args[:index] + args[index + 2 :]
            return ["--db", args[index + 1], *rest]
        if arg.startswith("--db="):
            return [arg, *args[:index], *args[index + 1 :]]
    return args


def show_help(ctx: Any) -> None:
    """Print the help of ctx's command on stdout and end with success."""
    typer.echo(ctx.get_help())
    raise typer.Exit(0)


def fail(message: str, code: int = 1) -> None:
    from papertrail.model.text import one_line

    typer.echo(f"Error: {one_line(message)}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    from papertrail.model.text import one_line

    typer.echo(f"Warning: {one_line(message)}", err=True)


def deprecated(old: str, new: str) -> None:
    """The one-line note an old spelling prints (it keeps working for a release)."""
    typer.echo(f"Deprecated: `{old}` is now `{new}`; the old spelling goes in a later release.",
               err=True)  # fmt: skip


def examples(*lines: str) -> str:
    """A command's --help epilog: example invocations, shown as written (not re-wrapped)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


root = typer.Typer(
    name="papertrail",
    cls=PapertrailGroup,
    help="papertrail: keep your research reading lists, with arXiv metadata, in one library.",
    epilog="Run `papertrail COMMAND --help` for a command's options and examples.\n\n"
    + examples(
        "papertrail add 1510.00149 -t quantization",
        "papertrail list --topic quantization --status unread",
        "papertrail mark-read 1510.00149",
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class GlobalOptions(NamedTuple):
    db: str | None = None
    no_pager: bool = False
    reader: str | None = None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"papertrail {__version__}")
        raise typer.Exit()


@root.callback()
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
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Print long output directly, never through a pager."),
    ] = False,
    reader: Annotated[
        str | None,
        typer.Option(
            "--reader",
            help="Who reads, in a library a lab shares (before the command). Default: "
            "$PAPERTRAIL_READER, else the `reader` setting, else your login name.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """papertrail: keep your research reading lists, with arXiv metadata, in one library."""
    from papertrail.config import set_reader_option  # start-up: --help imports no settings

    if reader is not None and not reader.strip():
        raise typer.BadParameter("the reader's name is empty", param_hint="--reader")
    set_reader_option(reader)  # for this command alone (the db layer resolves the reader)
    ctx.obj = GlobalOptions(db, no_pager, reader)


def _globals(ctx: typer.Context) -> GlobalOptions:
    found = ctx.find_root().obj
    return found if isinstance(found, GlobalOptions) else GlobalOptions()


def service_settings(config: Settings) -> ServiceSettings:
    """Where Crossref, DBLP, OpenAlex and Semantic Scholar are, and how to ask them."""
    from papertrail.services.config import ServiceSettings

    return ServiceSettings.load(config.offline)


def settings(ctx: typer.Context) -> Settings:
    from papertrail.config import Settings, check_settings

    check_settings()  # a settings file with problems is refused by every command that reads it
    return Settings.load(_globals(ctx).db)


@contextmanager
def paged_output(ctx: typer.Context) -> Iterator[TextIO]:
    """Where long output goes: on a terminal, the pager (unless --no-pager or the setting
    `pager = false`); otherwise standard output as it is."""
    # A pager needs a real terminal (not just PAPERTRAIL_TERMINAL=1) to show anything on.
    if _globals(ctx).no_pager or not sys.stdout.isatty():
        yield sys.stdout
        return
    from papertrail.cli.terminal.pager import paged, pager_command
    from papertrail.config import pager_setting

    with paged(pager_command(pager_setting())) as out:
        yield out


@contextmanager
def library(ctx: typer.Context, *, create: bool = False, dry_run: bool = False) -> Iterator[Store]:
    """The open library for a command, closed when the command ends.

    Only commands that add papers (`create=True`) create a library that does not exist:
    a typo in `--db` must not leave an empty library behind and show zeros. A dry run
    gets a library it may write to without a trace (its transaction is never committed,
    and a missing or older library is a scratch copy).
    """
    from papertrail.core.linked import follow_links
    from papertrail.db.opening import dry_run_store, open_store

    with ExitStack() as stack:
        if dry_run:
            store = stack.enter_context(dry_run_store(settings(ctx).db))
        else:
            store = open_store(settings(ctx).db, create=create)
            stack.callback(store.close)
            # Linked bibliographies follow every change, right after it commits
            # (core/bib.py); a dry run commits nothing.
            follow_links(store)
        # The history names each change after the command that made it ("topic rename").
        store.new_entry(" ".join(ctx.command_path.split()[1:]) or "papertrail")
        try:
            yield store
        finally:
            for notice in store.notices:
                warn(notice)
            _announce_key_changes(store.key_changes)


def _announce_key_changes(changes: list[tuple[str, str]]) -> None:
    """Citation keys that changed by themselves: a manuscript may cite the old ones."""
    from papertrail.model.text import one_line

    for old, new in changes[:3]:
        typer.echo(f"Note: the key {one_line(old)} is now {one_line(new)}; "
                   f"{one_line(old)} still names the paper", err=True)  # fmt: skip
    if len(changes) > 3:
        typer.echo(f"Note: and {len(changes) - 3} more keys changed; each old key still "
                   "names its paper", err=True)  # fmt: skip
