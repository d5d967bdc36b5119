"""Keywords as tags (flat, beside the topic tree), headings under the import's -t topic,
`topic prune`, `topic parent`, and the option meanings of docs/cli.md for `list`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")

BIB = """
@article{a2020, title = {Pruning Things}, author = {Ann Author}, year = {2020},
  keywords = {05A05, Deep Learning; pruning}, journal = {J}}
@article{b2021, title = {Quantizing Things}, author = {Bob Writer}, year = {2021},
  keywords = {deep learning}, journal = {J}}
"""
MARKDOWN = """# My list

## Vision

- [Deep Residual Learning](https://arxiv.org/abs/1512.03385)

## Language

- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)
"""


def _import(tmp_path: Path, name: str, text: str, *args: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ok("import", str(path), *args)


def test_keywords_are_tags_not_topics(tmp_path: Path) -> None:
    _import(tmp_path, "refs.bib", BIB, "-t", "thesis")
    assert [t["topic"] for t in as_json("topics")] == ["thesis"]
    assert as_json("tags") == [
        {"tag": "05a05", "papers": 1, "read": 0},
        {"tag": "deep-learning", "papers": 2, "read": 0},
        {"tag": "pruning", "papers": 1, "read": 0},
    ]
    assert ok("tags", "--sort", "papers", "-n", "1") == "deep-learning\t2\t0\n"
    listed = as_json("list", "--tag", "pruning")
    assert [p["title"] for p in listed] == ["Pruning Things"]
    assert listed[0]["tags"] == ["05a05", "deep-learning", "pruning"]
    assert as_json("show", "a2020")["tags"] == ["05a05", "deep-learning", "pruning"]
    result = run("list", "--tag", "prunin")
    assert result.exit_code == 2
    assert result.stderr == "Error: no tag 'prunin' in the library (did you mean: pruning?)\n"


def test_tags_of_an_import_are_undone_with_it(tmp_path: Path) -> None:
    _import(tmp_path, "refs.bib", BIB)
    ok("undo")
    ok("add", "--title", "Other", "--url", "https://e.org/o")
    assert as_json("tags") == []


def test_headings_go_under_the_topic_given_to_the_import(tmp_path: Path) -> None:
    _import(tmp_path, "list.md", MARKDOWN, "-t", "reading")
    parents = {t["topic"]: t["parent"] for t in as_json("topics")}
    assert parents["reading"] is None
    assert all(parent is not None for slug, parent in parents.items() if slug != "reading")
    assert {p["id"] for p in as_json("list", "-t", "reading")} == {1, 2}


def test_topic_prune_by_glob_unused_and_dry_run(tmp_path: Path) -> None:
    ok("add", "1706.03762", "--no-fetch", "-t", "05c15-primary")
    ok("add", "1512.03385", "--no-fetch", "-t", "vision")
    ok("tag", "-t", "05a05", "1")
    ok("untag", "-t", "05a05", "1")  # now unused
    dry = ok("topic", "prune", "--dry-run")
    assert dry == "  05a05 (0 paper(s))\nWould delete 1 topic(s); 0 paper(s) had one of them\n"
    assert "05a05" in [t["topic"] for t in as_json("topics", "--all")]
    result = run("topic", "prune", "05*")  # used topics go only with --yes off a terminal
    assert result.exit_code == 2 and "--yes" in result.stderr
    out = ok("topic", "prune", "05*", "--yes", "-v")
    assert "05c15-primary (1 paper(s))" in out
    assert [t["topic"] for t in as_json("topics", "--all")] == ["vision"]
    assert as_json("show", "1")["topics"] == []
    ok("undo")
    assert sorted(t["topic"] for t in as_json("topics", "--all")) == [
        "05a05", "05c15-primary", "vision",
    ]  # fmt: skip


def test_topic_parent_in_the_group_and_the_old_spelling() -> None:
    ok("add", "1706.03762", "--no-fetch", "-t", "binary")
    assert ok("topic", "parent", "binary", "quantization") == "binary is now under quantization\n"
    result = run("topic-parent", "binary", "--clear")
    assert result.exit_code == 0
    assert result.stdout == "binary is now a top-level topic\n"
    assert result.stderr.startswith("Deprecated: `topic-parent` is now `topic parent`")
    assert result.stderr.count("\n") == 1


def test_since_and_until_take_dates_and_sort_takes_year() -> None:
    for ref, title, year in (("1", "Old", "2019"), ("2", "Mid", "2021"), ("3", "New", "2023")):
        ok("add", "--title", title, "--url", f"https://e.org/{ref}", "--year", year)
    assert [p["title"] for p in as_json("list", "--since", "2021")] == ["Mid", "New"]
    assert [p["title"] for p in as_json("list", "--until", "2021-06")] == ["Old", "Mid"]
    assert [p["title"] for p in as_json("list", "--sort", "-year")] == ["New", "Mid", "Old"]
    assert [p["title"] for p in as_json("list", "--sort", "year", "-n", "1")] == ["Old"]
    for bad in (["--since", "May 2021"], ["--until", "2021-13"], ["--sort", "yeer"]):
        result = run("list", *bad)
        assert result.exit_code == 2, bad
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_piped_rows_have_no_trailing_tab() -> None:
    ok("add", "--title", "No topics", "--url", "https://e.org/x")
    line = ok("list")
    assert not line.rstrip("\n").endswith("\t")


def test_add_title_finds_the_arxiv_paper_already_there(world: object) -> None:
    ok("add", "1706.03762")  # the stub answers "Paper 1706.03762", published 2020
    out = ok("add", "--title", "Paper 1706.03762", "--year", "2020", "-t", "attention")
    assert out.startswith("Already in the library: [1] 1706.03762")
    assert len(as_json("list")) == 1
    assert as_json("show", "1")["topics"] == ["attention"]
    ok("add", "--title", "Paper 1706.03762", "--year", "2011")  # another year: another paper
    assert len(as_json("list")) == 2


def test_duplicates_not_is_remembered_and_undone() -> None:
    for title, url in (("Introducing GPT-5.2", "a"), ("Introducing GPT-5", "b"),
                       ("Deep Learning Book", "c"), ("Deep Learning Book.", "d")):  # fmt: skip
        ok("add", "--title", title, "--url", f"https://e.org/{url}", "--year", "2025")
    ok("edit", "4", "--title", "Deep Learning Bok")
    pairs = as_json("duplicates")
    assert [pair["ids"] for pair in pairs] == [[3, 4]]  # version numbers are no typos
    assert pairs[0]["papers"][0]["title"] == "Deep Learning Book"
    assert set(pairs[0]["papers"][1]) == set(as_json("show", "4"))  # full paper objects
    out = ok("duplicates", "--not", "4", "3")
    assert out == "Marked distinct: [4] Deep Learning Bok and [3] Deep Learning Book\n"
    assert ok("duplicates") == "No likely duplicates.\n"
    assert ok("duplicates", "--not", "3", "4").startswith("Already marked distinct")
    ok("undo")
    assert [pair["ids"] for pair in as_json("duplicates")] == [[3, 4]]
    ok("duplicates", "--not", "3", "4")
    ok("remove", "3", "--yes")
    ok("undo")  # the paper and the judgement come back together
    assert ok("duplicates") == "No likely duplicates.\n"
