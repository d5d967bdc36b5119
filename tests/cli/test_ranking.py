"""The ranked inbox through the real CLI: a library of real reading lists (../shared) learns
what one reads, and unseen papers are ranked by it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from papertrail.importers import parse_file
from papertrail.model.records import PaperRecord
from papertrail.services.arxiv_atom import parse_feed
from tests.support.arxiv_stub import RSS_TYPE, ArxivStub
from tests.support.cli import as_json, ok
from tests.support.rss import rss_feed
from tests.support.shared import require_shared

pytestmark = pytest.mark.usefixtures("backend")

TOPICS = {
    "quantization": "awesome-model-quantization.md",
    "pruning": "awesome-pruning.md",
}
OTHERS = (  # papers of neither topic: LLM agents and multimodal models
    "markdown/WooooDyy__LLM-Agent-Paper-List__README.md",
    "markdown/BradyFU__Awesome-Multimodal-Large-Language-Models__README.md",
)


def titled(path: Path) -> list[PaperRecord]:
    """The records of a real reading list that have a title, duplicates of a title once."""
    parsed = parse_file(path, "markdown")
    seen: set[str] = set()
    found = []
    for batch in parsed.record_batches():
        for record in batch:
            key = (record.title or "").lower()
            if key and key not in seen:
                seen.add(key)
                found.append(record)
    return found


def split(records: Sequence[PaperRecord]) -> tuple[list[PaperRecord], list[PaperRecord]]:
    """Four in five to the library, the fifth unseen (fixed, not random)."""
    return [r for i, r in enumerate(records) if i % 5], [
        r for i, r in enumerate(records) if not i % 5
    ]


def library_json(path: Path, groups: dict[str | None, list[PaperRecord]]) -> Path:
    papers = [
        {"title": r.title, "authors": r.authors, "abstract": r.abstract,
         "topics": [topic] if topic else [], "categories": r.categories}
        for topic, records in groups.items() for r in records
    ]  # fmt: skip
    path.write_text(json.dumps({"format": "papertrail", "version": 1, "papers": papers}))
    return path


def item(number: int, record: PaperRecord) -> dict[str, Any]:
    return {"arxiv_id": f"2610.{number:05d}", "title": record.title, "abstract": record.abstract,
            "authors": record.authors or ["A. Nonymous"]}  # fmt: skip


def serve(stub: ArxivStub, items: list[dict[str, Any]]) -> None:
    stub.queue(200, rss_feed(items), {"Content-Type": RSS_TYPE})


@pytest.fixture
def lists() -> Path:
    return require_shared("reading-lists")


@pytest.fixture
def world(lists: Path, arxiv_fixtures: Path, tmp_path: Path) -> dict[str, list[PaperRecord]]:
    """The library: four fifths of each topic's list, of the other lists (no topic) and
    the recorded arXiv answers' papers with their abstracts (no topic). Returns the unseen
    papers by topic ("other" for neither)."""
    library: dict[str | None, list[PaperRecord]] = {}
    unseen: dict[str, list[PaperRecord]] = {}
    for topic, name in TOPICS.items():
        library[topic], unseen[topic] = split(titled(lists / name))
    others: list[PaperRecord] = []
    for name in OTHERS:
        others += titled(lists / name)
    recorded, _ = parse_feed((arxiv_fixtures / "query_search_testing_100results.xml").read_bytes())
    library[None], unseen["other"] = split(others + recorded)
    ok("import", str(library_json(tmp_path / "library.json", library)))
    return unseen


def precision_at(ranked: list[dict[str, Any]], wanted: set[str], k: int = 20) -> float:
    return sum(entry["title"] in wanted for entry in ranked[:k]) / k


def test_unseen_papers_are_ranked_per_topic_with_precision_at_20(
    world: dict[str, list[PaperRecord]], arxiv: ArxivStub
) -> None:
    mixed = [r for records in world.values() for r in records]
    mixed.sort(key=lambda r: r.title or "")  # arXiv's order tells nothing of the topics
    items = [item(n, r) for n, r in enumerate(mixed, 1)]
    ok("feed", "add", "cs.LG")
    serve(arxiv, items)
    ok("inbox", "--json")
    for topic in TOPICS:
        ranked = as_json("inbox", "--no-fetch", "--topic", topic)
        assert len(ranked) == len(items)
        wanted = {r.title or "" for r in world[topic]}
        precision = precision_at(ranked, wanted)
        assert precision >= 0.9, (topic, precision)
        assert all(entry["topic"] == topic for entry in ranked)
        assert [e["score"] for e in ranked] == sorted((e["score"] for e in ranked), reverse=True)
    # Unasked, each item goes to the topic it fits best: the top items are of both topics.
    best = as_json("inbox", "--no-fetch")
    top = {entry["topic"] for entry in best[:40]}
    assert top == set(TOPICS)
    quantization = {r.title for r in world["quantization"]}
    first = next(e for e in best if e["title"] in quantization)
    assert first["topic"] == "quantization" and first["why"].startswith("quantization: ")


def test_a_dismissed_paper_lowers_its_near_duplicates_next_time(
    world: dict[str, list[PaperRecord]], arxiv: ArxivStub
) -> None:
    paper = world["quantization"][3]
    twin = PaperRecord(title=f"{paper.title} (extended version)", authors=paper.authors)
    unrelated = world["pruning"][2]
    ok("feed", "add", "cs.LG")
    serve(arxiv, [item(1, paper), item(2, twin), item(3, unrelated)])
    ok("inbox")

    def scores() -> dict[str, float]:
        return {e["arxiv_id"]: e["score"] for e in as_json("inbox", "--no-fetch")}

    before = scores()
    ok("inbox", "dismiss", "1")
    after = scores()
    assert "2610.00001" not in after
    assert after["2610.00002"] < before["2610.00002"]
    assert after["2610.00003"] == pytest.approx(before["2610.00003"], abs=0.05)
    ok("undo")  # the dismissal undone: the model forgets it
    assert scores()["2610.00002"] == pytest.approx(before["2610.00002"], abs=1e-4)
