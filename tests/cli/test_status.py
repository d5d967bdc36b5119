"""mark-read, mark-reading, mark-unread: the status and its dates, and the picker that
mark-read offers on a terminal when no paper is named."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")


def test_mark_commands_set_status_and_dates() -> None:
    add_offline("1510.00149", "1602.01528")
    ok("mark-reading", "1510.00149")
    reading = as_json("show", "1")
    assert reading["status"] == "reading" and reading["started_at"] and reading["read_at"] is None
    ok("mark-read", "1", "2")
    done = as_json("show", "1")
    assert (
        done["status"] == "read" and done["read_at"] and done["started_at"] == reading["started_at"]
    )
    assert as_json("show", "2")["status"] == "read"
    ok("mark-unread", "2")
    again = as_json("show", "2")
    assert (again["status"], again["read_at"], again["started_at"]) == ("unread", None, None)


def test_mark_read_without_ref_off_a_terminal_is_a_usage_error() -> None:
    add_offline("1510.00149")
    result = run("mark-read")
    assert result.exit_code == 2
    assert "give the papers to mark read" in result.stderr


def test_mark_read_picks_interactively_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    add_offline("1510.00149", "1602.01528")
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")  # stdin and stdout count as a terminal
    result = run("mark-read", input="2\n")
    assert result.exit_code == 0, result.stderr
    assert "Marked read: [2] 1602.01528" in result.stdout
    assert as_json("show", "2")["status"] == "read"
    assert as_json("show", "1")["status"] == "unread"


def test_the_picker_starts_from_what_is_likely_not_the_whole_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = [f"2101.{n:05d}" for n in range(1, 41)]
    add_offline(*ids)  # 40 unread papers, added in this order
    ok("mark-reading", "3")
    ok("queue", "5")
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    result = run("mark-read", input="\n")  # look, then cancel
    assert result.exit_code == 0
    shown = [line.split()[0] for line in result.stdout.splitlines() if line[:4].strip().isdigit()]
    assert shown[:2] == ["3", "5"]  # being read, then queued, then the latest adds
    assert len(shown) == 20 and "40" in shown and "1" not in shown
    assert "20 of 40 papers" in result.stdout
    found = run("mark-read", input="/2101.00001\n1\n")  # found among all of them
    assert "Marked read: [1] 2101.00001" in found.stdout
