"""The settings file (config.toml) is checked: one line per problem, an unknown key named
with the closest known one; `sort`, `default_topic` and `mailto` do what they say; a bad
PAPERTRAIL_ARXIV_* setting stops only the commands that talk to arXiv."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import add_offline, as_json, run

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("PAPERTRAIL_CONFIG", str(path))
    return path


def test_every_problem_is_one_line(config: Path) -> None:
    add_offline("1706.03762")
    config.write_text('pagr = false\nsort = "newest"\ndefault_topic = 3\n', encoding="utf-8")
    result = run("list")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("Error: ") for line in lines)
    assert "unknown setting 'pagr' (did you mean 'pager'?)" in lines[0]
    assert "sort must be one of" in lines[1] and "'newest'" in lines[1]
    assert "default_topic must be a non-empty text" in lines[2]


def test_malformed_toml_is_reported_by_any_command(config: Path) -> None:
    add_offline("1706.03762")
    config.write_text("sort = \n", encoding="utf-8")
    result = run("list", "--json")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "is not valid TOML" in result.stderr


def test_sort_and_default_topic(config: Path) -> None:
    config.write_text('sort = "-added"\ndefault_topic = "inbox"\n', encoding="utf-8")
    add_offline("1706.03762")
    add_offline("1512.03385", topic="vision")
    assert [p["id"] for p in as_json("list")] == [2, 1]  # the setting's order
    assert [p["id"] for p in as_json("list", "--sort", "added")] == [1, 2]  # the option wins
    assert as_json("show", "1")["topics"] == ["inbox"]
    assert as_json("show", "2")["topics"] == ["vision"]  # -t given: no default


def test_a_bad_arxiv_delay_stops_only_arxiv_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    add_offline("1706.03762")
    monkeypatch.setenv("PAPERTRAIL_ARXIV_DELAY", "abc")
    assert run("list").exit_code == 0
    assert run("show", "1").exit_code == 0
    monkeypatch.delenv("PAPERTRAIL_OFFLINE")
    result = run("search", "attention")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: PAPERTRAIL_ARXIV_DELAY must be a number of seconds")
    assert result.stderr.count("\n") == 1
