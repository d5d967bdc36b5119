"""What `show` (and `list`) give for a paper: the JSON contract, data shown literally on a
pipe and on a terminal, and the one error for a REF that names no paper."""

from __future__ import annotations

import pytest

from papertrail.model.records import JSON_KEYS
from tests.support.cli import add_offline, as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")


def test_json_keys_are_the_documented_contract() -> None:
    add_offline("1510.00149")
    assert tuple(as_json("show", "1")) == JSON_KEYS
    assert tuple(as_json("list")[0]) == JSON_KEYS


def test_unknown_ref_is_a_clear_error_everywhere() -> None:
    add_offline("1706.03762")
    for args in (
        ["show", "42"],
        ["mark-read", "1510.00149"],
        ["tag", "7", "x"],
        ["note", "9", "y"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: no paper"), result.stderr


def test_markup_and_control_characters_are_shown_literally(monkeypatch: pytest.MonkeyPatch) -> None:
    ok(
        "add",
        "--title",
        "[red]x[/red] \x1b[31mred\x1b[0m [link=file:///etc]y",
        "--url",
        "https://e.org/p",
    )
    plain = ok("list")
    assert "[red]x[/red]" in plain
    assert "\x1b" not in plain and "\\x1b[31m" in plain
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    table = ok("list")
    assert "[red]x[/red]" in table and "\x1b[31mred" not in table
    panel = ok("show", "1")
    assert "[red]x[/red]" in panel and "[link=file:///etc]y" in panel
