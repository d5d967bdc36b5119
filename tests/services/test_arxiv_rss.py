"""The pure parts of discovery: arXiv's taxonomy, RSS/Atom announcements, search queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from papertrail.core.inbox import why_matched
from papertrail.errors import UsageError
from papertrail.model.categories import ARCHIVES, CATEGORIES, archive_categories, canonical_category
from papertrail.model.records import FeedSpec
from papertrail.services.arxiv_query import SearchRequest, pages, query_params, search_query
from papertrail.services.arxiv_rss import UnreadableRss, parse_rss
from tests.support import paths
from tests.support.shared import require_shared

DATA = paths.DATA / "arxiv"
TODAY = datetime(2026, 11, 29, tzinfo=UTC)


def rss(name: str) -> bytes:
    return (DATA / name).read_bytes()


# -- taxonomy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("cs.lg", "cs.LG"), ("STAT.ML", "stat.ML"), ("hep-th", "hep-th"), ("math", "math"),
     ("cond-mat.STR-EL", "cond-mat.str-el"), ("q-fin.tr", "q-fin.TR"), ("eess.sy", "eess.SY"),
     ("astro-ph.GA", "astro-ph.GA"), ("nlin.CD", "nlin.CD"), ("econ.EM", "econ.EM"),
     ("math-ph", "math-ph"), ("nucl-th", "nucl-th"), ("gr-qc", "gr-qc"), ("quant-ph", "quant-ph"),
     ("physics.optics", "physics.optics"), ("q-bio.NC", "q-bio.NC")],
)  # fmt: skip
def test_categories_are_spelled_as_arxiv_does(typed: str, canonical: str) -> None:
    assert canonical_category(typed) == canonical


def test_every_archive_has_categories_and_every_category_a_known_archive() -> None:
    assert len(CATEGORIES) > 150
    for archive in ARCHIVES:
        assert archive_categories(archive), archive
    for name in CATEGORIES:
        assert "." not in name or name.split(".")[0] in ARCHIVES, name


@pytest.mark.parametrize("typed", ["cs.XX", "cs.", "machine learning", "", "hep", "cs.LG;"])
def test_unknown_categories_are_refused_with_close_matches(typed: str) -> None:
    with pytest.raises(UsageError, match="not an arXiv category"):
        canonical_category(typed)


def test_a_near_miss_names_what_was_meant() -> None:
    with pytest.raises(UsageError, match=r"did you mean .*cs\.LG"):
        canonical_category("cs.LGG")


# -- RSS ----------------------------------------------------------------------------------------


def test_each_announce_type_doi_journal_ref_and_tex() -> None:
    feed = parse_rss(rss("rss_mixed.xml"))
    assert feed.announced == "2026-10-06"
    kinds = {item.arxiv_id: item.announce_type for item in feed.items}
    assert kinds == {"2610.01001": "new", "2610.01002": "new", "2610.01003": "cross",
                     "1510.00149": "replace", "1602.02830": "replace-cross"}  # fmt: skip
    first, _, cross, replaced, replaced_cross = feed.items
    # TeX "<" is text, never mistaken for a tag; entities decoded once.
    assert first.title == "Quantized Attention with $k<8$ Bits"
    assert (
        first.abstract
        == "We show that attention survives quantization to $k<8$ bits & keeps accuracy."
    )
    assert first.authors == ["Ada Lovelace", "Dirk Wübben", "Grace Hopper"]
    assert first.categories == ["cs.LG", "cs.CL"] and first.version == 1
    assert cross.doi == "10.1000/organ.2026" and cross.journal_ref == "Med. Img. 12 (2026) 1-9"
    assert cross.to_record().primary_category == "eess.IV"
    assert replaced.version == 6 and replaced.is_new_version
    assert replaced_cross.authors == ["Matthieu Courbariaux", "Itay Hubara"]  # one dc:creator each
    assert replaced_cross.is_new_version


def test_html_descriptions_and_linked_creators_of_the_older_feeds() -> None:
    (item,) = parse_rss(rss("rss_html_descriptions.xml")).items
    assert item.title == "Sparse Priors for Pruning"
    assert (item.arxiv_id, item.version, item.categories) == ("2310.04444", 1, ["stat.ML"])
    assert item.abstract == "Pruning & sparsity with spike-and-slab priors where $a<b$."
    assert item.authors == ["Jane Doe", "Richard Roe"]


def test_atom_announcements() -> None:
    (item,) = parse_rss(rss("atom_feed.xml")).items
    assert item.arxiv_id == "2610.02001" and item.authors == ["Paul Erdős", "Fan Chung"]
    assert item.abstract == "We count paths." and item.categories == ["math.CO"]


def test_recorded_feed_with_new_cross_and_replace_items() -> None:
    folder = require_shared("fixtures", "arxiv-rss")
    path = folder / "rss.arxiv.org_rss_cs.LG+cs.AI+cs.CL+stat.ML_trimmed4items_laya-reader.xml"
    feed = parse_rss(path.read_bytes())
    assert feed.title == "cs.LG, cs.AI, cs.CL, stat.ML updates on arXiv.org"
    assert feed.announced == "2026-09-24"
    assert [(i.arxiv_id, i.version, i.announce_type) for i in feed.items] == [
        ("2609.26811", 1, "new"), ("2609.26820", 1, "new"),
        ("2205.06398", 2, "cross"), ("2009.13987", 3, "replace"),
    ]  # fmt: skip
    cross = feed.items[2]
    assert cross.authors == ["Pritam Dey", "Zhengwu Zhang", "David B. Dunson"]
    assert cross.doi == "10.1093/bioinformatics/btac431"
    assert cross.categories == ["stat.ME", "stat.AP", "stat.ML"]
    assert cross.abstract.startswith("It has become routine in neuroscience")
    assert "Announce Type" not in cross.abstract


@pytest.mark.parametrize(
    "name",
    ["rss.arxiv.org_rss_cs.AI_trimmed3items_jmamath-distill.xml",
     "rss.arxiv.org_rss_cs.CL_trimmed3items_jmamath-distill.xml",
     "rss.arxiv.org_rss_cs.LG_trimmed3items_jmamath-distill.xml"],
)  # fmt: skip
def test_recorded_single_category_feeds(name: str) -> None:
    feed = parse_rss((require_shared("fixtures", "arxiv-rss") / name).read_bytes())
    assert len(feed.items) == 3
    for item in feed.items:
        assert item.announce_type == "new" and item.version == 1
        assert item.title and item.abstract and item.authors and item.categories
        assert "," not in "".join(item.authors)


def test_the_recorded_weekend_feed_is_empty_not_broken() -> None:
    path = require_shared("fixtures", "arxiv") / "rss_cs.CL_weekend_empty.xml"
    feed = parse_rss(path.read_bytes())
    assert feed.items == [] and feed.announced == "2026-08-01"


@pytest.mark.parametrize(
    ("body", "why"),
    [(b"", "empty"), (b"<html><body>Service unavailable</body></html>", "not an RSS"),
     (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss/>', "DOCTYPE"),
     (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><ti', "malformed")],
)  # fmt: skip
def test_unusable_bodies_are_refused(body: bytes, why: str) -> None:
    with pytest.raises(UnreadableRss, match=why):
        parse_rss(body)


def test_a_cut_off_recorded_feed_is_refused_rather_than_half_read() -> None:
    body = rss("rss_mixed.xml")
    with pytest.raises(UnreadableRss):
        parse_rss(body[: len(body) // 2])


# -- matching -------------------------------------------------------------------------------


def test_filters_match_word_starts_accents_aside() -> None:
    items = {i.arxiv_id: i for i in parse_rss(rss("rss_mixed.xml")).items}
    feed = FeedSpec(categories=["cs.LG"], keywords=["quantiz", "GAN"], authors=["wubben"])
    assert why_matched(feed, items["2610.01001"]) == (
        "cs.LG new; keyword 'quantiz'; author 'wubben'"
    )
    assert why_matched(feed, items["2610.01003"]) is None  # "organ" is not "GAN"
    assert why_matched(feed, items["2610.01002"]) is None  # hep-th is not followed
    # replace items are not new papers, even when they match
    assert why_matched(feed, items["1602.02830"]) is None
    assert why_matched(feed, items["1602.02830"], everything=True) == (
        "cs.LG new version, cross-list (--all)"
    )


def test_a_feed_without_filters_keeps_new_and_cross_listed_items() -> None:
    items = {i.arxiv_id: i for i in parse_rss(rss("rss_mixed.xml")).items}
    feed = FeedSpec(categories=["cs"])  # a whole archive
    assert why_matched(feed, items["2610.01003"]) == "cs cross-list"
    assert why_matched(feed, items["1510.00149"]) is None


# -- search queries -------------------------------------------------------------------------


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
