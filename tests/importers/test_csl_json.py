"""CSL-JSON in (Zotero's export, tests/data/zotero.csl.json): told apart from papertrail's
JSON, its fields kept."""

from __future__ import annotations

import pytest

from tests.support.cli import by_key, ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_csl_json_is_told_apart_from_papertrail_json_and_keeps_its_fields() -> None:
    out = ok("import", str(DATA / "zotero.csl.json"))
    assert "5 added" in out
    papers = by_key()
    assert papers["maaten2008"]["authors"] == ["Laurens van der Maaten", "Geoffrey Hinton"]
    assert (papers["maaten2008"]["venue"], papers["maaten2008"]["number"]) == (
        "Journal of Machine Learning Research", "86",
    )  # fmt: skip
    # Keywords are tags, a flat list beside the topic tree (issue 26).
    assert papers["maaten2008"]["tags"] == ["embeddings", "visualization"]
    assert papers["maaten2008"]["topics"] == []
    assert papers["wei2022"]["arxiv_id"] == "2201.11903"
    assert papers["wei2022"]["published"] == "2022-01-28"
    assert papers["who2020"]["title"] == "Global tuberculosis report"  # markup dropped
    assert papers["blog"]["entry_type"] == "post-weblog"
    assert papers["vaswani2017"]["entry_type"] == "inproceedings"
