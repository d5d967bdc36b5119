"""Reading writes nothing: every read-only command and every --dry-run leaves the library
file byte for byte as it was, and creates no file (issue 21). New commands must be sorted
into READ_ONLY or WRITING below, so none escapes the check."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from papertrail.cli.app import load_command
from papertrail.cli.commands import COMMANDS
from tests.support.cli import ok, run
from tests.support.first_revision import fill_first_revision
from tests.support.paths import DATA

# Each read-only command with the invocations run here (several where options read more).
READ_ONLY: dict[str, list[list[str]]] = {
    "list": [["list"], ["list", "--json"], ["list", "--topic", "gemm", "--status", "unread"]],
    "show": [["show", "1"], ["show", "1", "--json"]],
    "export": [
        ["export"],
        *(["export", "-f", f] for f in ("bibtex", "markdown", "csv", "csl-json")),
    ],
    "topics": [["topics"]],
    "tags": [["tags"], ["tags", "--json"]],
    "topic prune --dry-run": [
        ["topic", "prune", "--dry-run"],
        ["topic", "prune", "x*", "--dry-run"],
    ],
    "stats": [["stats"], ["stats", "--lab"]],
    "who-read": [["who-read", "1"], ["who-read", "1", "--json"]],
    "privacy": [["privacy"]],
    "log": [["log"], ["log", "--json"]],
    "queue": [["queue"]],
    "next": [["next"]],
    "duplicates": [["duplicates"]],
    "note": [["note", "1"]],
    "find": [["find", "gemm"]],
    "files": [["files"], ["files", "--prune", "--dry-run"]],
    "feed list": [["feed", "list"]],
    "db status": [["db", "status"]],
    "search": [["search", "gemm"]],  # offline here: an error, and still nothing written
    "refs": [["refs", "1"]],
    "cited-by": [["cited-by", "1"]],
    "open": [["open", "1", "--web"]],  # PAPERTRAIL_OPENER=true: nothing opens
    # The reader model is cached in the user cache directory, never in the library.
    "similar": [["similar", "1"], ["similar", "1", "--json"], ["similar", "1", "--inbox"]],
    "suggest": [["suggest"]],  # offline here: an error, and still nothing written
    "inbox show": [["inbox", "show", "1"]],  # no such item: an error
    "import --dry-run": [["import", str(DATA / "small.bib"), "--dry-run"]],
    "bib list": [["bib", "list"], ["bib", "list", "--json"]],
    "bib aux": [
        ["bib", "aux", str(DATA / "manuscript" / "natbib.aux")],
        ["bib", "aux", "--from-tex", str(DATA / "manuscript" / "paper.qmd")],
    ],
    "cite": [["cite", "1"], ["cite", "1", "--style", "ieee"], ["cite", "--key", "1", "2"]],
}
# Serving a read-only library over stdio is checked by the MCP tests (tests/mcp_server).
NOT_RUN_HERE = {"mcp"}
WRITING = {
    "import", "add", "fetch", "mark-read", "mark-reading", "mark-unread", "tag", "untag",
    "edit", "remove", "attach", "detach", "topic rename", "topic merge", "topic delete",
    "topic-parent", "topic parent", "merge", "undo", "feed add", "feed remove", "inbox",
    "inbox add", "inbox dismiss", "db upgrade", "db copy", "bib link", "bib unlink",
    "bib sync",
}  # fmt: skip


def _commands() -> set[str]:
    """Every command a user can run, sub-commands as "group verb"."""
    names: set[str] = set()
    for name in COMMANDS:
        command = load_command(name)
        subcommands = getattr(command, "commands", {})
        names.update(f"{name} {verb}" for verb in subcommands)
        if not subcommands or getattr(command, "invoke_without_command", False):
            names.add(name)
    return names


def test_every_command_is_sorted_into_reading_or_writing() -> None:
    reading = {name.removesuffix(" --dry-run") for name in READ_ONLY} - {"import"}
    assert _commands() == reading | WRITING | NOT_RUN_HERE


def _state(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


@pytest.fixture
def library(isolated_env: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAPERTRAIL_OPENER", "true")
    ok("import", str(DATA / "library.json"))
    ok("note", "1", "a thought")
    ok("queue", "2")
    ok("feed", "add", "cs.LG")
    return Path(isolated_env)


@pytest.mark.parametrize(
    "args", [args for runs in READ_ONLY.values() for args in runs], ids=" ".join
)
def test_a_read_only_command_leaves_the_library_byte_identical(
    library: Path, args: list[str]
) -> None:
    before = _state(library.parent)
    result = run(*args)
    assert "Traceback" not in result.stderr
    assert _state(library.parent) == before


@pytest.mark.parametrize(
    "args", [args for runs in READ_ONLY.values() for args in runs], ids=" ".join
)
def test_a_read_only_command_creates_no_library(isolated_env: str, args: list[str]) -> None:
    folder = Path(isolated_env).parent
    before = sorted(folder.iterdir())
    run(*args)
    assert sorted(folder.iterdir()) == before


def test_a_dry_run_import_into_no_library_says_what_it_would_add(isolated_env: str) -> None:
    out = ok("import", str(DATA / "small.bib"), "--dry-run")
    assert out.startswith("Would import") or "Would import" in out
    assert not Path(isolated_env).exists()


def test_a_dry_run_upgrades_no_older_library(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    fill_first_revision(db)
    before = _state(tmp_path)
    out = ok("--db", str(db), "import", str(DATA / "small.bib"), "--dry-run")
    assert "Would import" in out
    assert _state(tmp_path) == before  # no upgrade, no backup beside it
