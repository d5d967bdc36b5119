"""`find`: the text inside the papers' PDFs, ranked, with the pages that match; the same
query language and results on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tests.support.cli import add_offline, as_json, ok, run
from tests.support.pdfs import expected, fixtures, paper_pdf, phrases

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def library(tmp_path: Path) -> None:
    """Three papers with a PDF each, in topics and statuses."""
    texts = {
        "2101.00001": (
            "Compressing networks",
            "Compressing deep networks by pruning their weights.",
        ),
        "2101.00002": (
            "Quantized training",
            "We train with quantized gradients and résumé states.",
        ),
        "2101.00003": (
            "Transformers for trees",
            "A transformer over trees with pruning of branches.",
        ),
    }
    for number, (arxiv_id, (title, inner)) in enumerate(texts.items(), start=1):
        path = tmp_path / f"{number}.pdf"
        path.write_bytes(paper_pdf(title, inner=inner, pages=2 + number))
        add_offline(arxiv_id, topic="compression" if number < 3 else "nlp")
        ok("attach", arxiv_id, str(path))
    ok("mark-read", "2101.00003")


def ids(*query: str) -> list[int]:
    return [hit["id"] for hit in as_json("find", *query)]


@pytest.mark.usefixtures("library")
def test_the_query_language() -> None:
    assert ids("compression") == [1]  # stemmed: "compressing" is found by "compression"
    assert sorted(ids("pruning")) == [1, 3]
    assert ids('"pruning their weights"') == [1]
    assert ids('"their pruning weights"') == []
    assert sorted(ids("quantiz*")) == [2]
    assert sorted(ids("transformer OR quantized")) == [2, 3]
    assert ids("pruning NOT trees") == [1]
    assert ids("pruning -trees") == [1]
    assert ids("resume") == [2]  # accents aside
    assert ids("pruning", "--topic", "nlp") == [3]
    assert ids("pruning", "--status", "read") == [3]
    assert len(ids("pruning", "-n", "1")) == 1
    assert ids("title:x NEAR(a b) ^c") == []  # FTS5 syntax is text, never syntax


@pytest.mark.usefixtures("library")
def test_pages_snippets_and_the_output_forms() -> None:
    (hit,) = as_json("find", "branches")
    assert hit["id"] == 3 and [p["page"] for p in hit["pages"]] == [2, 3, 4]
    assert all("branches" in p["snippet"] for p in hit["pages"])
    assert {"id", "arxiv_id", "title", "score", "pages", "files"} <= set(hit)
    assert all(set(page) == {"page", "snippet"} for page in hit["pages"])
    assert isinstance(hit["score"], float)
    lines = ok("find", "branches").splitlines()
    assert lines[0].split("\t")[:4] == ["3", "2101.00003", "", "2"]
    assert len(lines) == 3
    empty = run("find", "nothingatall")
    assert empty.exit_code == 0 and empty.stdout == "" and empty.stderr == "No page matches.\n"


def test_a_library_without_text_says_how_to_get_some() -> None:
    add_offline("2101.00001")
    result = run("find", "anything")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no file in the library has text yet (`papertrail fetch --pdf`" in result.stderr


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unbalanced', 'unbalanced quote (") in the query'),
        ("(a b", "unbalanced parenthesis '(' in the query"),
        ("NOT spoon", "NOT only excludes: say what to find too"),
        ("a OR", "OR needs a term on each side"),
        ("*", "a prefix* needs letters or digits before the '*'"),
    ],
)
def test_a_query_that_cannot_be_read_is_one_line_and_exit_2(query: str, message: str) -> None:
    add_offline("2101.00001")
    result = run("find", query)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1


def _squash(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def test_a_phrase_from_an_inner_page_of_every_real_paper_is_found_on_its_page() -> None:
    folder = fixtures()
    result = run("import", str(folder))
    assert result.exit_code == 1  # the scan and the HTML page, one line each
    papers = {f["name"]: p["id"] for p in as_json("list") for f in p["files"]}
    for name, (page, phrase) in phrases().items():
        query = f'"{phrase}"' if not expected()[name]["file"].startswith("09") else phrase
        hits = as_json("find", query)
        assert hits, name
        assert hits[0]["id"] == papers[name], name
        assert page in [p["page"] for p in hits[0]["pages"]], name
        shown = _squash(hits[0]["pages"][0]["snippet"])
        assert any(_squash(word) in shown for word in phrase.split()[:3]), (name, shown)
