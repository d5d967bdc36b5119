"""Which announcements a followed feed keeps, and why (core/inbox.py's why_matched), on the
small feed tests/data/arxiv/rss_mixed.xml."""

from __future__ import annotations

from papertrail.core.inbox import why_matched
from papertrail.model.records import FeedSpec
from papertrail.services.arxiv_rss import parse_rss
from tests.support import paths

DATA = paths.DATA / "arxiv"


def rss(name: str) -> bytes:
    return (DATA / name).read_bytes()


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
