"""add and fetch through the real CLI against a local stand-in for arXiv on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrail import __version__
from tests.support.arxiv_stub import ArxivStub, atom_feed, echo_papers
from tests.support.cli import as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")


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
    assert result.exit_code == 1
    assert "abc: not an arXiv id" in result.stderr
    assert [r.ids for r in arxiv.requests] == [["1510.00149"]]


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
