"""Metadata through the real CLI: `add` and `fetch` against a local stand-in for arXiv on
127.0.0.1; papers not on arXiv completed from Crossref and DBLP; --published and
--citations from Semantic Scholar (recorded answers in ../shared/fixtures, small ones in
tests/data/services)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertrail import __version__
from tests.support import paths
from tests.support.arxiv_stub import ArxivStub, atom_feed, echo_papers
from tests.support.cli import as_json, ok, run
from tests.support.recorded import crossref, dblp, s2
from tests.support.services_stub import ServicesWorld

pytestmark = pytest.mark.usefixtures("backend")

DATA = paths.DATA / "services"


def fixture_bytes(fixtures: Path, name: str) -> bytes:
    return (fixtures / name).read_bytes()


def test_add_several_ids_in_one_request_with_metadata(arxiv: ArxivStub) -> None:
    arxiv.respond_with(echo_papers)
    out = ok("add", "1510.00149", "https://arxiv.org/abs/1801.04381v2", "hep-th/9901001", "-t", "q")
    assert len(arxiv.requests) == 1
    sent = arxiv.requests[0]
    assert sent.ids == ["1510.00149", "1801.04381", "hep-th/9901001"]
    assert sent.params["max_results"] == "3"
    assert sent.headers["user-agent"].startswith(f"papertrail/{__version__}")
    assert out.count("Added") == 3
    titles = {p["arxiv_id"]: p["title"] for p in as_json("list")}
    assert titles == {
        "1510.00149": "Paper 1510.00149",
        "1801.04381": "Paper 1801.04381",
        "hep-th/9901001": "Paper hep-th/9901001",
    }


def test_add_stores_every_field_from_a_recorded_response(
    arxiv: ArxivStub, arxiv_fixtures: Path
) -> None:
    arxiv.queue(200, fixture_bytes(arxiv_fixtures, "legacy_query_1601.00001_doi_journalref.xml"))
    ok("add", "arXiv:1601.00001")
    paper = as_json("show", "1601.00001")
    assert paper["title"] and "  " not in paper["title"]
    assert paper["doi"] and paper["journal_ref"]
    assert paper["published"] and len(paper["published"]) == 10
    assert paper["url"] == "https://arxiv.org/abs/1601.00001"
    assert paper["pdf_url"] == "https://arxiv.org/pdf/1601.00001"
    assert paper["version"] >= 1 and paper["primary_category"]


def test_thirty_four_authors_in_order_with_non_ascii(
    arxiv: ArxivStub, arxiv_fixtures: Path
) -> None:
    arxiv.queue(200, fixture_bytes(arxiv_fixtures, "query_1707.08567_34authors.xml"))
    ok("add", "1707.08567")
    paper = as_json("show", "1707.08567")
    assert len(paper["authors"]) == 34
    assert "Dirk Wübben" in paper["authors"]
    assert ok("list").split("\t")[3] == paper["authors"][0] + " et al."


def test_title_zero_is_a_title(arxiv: ArxivStub, arxiv_fixtures: Path) -> None:
    arxiv.queue(200, fixture_bytes(arxiv_fixtures, "query_versioned_2104.12255v1.xml"))
    ok("add", "2104.12255v1")
    assert as_json("show", "2104.12255")["title"] == "0"


def test_missing_id_is_reported_and_not_added(arxiv: ArxivStub, arxiv_fixtures: Path) -> None:
    arxiv.queue(200, fixture_bytes(arxiv_fixtures, "query_multi_2ids_one_missing.xml"))
    result = run("add", "0808.05394", "1707.08567")
    assert result.exit_code == 1
    assert "arXiv has no paper 0808.05394" in result.stderr
    assert [p["arxiv_id"] for p in as_json("list")] == ["1707.08567"]


def test_malformed_id_is_refused_before_sending(arxiv: ArxivStub) -> None:
    arxiv.respond_with(echo_papers)
    result = run("add", "1510.00149", "abc")
    assert result.exit_code == 2  # a usage error: nothing asked, nothing added
    assert "'abc' is not a REF" in result.stderr
    assert arxiv.requests == []


def test_http_400_error_entry_is_a_per_id_message_never_a_paper(
    arxiv: ArxivStub, arxiv_fixtures: Path
) -> None:
    arxiv.queue(400, fixture_bytes(arxiv_fixtures, "query_error_malformed_id_http400.xml"))
    result = run("add", "1510.00149")
    assert result.exit_code == 1
    assert "Error: 1510.00149" in result.stderr
    assert all(p["title"] != "Error" for p in as_json("list"))


def test_503_then_200_retries_and_succeeds(arxiv: ArxivStub) -> None:
    arxiv.queue(503, b"busy", {"Retry-After": "0"})
    arxiv.respond_with(echo_papers)
    ok("add", "1510.00149")
    assert len(arxiv.requests) == 2
    assert as_json("show", "1510.00149")["title"] == "Paper 1510.00149"


def test_unreachable_arxiv_keeps_the_paper_pending_then_fetch_completes_it(
    arxiv: ArxivStub,
) -> None:
    arxiv.queue(503, b"down", times=10)
    result = run("add", "1510.00149", "1602.01528", "-t", "pruning")
    assert result.exit_code == 0
    assert "2 paper(s) added without metadata" in result.stderr
    assert "HTTP 503" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert [p["title"] for p in as_json("list")] == [None, None]

    arxiv._replies.clear()
    arxiv.respond_with(echo_papers)
    before = len(arxiv.requests)
    out = ok("fetch")
    assert "Fetched metadata for 2 of 2" in out
    assert len(arxiv.requests) == before + 1
    assert [p["title"] for p in as_json("list")] == ["Paper 1510.00149", "Paper 1602.01528"]
    assert as_json("show", "1")["topics"] == ["pruning"]
    assert "Nothing to fetch" in ok("fetch")


def test_offline_add_then_fetch(arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAIL_OFFLINE", "1")
    ok("add", "1510.00149", "1602.01528")
    assert arxiv.requests == []
    offline_fetch = run("fetch")
    assert offline_fetch.exit_code == 3 and "offline" in offline_fetch.stderr
    monkeypatch.delenv("PAPERTRAIL_OFFLINE")
    arxiv.respond_with(echo_papers)
    ok("fetch")
    assert [r.ids for r in arxiv.requests] == [["1510.00149", "1602.01528"]]


def test_fetch_batches_keep_what_succeeded_when_arxiv_fails(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_BATCH", "2")
    ok("add", "--no-fetch", "1510.00149", "1602.01528", "1608.04493", "1707.06168")
    arxiv.queue(200, atom_feed([{"id": "1510.00149"}, {"id": "1602.01528"}]))
    arxiv.queue(503, b"down", times=10)
    result = run("fetch")
    assert result.exit_code == 3
    assert "2 paper(s) still pending" in result.stderr
    assert [p["title"] is not None for p in as_json("list")] == [True, True, False, False]
    arxiv._replies.clear()
    arxiv.respond_with(echo_papers)
    ok("fetch")
    assert [r.ids for r in arxiv.requests[-1:]] == [["1608.04493", "1707.06168"]]
    assert all(p["title"] for p in as_json("list"))


def test_refresh_reports_newer_versions(arxiv: ArxivStub) -> None:
    arxiv.queue(200, atom_feed([{"id": "1510.00149v1", "title": "Deep Compression"}]))
    ok("add", "1510.00149")
    assert as_json("show", "1")["version"] == 1
    ok("note", "1", "--replace", "keep me")
    arxiv.queue(200, atom_feed([{"id": "1510.00149v5", "title": "Deep Compression (v5)"}]))
    out = ok("fetch", "--refresh")
    assert "Newer version: [1] 1510.00149" in out and "v5 (was v1)" in out
    paper = as_json("show", "1")
    assert (paper["version"], paper["title"], paper["note"]) == (
        5,
        "Deep Compression (v5)",
        "keep me",
    )


def test_fetch_named_refs_only(arxiv: ArxivStub) -> None:
    ok("add", "--no-fetch", "1510.00149", "1602.01528")
    arxiv.respond_with(echo_papers)
    ok("fetch", "2")
    assert [r.ids for r in arxiv.requests] == [["1602.01528"]]
    ok("add", "--title", "Not on arXiv", "--url", "https://e.org")
    # Not on arXiv: looked up in Crossref and DBLP (unreachable here), arXiv not asked.
    result = run("fetch", "3")
    assert result.exit_code == 0
    assert "Completed 0 of 1 paper(s) not on arXiv" in result.stdout
    warnings = result.stderr.splitlines()
    services = [w.split(" did not answer")[0] for w in warnings]
    assert services == ["Warning: Crossref", "Warning: DBLP"]
    assert len(arxiv.requests) == 1


def test_title_with_markup_from_arxiv_is_shown_literally(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv.queue(200, atom_feed([{"id": "1510.00149", "title": "[red]x[/red] and [bold]y"}]))
    ok("add", "1510.00149")
    assert "[red]x[/red] and [bold]y" in ok("list")
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "160")
    assert "[red]x[/red] and [bold]y" in ok("list")
    assert "[red]x[/red] and [bold]y" in ok("show", "1")


def test_refresh_never_erases_a_stored_value(arxiv: ArxivStub) -> None:
    """A degraded answer (an entry without title or authors) keeps what the paper has."""
    arxiv.respond_with(echo_papers)
    ok("add", "2101.00001")
    assert as_json("show", "2101.00001")["title"] == "Paper 2101.00001"
    arxiv.queue(200, atom_feed([{"id": "2101.00001v2", "title": "", "authors": []}]))
    ok("fetch", "--refresh")
    paper = as_json("show", "2101.00001")
    assert paper["title"] == "Paper 2101.00001" and paper["version"] == 2
    assert paper["authors"] == ["A. Author"]


# ----------------------------------------------- papers not on arXiv: Crossref and DBLP


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
        # The paper has authors now: its key is made again, the old one still names it.
        "Note: the key anon2011deep is now glorot2011deep; anon2011deep still names the paper\n"
    )
    assert "Completed 1 of 2" in result.stdout
    assert len(world.requests("/crossref/")) == 4  # not asked again for the second paper


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
    again = run("fetch")  # what the services answered is remembered: nothing is asked
    assert len(world.requests("/crossref/works")) == asked
    assert again.exit_code == 0 and again.stdout.startswith("Nothing to fetch")
    assert again.stderr == (
        f"Not asked again: {len(title_only) - 2} paper(s) the services answered about in "
        "the last 30 days (--retry asks again).\n"
    )
    ok("fetch", "--retry")  # the others are looked up again; the two completed ones are not
    assert len(world.requests("/crossref/works")) - asked == len(title_only) - 2


# ---------------------------------------- --published and --citations: Semantic Scholar


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


# ----------------------------------------------------------------------------- issue 10


def test_refresh_never_erases_a_stored_title(world: ServicesWorld) -> None:
    ok("add", "2101.00001")
    assert as_json("show", "2101.00001")["title"] == "Paper 2101.00001"
    degraded = atom_feed([{"id": "2101.00001v2", "title": "", "authors": []}])
    world.stub.queue(200, degraded)
    ok("fetch", "--refresh")
    paper = as_json("show", "2101.00001")
    assert paper["title"] == "Paper 2101.00001" and paper["version"] == 2
    assert paper["authors"] == ["A. Author"]


def test_a_doi_brings_crossref_s_structured_venue(world: ServicesWorld) -> None:
    ok("add", "1706.03762")
    paper = {**attention_paper(), "externalIds": {"ArXiv": "1706.03762",
                                                  "DOI": "10.5555/3295222.3295349"}}  # fmt: skip
    world.s2_paper("ARXIV:1706.03762", paper)
    world.crossref_work("10.5555/3295222.3295349", json.dumps({"message-type": "work", "message": {
        "DOI": "10.5555/3295222.3295349", "type": "proceedings-article",
        "title": ["Attention is all you need"],
        "container-title": ["Proceedings of the 31st International Conference on Neural "
                            "Information Processing Systems"],
        "volume": "30", "page": "6000-6010", "publisher": "Curran Associates Inc.",
        "issued": {"date-parts": [[2017, 12, 4]]},
    }}).encode())  # fmt: skip
    ok("fetch", "--published")
    shown = as_json("show", "1706.03762")
    assert (shown["venue"], shown["entry_type"], shown["pages"], shown["publisher"]) == (
        "Proceedings of the 31st International Conference on Neural Information Processing "
        "Systems", "inproceedings", "6000-6010", "Curran Associates Inc.",
    )  # fmt: skip
    bib = ok("export", "-f", "bibtex", "1706.03762", "--fields", "paper")
    assert bib.startswith("@inproceedings{author2020paper,")  # the stub's arXiv: A. Author
    assert "  booktitle = {Proceedings of the 31st International Conference on Neural " in bib
    assert "  pages = {6000--6010}," in bib and "  volume = {30}," in bib


def test_an_untitled_pubmed_central_paper_is_completed_by_openalex(
    world: ServicesWorld, tmp_path: Path
) -> None:
    # A list that links a paper only by its PubMed Central page, and one only by a PDF.
    work = {
        "id": "https://openalex.org/W2234567890",
        "doi": "https://doi.org/10.1038/srep19175",
        "title": "Quantum Bayesian networks with application to games",
        "publication_year": 2016,
        "authorships": [{"author": {"display_name": "Kai Tang"}}],
        "primary_location": {"source": {"display_name": "Scientific Reports"}},
        "type": "article",
    }
    world.openalex_by("pmcid:PMC4726808", json.dumps(work).encode())
    listing = tmp_path / "list.md"
    listing.write_text(
        "# Quantum ML\n\n## Bayesian networks\n\n"
        "* [PDF2](https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4726808/)\n"
        "* [PDF3](https://example.org/papers/qbn.pdf)\n",
        encoding="utf-8",
    )
    ok("import", str(listing))
    out = ok("fetch", "--verbose")
    assert "Completed 1 of 1" in out  # a PDF elsewhere names nothing a service can look up
    assert [r.path for r in world.requests("/openalex/")] == ["/openalex/works/pmcid:PMC4726808"]
    papers = {p["url"]: p for p in as_json("list")}
    pmc = papers["https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4726808/"]
    assert (pmc["title"], pmc["authors"], pmc["year"], pmc["doi"], pmc["venue"]) == (
        "Quantum Bayesian networks with application to games",
        ["Kai Tang"],
        2016,
        "10.1038/srep19175",
        "Scientific Reports",
    )
    assert papers["https://example.org/papers/qbn.pdf"]["title"] is None
    # Named, the PDF is asked of no service (it has no id to look up by).
    assert "Completed 0 of 1" in ok(
        "fetch", str(papers["https://example.org/papers/qbn.pdf"]["id"])
    )
    assert len(world.requests("/openalex/")) == 1
    # The list again, under another heading: the same paper (it has a DOI now), one more topic.
    listing.write_text(listing.read_text().replace("## Bayesian networks", "## Games"))
    again = ok("import", "--verbose", str(listing))
    assert "removed from the library" not in again and "0 added" in again
    assert "games" in as_json("show", str(pmc["id"]))["topics"]
