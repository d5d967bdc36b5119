"""The command table (cli/commands.py) against the commands the cli modules define, and the
help a user sees: `--help` of every command, bare `papertrail`, bare sub-groups."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import typer

import papertrail.cli
from papertrail.cli.app import load_command
from papertrail.cli.commands import COMMANDS
from tests.support.cli import ok, run, run_process


def first_paragraph(text: str) -> str:
    return " ".join(inspect.cleandoc(text).split("\n\n")[0].split())


def defined_commands() -> dict[str, str]:
    """Every command and sub-group the cli modules define: name -> module."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(papertrail.cli.__path__):
        module = importlib.import_module(f"papertrail.cli.{info.name}")
        commands = getattr(module, "app", None)
        if not isinstance(commands, typer.Typer) or info.name == "app":
            continue
        for command in commands.registered_commands:
            assert command.callback is not None
            name = command.name or typer.main.get_command_name(command.callback.__name__)
            found[name] = info.name
        for group in commands.registered_groups:
            assert group.name, f"papertrail.cli.{info.name}: a sub-group needs a name"
            found[group.name] = info.name
    return found


def test_every_defined_command_is_in_the_table_with_its_module() -> None:
    registered = {name: module for name, (module, _) in COMMANDS.items()}
    assert defined_commands() == registered, (
        "cli/commands.py must list every command as  NAME: (MODULE, HELP)  (see its docstring)"
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_help_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    assert command.name == name
    assert COMMANDS[name][1] == first_paragraph(command.help or ""), (
        f"cli/commands.py: the help of {name!r} must be the first paragraph of its docstring"
    )


def test_top_level_help_lists_every_command_in_full() -> None:
    # A subprocess with a narrow terminal: descriptions wrap, and are never cut short.
    result = run_process("--help", env={"COLUMNS": "80"})
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for name, (_, help_text) in COMMANDS.items():
        if help_text.startswith("Deprecated"):  # an old spelling: works, not listed
            assert f"{name} " not in text, name
            continue
        assert f"{name} {' '.join(help_text.split())}" in text, name
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_bare_papertrail_shows_the_help_and_succeeds() -> None:
    result = run_process()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: papertrail [OPTIONS] COMMAND")
    assert "mark-read" in result.stdout and result.stderr == ""


def test_a_bare_sub_group_shows_its_help_and_succeeds() -> None:
    result = run("db")
    assert result.exit_code == 0
    assert "Usage: papertrail db [OPTIONS] COMMAND" in result.stdout
    assert "upgrade" in result.stdout


def test_a_mistyped_command_is_a_usage_error_with_a_suggestion() -> None:
    result = run("lst")
    assert result.exit_code == 2
    assert "No such command 'lst'. Did you mean 'list'?" in result.stderr


def command_paths() -> list[list[str]]:
    """Every command a user can run: top-level ones, and each command of a sub-group."""
    paths: list[list[str]] = []
    for name in COMMANDS:
        paths.append([name])
        sub_commands = getattr(load_command(name), "commands", {})
        paths.extend([name, sub] for sub in sub_commands)
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_help_has_examples_of_that_command(path: list[str]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout, f"papertrail {' '.join(path)} --help has no examples"
    examples = [line.strip() for line in result.stdout.split("Examples:")[1].splitlines()]
    assert any(line.startswith("papertrail ") for line in examples)
    assert any(f"papertrail {' '.join(path)}" in line for line in examples)


@pytest.mark.usefixtures("backend")  # on SQLite and PostgreSQL
def test_every_command_has_help() -> None:
    from typer.main import get_command

    from papertrail.cli import app

    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        assert ok(name, "--help")
