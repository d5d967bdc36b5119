"""docs/cli.md, checked from every command's parameters and --help: one option name means
one thing everywhere, every paper argument takes the whole REF grammar, and every command
that prints data has --json."""

from __future__ import annotations

from typing import Any

import pytest

from papertrail.cli.app import load_command
from papertrail.cli.commands import COMMANDS
from papertrail.cli.refs import REF_FORMS
from tests.support.cli import add_offline, run

# Short options and the one long option each stands for (docs/cli.md, "Options that mean
# one thing everywhere").
SHORT = {
    "-t": "--topic", "-s": "--status", "-n": "--limit", "-y": "--yes", "-v": "--verbose",
    "-o": "--output", "-f": "--format", "-h": "--help", "-q": "--search", "-r": "--reverse",
}  # fmt: skip
# Commands that print data: each has --json.
PRINTS_DATA = {
    "list", "show", "topics", "tags", "stats", "queue", "next", "log", "duplicates", "refs",
    "cited-by", "feed list", "search", "inbox", "find", "files",
}  # fmt: skip
# Commands whose arguments name papers of the library (REF, REF...).
TAKES_REFS = {
    "show", "mark-read", "mark-reading", "mark-unread", "queue", "note", "edit", "remove",
    "open", "fetch", "refs", "cited-by", "merge", "log", "attach", "detach",
}  # fmt: skip


def commands() -> list[tuple[str, Any]]:
    """Every command a user can run, by its path: `list`, `topic prune`, `feed list`..."""
    found = []
    for name, (_, help_text) in COMMANDS.items():
        if help_text.startswith("Deprecated"):
            continue
        command = load_command(name)
        subs = getattr(command, "commands", None)
        if subs:
            found += [(f"{name} {sub}", subs[sub]) for sub in subs]
            if getattr(command, "invoke_without_command", False):
                found.append((name, command))
        else:
            found.append((name, command))
    return found


COMMAND_LIST = commands()


def options(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option"]


@pytest.mark.parametrize(("path", "command"), COMMAND_LIST, ids=[p for p, _ in COMMAND_LIST])
def test_short_options_mean_one_thing(path: str, command: Any) -> None:
    for option in options(command):
        names = set(option.opts) | set(option.secondary_opts)
        for short, long in SHORT.items():
            if short in names:
                assert long in names, f"{path}: {short} is {sorted(names)}, not {long}"
        if "--limit" in names:
            assert "-n" in names, f"{path}: --limit without -n"
        if "--topic" in names:
            assert "-t" in names, f"{path}: --topic without -t"


@pytest.mark.parametrize(("path", "command"), COMMAND_LIST, ids=[p for p, _ in COMMAND_LIST])
def test_dates_take_the_date_forms(path: str, command: Any) -> None:
    for option in options(command):
        if {"--since", "--until"} & set(option.opts):
            help_text = option.help or ""
            assert "2023-05" in help_text or "YYYY" in help_text, f"{path} {option.opts}"


@pytest.mark.parametrize("path", sorted(PRINTS_DATA))
def test_commands_that_print_data_have_json(path: str) -> None:
    result = run(*path.split(), "--help")
    assert result.exit_code == 0
    assert "--json" in result.stdout, f"papertrail {path} has no --json"


@pytest.mark.parametrize("path", sorted(TAKES_REFS))
def test_paper_arguments_take_the_whole_ref_grammar(path: str) -> None:
    text = " ".join(run(*path.split(), "--help").stdout.split())
    assert " ".join(REF_FORMS.split()) in text, f"papertrail {path} --help names not every REF form"


@pytest.mark.parametrize(("path", "command"), COMMAND_LIST, ids=[p for p, _ in COMMAND_LIST])
def test_every_option_has_help(path: str, command: Any) -> None:
    for option in options(command):
        assert option.help, f"{path}: {option.opts} has no help"


def test_global_options_work_on_either_side(isolated_env: str) -> None:
    before = run("--db", isolated_env, "--no-pager", "add", "1706.03762", "--no-fetch")
    assert before.exit_code == 0
    after = run("list", "--ids", "--db", isolated_env, "--no-pager")
    assert after.exit_code == 0 and after.stdout == "1\n"
    inline = run("list", f"--db={isolated_env}", "--ids")
    assert inline.stdout == "1\n"


def test_show_folds_long_urls_never_cuts_them(isolated_env: str) -> None:
    url = "https://example.org/" + "/".join(["a-long-path-segment"] * 6) + ".pdf"
    run("add", "--title", "Long", "--url", url)
    shown = run("--no-pager", "show", "1", env={"PAPERTRAIL_TERMINAL": "1", "COLUMNS": "60"})
    assert "…" not in shown.stdout
    joined = "".join(
        line.strip("│ ").removeprefix("URL").strip() for line in shown.stdout.split("\n")
    )
    assert url in joined


def test_a_sub_command_word_where_papers_go_says_what_the_command_takes() -> None:
    add_offline("1512.03385")
    typed = run("queue", "add", "1512.03385")
    assert typed.exit_code == 1 and typed.stdout == ""
    assert typed.stderr == (
        "Error: no paper 'add' in the library (queue takes papers, not 'add': see "
        "`papertrail queue -h`)\n"
    )
    assert run("queue", "--json").stdout.strip() == "[]"  # the known paper was not queued
    unknown = run("show", "nosuchkey")
    assert unknown.stderr == "Error: no paper 'nosuchkey' in the library\n"


def test_topic_list_points_to_topics() -> None:
    typed = run("topic", "list")
    assert typed.exit_code == 2
    assert typed.stderr.rstrip().endswith(
        "Error: No such command 'list'. `papertrail topics` lists the topics and their papers."
    )
    assert "No such command 'frobnicate'.\n" in run("topic", "frobnicate").stderr
