"""Pages of papers and of the history (what the MCP server's tools page through), on both
databases: an offset with and without a limit, and the totals beside them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from papertrail.core import history, papers
from papertrail.db.opening import open_store
from papertrail.db.store import Store
from papertrail.errors import PaperNotFound
from papertrail.model.query import PaperQuery
from tests.support.cli import ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def store(isolated_env: str) -> Iterator[Store]:
    ok("import", str(DATA / "library.json"))  # four papers
    ok("tag", "1", "extra")
    ok("remove", "4", "--yes")
    opened = open_store(isolated_env)
    yield opened
    opened.close()


def test_a_page_of_papers_and_how_many_match(store: Store) -> None:
    everything = [p.id for p in store.iter_papers(PaperQuery(sort="-added"))]
    assert len(everything) == 3
    found, total = papers.find_papers(store, PaperQuery(sort="-added", limit=1, offset=1))
    assert ([p.id for p in found], total) == (everything[1:2], 3)
    rest, _ = papers.find_papers(store, PaperQuery(sort="-added", offset=1))  # no limit
    assert [p.id for p in rest] == everything[1:]
    tagged, total = papers.find_papers(store, PaperQuery(topic="extra", offset=5))
    assert (tagged, total) == ([], 1)
    assert [p.id for p in papers.papers_by_id(store, [3, 99, 1])] == [3, 1]


def test_a_page_of_the_history_and_its_total(store: Store) -> None:
    every = [entry.id for entry in history.log(store)]
    assert len(every) == history.count(store) == 3  # import, tag, remove
    assert [e.id for e in history.log(store, limit=1, offset=1)] == every[1:2]
    assert [e.id for e in history.log(store, offset=1)] == every[1:]
    assert history.count(store, paper_id=1) == 2


def test_the_history_of_a_removed_paper_is_found_by_its_number(store: Store) -> None:
    assert history.paper_in_history(store, "4") == 4  # removed, its history stays
    assert history.paper_in_history(store, "1510.00149") == 1
    with pytest.raises(PaperNotFound):
        history.paper_in_history(store, "5")  # never in the library
