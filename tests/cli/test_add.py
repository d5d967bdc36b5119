"""`add` offline: arXiv ids and URLs without metadata, versions, topics, refs that are no
ids, and papers not on arXiv by --title."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")


def test_add_without_fetch_keeps_the_paper_pending_with_a_warning() -> None:
    result = run("add", "https://arxiv.org/abs/1510.00149v3", "--no-fetch")
    assert result.exit_code == 0
    assert "Added [1] 1510.00149" in result.stdout
    assert "without metadata" in result.stderr and "papertrail fetch" in result.stderr
    [paper] = as_json("list")
    assert paper["arxiv_id"] == "1510.00149"
    assert paper["version"] == 3
    assert paper["title"] is None
    assert paper["status"] == "unread"


def test_offline_env_adds_with_pending_metadata() -> None:
    result = run("add", "1510.00149")  # PAPERTRAIL_OFFLINE=1 is set for every test
    assert result.exit_code == 0
    assert "offline" in result.stderr
    assert as_json("show", "1510.00149")["title"] is None


def test_versions_of_a_paper_are_one_record_with_the_latest_version() -> None:
    add_offline("1510.00149v1", "arXiv:1510.00149v4", "1510.00149v2")
    add_offline("1510.00149v5")
    papers = as_json("list")
    assert len(papers) == 1
    assert papers[0]["version"] == 5


def test_adding_again_adds_topics_and_says_it_was_there() -> None:
    add_offline("1510.00149", topic="pruning")
    out = ok("add", "http://arxiv.org/pdf/1510.00149.pdf", "--no-fetch", "-t", "Quantization")
    assert "Already in the library" in out
    assert "quantization" in out
    [paper] = as_json("list")
    assert paper["topics"] == ["pruning", "quantization"]


def test_bad_ref_is_a_one_line_error_and_good_ones_are_still_added() -> None:
    result = run("add", "1510.00149", "not-an-id", "--no-fetch")
    assert result.exit_code == 1
    assert "Error: not-an-id: not an arXiv id or URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p["arxiv_id"] for p in as_json("list")] == ["1510.00149"]


def test_only_bad_refs_change_nothing() -> None:
    result = run("add", "0000.0000", "--no-fetch")
    assert result.exit_code != 0
    assert as_json("list") == []


def test_manual_paper_not_on_arxiv() -> None:
    out = ok(
        "add", "--title", "Deep Sparse Rectifier Neural Networks",
        "--url", "http://proceedings.mlr.press/v15/glorot11a/glorot11a.pdf",
        "--year", "2011", "--authors", "Xavier Glorot; Antoine Bordes; Yoshua Bengio",
        "-t", "activations",
    )  # fmt: skip
    assert "Added [1] Deep Sparse Rectifier Neural Networks" in out
    paper = as_json("show", "1")
    assert paper["arxiv_id"] is None
    assert paper["authors"] == ["Xavier Glorot", "Antoine Bordes", "Yoshua Bengio"]
    assert paper["year"] == 2011
    again = ok("add", "--title", "deep sparse rectifier neural networks")
    assert "Already in the library" in again
    assert len(as_json("list")) == 1
    # Two works may share a title (the "Deep learning" book and review): a different URL
    # makes a different paper.
    other = ok(
        "add", "--title", "Deep Sparse Rectifier Neural Networks", "--url", "https://e.org/b"
    )
    assert "Added [2]" in other
