"""`refs` and `cited-by`: a paper's references and citations from Semantic Scholar (the
recorded answers in ../shared/fixtures and small ones in tests/data/services), paged,
the library's papers marked, --add and --pick."""

from __future__ import annotations

import json

import pytest

from tests.support import paths
from tests.support.cli import as_json, ok, run
from tests.support.recorded import PLOS, s2
from tests.support.services_stub import ServicesWorld

pytestmark = pytest.mark.usefixtures("backend")

DATA = paths.DATA / "services"


def test_refs_are_paged_and_unidentified_ones_marked(world: ServicesWorld) -> None:
    ok("add", PLOS, "--no-fetch")
    world.s2_pages(f"DOI:{PLOS}", "references", [
        s2("paper_references_offset0_limit50_has_next.json"),
        s2("paper_references_offset50_last_page_null_paperIds.json"),
    ])  # fmt: skip
    out = ok("refs", "1")
    rows = [line.split("\t") for line in out.splitlines()]
    last = json.loads(s2("paper_references_offset50_last_page_null_paperIds.json"))["data"]
    assert len(rows) == 50 + len(last)
    assert [r[0] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert rows[50][2] == "(unidentified)" and rows[50][3].startswith("Does Gender Matter")
    offsets = [r.params["offset"] for r in world.requests("/s2/paper/DOI:")]
    assert offsets == ["0", "50"]


def test_cited_by_marks_the_library_and_adds(world: ServicesWorld) -> None:
    ok("add", "1706.03762", "--no-fetch")
    ok("add", "1510.00149", "--no-fetch")
    world.s2_pages("ARXIV:1510.00149", "citations", [
        (DATA / "s2_citations_offset0.json").read_bytes(),
        (DATA / "s2_citations_offset2_last.json").read_bytes(),
    ])  # fmt: skip
    rows = [line.split("\t") for line in ok("cited-by", "1510.00149").splitlines()]
    assert [r[1] for r in rows] == ["", "", "", "#1"]  # 1706.03762 is paper 1
    assert rows[2][2] == "(unidentified)"
    listed = as_json("cited-by", "1510.00149")
    assert [p["number"] for p in listed] == [1, 2, 3, 4]
    assert listed[3] == {**as_json("show", "1"), "number": 4, "identified": True}
    assert set(listed[0]) == set(listed[3]) and listed[0]["id"] is None
    assert all(not line.endswith("\t") for line in ok("cited-by", "1510.00149").splitlines())
    result = run("cited-by", "1510.00149", "--add", "-t", "follow-up")
    assert result.exit_code == 0 and "Added 2 paper(s)." in result.stdout
    assert as_json("show", "2101.00001")["topics"] == ["follow-up"]
    web = [p for p in as_json("list") if p["doi"] == "10.1145/3184558.3186235"]
    assert web[0]["authors"] == ["Lorenz Bühmann"] and web[0]["topics"] == ["follow-up"]
    arxiv_batches = [r.ids for r in world.requests("/api/query")]
    assert arxiv_batches == [["2101.00001"]]  # one arXiv batch for the arXiv ones


def test_cited_by_pick_adds_the_chosen_ones(
    world: ServicesWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("add", "1510.00149", "--no-fetch")
    world.s2_pages("ARXIV:1510.00149", "citations", [
        (DATA / "s2_citations_offset0.json").read_bytes(),
        (DATA / "s2_citations_offset2_last.json").read_bytes(),
    ])  # fmt: skip
    assert run("cited-by", "1510.00149", "--pick").exit_code == 2  # not a terminal
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    result = run("cited-by", "1510.00149", "--pick", "-t", "picked", input="2\n")
    assert result.exit_code == 0 and "Added 1 paper(s)." in result.stdout
    assert [p["title"] for p in as_json("list", "--topic", "picked")] == [
        "DL-Learner Structured Machine Learning on Semantic Web Data"
    ]
    assert world.requests("/api/query") == []  # no arXiv paper was picked


def test_refs_of_an_unknown_paper_is_one_line(world: ServicesWorld) -> None:
    ok("add", "1706.03762", "--no-fetch")
    result = run("refs", "1706.03762")
    assert result.exit_code == 1
    assert result.stderr == "Error: Semantic Scholar does not know this paper\n"


# --------------------------------------------------------------------------- issue 10
