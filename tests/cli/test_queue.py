"""The reading queue, `next`, and back-dating, through the CLI on both databases."""

from __future__ import annotations

import pytest

from tests.support.cli import as_json, ok, run
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def queued() -> list[int]:
    return [item["id"] for item in as_json("queue")]


@pytest.fixture(autouse=True)
def library() -> None:
    ok("import", str(DATA / "library.json"))  # 1 read, 2 reading, 3 unread, 4 read
    ok("add", "2101.00001", "2101.00002", "--no-fetch", "-t", "regularization")  # 5, 6


def test_queue_add_top_move_remove_and_show() -> None:
    assert ok("queue", "3", "5") == "Added 2 paper(s) to the queue\n"
    assert ok("queue", "6", "--top") == "Added 1 paper(s) at the top of the queue\n"
    assert ok("queue", "3", "6") == "Added 0 paper(s) to the queue (2 already queued)\n"
    assert queued() == [6, 3, 5]
    assert ok("queue", "--move", "5", "1") == "Moved 5 to place 1 in the queue\n"
    ok("queue", "--move", "6", "99")  # beyond the end: last
    assert queued() == [5, 3, 6]
    ok("queue", "--remove", "3")
    lines = ok("queue").splitlines()
    assert [line.split("\t")[:3] for line in lines] == [["1", "5", "2101.00001"],
                                                         ["2", "6", "2101.00002"]]  # fmt: skip
    [first, _] = as_json("queue")
    # The full paper object of `show --json`, and the command's own key beside it.
    assert first == {**as_json("show", "5"), "position": 1}


def test_queue_a_topic_adds_its_unread_papers() -> None:
    ok("queue", "--topic", "regularization")
    assert queued() == [3, 5, 6]


def test_mark_read_takes_off_the_queue_and_mark_reading_puts_on_top() -> None:
    ok("queue", "3", "5", "6")
    ok("mark-reading", "6")
    assert queued() == [6, 3, 5]
    ok("mark-read", "3")
    assert queued() == [6, 5]
    ok("mark-reading", "1")  # not queued yet: it joins at the top
    assert queued() == [1, 6, 5]
    ok("undo")
    assert queued() == [6, 5]


def test_next_is_the_queue_first_then_the_least_read_topics() -> None:
    ok("queue", "6")
    found = as_json("next", "-n", "3")
    assert [(s["id"], s["reason"]) for s in found] == [
        (6, "queued #1"),
        (3, "regularization: 0/3 read"),
        (5, "regularization: 0/3 read"),
    ]
    assert [s["id"] for s in as_json("next")] == [6]
    assert [s["id"] for s in as_json("next", "-n", "5", "--topic", "quantization")] == []
    assert set(found[0]) == {*as_json("show", "6"), "reason"}


def test_errors_are_one_line() -> None:
    result = run("queue")  # an empty result is no error (docs/cli.md)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "", "The queue is empty: `papertrail queue REF...` adds papers.\n")  # fmt: skip
    for args, message in [
        (["queue", "99"], "no paper '99' in the library"),
        (["queue", "--remove", "3"], "not in the queue: 3"),
        (["queue", "--move", "3", "1"], "paper 3 is not in the queue"),
        (["queue", "--move", "3"], "queue --move REF POS"),
        (["queue", "--topic", "nope"], "no topic 'nope'"),
        (["next", "--topic", "nope"], "no topic 'nope'"),
    ]:
        result = run(*args)
        assert result.exit_code != 0 and message in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1
    for ref in ("1", "2", "3", "4", "5", "6"):
        ok("mark-read", ref)
    result = run("next")  # nothing to suggest: exit 0, a note on stderr
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "Nothing to read next: no queued or unread papers.\n"
    assert as_json("next", "--limit", "3") == []


def test_back_dating_with_on() -> None:
    ok("mark-read", "3", "--on", "2024-05-01")
    assert as_json("show", "3")["read_at"] == "2024-05-01T00:00:00Z"
    ok("mark-read", "1", "--on", "2023-01-31")  # already read: the date is corrected
    assert as_json("show", "1")["read_at"] == "2023-01-31T00:00:00Z"
    ok("mark-reading", "5", "--on", "2024-04-01")
    assert as_json("show", "5")["started_at"] == "2024-04-01T00:00:00Z"
    for bad in ("2017-02-30", "yesterday", "2999-01-01"):
        result = run("mark-read", "6", "--on", bad)
        assert result.exit_code == 2 and bad in result.stderr
    assert as_json("show", "6")["status"] == "unread"
    assert "2024-05" in ok("stats")


def test_queue_and_next_on_a_terminal_show_a_table_and_the_reasons() -> None:
    ok("queue", "3", "5")
    terminal = {"PAPERTRAIL_TERMINAL": "1"}
    out = ok("queue", env=terminal)
    assert "Reading queue (2)" in out and out.index("2101.00001") > out.index("1207.0580")
    out = ok("next", "-n", "3", env=terminal)
    assert "[3] queued #1" in out and "[6] regularization: 0/3 read" in out
