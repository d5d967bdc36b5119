"""`papertrail search` through the real CLI against a local arXiv on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from papertrail import __version__
from tests.support.arxiv_stub import ArxivStub, search_results
from tests.support.cli import as_json, ok, run
from tests.support.shared import require_shared

pytestmark = pytest.mark.usefixtures("backend")

TESTING = "query_search_testing_10results.xml"  # search_query=testing, 10 of 214881


def recorded(name: str, folder: str = "arxiv") -> bytes:
    return (require_shared("fixtures", folder) / name).read_bytes()


def rows(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines()]


def test_a_recorded_search_is_one_request_and_a_row_per_paper(arxiv: ArxivStub) -> None:
    arxiv.queue(200, recorded(TESTING))
    found = rows(ok("search", "testing", "--limit", "10"))
    (sent,) = arxiv.requests
    assert sent.params == {
        "search_query": "all:testing", "start": "0", "max_results": "10",
        "sortBy": "relevance", "sortOrder": "descending",
    }  # fmt: skip
    assert sent.headers["user-agent"].startswith(f"papertrail/{__version__}")
    assert len(found) == 10
    assert found[0][:5] == [
        "1", "2202.12139", found[0][2], found[0][3], "2022-02-24"
    ]  # fmt: skip
    assert found[0][2].startswith("Testing Deep Learning Models")
    assert all(row[6:] == ["", "", "-"] for row in found)  # none in the library


@pytest.mark.parametrize(
    ("options", "query", "sort"),
    [
        (["--title", "attention"], "ti:attention", "relevance"),
        (["--author", "Geoffrey Hinton"], "(au:Geoffrey AND au:Hinton)", "relevance"),
        (["--abstract", '"knowledge distillation"'], 'abs:"knowledge distillation"', "relevance"),
        (["-c", "cs.lg", "--category", "stat.ML"], "(cat:cs.LG OR cat:stat.ML)", "relevance"),
        (["pruning", "--since", "2023-06", "--until", "2024"],
         "all:pruning AND submittedDate:[202306010000 TO 202412312359]", "relevance"),
        (["pruning", "--sort", "submitted"], "all:pruning", "submittedDate"),
        (["pruning", "--sort", "updated"], "all:pruning", "lastUpdatedDate"),
    ],
)  # fmt: skip
def test_each_option_reaches_arxiv(
    arxiv: ArxivStub, options: list[str], query: str, sort: str
) -> None:
    arxiv.respond_with(search_results(0))
    result = run("search", *options)
    assert result.exit_code == 0, result.stderr
    assert arxiv.requests[0].params["search_query"] == query
    assert arxiv.requests[0].params["sortBy"] == sort
    assert result.stdout == ""
    assert result.stderr == f"No papers on arXiv match {query}\n"


def test_paging_asks_for_what_is_left_and_stops_at_the_total(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_BATCH", "10")
    arxiv.respond_with(search_results(25))
    found = rows(ok("search", "x", "--limit", "40"))
    assert [(r.params["start"], r.params["max_results"]) for r in arxiv.requests] == [
        ("0", "10"), ("10", "10"), ("20", "10"),
    ]  # fmt: skip
    assert [row[1] for row in found] == [f"2101.{n:05d}" for n in range(25)]
    arxiv.requests.clear()
    assert len(rows(ok("search", "x", "--limit", "15"))) == 15
    assert [(r.params["start"], r.params["max_results"]) for r in arxiv.requests] == [
        ("0", "10"), ("10", "5"),
    ]  # fmt: skip


def test_a_hundred_recorded_results_in_one_page(arxiv: ArxivStub) -> None:
    arxiv.queue(200, recorded("query_search_testing_100results.xml"))
    found = as_json("search", "testing", "--limit", "100")
    assert len(found) == 100 and len(arxiv.requests) == 1
    assert len({paper["arxiv_id"] for paper in found}) == 100


def test_papers_in_the_library_show_their_status_and_topics(arxiv: ArxivStub) -> None:
    ok("add", "--no-fetch", "2202.12139", "-t", "testing", "-t", "dl")
    ok("mark-read", "2202.12139")
    arxiv.queue(200, recorded(TESTING))
    arxiv.queue(200, recorded(TESTING))
    first = rows(ok("search", "testing", "--limit", "10"))[0]
    assert first[1] == "2202.12139" and first[6:] == ["1", "read", "dl,testing"]
    hits = as_json("search", "testing", "--limit", "10")
    assert hits[0]["in_library"] == {"id": 1, "status": "read", "topics": ["dl", "testing"]}
    assert [h["in_library"] for h in hits[1:]] == [None] * 9


def test_on_a_terminal_the_table_marks_library_papers(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("add", "--no-fetch", "2202.12139", "-t", "testing")
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    arxiv.queue(200, recorded(TESTING))
    out = ok("search", "testing", "--limit", "10")
    line = next(li for li in out.splitlines() if "2202.12139" in li)
    assert "[1] unread testing" in line
    assert "10 of 214881 result(s) on arXiv" in out


def test_add_with_a_topic_stores_the_metadata_found(arxiv: ArxivStub) -> None:
    body = recorded(
        "api_query_search_query=cat.cs.LG_OR_cat.cs.AI_max_results=20_2026-04-30.atom.xml",
        "arxiv-extra",
    )
    arxiv.queue(200, body)
    out = ok("search", "-c", "cs.LG", "-c", "cs.AI", "--limit", "20", "--add", "-t", "new-ml")
    assert out.count("Added [") == 20 and len(arxiv.requests) == 1
    papers = as_json("list", "--topic", "new-ml")
    assert len(papers) == 20
    assert papers[0]["arxiv_id"] == "2604.26951" and papers[0]["published"] == "2026-04-29"
    assert all(p["title"] and p["authors"] and p["abstract"] for p in papers)
    assert ok("fetch") == "Nothing to fetch: every arXiv paper has its metadata.\n"
    arxiv.queue(200, body)
    again = ok("search", "-c", "cs.LG", "-c", "cs.AI", "--limit", "20", "--add", "-t", "x")
    assert again.count("Already in the library") == 20 and len(as_json("list")) == 20


def test_pick_adds_the_numbers_typed(arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    arxiv.queue(200, recorded(TESTING))
    ok("search", "testing", "--limit", "10", "--pick", "-t", "picked", input="1 3-4\n")
    picked = as_json("list", "--topic", "picked")
    assert [p["arxiv_id"] for p in picked] == ["2202.12139", "2005.14124", "2204.08348"]


def test_pick_needs_a_terminal(arxiv: ArxivStub) -> None:
    result = run("search", "testing", "--pick")
    assert result.exit_code == 2 and "--pick needs a terminal" in result.stderr
    assert arxiv.requests == []


def test_an_empty_result_says_so(arxiv: ArxivStub) -> None:
    arxiv.queue(200, recorded("query_nonexistent_0000.0000_empty.xml"))
    result = run("search", "--title", "zzzqqq")
    assert result.exit_code == 0
    assert result.stderr == "No papers on arXiv match ti:zzzqqq\n"
    arxiv.queue(200, recorded("query_nonexistent_0000.0000_empty.xml"))
    assert json.loads(ok("search", "--title", "zzzqqq", "--json")) == []


def test_a_query_arxiv_rejects_is_one_line(arxiv: ArxivStub) -> None:
    arxiv.queue(400, recorded("query_error_malformed_id_http400.xml"))
    result = run("search", "au:")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: arXiv rejected the query")
    assert result.stderr.count("\n") == 1 and len(arxiv.requests) == 1  # not retried


def test_bad_input_is_refused_before_any_request(arxiv: ArxivStub) -> None:
    for args, message in [
        ([], "give words to search for"),
        (["x", "-c", "cs.XX"], "not an arXiv category: 'cs.XX'"),
        (["x", "--since", "last week"], "--since takes a date"),
        (["x", "--limit", "30001"], "30001"),
        (["x", "--add", "--pick"], "--add or --pick"),
    ]:
        result = run("search", *args)
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert arxiv.requests == []


def test_offline_refuses_in_one_line(arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAIL_OFFLINE", "1")
    result = run("search", "testing")
    assert result.exit_code == 3
    assert result.stderr == "Error: offline (PAPERTRAIL_OFFLINE=1): not searching arXiv\n"
    assert arxiv.requests == []


def test_arxiv_busy_is_retried_then_one_line(arxiv: ArxivStub) -> None:
    arxiv.queue(503, b"busy", times=4)
    result = run("search", "testing")
    assert result.exit_code == 3 and len(arxiv.requests) == 4
    assert result.stderr.startswith("Error: arXiv is busy (HTTP 503)")


def test_search_data_is_never_markup(arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.arxiv_stub import atom_feed

    arxiv.queue(200, atom_feed([{"id": "2101.00001", "title": "[bold]x[/bold] [red]y"}]))
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    assert "[bold]x[/bold] [red]y" in ok("search", "x")


def test_help_names_every_option() -> None:
    out = ok("search", "--help")
    for option in ("--title", "--author", "--abstract", "--category", "--since", "--until",
                   "--sort", "--limit", "--add", "--pick", "--topic", "--json"):  # fmt: skip
        assert option in out


def test_never_more_results_than_the_limit(arxiv: ArxivStub) -> None:
    arxiv.queue(200, recorded(TESTING))  # arXiv sent 10 although 3 were asked for
    assert [row[0] for row in rows(ok("search", "testing", "--limit", "3"))] == ["1", "2", "3"]


def test_adding_a_pending_library_paper_fills_in_its_metadata(arxiv: ArxivStub) -> None:
    ok("add", "--no-fetch", "2202.12139", "-t", "testing")
    arxiv.queue(200, recorded(TESTING))
    out = ok("search", "testing", "--limit", "1", "--add", "-t", "found")
    assert out.splitlines()[-1] == (
        "Already in the library: [1] 2202.12139 Testing Deep Learning Models: A First "
        "Comparative Study of Multiple Testing Techniques (added topics: found)"
    )
    assert as_json("show", "1")["published"] == "2022-02-24"
