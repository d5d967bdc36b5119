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
# reading list with no authors (no key until it has them).
PAPERS = [
    {"title": "Deep Compression", "authors": ["Song Han", "Huizi Mao"], "year": 2016,
     "topics": ["pruning"]},
    {"title": "Deep Learning Made Small", "authors": ["Song Han"], "year": 2016,
     "topics": ["quantization"]},
    {"title": "A Survey of Quantization", "year": 2021, "topics": ["quantization"]},
]  # fmt: skip


def keys(*args: str) -> list[str]:
    text = ok("export", "--format", "bibtex", *args)
    return [line[line.index("{") + 1 : -1] for line in text.splitlines() if line.startswith("@")]


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
        "han2016deep", "han2016deepa", None,
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


def test_own_keys_of_a_bibliography_are_kept_and_avoided(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{han2016deep, title={Other Work}, author={Zed Other}, year={2010}}\n",
        encoding="utf-8",
    )
    ok("import", str(bib))
    import_papers(tmp_path, PAPERS[:1])
    assert keys() == ["han2016deep", "han2016deepa"]


def test_a_paper_added_without_metadata_gets_its_key_when_fetched(arxiv: ArxivStub) -> None:
    ok("add", "--no-fetch", "2101.00001")
    assert as_json("show", "1")["citation_key"] is None
    arxiv.respond_with(echo_papers)  # "Paper 2101.00001" by A. Author, 2020
    ok("fetch")
    assert as_json("show", "1")["citation_key"] == "author2020paper"
    ok("undo")  # the fetch, key included
    assert as_json("show", "1")["citation_key"] is None


def test_edit_key_sets_one_refuses_a_taken_or_bad_one_and_empty_makes_a_new_one(
    tmp_path: Path,
) -> None:
    import_papers(tmp_path, PAPERS)
    assert ok("edit", "2", "--key", "han2016small").startswith("Edited [2] ")
    assert keys() == ["han2016deep", "han2016small", "anon2021survey"]
    for key, reason in (("han2016deep", "is paper 1's"), ("two words", "not a citation key")):
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
    assert dotted.exit_code != 0 and "not an arXiv id or URL" in dotted.stderr
