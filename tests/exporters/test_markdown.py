"""Markdown out: a reading list grouped by topic that imports back, every paper, status,
note and topic kept, whatever the titles, URLs and notes hold."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.support.cli import as_json, ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_markdown_export_groups_by_topic_and_imports_back(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    ok(
        "add",
        "--title",
        "A [bracketed] *starred* title_with_underscores",
        "--url",
        "https://e.org/x",
    )
    out = ok("export", "--format", "markdown")
    lines = out.splitlines()
    assert "## quantization" in lines and "### binary-quantization" in lines
    assert any(line.startswith("- [x] [Deep Compression") for line in lines)
    assert any(line.startswith("- [~] [Binarized Neural Networks]") for line in lines)
    exported = tmp_path / "list.md"
    exported.write_text(out, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    report = ok("--db", str(fresh), "import", str(exported))
    assert "5 added" in report and "0 skipped" in report
    again = {
        (p["arxiv_id"], p["title"]): p for p in json.loads(ok("--db", str(fresh), "list", "--json"))
    }
    original = {(p["arxiv_id"], p["title"]): p for p in as_json("list")}
    assert {k[0] for k in again} == {k[0] for k in original}
    for (arxiv_id, title), paper in original.items():
        match = next(
            p for k, p in again.items() if k[0] == arxiv_id and (arxiv_id or k[1] == title)
        )
        assert match["topics"] == paper["topics"], title
        assert match["status"] == paper["status"], title
    assert ok("--db", str(fresh), "topics").count("\tquantization\t") == 1  # the tree came back


def test_markdown_export_round_trip_keeps_every_paper_status_note_and_topic(
    tmp_path: Path,
) -> None:
    ok("import", str(DATA / "library.json"))
    ok("add", "--title", "Why arXiv:1706.03762 is overrated", "-t", "contents", "-t", "other")
    ok("add", "--title", "A paper with no link at all", "--year", "2001", "--authors", "Émile Zola")
    # A web address full of markdown: it must come back as one link, never as a heading,
    # another item or an arXiv link (line breaks no link may hold: model/ids.web_address).
    hostile_url = "https://e.org/x>)##_Fake_heading](https://arxiv.org/abs/2101.00001)<!--"
    ok("add", "--title", "Evil [x] **link**", "--url", hostile_url)
    ok("mark-reading", "1602.02830")
    ok(
        "note",
        "1602.02830",
        "Line one [not a link](https://arxiv.org/abs/1810.04805)\n\n```\nx\n```",
    )
    exported = tmp_path / "list.md"
    exported.write_text(ok("export", "--format", "markdown"), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    report = ok("--db", str(fresh), "import", str(exported))
    assert "0 skipped" in report

    def shape(paper: dict[str, object]) -> tuple[object, ...]:
        # arXiv papers come back without a url (the store knows arXiv's), and with the
        # year of their id when the library had none: the importer's rules for every list.
        # A URL comes back with line breaks (and an `arxiv` that is no arXiv link)
        # percent-encoded: the same address.
        url = None if paper["arxiv_id"] else unquote(str(paper["url"]))
        fields = ("title", "status", "note", "topics", "authors")
        return (paper["arxiv_id"], url, *(str(paper[k]) for k in fields))

    before = as_json("list")
    after = json.loads(ok("--db", str(fresh), "list", "--json"))
    assert sorted(map(shape, after), key=str) == sorted(map(shape, before), key=str)
    years = {p["title"]: p["year"] for p in after}
    assert all(years[p["title"]] == p["year"] for p in before if p["year"])
