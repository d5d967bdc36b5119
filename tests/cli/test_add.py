"""`add`: arXiv ids and URLs offline (metadata pending), versions, topics, refs that are no
ids, papers not on arXiv by --title, and papers by DOI from Crossref or OpenAlex (played by
a local server; fetching arXiv metadata is in test_fetch.py)."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, as_json, ok, run
from tests.support.recorded import PLOS, crossref, openalex
from tests.support.services_stub import ServicesWorld

pytestmark = pytest.mark.usefixtures("backend")


def test_add_without_fetch_keeps_the_paper_pending_with_a_warning() -> None:
    result = run("add", "https://arxiv.org/abs/1510.00149v3", "--no-fetch")
    assert result.exit_code == 0
    assert "Added [1] 1510.00149" in result.stdout
    assert "without metadata" in result.stderr and "papertrail fetch" in result.stderr
    [paper] = as_json("list")
    assert paper["arxiv_id"] == "1510.00149"
    assert paper["version"] == 3
    assert paper["title"] is None
    assert paper["status"] == "unread"


def test_offline_env_adds_with_pending_metadata() -> None:
    result = run("add", "1510.00149")  # PAPERTRAIL_OFFLINE=1 is set for every test
    assert result.exit_code == 0
    assert "offline" in result.stderr
    assert as_json("show", "1510.00149")["title"] is None


def test_versions_of_a_paper_are_one_record_with_the_latest_version() -> None:
    add_offline("1510.00149v1", "arXiv:1510.00149v4", "1510.00149v2")
    add_offline("1510.00149v5")
    papers = as_json("list")
    assert len(papers) == 1
    assert papers[0]["version"] == 5


def test_adding_again_adds_topics_and_says_it_was_there() -> None:
    add_offline("1510.00149", topic="pruning")
    out = ok("add", "http://arxiv.org/pdf/1510.00149.pdf", "--no-fetch", "-t", "Quantization")
    assert "Already in the library" in out
    assert "quantization" in out
    [paper] = as_json("list")
    assert paper["topics"] == ["pruning", "quantization"]


def test_bad_ref_is_a_one_line_usage_error_before_anything_is_added() -> None:
    # docs/cli.md: text that is no REF is a usage error (2), and a usage error writes nothing.
    result = run("add", "1510.00149", "not-an-id", "--no-fetch")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 'not-an-id' is not a REF")
    assert result.stderr.count("\n") == 1
    assert run("list").exit_code == 4  # no library was even created


def test_only_bad_refs_change_nothing() -> None:
    add_offline("1510.00149")
    result = run("add", "0000.0000", "--no-fetch")
    assert result.exit_code == 2
    assert len(as_json("list")) == 1


def test_manual_paper_not_on_arxiv() -> None:
    out = ok(
        "add", "--title", "Deep Sparse Rectifier Neural Networks",
        "--url", "http://proceedings.mlr.press/v15/glorot11a/glorot11a.pdf",
        "--year", "2011", "--authors", "Xavier Glorot; Antoine Bordes; Yoshua Bengio",
        "-t", "activations",
    )  # fmt: skip
    assert "Added [1] Deep Sparse Rectifier Neural Networks" in out
    paper = as_json("show", "1")
    assert paper["arxiv_id"] is None
    assert paper["authors"] == ["Xavier Glorot", "Antoine Bordes", "Yoshua Bengio"]
    assert paper["year"] == 2011
    again = ok("add", "--title", "deep sparse rectifier neural networks")
    assert "Already in the library" in again
    assert len(as_json("list")) == 1
    # Two works may share a title (the "Deep learning" book and review): a different URL
    # makes a different paper.
    other = ok(
        "add", "--title", "Deep Sparse Rectifier Neural Networks", "--url", "https://e.org/b"
    )
    assert "Added [2]" in other


# --------------------------------------------------------------------------- add by DOI


@pytest.mark.parametrize(
    "form",
    [PLOS, f"doi:{PLOS}", f"https://doi.org/{PLOS}", f"http://dx.doi.org/{PLOS}",
     "https://doi.org/10.1371%2Fjournal.pone.0033693"],
    ids=["bare", "doi-prefix", "doi.org", "dx.doi.org", "encoded"],
)  # fmt: skip
def test_add_by_doi_in_every_form(world: ServicesWorld, form: str) -> None:
    world.crossref_work(PLOS, crossref("works_journal-article_10.1371_journal.pone.0033693.json"))
    out = ok("add", form, "-t", "neuro")
    assert out.startswith("Added [1] Methylphenidate Exposure Induces Dopamine Neuron Loss")
    paper = as_json("show", "1")
    assert paper["title"] == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia "
        "in the Basal Ganglia of Mice"
    )
    assert paper["authors"][:2] == ["Shankar Sadasivan", "Brooks B. Pond"]
    assert (paper["year"], paper["published"]) == (2012, "2012-03-21")
    assert (paper["venue"], paper["entry_type"]) == ("PLoS ONE", "article")
    assert (paper["volume"], paper["number"], paper["pages"]) == ("7", "3", "e33693")
    assert paper["publisher"] == "Public Library of Science (PLoS)"
    assert paper["doi"] == PLOS and paper["url"] == f"https://doi.org/{PLOS}"
    assert paper["arxiv_id"] is None and paper["topics"] == ["neuro"]
    (request,) = world.requests("/crossref/")
    assert request.path == f"/crossref/works/{PLOS}"
    assert request.headers["user-agent"].startswith("papertrail/")
    # Again, in another form: the same paper, not a second one.
    assert "Already in the library: [1]" in ok("add", f"DOI:{PLOS.upper()}")


def test_proceedings_article_and_polite_pool(
    world: ServicesWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_MAILTO", "reader@example.org")
    doi = "10.1145/3184558.3186235"
    world.crossref_work(
        doi, crossref("works_proceedings-article_acm_10.1145_3184558.3186235.papis-pretty.json")
    )
    ok("add", f"https://doi.org/{doi}")
    paper = as_json("show", "1")
    assert paper["title"] == "DL-Learner Structured Machine Learning on Semantic Web Data"
    assert paper["authors"][0] == "Lorenz Bühmann"
    assert paper["entry_type"] == "inproceedings" and paper["year"] == 2018
    assert paper["venue"].startswith("Companion of the The Web Conference 2018")
    assert world.requests("/crossref/")[0].params["mailto"] == "reader@example.org"


def test_a_work_crossref_gives_no_title_is_added_without_a_made_up_reason(
    world: ServicesWorld,
) -> None:
    body = b'{"status": "ok", "message-type": "work", "message": {"DOI": "10.1234/untitled"}}'
    world.crossref_work("10.1234/untitled", body)
    result = run("add", "10.1234/untitled")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Added [1] doi:10.1234/untitled"), result.stdout
    assert "None" not in result.stdout + result.stderr
    assert "without metadata" not in result.stderr  # Crossref answered: nothing is pending


def test_unknown_doi_is_one_line_and_adds_nothing(world: ServicesWorld) -> None:
    # Crossref's real answer for an unknown DOI: 404 "Resource not found."
    assert crossref("works_404_10.1371_notarealdoi.txt") == b"Resource not found."
    result = run("add", "10.1371/notarealdoi")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: neither Crossref nor OpenAlex knows DOI 10.1371/notarealdoi: nothing added\n"
    )
    assert as_json("list") == []
    assert len(world.requests("/crossref/")) == len(world.requests("/openalex/")) == 1


def test_a_doi_crossref_lacks_comes_from_openalex(world: ServicesWorld) -> None:
    doi = "10.1016/j.xgen.2025.100814"
    world.openalex_work(doi, openalex("works_doi_10.1016_j.xgen.2025.100814.json"))
    ok("add", f"doi:{doi}")
    paper = as_json("show", "1")
    assert paper["title"] == (
        "High-throughput screening of human genetic variants by pooled prime editing"
    )
    assert paper["authors"][0] == "Michael Herger" and paper["year"] == 2025
    assert (paper["venue"], paper["pages"], paper["doi"]) == ("Cell Genomics", "100814", doi)
    assert [r.path for r in world.requests("/crossref/")] == [f"/crossref/works/{doi}"]


def test_an_unknown_doi_does_not_stop_the_arxiv_ids_of_the_same_add(world: ServicesWorld) -> None:
    result = run("add", "10.1371/notarealdoi", "1706.03762")
    assert result.exit_code == 1
    assert "Added [1] 1706.03762 Paper 1706.03762" in result.stdout
    assert "neither Crossref nor OpenAlex knows DOI 10.1371/notarealdoi" in result.stderr


def test_arxiv_dois_go_to_arxiv_not_crossref(world: ServicesWorld) -> None:
    ok("add", "https://doi.org/10.48550/arXiv.1706.03762")
    assert as_json("show", "1706.03762")["title"] == "Paper 1706.03762"
    assert world.requests("/crossref/") == []
    assert [r.ids for r in world.requests("/api/query")] == [["1706.03762"]]


def test_crossref_busy_then_fine(world: ServicesWorld) -> None:
    world.crossref_work(PLOS, crossref("works_journal-article_10.1371_journal.pone.0033693.json"))
    world.stub.queue(429, b"Too Many Requests", {"Retry-After": "0"})
    ok("add", PLOS)
    assert as_json("show", "1")["venue"] == "PLoS ONE"
    assert len(world.requests("/crossref/")) == 2


def test_crossref_down_adds_pending_and_fetch_completes(world: ServicesWorld) -> None:
    world.stub.queue(503, b"down", times=4)
    result = run("add", PLOS, "-t", "later")
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: 1 paper(s) added without metadata (Crossref is ")
    assert "HTTP 503" in result.stderr and result.stderr.count("\n") == 1
    pending = as_json("show", "1")
    assert (pending["title"], pending["doi"], pending["topics"]) == (None, PLOS, ["later"])
    world.crossref_work(PLOS, crossref("works_journal-article_10.1371_journal.pone.0033693.json"))
    out = ok("fetch")
    assert "Completed 1 of 1 paper(s) not on arXiv" in out
    done = as_json("show", "1")
    assert done["title"].startswith("Methylphenidate") and done["topics"] == ["later"]
