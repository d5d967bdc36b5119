"""arXiv's announcements (services/arxiv_rss.py): RSS and Atom feeds, the recorded ones and
small ones in tests/data/arxiv, each announce type, and bodies that are no feed."""

from __future__ import annotations

import pytest

from papertrail.services.arxiv_rss import UnreadableRss, parse_rss
from tests.support import paths
from tests.support.shared import require_shared

DATA = paths.DATA / "arxiv"


def rss(name: str) -> bytes:
    return (DATA / name).read_bytes()


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


# -- search queries -------------------------------------------------------------------------
