"""`import` through the real CLI: the seed, dry runs, the report of what was skipped, real
reading lists, and one record per paper when two sources describe the same one (what each
format reads: tests/importers/)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from papertrail.importers import bibtex
from tests.support.arxiv_stub import ArxivStub, echo_papers
from tests.support.cli import as_json, ok, run
from tests.support.db import dump as db_dump
from tests.support.paths import DATA, ROOT

SEED = ROOT / "data" / "seed.json"
BIB = DATA / "bib"

pytestmark = pytest.mark.usefixtures("backend")


# -- the seed ---------------------------------------------------------------------------------


def test_seed_import_then_topic_quantization_shows_the_whole_section() -> None:
    out = ok("import")
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    assert f"{len(seed['papers'])} added" in out
    parents = {t["slug"]: t["parent"] for t in seed["topics"]}

    def under_quantization(slug: str | None) -> bool:
        while slug is not None:
            if slug == "quantization":
                return True
            slug = parents[slug]
        return False

    expected = {
        p["title"] for p in seed["papers"] if any(under_quantization(t) for t in p["topics"])
    }
    listed = as_json("list", "--topic", "quantization")
    assert {p["title"] for p in listed} == expected
    assert len(expected) >= 15
    deep = as_json("show", "1510.00149")
    assert {"quantization", "pruning"} <= set(deep["topics"])
    assert "1510.00149" in [p["arxiv_id"] for p in as_json("list", "--topic", "pruning")]


def test_seed_reimport_changes_nothing_and_keeps_what_the_user_set(isolated_env: str) -> None:
    ok("import")
    ok("mark-read", "1510.00149")
    ok("note", "1510.00149", "my own note")
    ok("untag", "1510.00149", "deep-learning-optimization")
    ok("topic-parent", "hashing", "--clear")
    before = db_dump(isolated_env)
    out = ok("import")
    assert "0 added" in out
    assert db_dump(isolated_env) == before


def test_import_then_fetch_completes_in_as_few_requests_as_batches_allow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok("import")
    pending = [p for p in as_json("list") if p["arxiv_id"]]
    with ArxivStub() as stub:
        stub.respond_with(echo_papers)
        monkeypatch.setenv("PAPERTRAIL_ARXIV_API", stub.url)
        monkeypatch.delenv("PAPERTRAIL_OFFLINE")
        monkeypatch.setenv("PAPERTRAIL_ARXIV_BATCH", "40")
        ok("fetch")
        assert len(stub.requests) == math.ceil(len(pending) / 40)
        assert sorted(i for r in stub.requests for i in r.ids) == sorted(
            p["arxiv_id"] for p in pending
        )
    assert all(p["abstract"] for p in as_json("list") if p["arxiv_id"])


def test_dry_run_writes_nothing(isolated_env: str) -> None:
    ok("add", "1510.00149", "--no-fetch")
    before = db_dump(isolated_env)
    out = ok("import", "--dry-run")
    assert "Would import seed.json" in out and "+ " in out and "already present" in out
    assert db_dump(isolated_env) == before


# -- what was skipped, real reading lists ---------------------------------------------------


def test_skipped_entries_are_counted_and_listed_with_verbose(tmp_path: Path) -> None:
    listing = DATA / "markdown" / "not_papers.md"
    preview = ok("import", "--dry-run", str(listing))
    assert "  + 2303.08774" in preview  # what would be added...
    assert "  skipped nanoGPT: a repository link" in preview  # ...and skipped, and why
    assert "Would import not_papers.md: 5 added, 0 already present (merged), 9 skipped." in preview
    assert "no papertrail library there yet" in run("list").stderr  # a dry run creates none
    quiet = ok("import", str(listing))
    assert "skipped nanoGPT" not in quiet  # no line per skip by default...
    summary = next(line for line in quiet.splitlines() if line.startswith("Skipped: "))
    for count in ("2 a repository link", "2 a project page or blog link", "2 a course link"):
        assert count in summary  # ...but counts by reason
    ok("remove", "--yes", *[str(p["id"]) for p in as_json("list")])
    again = ok("import", "--verbose", str(listing))
    assert "  skipped Chatbot Arena Leaderboard: a leaderboard link" in again


def test_roadmap_citations_give_authors_that_keep_two_works_of_one_title_apart(
    reading_lists_dir: Path,
) -> None:
    ok("import", str(reading_lists_dir / "deep-learning-papers-reading-roadmap.md"))
    papers = as_json("list")
    deep = sorted((p["authors"], p["year"]) for p in papers if p["title"] == "Deep learning")
    assert deep == [  # `Bengio, Yoshua, Ian J. Goodfellow, and Aaron Courville. "Deep learning."`
        (["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"], 2015),
        (["Yoshua Bengio", "Ian J. Goodfellow", "Aaron Courville"], 2015),
    ]
    assert sum(1 for p in papers if p["authors"]) >= 125  # of 132: the citations name them


@pytest.mark.parametrize(
    ("name", "arxiv", "other", "titles"),
    [
        # 35: "Sequence to sequence learning..." is listed with its arXiv link and with its
        # NIPS link (one paper); the "Deep learning" book and review share a title and a
        # year but not their authors: two papers (test below).
        ("deep-learning-papers-reading-roadmap.md", 97, 35,
         ["Very deep convolutional networks for large-scale image recognition",
          "Deep residual learning for image recognition"]),
        # 276: "Post-Training Quantization for Vision Transformer" is listed with its NeurIPS
        # link and, later, its arXiv link: one paper.
        ("awesome-model-quantization.md", 235, 276,
         ["BiBench: Benchmarking and Analyzing Network Binarization",
          "How Good Are Low-bit Quantized LLaMA3 Models? An Empirical Study"]),
        ("awesome-pruning.md", 105, 175,
         ["Revisiting Pruning at Initialization Through the Lens of Ramanujan Graph",
          "Bit-Pruning: A Sparse Multiplication-Less Dot-Product"]),
    ],
)  # fmt: skip
def test_real_reading_lists_import_through_the_cli(
    reading_lists_dir: Path, name: str, arxiv: int, other: int, titles: list[str]
) -> None:
    out = ok("import", str(reading_lists_dir / name))
    papers = as_json("list")
    with_id = [p for p in papers if p["arxiv_id"]]
    assert (len(with_id), len(papers) - len(with_id)) == (arxiv, other)
    listed = {p["title"] for p in papers}
    for title in titles:
        assert title in listed
        assert title in (reading_lists_dir / name).read_text(encoding="utf-8")
    assert f"{arxiv + other} added" in out
    assert "0 added" in ok("import", str(reading_lists_dir / name))


# -- one paper, two sources -------------------------------------------------------------------


def test_the_same_paper_from_two_formats_is_one_record() -> None:
    ok("import", str(BIB / "biblatex.bib"))
    out = ok("import", str(DATA / "zotero.csl.json"))
    # Vaswani: arXiv in the .bib, a title in CSL; Wei: the arXiv DOI; the rest are new.
    assert "3 added, 2 already present (merged)" in out
    attention = [p for p in as_json("list") if p["title"].lower() == "attention is all you need"]
    assert len(attention) == 1 and attention[0]["arxiv_id"] == "1706.03762"
    assert attention[0]["volume"] == "30"  # filled from the CSL item: the .bib had none


def test_a_title_only_paper_gains_the_arxiv_id_of_the_same_paper(tmp_path: Path) -> None:
    ok("add", "--title", "Identity mappings in deep residual networks!", "--year", "2016")
    ok("mark-read", "1")
    ok("note", "1", "my note")
    note = as_json("show", "1")["note"]
    ok("import", str(BIB / "biblatex.bib"))
    paper = as_json("show", "1")
    assert paper["arxiv_id"] == "1603.05027"
    assert paper["title"] == "Identity mappings in deep residual networks!"  # the user's stays
    assert (paper["status"], paper["note"]) == ("read", note) and "my note" in note
    assert paper["authors"] == ["Kaiming He", "Xiangyu Zhang"]  # it had none


def test_different_papers_that_share_a_title_stay_apart(tmp_path: Path) -> None:
    bib = tmp_path / "quantum.bib"
    bib.write_text(
        "@article{a, title = {Quantum cryptography}, author = {Gisin, Nicolas}, year = 2002,"
        " doi = {10.1103/RevModPhys.74.145}}\n"
        "@article{b, title = {Quantum Cryptography.}, author = {Other, Olga}, year = 2010,"
        " doi = {10.1000/other}}\n"
        "@article{c, title = {Quantum cryptography}, author = {Gisin, N.}, year = 2002,"
        " doi = {10.1103/REVMODPHYS.74.145}}\n"
        "@article{d, title = {Quantum cryptography}, author = {Gisin, Nicolas}, year = 2003}\n",
        encoding="utf-8",
    )
    out = ok("import", str(bib))
    # c is a (the same DOI, whatever its case); d differs from a by its year.
    assert "3 added, 1 already present (merged)" in out
    assert sorted(p["year"] for p in as_json("list")) == [2002, 2003, 2010]


def test_titles_match_across_accents_punctuation_and_case(tmp_path: Path) -> None:
    ok("add", "--title", "Über die Quantisierung — neuronaler Netze", "--authors", "Jörg Müller")
    csl = [{
        "id": "u", "type": "article-journal", "title": "uber die quantisierung neuronaler netze",
        "author": [{"family": "Muller", "given": "Jorg"}], "container-title": "Zeitschrift",
    }]  # fmt: skip
    file = tmp_path / "one.csl.json"
    file.write_text(json.dumps(csl), encoding="utf-8")
    assert "0 added, 1 already present (merged)" in ok("import", str(file))
    assert as_json("show", "1")["venue"] == "Zeitschrift"


def test_an_import_is_one_change_that_undo_takes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", 2)  # several batches, one history entry
    ok("import", str(BIB / "biblatex.bib"))
    assert "imported biblatex.bib: 7 added, 0 merged" in ok("log")
    ok("undo")
    assert as_json("list") == []
