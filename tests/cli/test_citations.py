"""Crossref, Semantic Scholar and DBLP through the real CLI, against a local server that
serves the real recorded answers in ../shared/fixtures (and small ones in tests/data)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.support import paths
from tests.support.arxiv_stub import ArxivStub, atom_feed
from tests.support.cli import as_json, ok, run
from tests.support.services_stub import ServicesWorld
from tests.support.shared import require_shared

pytestmark = pytest.mark.usefixtures("backend")

DATA = paths.DATA / "services"
PLOS = "10.1371/journal.pone.0033693"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[ServicesWorld]:
    with ArxivStub() as stub:
        services = ServicesWorld(stub)
        for name, value in services.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("PAPERTRAIL_OFFLINE")
        yield services


def crossref(name: str) -> bytes:
    return (require_shared("fixtures", "crossref") / name).read_bytes()


def s2(name: str) -> bytes:
    return (require_shared("fixtures", "semanticscholar") / name).read_bytes()


def openalex(name: str) -> bytes:
    return (require_shared("fixtures", "openalex") / name).read_bytes()


def dblp(name: str) -> bytes:
    return (require_shared("fixtures", "dblp") / name).read_bytes()


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


# --------------------------------------------------------------------------- completion


def test_a_wrong_top_hit_is_rejected(world: ServicesWorld) -> None:
    # Crossref's recorded top hit for "Attention is all you need" is another paper, and
    # DBLP's is "Attentional Transfer is All You Need".
    world.crossref_search(
        "attention",
        crossref("works_search_query.title+query.author_attention_is_all_you_need.json"),
    )
    world.dblp_search(
        "attention", dblp("search_publ_api_format=json_q=attention_is_all_you_need.json")
    )
    ok("add", "--title", "Attention is all you need", "--year", "2017")
    out = ok("fetch", "--verbose")
    assert "Completed 0 of 1 paper(s) not on arXiv" in out
    assert "different: Crossref 'Self-Attention with Relative Position Representations'" in out
    assert "another title" in out
    assert "different: DBLP 'Attentional Transfer is All You Need" in out
    paper = as_json("show", "1")
    assert paper["authors"] == [] and paper["doi"] is None and paper["venue"] is None


def test_a_search_with_no_match_stores_nothing(world: ServicesWorld) -> None:
    world.crossref_search(
        "askldjrq3rjaw938h", crossref("works_search_query.title_no_match_rows=1.json")
    )
    ok("add", "--title", "askldjrq3rjaw938h")
    out = ok("fetch", "-v")
    assert "Completed 0 of 1" in out and "no hits" in out
    assert as_json("show", "1")["authors"] == []


def test_the_same_paper_is_accepted_and_fills_only_what_is_missing(world: ServicesWorld) -> None:
    world.dblp_search("deep sparse rectifier", (DATA / "dblp_glorot.json").read_bytes())
    url = "http://proceedings.mlr.press/v15/glorot11a/glorot11a.pdf"
    ok("add", "--title", "Deep Sparse Rectifier Neural Networks", "--url", url, "--year", "2011")
    out = ok("fetch", "--verbose")
    assert "Completed 1 of 1" in out
    assert "same: DBLP 'Deep Sparse Rectifier Neural Networks' (2011): title and year agree" in out
    assert "different: DBLP 'Deep Sparse Rectifier Neural Networks for Speech Denoising'" in out
    paper = as_json("show", "1")
    assert paper["authors"] == ["Xavier Glorot", "Antoine Bordes", "Yoshua Bengio"]
    assert (paper["venue"], paper["pages"], paper["entry_type"]) == (
        "AISTATS",
        "315-323",
        "inproceedings",
    )
    assert paper["url"] == url  # the user's link stays
    assert len(world.requests("/crossref/works")) == 1  # Crossref first, then DBLP
    assert "Nothing to fetch" in ok("fetch")  # completed papers are not searched again


def test_two_works_sharing_a_title_are_listed_as_unsure(world: ServicesWorld) -> None:
    world.crossref_search("deep learning", (DATA / "crossref_two_deep_learning.json").read_bytes())
    ok("add", "--title", "Deep Learning", "--url", "https://example.org/a")
    # The same title with the year the library knows: the Nature review is the one.
    ok("add", "--title", "Deep learning", "--url", "https://example.org/b", "--year", "2015")
    out = ok("fetch")
    assert "Completed 1 of 2" in out
    assert out.count("Unsure, not stored: [1] Deep Learning: Crossref 'Deep learning'") == 2
    assert as_json("show", "1")["authors"] == []
    second = as_json("show", "2")
    assert second["doi"] == "10.1038/nature14539" and second["authors"][0] == "Yann LeCun"


def test_a_service_down_is_one_warning_and_the_others_carry_on(world: ServicesWorld) -> None:
    world.stub.queue(503, b"down", times=4)  # Crossref's four attempts
    world.dblp_search("deep sparse rectifier", (DATA / "dblp_glorot.json").read_bytes())
    ok("add", "--title", "Deep Sparse Rectifier Neural Networks", "--year", "2011")
    ok("add", "--title", "Another Paper Entirely", "--year", "2011")
    result = run("fetch")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: Crossref is busy (HTTP 503) after 4 attempts; try again later\n"
    )
    assert "Completed 1 of 2" in result.stdout
    assert len(world.requests("/crossref/")) == 4  # not asked again for the second paper


# --------------------------------------------------------------------------- Semantic Scholar


def attention_paper() -> dict[str, object]:
    recorded = json.loads(s2("paper_search_match_attention_is_all_you_need_full_fields.json"))
    return recorded["data"][0]


def test_published_versions_and_citations(world: ServicesWorld) -> None:
    ok("add", "1706.03762", "2101.00001")
    world.s2_paper("ARXIV:1706.03762", attention_paper())  # 2101.00001: null, unknown
    out = ok("fetch", "--published", "--citations")
    assert "Published versions: 1 of 2 preprint(s)." in out
    assert "Neural Information Processing Systems 2017 (Semantic Scholar)" in out
    assert "Citation counts: 1 of 2 paper(s)." in out
    (batch,) = world.requests("/s2/paper/batch")
    assert json.loads(batch.body) == {"ids": ["ARXIV:1706.03762", "ARXIV:2101.00001"]}
    assert set(batch.params["fields"].split(",")) >= {"venue", "year", "citationCount"}
    paper = as_json("show", "1706.03762")
    assert (paper["venue"], paper["venue_year"], paper["citations"]) == (
        "Neural Information Processing Systems",
        2017,
        136941,
    )
    assert paper["citations_at"] is not None
    shown = ok("show", "1706.03762")
    assert f"Citations: 136941 (as of {paper['citations_at']})" in shown
    listed = [p["arxiv_id"] for p in as_json("list", "--sort", "citations")]
    assert listed == ["1706.03762", "2101.00001"]


def test_a_published_preprint_is_cited_as_published(world: ServicesWorld) -> None:
    ok("add", "1706.03762")
    world.s2_paper("ARXIV:1706.03762", attention_paper())
    ok("fetch", "--published")
    listed = as_json("list")[0]
    assert (listed["venue"], listed["venue_year"], listed["entry_type"]) == (
        "Neural Information Processing Systems",
        2017,
        "inproceedings",
    )
    bib = ok("export", "--format", "bibtex")
    assert bib.startswith("@inproceedings{")
    assert "booktitle = {Neural Information Processing Systems}" in bib
    assert "year = {2017}" in bib and "eprint = {1706.03762}" in bib


def test_seed_papers_not_on_arxiv_are_completed_by_one_fetch(world: ServicesWorld) -> None:
    ok("import")
    title_only = [p for p in as_json("list") if p["arxiv_id"] is None and not p["authors"]]
    world.dblp_search("deep sparse rectifier", (DATA / "dblp_glorot.json").read_bytes())
    world.crossref_search("deep learning", (DATA / "crossref_two_deep_learning.json").read_bytes())
    out = ok("fetch")
    assert f"Completed 2 of {len(title_only)} paper(s) not on arXiv" in out
    completed = {p["title"]: p for p in as_json("list") if p["arxiv_id"] is None and p["authors"]}
    assert completed["Deep Sparse Rectifier Neural Networks"]["venue"] == "AISTATS"
    assert completed["Deep Learning"]["doi"] == "10.1038/nature14539"
    assert len(completed) == 2
    asked = len(world.requests("/crossref/works"))
    ok("fetch")  # the others are looked up again; the two completed ones are not
    assert len(world.requests("/crossref/works")) - asked == len(title_only) - 2


def test_batches_hold_at_most_500_ids(world: ServicesWorld) -> None:
    ids = [f"2101.{n:05d}" for n in range(1, 702)]
    ok("add", "--no-fetch", *ids)
    ok("fetch", "--citations")
    sizes = [len(json.loads(r.body)["ids"]) for r in world.requests("/s2/paper/batch")]
    assert sizes == [500, 201]


def test_the_api_key_is_sent_and_never_printed(
    world: ServicesWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_S2_API_KEY", "sekrit-key-123")
    ok("add", "1706.03762")
    world.stub.queue(403, b"Forbidden: sekrit-key-123 is not valid")
    result = run("fetch", "--citations")
    assert world.requests("/s2/")[0].headers["x-api-key"] == "sekrit-key-123"
    assert "sekrit" not in result.stdout + result.stderr
    assert result.stderr == "Warning: Semantic Scholar refused the request (HTTP 403)\n"


def test_recorded_batch_with_a_null_for_a_missing_id(world: ServicesWorld) -> None:
    from papertrail.services.config import ServiceSettings
    from papertrail.services.semanticscholar import SemanticScholarClient

    ids = ["CorpusId:211530585", "CorpusId:470667", "10.2139/ssrn.2250500",
           "0f40b1f08821e22e859c6050916cec3667778613"]  # fmt: skip
    world.stub.queue(200, s2("paper_batch_POST_with_null_for_missing_id.json"))
    with SemanticScholarClient(ServiceSettings.load(offline=False)) as client:
        (found,) = list(client.batch(ids))
    assert ids[0] not in found and set(found) == set(ids[1:])
    assert found[ids[1]].title == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert found[ids[1]].doi == "10.2139/ssrn.288970"


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


def test_refresh_never_erases_a_stored_title(world: ServicesWorld) -> None:
    ok("add", "2101.00001")
    assert as_json("show", "2101.00001")["title"] == "Paper 2101.00001"
    degraded = atom_feed([{"id": "2101.00001v2", "title": "", "authors": []}])
    world.stub.queue(200, degraded)
    ok("fetch", "--refresh")
    paper = as_json("show", "2101.00001")
    assert paper["title"] == "Paper 2101.00001" and paper["version"] == 2
    assert paper["authors"] == ["A. Author"]
