"""`papertrail suggest`: Semantic Scholar's references, citations and recommendations of the
papers one has read, ranked by the reader model; played by the local stand-in server with a
recorded Semantic Scholar page among the answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import as_json, ok, run
from tests.support.services_stub import ServicesWorld
from tests.support.shared import require_shared

pytestmark = pytest.mark.usefixtures("backend")

LIBRARY = [
    ("2401.00001", "Low-bit quantization of neural network weights", "read"),
    ("2401.00002", "Post-training quantization for transformers", "read"),
    ("2401.00003", "Binary neural networks with quantized activations", "unread"),
    ("2401.00004", "Magnitude pruning of deep networks", "unread"),
    ("2401.00005", "Structured channel pruning", "unread"),
]


def import_library(tmp_path: Path) -> None:
    papers = [
        {"arxiv_id": arxiv_id, "title": title, "status": status, "authors": ["X. Writer"],
         "topics": ["quantization" if "quantiz" in title.lower() else "pruning"],
         "fetched_at": "2026-01-01T00:00:00Z"}
        for arxiv_id, title, status in LIBRARY
    ]  # fmt: skip
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"format": "papertrail", "version": 1, "papers": papers}))
    ok("import", str(path))


def paper(paper_id: str, title: str, arxiv_id: str | None = None, **extra: object) -> dict:
    ids = {"ArXiv": arxiv_id} if arxiv_id else {}
    return {"paperId": paper_id, "title": title, "externalIds": ids, "authors": [], **extra}


@pytest.fixture
def recorded_page() -> bytes:
    """A real page of references (economics papers: nothing a quantization reader wants)."""
    folder = require_shared("fixtures", "semanticscholar")
    return (folder / "paper_references_offset0_limit50_has_next.json").read_bytes()


def test_suggestions_come_ranked_by_the_model(
    tmp_path: Path, world: ServicesWorld, recorded_page: bytes
) -> None:
    import_library(tmp_path)
    world.s2_pages("ARXIV:2401.00001", "references", [recorded_page])
    world.s2_pages("ARXIV:2401.00002", "citations", [json.dumps({"offset": 0, "data": [
        {"citingPaper": paper("c1", "Quantization of weights to 2 bits", "2502.00001")},
        {"citingPaper": paper("c2", "Low-bit quantization of neural network weights",
                              "2401.00001")},  # in the library: left out
    ]}).encode()])  # fmt: skip
    world.s2_recommendations(json.dumps({"recommendedPapers": [
        paper("r1", "Quantized transformers at 4 bits", "2502.00002",
              abstract="Post-training quantization of transformer weights."),
        paper("r2", "A history of the printing press"),
    ]}).encode())  # fmt: skip
    found = as_json("suggest", "--topic", "quantization", "--limit", "5")
    titles = [s["title"] for s in found]
    assert set(titles[:2]) == {"Quantization of weights to 2 bits",
                               "Quantized transformers at 4 bits"}  # fmt: skip
    assert "Low-bit quantization of neural network weights" not in titles
    assert found[0]["topic"] == "quantization" and found[0]["score"] > found[-1]["score"]
    by_title = {s["title"]: s for s in found}
    assert by_title["Quantized transformers at 4 bits"]["sources"] == ["recommended"]
    assert by_title["Quantization of weights to 2 bits"]["sources"] == ["citations of [2]"]
    (asked,) = world.requests("/s2/recommendations")
    body = json.loads(asked.body)
    assert sorted(body["positivePaperIds"]) == ["ARXIV:2401.00001", "ARXIV:2401.00002"]
    rows = [
        line.split("\t") for line in ok("suggest", "-t", "quantization", "-n", "2").splitlines()
    ]
    assert [r[0] for r in rows] == ["1", "2"] and rows[0][5].startswith("quantization")
    # --add takes them into the topic (arXiv ones through arXiv's API)
    result = run("suggest", "-t", "quantization", "-n", "2", "--add")
    assert result.exit_code == 0, result.stderr
    assert "Added 2 paper(s)." in result.stdout
    listed = as_json("list", "--topic", "quantization")
    assert {"2502.00001", "2502.00002"} <= {p["arxiv_id"] for p in listed}


def test_offline_says_so_and_suggests_nothing(tmp_path: Path) -> None:
    import_library(tmp_path)
    result = run("suggest")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr == (
        "Error: offline (PAPERTRAIL_OFFLINE=1): suggest asks Semantic Scholar; nothing suggested\n"
    )


def test_an_empty_library_says_what_is_missing(world: ServicesWorld) -> None:
    ok("add", "2401.00009", "--no-fetch", "-t", "quantization")  # no title to learn from
    result = run("suggest")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no topic of the library has a paper")
    assert world.requests("/s2") == []
