"""Topics: tag and untag (several papers at once, from stdin too), the tree and its
counts in `topics`, rename, merge and delete, names that are papers refused, unused
topics hidden unless asked for."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, as_json, ok, run
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def topic_names(*args: str) -> list[str]:
    return [line.split("\t")[0] for line in ok("topics", *args).splitlines()]


def test_a_topic_name_that_is_a_paper_ref_is_refused_with_a_hint() -> None:
    ok("import", str(DATA / "library.json"))
    before = topic_names("--all")
    for args in (["tag", "1", "2", "3", "must-read"], ["tag", "1", "1602.02830"],
                 ["add", "2101.00001", "--no-fetch", "-t", "17"]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 1, args
        assert "looks like a paper, not a topic name" in result.stderr
        assert "tag -t TOPIC REF" in result.stderr
    assert topic_names("--all") == before
    assert len(as_json("list")) == 4


def test_unused_topics_are_hidden_from_topics_and_stats_unless_all() -> None:
    ok("import", str(DATA / "library.json"))
    ok("untag", "3", "regularization")
    assert "regularization" not in topic_names()
    assert "regularization" in topic_names("--all")
    assert "regularization" not in ok("stats")
    assert "regularization" in ok("stats", "--all")
    # A parent whose papers are all in sub-topics is still used.
    ok("untag", "1", "quantization")
    assert "quantization" in topic_names()


def topics_of(ref: str) -> list[str]:
    return as_json("show", ref)["topics"]


def test_tag_and_untag_several_papers_at_once_also_from_stdin() -> None:
    ok("import", str(DATA / "library.json"))
    assert ok("tag", "-t", "must-read", "1", "2", "1510.00149") == (
        "Tagged 2 paper(s) with must-read\n"
    )
    ids = ok("list", "--topic", "quantization").splitlines()
    ok("tag", "-t", "compression", "-t", "Q", "-", input="\n".join(ids) + "\n")
    assert topics_of("1") == ["compression", "must-read", "pruning", "q", "quantization"]
    assert topics_of("2") == ["binary-quantization", "compression", "must-read", "q"]
    assert "compression" not in topics_of("3")
    assert ok("untag", "-t", "must-read", "1", "2", "3") == "Untagged 2 paper(s): must-read\n"
    assert run("untag", "-t", "nope", "1").exit_code == 1
    assert run("tag", "-t", "x", "-", input="").exit_code == 2  # nothing on stdin


def test_topic_rename_merge_delete_and_undo(isolated_env: str) -> None:
    ok("import", str(DATA / "library.json"))
    ok("topic", "rename", "Quantization", "quant")
    assert topics_of("1") == ["pruning", "quant"]
    parents = {line.split("\t")[0]: line.split("\t")[1] for line in ok("topics").splitlines()}
    assert parents["binary-quantization"] == "quant"  # the sub-topic follows
    result = run("topic", "rename", "quant", "pruning")
    assert result.exit_code == 1 and "topic merge quant pruning" in result.stderr

    ok("topic", "merge", "pruning", "quant")
    assert topics_of("1") == ["quant"]
    assert "pruning" not in ok("topics", "--all")
    ok("topic", "merge", "quant", "binary-quantization")  # into its own sub-topic
    assert topics_of("1") == ["binary-quantization"]
    assert ok("topics").splitlines()[0].startswith("binary-quantization\t\t2\t1")

    refused = run("topic", "delete", "binary-quantization")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    ok("topic", "delete", "binary-quantization", "--yes")
    assert topics_of("1") == [] and topics_of("2") == []
    assert len(as_json("list")) == 4  # papers stay
    for _ in range(4):
        ok("undo")
    assert topics_of("1") == ["pruning", "quantization"]
    assert topics_of("2") == ["binary-quantization"]


def test_deleting_a_parent_moves_its_sub_topics_up() -> None:
    ok("import", str(DATA / "library.json"))
    ok("topic-parent", "quantization", "pruning")
    ok("topic", "delete", "quantization", "--yes")
    assert "binary-quantization\tpruning\t1\t0" in ok("topics")


def test_topic_errors_are_one_line() -> None:
    ok("import", str(DATA / "library.json"))
    for args, message in [
        (["topic", "rename", "nope", "x"], "no topic 'nope'"),
        (["topic", "merge", "nope", "pruning"], "no topic 'nope'"),
        (["topic", "merge", "pruning", "pruning"], "into itself"),
        (["topic", "delete", "nope", "--yes"], "no topic 'nope'"),
        (["topic", "rename", "pruning", "1602.02830"], "looks like a paper"),
        (["tag", "1"], "give a paper and the topics"),
    ]:
        result = run(*args)
        assert result.exit_code != 0 and message in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1


def test_the_topic_tree_on_a_terminal() -> None:
    ok("import", str(DATA / "library.json"))
    out = ok("topics", env={"PAPERTRAIL_TERMINAL": "1"})
    lines = out.splitlines()
    assert lines[0] == "Topics"
    quant = next(i for i, line in enumerate(lines) if "── quantization" in line)
    assert "1/2 read" in lines[quant]
    assert "binary-quantization" in lines[quant + 1] and "0/1 read" in lines[quant + 1]
    assert lines[quant + 1].index("binary") > lines[quant].index("quantization")  # nested


def test_topics_json_and_delete_asks_on_a_terminal() -> None:
    ok("import", str(DATA / "library.json"))
    assert {"topic": "binary-quantization", "parent": "quantization", "papers": 1,
            "read": 0} in as_json("topics")  # fmt: skip
    terminal = {"PAPERTRAIL_TERMINAL": "1"}
    result = run("topic", "delete", "pruning", input="n\n", env=terminal)
    assert result.exit_code == 1 and "Delete topic pruning from 1 paper(s)?" in result.stdout
    assert "pruning" in topics_of("1")
    ok("topic", "delete", "pruning", input="y\n", env=terminal)
    assert "pruning" not in topics_of("1")


def test_tag_untag_note() -> None:
    add_offline("1510.00149")
    ok("tag", "1510.00149", "Pruning", "hardware accelerators")
    assert as_json("show", "1")["topics"] == ["hardware-accelerators", "pruning"]
    ok("untag", "1", "pruning")
    assert as_json("show", "1")["topics"] == ["hardware-accelerators"]
    assert run("untag", "1", "nothing-here").exit_code == 1
    ok("note", "1", "--replace", "量化 and pruning: read section 3")
    assert as_json("show", "1")["note"] == "量化 and pruning: read section 3"
    ok("note", "1", "--replace", "")
    assert as_json("show", "1")["note"] is None


def test_topic_cycles_are_refused() -> None:
    add_offline("1510.00149", topic="a")
    ok("topic-parent", "b", "a")
    ok("topic-parent", "c", "b")
    result = run("topic-parent", "a", "c")
    assert result.exit_code == 1
    assert "cycle" in result.stderr
    assert "c\tb" in ok("topics", "--all")


def test_topics_and_stats_count_sub_topics_and_reads() -> None:
    add_offline("1510.00149", topic="quantization")
    add_offline("1602.02830", topic="binary-quantization")
    ok("topic-parent", "binary-quantization", "quantization")
    ok("mark-read", "1602.02830")
    lines = ok("topics").splitlines()
    assert "binary-quantization\tquantization\t1\t1" in lines
    assert "quantization\t\t2\t1" in lines
    stats = ok("stats")
    assert "read          1" in stats and "unread        1" in stats
    assert "quantization" in stats and "1/2" in stats
