"""arXiv search queries (services/arxiv_query.py): words, fields and options made into one
query arXiv reads as meant, date ranges, sorting and paging within arXiv's limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from papertrail.errors import UsageError
from papertrail.services.arxiv_query import SearchRequest, pages, query_params, search_query

TODAY = datetime(2026, 11, 29, tzinfo=UTC)


def query(**options: object) -> str:
    return search_query(SearchRequest(**options), today=TODAY)  # type: ignore[arg-type]


def test_plain_words_all_match_anywhere() -> None:
    assert query(words="binary networks") == "(all:binary AND all:networks)"
    assert query(words="pruning") == "all:pruning"


def test_phrases_fields_and_operators_pass_through() -> None:
    assert query(words='"neural network" OR ti:pruning ANDNOT au:smith') == (
        '(all:"neural network" OR ti:pruning ANDNOT au:smith)'
    )


def test_each_option_becomes_its_field() -> None:
    assert query(title="attention", author="Vaswani", abstract="sequence transduction") == (
        "ti:attention AND au:Vaswani AND (abs:sequence AND abs:transduction)"
    )


def test_categories_are_validated_and_or_ed() -> None:
    assert query(words="x", categories=["cs.lg", "stat.ML"]) == (
        "all:x AND (cat:cs.LG OR cat:stat.ML)"
    )
    assert query(categories=["econ"]) == "(cat:econ.EM OR cat:econ.GN OR cat:econ.TH)"
    with pytest.raises(UsageError, match="not an arXiv category"):
        query(words="x", categories=["cs.XX"])


def test_date_ranges() -> None:
    assert query(words="x", since="2020-02") == (
        "all:x AND submittedDate:[202002010000 TO 202611292359]"
    )
    assert query(words="x", until="2024") == (
        "all:x AND submittedDate:[199108010000 TO 202412312359]"
    )
    assert query(words="x", since="2024-02-29", until="2024-02") == (
        "all:x AND submittedDate:[202402290000 TO 202402292359]"
    )
    for bad in ({"since": "2023-02-30"}, {"since": "yesterday"}, {"until": "1980"},
                {"since": "2024", "until": "2023"}):  # fmt: skip
        with pytest.raises(UsageError):
            query(words="x", **bad)


def test_syntax_characters_in_words_cannot_break_the_query() -> None:
    assert query(words='(a) b"] [c') == "(all:a AND all:b AND all:c)"
    with pytest.raises(UsageError, match="between two search terms"):
        query(words="OR pruning")
    with pytest.raises(UsageError, match="give words"):
        query(words='"" ()')


def test_sorting_and_paging_respect_arxiv_limits() -> None:
    request = SearchRequest(words="x", sort="submitted")
    assert query_params(request, 40, 20, "all:x") == {
        "search_query": "all:x", "start": "40", "max_results": "20",
        "sortBy": "submittedDate", "sortOrder": "descending",
    }  # fmt: skip
    assert pages(45, 20) == [(0, 20), (20, 20), (40, 5)]
    assert pages(5000, 10**6) == [(0, 2000), (2000, 2000), (4000, 1000)]
    with pytest.raises(UsageError, match="30000"):
        pages(30001, 100)
