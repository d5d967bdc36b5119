"""Citation keys are stored: a paper keeps its key from one export to the next, whatever the
filters and the order, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.arxiv_stub import ArxivStub, echo_papers
from tests.support.cli import as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")

# Two papers whose keys are made alike (han2016deep), in different topics, and one of a
# reading list with no authors (a provisional key until it has them).
PAPERS = [
    {"title": "Deep Compression", "authors": ["Song Han", "Huizi Mao"], "year": 2016,
     "topics": ["pruning"]},
    {"title": "Deep Learning Made Small", "authors": ["Song Han"], "year": 2016,
     "topics": ["quantization"]},
    {"title": "A Survey of Quantization", "year": 2021, "topics": ["quantization"]},
]  # fmt: skip


def keys(*args: str) -> list[str]:
    """The keys as the library holds them (an export would write them out, freezing them)."""
    return [paper["citation_key"] for paper in as_json("list", *args)]


def import_papers(tmp_path: Path, papers: list[dict[str, object]]) -> None:
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(papers), encoding="utf-8")
    ok("import", str(path))


def test_a_paper_keeps_its_key_whatever_the_filters_and_the_order(tmp_path: Path) -> None:
    import_papers(tmp_path, PAPERS)
    assert keys() == ["han2016deep", "han2016deepa", "anon2021survey"]
    # Alone in its export, the second paper is still han2016deepa: a document citing both
    # exports never sees one key for two papers.
    assert keys("--topic", "quantization") == ["han2016deepa", "anon2021survey"]
    assert keys("--sort", "title") == ["anon2021survey", "han2016deep", "han2016deepa"]
    assert [as_json("show", str(n))["citation_key"] for n in (1, 2, 3)] == [
        "han2016deep", "han2016deepa", "anon2021survey",
    ]  # fmt: skip
    ok("edit", "1", "--title", "Deep Compression, revised")
    assert keys()[0] == "han2016deep"  # kept: documents cite it


def test_a_new_paper_never_takes_a_key_already_given(tmp_path: Path) -> None:
    import_papers(tmp_path, PAPERS[:1])
    ok("remove", "1", "--yes")
    import_papers(tmp_path, PAPERS[1:2])  # alone now: its key is made afresh
    assert keys() == ["han2016deep"]
    import_papers(tmp_path, [{**PAPERS[0], "title": "Deep Networks"}])
    assert keys() == ["han2016deep", "han2016deepa"]


def test_own_keys_of_a_bibliography_are_kept_avoided_and_never_doubled(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{han2016deep, title={Other Work}, author={Zed Other}, year={2010}}\n",
        encoding="utf-8",
    )
    ok("import", str(bib))
    import_papers(tmp_path, PAPERS[:1])
    assert keys() == ["han2016deep", "han2016deepa"]
    # A second bibliography naming another paper han2016deep: that paper gets its own.
    bib.write_text(
        "@article{han2016deep, title={Third Work}, author={Ann Roe}, year={2012}}\n",
        encoding="utf-8",
    )
    ok("import", str(bib))
    assert keys() == ["han2016deep", "han2016deepa", "roe2012third"]
    assert as_json("show", "han2016deep")["title"] == "Other Work"


def test_a_merged_bibliography_key_replaces_a_made_one_not_a_chosen_one(
    tmp_path: Path, arxiv: ArxivStub
) -> None:
    arxiv.respond_with(echo_papers)  # "Paper <id>" by A. Author, 2020
    ok("add", "2101.00001", "2101.00002")
    assert keys() == ["author2020paper", "author2020papera"]
    ok("edit", "2", "--key", "mine")
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{Han2016DC, title={Paper 2101.00001}, eprint={2101.00001},"
        " archivePrefix={arXiv}}\n"
        "@article{Other2016, title={Paper 2101.00002}, eprint={2101.00002},"
        " archivePrefix={arXiv}}\n",
        encoding="utf-8",
    )
    assert "2 already present (merged)" in ok("import", str(bib))
    assert keys() == ["Han2016DC", "mine"]  # the documents' key; the one set by hand stays


def test_papers_without_authors_never_share_a_key_with_others(tmp_path: Path) -> None:
    import_papers(tmp_path, [
        {"title": "Survey of Pruning", "authors": ["张伟"], "year": 2021, "topics": ["a"]},
        {"title": "Survey of Pruning", "year": 2021, "topics": ["b"]},
    ])  # fmt: skip
    assert keys() == ["anon2021survey", "anon2021surveya"]
    assert keys("--topic", "b") == ["anon2021surveya"]


def test_a_paper_added_without_metadata_gets_its_key_when_fetched(arxiv: ArxivStub) -> None:
    ok("add", "--no-fetch", "2101.00001")
    assert as_json("show", "1")["citation_key"] == "anon"  # provisional: no authors yet
    arxiv.respond_with(echo_papers)  # "Paper 2101.00001" by A. Author, 2020
    ok("fetch")
    assert as_json("show", "1")["citation_key"] == "author2020paper"
    ok("undo")  # the fetch, key included
    assert as_json("show", "1")["citation_key"] == "anon"


def test_edit_key_sets_one_refuses_a_taken_or_bad_one_and_empty_makes_a_new_one(
    tmp_path: Path,
) -> None:
    import_papers(tmp_path, PAPERS)
    assert ok("edit", "2", "--key", "han2016small").startswith("Edited [2] ")
    assert keys() == ["han2016deep", "han2016small", "anon2021survey"]
    for key, reason in (
        ("han2016deep", "is paper 1's"), ("two words", "not a citation key"),
        ("1234", "cannot be a number"), ("2101.00001", "an arXiv id"),
    ):  # fmt: skip
        refused = run("edit", "2", "--key", key)
        assert refused.exit_code != 0 and reason in refused.stderr
        assert "Traceback" not in refused.stderr
    assert as_json("show", "2")["citation_key"] == "han2016small"  # unchanged
    ok("edit", "2", "--key", "")  # made again from the paper
    assert as_json("show", "2")["citation_key"] == "han2016deepa"
    ok("undo")
    ok("undo")
    assert keys()[1] == "han2016deepa"  # as imported


def test_a_citation_key_is_a_ref_everywhere(tmp_path: Path) -> None:
    import_papers(tmp_path, PAPERS)
    assert as_json("show", "han2016deepa")["title"] == "Deep Learning Made Small"
    ok("mark-read", "han2016deep")
    assert as_json("show", "1")["status"] == "read"
    typo = run("show", "han2016deeq")
    assert typo.exit_code != 0 and typo.stderr == "Error: no paper 'han2016deeq' in the library\n"
    dotted = run("show", "1510.0014x")
    assert dotted.exit_code == 2 and "'1510.0014x' is not a REF" in dotted.stderr


def test_an_imported_key_that_reads_as_a_ref_is_never_stored(tmp_path: Path) -> None:
    """A bibliography's key "2", "1706.03762" or a DOI would name another paper (or none)
    when typed as a REF: such a paper is given a key made from it instead."""
    bib = tmp_path / "odd-keys.bib"
    bib.write_text(
        "@article{2, title = {Deep Residual Learning}, author = {He, Kaiming}, year = 2016}\n"
        "@article{1706.03762, title = {Attention Is All You Need}, author = {Vaswani, A.},"
        " year = 2017}\n"
        "@article{10.1145/3065386, title = {ImageNet Classification}, author = {Krizhevsky,"
        " Alex}, year = 2017}\n"
        "@article{lecun2015, title = {Deep learning}, author = {LeCun, Yann}, year = 2015}\n",
        encoding="utf-8",
    )
    ok("import", str(bib))
    assert keys() == ["he2016deep", "vaswani2017attention", "krizhevsky2017imagenet", "lecun2015"]
    assert as_json("show", "2")["title"] == "Attention Is All You Need"  # paper 2, by number
    assert as_json("show", "lecun2015")["title"] == "Deep learning"
    refused = run("edit", "1", "--key", "10.1145/3065386")
    assert refused.exit_code == 2 and "cannot be a number, an arXiv id or a DOI" in refused.stderr
