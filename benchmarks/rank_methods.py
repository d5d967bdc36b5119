"""The methods the reader model was chosen from, on real reading lists (../shared).

The set-up of tests/cli/test_ranking.py: two topics (the quantization and pruning lists),
four fifths of each in the library with four fifths of two other lists and of a recorded
arXiv search (no topic); the fifth of each, unseen, ranked for each topic. Precision at
20 and 50 per topic, for:

- logistic: the chosen model (tf-idf, logistic regression per topic, model/ranking.py);
- centroid: closeness to the topic's centroid less half the rest's (Rocchio);
- nearest: the highest cosine to one paper of the topic (k-NN with k = 1);
- logistic, no authors: what the model gets from the words alone;
- logistic, 120 steps of 1: the first settings (the chosen: 40 steps of 4).

R-precision is the precision at the number of the topic's unseen papers.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from common import REPO_ROOT

OTHERS = (
    "markdown/WooooDyy__LLM-Agent-Paper-List__README.md",
    "markdown/BradyFU__Awesome-Multimodal-Large-Language-Models__README.md",
)
TOPICS = {"quantization": "awesome-model-quantization.md", "pruning": "awesome-pruning.md"}


def shared() -> Path | None:
    base = Path(os.environ.get("PAPERTRAIL_SHARED", REPO_ROOT.parent / "shared"))
    return base if (base / "reading-lists").is_dir() else None


def _titled(path: Path) -> list:
    from papertrail.importers import parse_file

    seen: set[str] = set()
    found = []
    for batch in parse_file(path, "markdown").record_batches():
        for record in batch:
            key = (record.title or "").lower()
            if key and key not in seen:
                seen.add(key)
                found.append(record)
    return found


def _split(records: list) -> tuple[list, list]:
    """Four in five to the library, the fifth unseen (as the test splits them)."""
    known = [r for i, r in enumerate(records) if i % 5]
    return known, [r for i, r in enumerate(records) if not i % 5]


def compare() -> str:
    from papertrail.model import ranking as maths
    from papertrail.services.arxiv_atom import parse_feed

    base = shared()
    if base is None:
        return "(../shared absent: the methods' precision is not measured)"
    lists = base / "reading-lists"
    library: list = []
    labels: list[str | None] = []
    unseen: dict[str, list] = {}
    for topic, name in TOPICS.items():
        known, unseen[topic] = _split(_titled(lists / name))
        library += known
        labels += [topic] * len(known)
    others = [r for name in OTHERS for r in _titled(lists / name)]
    recorded = base / "fixtures" / "arxiv" / "query_search_testing_100results.xml"
    others += parse_feed(recorded.read_bytes())[0]
    known, unseen["other"] = _split(others)
    library += known
    labels += [None] * len(known)
    test = [r for records in unseen.values() for r in records]
    truth = {t: {id(r) for r in unseen[t]} for t in TOPICS}

    def rows(records: list, with_authors: bool = True) -> list[list[str]]:
        return [maths.words(r.title, r.authors if with_authors else None, r.abstract)
                for r in records]  # fmt: skip

    lines = ["| method | topic | p@20 | p@50 | R-precision |", "|---|---|---|---|---|"]
    methods = ("logistic", "centroid", "nearest", "logistic, no authors",
               "logistic, 120 steps of 1")  # fmt: skip
    for method in methods:
        with_authors = method != "logistic, no authors"
        documents = rows(library, with_authors)
        vocabulary = maths.fit_vocabulary(documents)
        index = vocabulary.index()
        matrix = maths.vectorize(documents, vocabulary, index)
        unseen_matrix = maths.vectorize(rows(test, with_authors), vocabulary, index)
        for topic in TOPICS:
            y = np.array([label == topic for label in labels], dtype=np.float32)
            scores = _scores(method, maths, matrix, unseen_matrix, y)
            order = np.argsort(-scores, kind="stable")
            found = [
                sum(id(test[i]) in truth[topic] for i in order[:k]) / k
                for k in (20, 50, len(truth[topic]))
            ]
            lines.append(f"| {method} | {topic} | " + " | ".join(f"{f:.2f}" for f in found) + " |")
    return "\n".join(lines)


def _scores(method: str, maths, matrix, unseen, y: np.ndarray) -> np.ndarray:
    positives = matrix.take(np.flatnonzero(y == 1))
    if method.startswith("logistic"):
        slow = {"iterations": 120, "step": 1.0} if "120" in method else {}
        w, b = maths.train_logistic(matrix, y, maths.class_weights(y, np.ones_like(y)), **slow)
        return unseen.dot(w) + b
    if method == "centroid":
        rest = matrix.take(np.flatnonzero(y == 0))
        return unseen.dot(maths.centroid(positives) - 0.5 * maths.centroid(rest))
    best = np.full(unseen.rows, -1.0, dtype=np.float32)  # nearest: one topic paper at a time
    for row in range(positives.rows):
        dense = np.zeros(matrix.width, dtype=np.float32)
        indices, values = positives.row(row)
        dense[indices] = values
        best = np.maximum(best, unseen.dot(dense))
    return best
