"""`fetch` remembers what it asked (issue 26): run twice, the second run asks no question
the first one had answered; failures are one summary line and exit 1; the history entry
counts what was stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.arxiv_stub import RecordedRequest, atom_feed
from tests.support.cli import as_json, ok, run
from tests.support.services_stub import ServicesWorld

pytestmark = pytest.mark.usefixtures("backend")

MISSING = {"2101.00001", "2101.00002", "2101.00003"}  # arXiv has no such papers
FOUND = ["1706.03762", "1512.03385"]


def arxiv_without_some(world: ServicesWorld) -> None:
    def answer(request: RecordedRequest) -> Any:
        if request.path == "/api/query":
            return 200, {}, atom_feed({"id": i} for i in request.ids if i not in MISSING)
        return world.answer(request)

    world.stub.respond_with(answer)


def test_fetch_twice_asks_nothing_the_first_run_answered(world: ServicesWorld) -> None:
    arxiv_without_some(world)
    ok("add", "--no-fetch", *FOUND, *sorted(MISSING))
    ok("add", "--title", "A Paper Nobody Knows", "--year", "2011")
    first = run("fetch", "--published", "--citations")
    assert first.exit_code == 1  # something failed
    errors = [line for line in first.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: arXiv has no paper for 3 id(s) (2101.00001, 2101.00002, 2101.00003): not "
        "asked again for 30 days (--retry); --verbose lists them"
    ]
    assert len(first.stdout.splitlines()) <= 6, first.stdout
    asked = len(world.stub.requests)
    assert asked >= 4  # arXiv, Crossref, DBLP, Semantic Scholar

    second = run("fetch", "--published", "--citations")
    assert len(world.stub.requests) == asked, [r.path for r in world.stub.requests[asked:]]
    assert second.exit_code == 0
    assert second.stderr.startswith("Not asked again: ")

    retry = run("fetch", "--retry")
    assert retry.exit_code == 1
    assert sorted(i for r in world.stub.requests[asked:] for i in r.ids) == sorted(MISSING)


def test_verbose_lists_each_failure(world: ServicesWorld) -> None:
    arxiv_without_some(world)
    ok("add", "--no-fetch", "1706.03762", *sorted(MISSING))
    result = run("fetch", "--verbose")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: arXiv has no paper {i}" for i in sorted(MISSING)]


def test_a_named_paper_is_asked_again(world: ServicesWorld) -> None:
    arxiv_without_some(world)
    ok("add", "--no-fetch", "2101.00001")
    assert run("fetch").exit_code == 1
    asked = len(world.stub.requests)
    result = run("fetch", "2101.00001")
    assert result.exit_code == 1
    assert [r.ids for r in world.stub.requests[asked:]] == [["2101.00001"]]


def test_the_history_entry_counts_what_every_part_stored(world: ServicesWorld) -> None:
    ok("add", "--no-fetch", "1706.03762")
    recorded = {"venue": "NeurIPS", "year": 2017, "citationCount": 5, "externalIds": {}}
    world.s2_paper("ARXIV:1706.03762", {"paperId": "x", "title": "Paper 1706.03762",
                                        **recorded})  # fmt: skip
    ok("fetch", "--citations")
    [entry] = as_json("log", "--limit", "1")
    assert entry["summary"] == "fetched 1 arXiv metadata, 1 citation count(s)"
