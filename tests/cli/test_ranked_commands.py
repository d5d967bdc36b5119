"""The commands the reader model serves, on a small library: the ranked inbox's views
(`inbox show`, `show ARXIV-ID`, `--sort date`, `--abstracts`, `--json`), the cache,
`similar`, `search --rank` and `next`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from papertrail.model.records import JSON_KEYS
from tests.support.arxiv_stub import RSS_TYPE, ArxivStub, atom_feed
from tests.support.cli import as_json, ok, run
from tests.support.rss import rss_feed

pytestmark = pytest.mark.usefixtures("backend")

QUANTIZATION = [
    ("Low-bit quantization of neural network weights", "We quantize weights to 4 bits."),
    ("Post-training quantization for transformers", "Quantized transformers at 8 bits."),
    ("Binary neural networks with quantized activations", "Binary weights and activations."),
    ("Mixed-precision quantization search", "Per-layer bit widths for quantized networks."),
]
PRUNING = [
    ("Magnitude pruning of deep networks", "We prune weights of small magnitude."),
    ("Structured channel pruning", "Channels are pruned for faster inference."),
    ("The lottery ticket hypothesis and sparse subnetworks", "Sparse pruned subnetworks."),
    ("Pruning at initialization", "Sparse networks pruned before training."),
]
ITEMS = [
    {"arxiv_id": "2610.00001", "title": "Galaxy rotation curves [bold]revisited[/bold]",
     "abstract": "Dark matter halos of spiral galaxies.", "authors": ["Vera Rubin"]},
    {"arxiv_id": "2610.00002", "title": "Quantization of large language models to 3 bits",
     "abstract": "Low-bit quantized weights for language models.", "authors": ["Ada Lovelace"]},
    {"arxiv_id": "2610.00003", "title": "Pruning sparse attention heads",
     "abstract": "Structured pruning of attention.", "authors": ["Grace Hopper"]},
]  # fmt: skip


def import_library(tmp_path: Path, *, read: int = 0) -> None:
    papers = [
        {"title": title, "abstract": abstract, "topics": [topic], "authors": ["X. Writer"],
         "status": "read" if n < read else "unread"}
        for topic, group in (("quantization", QUANTIZATION), ("pruning", PRUNING))
        for n, (title, abstract) in enumerate(group)
    ]  # fmt: skip
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"format": "papertrail", "version": 1, "papers": papers}))
    ok("import", str(path))


def fill_inbox(arxiv: ArxivStub) -> None:
    ok("feed", "add", "cs.LG")
    arxiv.queue(200, rss_feed(ITEMS), {"Content-Type": RSS_TYPE})
    ok("inbox")


def test_the_inbox_is_ranked_and_says_why(tmp_path: Path, arxiv: ArxivStub) -> None:
    import_library(tmp_path)
    fill_inbox(arxiv)
    lines = [row.split("\t") for row in ok("inbox", "--no-fetch").splitlines()]
    assert [row[1] for row in lines][2] == "2610.00001"  # the galaxies come last
    assert {lines[0][1], lines[1][1]} == {"2610.00002", "2610.00003"}
    why = {row[1]: row[7] for row in lines}
    assert why["2610.00002"].startswith("quantization: ") and "quantization" in why["2610.00002"]
    assert why["2610.00003"].startswith("pruning: ")
    # arXiv's order back, with the feed's reason only
    dated = [row.split("\t") for row in ok("inbox", "--no-fetch", "--sort", "date").splitlines()]
    assert [row[1] for row in dated] == ["2610.00001", "2610.00002", "2610.00003"]
    assert all(len(row) == 6 for row in dated)
    # one topic: that topic's order, every item scored for it
    pruning = as_json("inbox", "--no-fetch", "--topic", "pruning")
    assert pruning[0]["arxiv_id"] == "2610.00003"
    assert {item["topic"] for item in pruning} == {"pruning"}
    best = ok("inbox", "--no-fetch", "-n", "2").splitlines()
    assert [row.split("\t")[1] for row in best] == [row[1] for row in lines[:2]]
    with_abstracts = ok("inbox", "--no-fetch", "--abstracts").splitlines()
    assert with_abstracts[-1].endswith("\tDark matter halos of spiral galaxies.")


def test_inbox_json_has_the_paper_keys_and_the_fit(tmp_path: Path, arxiv: ArxivStub) -> None:
    import_library(tmp_path)
    fill_inbox(arxiv)
    items = as_json("inbox", "--no-fetch")
    first = items[0]
    assert set(JSON_KEYS) <= set(first) and first["id"] is None and first["files"] == []
    assert first["number"] in (2, 3) and first["matched"] == "cs.LG new"
    assert 0.0 <= first["score"] <= 1.0 and first["topic"] in ("quantization", "pruning")
    assert first["why"].startswith(first["topic"] + ": ")
    assert items[0]["score"] >= items[1]["score"] >= items[2]["score"]


def test_inbox_show_and_show_of_an_inbox_arxiv_id(tmp_path: Path, arxiv: ArxivStub) -> None:
    import_library(tmp_path)
    fill_inbox(arxiv)
    shown = ok("inbox", "show", "2")
    assert "Title       Quantization of large language models to 3 bits" in shown
    assert "Authors     Ada Lovelace" in shown and "Categories  cs.LG" in shown
    assert "Fits        " in shown and "quantization: " in shown
    assert "Like        [" in shown  # a library paper of the topic it fits
    assert shown.rstrip().endswith("Low-bit quantized weights for language models.")
    assert ok("show", "2610.00002") == shown
    item = as_json("show", "2610.00002")
    assert item["number"] == 2 and item["topic"] == "quantization"
    assert item["like"] and item["like"][0]["title"] in {t for t, _ in QUANTIZATION}
    # markup in a title is shown as written
    assert "Galaxy rotation curves [bold]revisited[/bold]" in ok("inbox", "show", "1")
    for args, message in [
        (["inbox", "show", "9"], "Error: no item 9 in the inbox"),
        (["inbox", "show", "1-2"], "Error: give one item number"),
        (["show", "2611.00001"], "Error: no paper '2611.00001' in the library"),
    ]:
        result = run(*args)
        assert result.exit_code != 0 and result.stderr.startswith(message), result.stderr
        assert "Traceback" not in result.stderr


def test_what_is_missing_is_said_instead_of_ranking_at_random(
    tmp_path: Path, arxiv: ArxivStub
) -> None:
    fill_inbox(arxiv)  # an empty library
    result = run("inbox", "--no-fetch")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: not ranked (arXiv's order): no topic of the library has a paper with a "
        "title or abstract to learn from; `papertrail inbox add N -t TOPIC` files some\n"
    )
    assert [row.split("\t")[1] for row in result.stdout.splitlines()] == [
        "2610.00001", "2610.00002", "2610.00003",
    ]  # fmt: skip
    result = run("inbox", "--no-fetch", "--topic", "quantization")
    assert result.exit_code == 1
    assert result.stderr == "Error: no topic 'quantization' in the library\n"
    ok("add", "2401.00001", "--no-fetch", "-t", "quantization")  # no title yet
    result = run("inbox", "--no-fetch", "--topic", "quantization")
    assert result.exit_code == 1 and result.stderr.startswith(
        "Error: topic 'quantization' has no paper with a title or abstract to learn from"
    )
    result = run("inbox", "--no-fetch", "--sort", "best")
    assert result.exit_code == 2 and "--sort takes interest or date" in result.stderr


def test_the_model_is_cached_and_retrained_only_when_the_library_changes(
    tmp_path: Path, arxiv: ArxivStub
) -> None:
    import_library(tmp_path)
    fill_inbox(arxiv)
    (cached,) = (Path(os.environ["XDG_CACHE_HOME"]) / "papertrail" / "ranking").glob("*.npz")
    first = cached.stat().st_mtime_ns, cached.read_bytes()
    before = as_json("inbox", "--no-fetch")
    assert (cached.stat().st_mtime_ns, cached.read_bytes()) == first  # unchanged: reused
    ok("mark-read", "1")
    after = as_json("inbox", "--no-fetch")
    assert cached.read_bytes() != first[1]  # labels changed: retrained
    assert [i["arxiv_id"] for i in after] == [i["arxiv_id"] for i in before]
    cached.write_bytes(b"not a model")  # a broken cache is only a retraining
    assert as_json("inbox", "--no-fetch") == after


def test_similar_papers_of_the_library_the_inbox_and_a_search(
    tmp_path: Path, arxiv: ArxivStub
) -> None:
    import_library(tmp_path)
    fill_inbox(arxiv)
    found = as_json("similar", "1", "--limit", "3")
    assert len(found) == 3 and all("similarity" in p for p in found)
    assert found[0]["title"] in {t for t, _ in QUANTIZATION[1:]}
    assert 1 not in [p["id"] for p in found]
    rows = [line.split("\t") for line in ok("similar", "5", "-n", "2").splitlines()]
    assert len(rows) == 2 and rows[0][3] in {t for t, _ in PRUNING}
    fresh = as_json("similar", "5", "--inbox")
    assert fresh[0]["arxiv_id"] == "2610.00003" and fresh[0]["number"] == 3
    arxiv.queue(200, atom_feed([
        {"id": "2501.00001", "title": "Spectral graph theory", "summary": "Graphs."},
        {"id": "2501.00002", "title": "Channel pruning revisited", "summary": "Pruning."},
    ]))  # fmt: skip
    hits = as_json("similar", "5", "--search", "pruning")
    assert [h["arxiv_id"] for h in hits] == ["2501.00002", "2501.00001"]
    for args, message in [
        (["similar", "99"], "Error: no paper '99' in the library"),
        (["similar", "1", "--inbox", "--search", "x"], "Error: give --inbox or --search"),
    ]:
        result = run(*args)
        assert result.exit_code != 0 and result.stderr.startswith(message), result.stderr


def test_search_rank_orders_hits_by_fit(tmp_path: Path, arxiv: ArxivStub) -> None:
    import_library(tmp_path)
    arxiv.queue(200, atom_feed([
        {"id": "2501.00001", "title": "Spectral graph theory", "summary": "Graphs."},
        {"id": "2501.00002", "title": "Binary quantization of weights", "summary": "Bits."},
    ]))  # fmt: skip
    hits = as_json("search", "networks", "--rank")
    assert [h["arxiv_id"] for h in hits] == ["2501.00002", "2501.00001"]
    assert hits[0]["topic"] == "quantization" and hits[0]["score"] > hits[1]["score"]


def test_next_orders_a_topics_unread_papers_by_fit(tmp_path: Path) -> None:
    import_library(tmp_path, read=2)  # two read papers in each topic
    suggestions = as_json("next", "-n", "4")
    assert len(suggestions) == 4
    by_topic: dict[str, list[float]] = {}
    for suggestion in suggestions:
        topic, _, fit = suggestion["reason"].partition(" read; fits ")
        by_topic.setdefault(topic, []).append(float(fit))
    assert all(fits == sorted(fits, reverse=True) for fits in by_topic.values())


def test_next_without_texts_keeps_the_order_of_age() -> None:
    ok("add", "2401.00001", "2401.00002", "--no-fetch", "-t", "quantization")
    reasons = [s["reason"] for s in as_json("next", "-n", "2")]
    assert reasons == ["quantization: 0/2 read", "quantization: 0/2 read"]


def test_a_topics_model_learns_from_its_sub_topics_too(tmp_path: Path, arxiv: ArxivStub) -> None:
    import_library(tmp_path)
    ok("topic-parent", "quantization", "compression")
    ok("topic-parent", "pruning", "compression")
    fill_inbox(arxiv)
    # `compression` has no paper of its own: its sub-topics' papers are what it learns from
    ranked = as_json("inbox", "--no-fetch", "--topic", "compression")
    assert ranked[-1]["arxiv_id"] == "2610.00001"  # the galaxies
    assert {item["topic"] for item in ranked} == {"compression"}


def test_the_terminal_inbox_shows_fit_why_and_abstracts(
    tmp_path: Path, arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_library(tmp_path)
    fill_inbox(arxiv)
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    shown = ok("inbox", "--no-fetch", "--abstracts")
    assert "Fit" in shown and "Why" in shown
    assert "Galaxy rotation curves [bold]revisited[/bold]" in shown  # markup shown as written
    assert "Dark matter halos of spiral galaxies." in shown
    assert "`papertrail inbox show N` reads one" in shown
    assert shown.index("Pruning sparse attention heads") < shown.index("Galaxy rotation")
    dated = ok("inbox", "--no-fetch", "--sort", "date")
    assert "Fit" not in dated and "Dark matter" not in dated


def test_marking_a_paper_read_retrains_its_topics_alone(tmp_path: Path, arxiv: ArxivStub) -> None:
    import numpy as np  # the cached model is numpy's .npz

    import_library(tmp_path)
    fill_inbox(arxiv)
    (cached,) = (Path(os.environ["XDG_CACHE_HOME"]) / "papertrail" / "ranking").glob("*.npz")

    def weights() -> dict[str, np.ndarray]:
        with np.load(cached) as saved:
            topics = saved["topics"].tobytes().decode().split("\n")
            return {slug: saved["weights"][:, i].copy() for i, slug in enumerate(topics)}

    before = weights()
    ok("mark-read", "1")  # a quantization paper
    ok("inbox", "--no-fetch")
    after = weights()
    assert np.array_equal(after["pruning"], before["pruning"])
    assert not np.array_equal(after["quantization"], before["quantization"])
