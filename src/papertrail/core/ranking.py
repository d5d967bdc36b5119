"""The reader model: what the library says one reads, per topic, and the ranking of papers
(inbox items, search hits, suggestions, library papers) by it.

Learning: every paper with a title or abstract is a row of tf-idf (model/ranking.py); for
each topic, a logistic regression tells its papers (read, reading and queued ones count
double) from the rest of the library (a sample when the rest is large) and from the
dismissed inbox items (counted triple: "not this" said out loud). A topic that has
nothing to be told from (a library of one topic, nothing dismissed) ranks by closeness to
its papers' centroid instead.

Caching: the model is derived data, kept in the user's cache directory (one file per
library), with two fingerprints: of the texts (ids and text lengths of the papers, the
dismissed items) and of the labels (statuses, queue, topics). An unchanged library
reuses everything; changed labels retrain the topics' weights on the cached text matrix;
changed texts rebuild both. Nothing leaves the machine.

numpy is imported with model/ranking.py: only the commands that rank import this module
(inside their functions), so start-up of the others is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from papertrail.config import cache_dir
from papertrail.core.topics import check_topic
from papertrail.db.store import Store
from papertrail.errors import PapertrailError
from papertrail.model import ranking as maths
from papertrail.model.records import InboxEntry, Paper, PaperRecord

MODEL_VERSION = "2"  # a change of method makes every cached model stale
POSITIVE_BOOST = 2.0  # read, reading or queued papers of the topic
DISMISSED_BOOST = 3.0
NEGATIVES_PER_POSITIVE = 3
MIN_NEGATIVES = 2000
# A large topic learns from a sample (its read, reading and queued papers first): a linear
# model has learnt what 5,000 papers say well before 40,000 (benchmarks/rank.py).
MAX_POSITIVES = 5000
MAX_NEGATIVES = 10_000
SEED = 23
# Unasked, an item's best topic is one of those with this many papers at least: a topic
# of one or two papers fits anything sharing their words.
MIN_TOPIC_PAPERS = 5


class NothingToLearn(PapertrailError):
    """The library (or topic) has no paper the model can learn from."""


@dataclass
class ReaderModel:
    """What the library says one reads: a text matrix of the library and weights per topic."""

    terms: list[str]
    idf: np.ndarray
    library: maths.Matrix  # one row per paper with text, then one per dismissed item
    row_ids: np.ndarray  # the paper id of each row; -1 for a dismissed item
    topics: list[str]
    weights: np.ndarray  # terms x topics
    biases: np.ndarray  # one per topic
    members: dict[str, np.ndarray] = field(default_factory=dict)  # topic -> its rows
    topic_fingerprints: list[str] = field(default_factory=list)  # what each topic learnt
    text_fingerprint: str = ""
    label_fingerprint: str = ""
    retrained: bool = False  # whether this run learnt (for messages and tests)
    _index: dict[str, int] | None = None

    @property
    def vocabulary(self) -> maths.Vocabulary:
        return maths.Vocabulary(self.terms, self.idf)

    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = self.vocabulary.index()
        return self._index

    def vectorize(self, records: Sequence[PaperRecord]) -> maths.Matrix:
        documents = (maths.words(r.title, r.authors, r.abstract) for r in records)
        return maths.vectorize(documents, self.vocabulary, self.index())

    def topic_column(self, topic: str) -> int:
        return self.topics.index(topic)


@dataclass
class Fit:
    """How well one paper fits what one reads."""

    score: float  # 0..1: the model's probability that the paper belongs to `topic`
    topic: str | None
    words: list[str]  # the terms that raised the score most

    def why(self) -> str:
        if self.topic is None:
            return ""
        return f"{self.topic}: {', '.join(self.words)}" if self.words else self.topic

    def to_json(self) -> dict[str, object]:
        return {"score": round(self.score, 4), "topic": self.topic, "why": self.why()}


# -- the model ------------------------------------------------------------------------------


def reader_model(
    store: Store, topic: str | None = None, *, need_topics: bool = True
) -> ReaderModel:
    """The library's model, from the cache when it is still the library's; trained (and
    cached) otherwise. `topic`: the topic the caller ranks for, which must have papers;
    `need_topics`: the caller ranks by topic (`similar` needs only the texts)."""
    slug = check_topic(store, topic) if topic is not None else None
    text_fp = _fingerprint(store.text_state(), store.dismissed_texts())
    members = store.topic_members()
    label_fp = _fingerprint(store.label_state(), members)
    path = cache_file(store)
    cached = _load(path)
    model: ReaderModel | None = None
    if cached is not None and cached.text_fingerprint == text_fp:
        model = cached
    else:
        model = _texts(store, text_fp)
    if model is not cached or model.label_fingerprint != label_fp:
        _train(store, model, members)
        model.label_fingerprint = label_fp
        model.retrained = True
        _save(path, model)
    if slug is not None and slug not in model.topics:
        raise NothingToLearn(
            f"topic '{slug}' has no paper with a title or abstract to learn from "
            f"(`papertrail tag REF {slug}` files some)"
        )
    if need_topics and not model.topics:
        raise NothingToLearn(
            "no topic of the library has a paper with a title or abstract to learn from; "
            "`papertrail inbox add N -t TOPIC` files some"
        )
    return model


def _fingerprint(*parts: object) -> str:
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for part in parts:
        digest.update(repr(part).encode())
    return digest.hexdigest()


def _texts(store: Store, text_fp: str) -> ReaderModel:
    """The text matrix of the library's papers (and dismissed items) and its vocabulary."""
    documents: list[list[str]] = []
    ids: list[int] = []
    for paper_id, title, authors, abstract in store.paper_texts():
        if title or abstract:
            documents.append(maths.words(title, authors, abstract))
            ids.append(int(paper_id))
    for _arxiv_id, title, authors, abstract in store.dismissed_texts():
        documents.append(maths.words(title, authors, abstract))
        ids.append(-1)
    vocabulary = maths.fit_vocabulary(documents)
    matrix = maths.vectorize(documents, vocabulary, vocabulary.index())
    empty = np.zeros((len(vocabulary.terms), 0), dtype=np.float32)
    return ReaderModel(
        vocabulary.terms, vocabulary.idf, matrix, np.array(ids, dtype=np.int64), [], empty,
        np.zeros(0, dtype=np.float32), text_fingerprint=text_fp,
    )  # fmt: skip


def _train(store: Store, model: ReaderModel, members: list[tuple[str, int]]) -> None:
    """One linear model per topic that has papers with text. A topic whose own
    fingerprint (its papers, which of them count double, the dismissed items, the texts)
    is the cached one keeps its weights: marking a paper read retrains its topics alone."""
    row_of = {int(pid): row for row, pid in enumerate(model.row_ids) if pid >= 0}
    boosted = {row_of[int(pid)] for pid, status, queued in store.label_state()
               if (status in ("read", "reading") or queued) and int(pid) in row_of}  # fmt: skip
    by_topic: dict[str, list[int]] = {}
    for slug, paper_id in members:
        if paper_id in row_of:
            by_topic.setdefault(slug, []).append(row_of[paper_id])
    dismissed = np.flatnonzero(model.row_ids < 0)
    library_rows = np.flatnonzero(model.row_ids >= 0)
    known = {slug: column for column, slug in enumerate(model.topics)}
    topics = sorted(by_topic)
    weights = np.zeros((len(model.terms), len(topics)), dtype=np.float32)
    biases = np.zeros(len(topics), dtype=np.float32)
    fingerprints: list[str] = []
    for column, slug in enumerate(topics):
        positives = np.array(sorted(set(by_topic[slug])), dtype=np.int64)
        double = np.array([row in boosted for row in positives])
        fingerprint = _fingerprint(
            model.text_fingerprint, slug, positives.tobytes(), double.tobytes(), len(dismissed)
        )
        fingerprints.append(fingerprint)
        before = known.get(slug)
        if before is not None and model.topic_fingerprints[before] == fingerprint:
            weights[:, column], biases[column] = model.weights[:, before], model.biases[before]
            continue
        rng = np.random.default_rng([SEED, *slug.encode()])  # the same sample every time
        weights[:, column], biases[column] = _fit_topic(
            model, positives, double, library_rows, dismissed, rng
        )
    model.topics, model.weights, model.biases = topics, weights, biases
    model.topic_fingerprints = fingerprints
    model.members = {slug: np.array(sorted(set(rows)), dtype=np.int64)
                     for slug, rows in by_topic.items()}  # fmt: skip


def _fit_topic(
    model: ReaderModel, positives: np.ndarray, double: np.ndarray, library_rows: np.ndarray,
    dismissed: np.ndarray, rng: np.random.Generator,
) -> tuple[np.ndarray, float]:  # fmt: skip
    """The topic's weights and bias: its papers (`double`: those read, reading or queued)
    against a sample of the rest of the library and the dismissed items."""
    others = np.setdiff1d(library_rows, positives, assume_unique=True)
    if len(positives) > MAX_POSITIVES:
        kept = np.concatenate([positives[double], rng.permutation(positives[~double])])
        kept = np.sort(kept[:MAX_POSITIVES])
        double = np.isin(kept, positives[double])
        positives = kept
    limit = min(MAX_NEGATIVES, max(MIN_NEGATIVES, NEGATIVES_PER_POSITIVE * len(positives)))
    if len(others) > limit:
        others = np.sort(rng.choice(others, limit, replace=False))
    negatives = np.concatenate([others, dismissed])
    if len(negatives) == 0:
        # Nothing to tell the topic from: closeness to its papers, scaled to a margin.
        return maths.centroid(model.library.take(positives)) * 8.0, -4.0
    rows = np.concatenate([positives, negatives])
    labels = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))]).astype(np.float32)
    boost = np.ones(len(rows), dtype=np.float32)
    boost[: len(positives)][double] = POSITIVE_BOOST
    boost[len(positives) + len(others) :] = DISMISSED_BOOST
    weights = maths.class_weights(labels, boost)
    return maths.train_logistic(model.library.take(rows), labels, weights)


# -- the cache ------------------------------------------------------------------------------


def cache_file(store: Store) -> Path:
    """One file per library and reader (the path or URL and the reader's name, hashed: a
    URL may hold a password): the model learns from the reader's own reading."""
    name = hashlib.sha256(f"{store.location}\0{store.reader_name}".encode()).hexdigest()[:24]
    return cache_dir() / "ranking" / f"{name}.npz"


def _text_array(values: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(values).encode(), dtype=np.uint8)


def _array_text(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode()
    return text.split("\n") if text else []


def _save(path: Path, model: ReaderModel) -> None:
    """Written atomically (a temporary file renamed): two commands at once never see half
    a model. A cache that cannot be written only costs the next run a retraining."""
    member_rows = [model.members.get(slug, np.zeros(0, np.int64)) for slug in model.topics]
    arrays: dict[str, np.ndarray] = {
        "terms": _text_array(model.terms), "idf": model.idf,
        "indptr": model.library.indptr, "indices": model.library.indices,
        "data": model.library.data, "row_ids": model.row_ids,
        "topics": _text_array(model.topics), "weights": model.weights, "biases": model.biases,
        "member_counts": np.array([len(r) for r in member_rows], dtype=np.int64),
        "member_rows": np.concatenate(member_rows) if member_rows else np.zeros(0, np.int64),
        "fingerprints": _text_array([model.text_fingerprint, model.label_fingerprint]),
        "topic_fingerprints": _text_array(model.topic_fingerprints),
    }  # fmt: skip
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, allow_pickle=False, **arrays)
        os.replace(temporary, path)
    except OSError:
        return


def _load(path: Path) -> ReaderModel | None:
    """The cached model, or None when there is none or it cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            arrays = {key: saved[key] for key in saved.files}
    except (OSError, ValueError, KeyError, EOFError):
        return None
    try:
        terms, topics = _array_text(arrays["terms"]), _array_text(arrays["topics"])
        text_fp, label_fp = _array_text(arrays["fingerprints"])
        bounds = np.concatenate([[0], np.cumsum(arrays["member_counts"])])
        members = {slug: arrays["member_rows"][bounds[i] : bounds[i + 1]]
                   for i, slug in enumerate(topics)}  # fmt: skip
        library = maths.Matrix(arrays["indptr"], arrays["indices"], arrays["data"], len(terms))
        return ReaderModel(
            terms, arrays["idf"], library, arrays["row_ids"], topics, arrays["weights"],
            arrays["biases"], members, _array_text(arrays["topic_fingerprints"]), text_fp,
            label_fp,
        )  # fmt: skip
    except (KeyError, ValueError, UnicodeDecodeError):
        return None


# -- ranking --------------------------------------------------------------------------------


def fits(model: ReaderModel, records: Sequence[PaperRecord], topic: str | None = None) -> list[Fit]:
    """How each record fits the library: its best topic (or `topic`), score and why."""
    if not records:
        return []
    matrix = model.vectorize(records)
    columns = [model.topic_column(topic)] if topic is not None else _usual_topics(model)
    scores = maths.sigmoid(
        matrix.dot_many(np.ascontiguousarray(model.weights[:, columns])) + model.biases[columns]
    )
    best = scores.argmax(axis=1)
    found: list[Fit] = []
    for row in range(matrix.rows):
        column = columns[int(best[row])]
        words = maths.top_terms(matrix, row, model.weights[:, column], model.terms)
        found.append(Fit(float(scores[row, best[row]]), model.topics[column], words))
    return found


def _usual_topics(model: ReaderModel) -> list[int]:
    """The columns of the topics large enough to be an item's best (all, if none is)."""
    large = [i for i, slug in enumerate(model.topics)
             if len(model.members.get(slug, ())) >= MIN_TOPIC_PAPERS]  # fmt: skip
    return large or list(range(len(model.topics)))


def ranked_order(found: Sequence[Fit]) -> list[int]:
    """Positions of `found`, best first (ties keep their order)."""
    return sorted(range(len(found)), key=lambda i: -found[i].score)


def closest_papers(
    model: ReaderModel, record: PaperRecord, *, count: int = 3, topic: str | None = None,
    exclude: int | None = None,
) -> list[tuple[int, float]]:  # fmt: skip
    """The library papers (of `topic`, when given) nearest to a record: (id, cosine)."""
    matrix = model.vectorize([record])
    return nearest_rows(model, matrix, 0, count=count, topic=topic, exclude=exclude)


def nearest_rows(
    model: ReaderModel, matrix: maths.Matrix, row: int, *, count: int,
    topic: str | None = None, exclude: int | None = None,
) -> list[tuple[int, float]]:  # fmt: skip
    dense = np.zeros(len(model.terms), dtype=np.float32)
    indices, values = matrix.row(row)
    dense[indices] = values
    similarity = model.library.dot(dense)
    allowed = model.row_ids >= 0
    if topic is not None:
        chosen = np.zeros_like(allowed)
        chosen[model.members.get(topic, np.zeros(0, np.int64))] = True
        allowed &= chosen
    if exclude is not None:
        allowed &= model.row_ids != exclude
    similarity = np.where(allowed & (similarity > 0), similarity, -1.0)
    order = np.argsort(-similarity, kind="stable")[:count]
    return [(int(model.row_ids[i]), float(similarity[i])) for i in order if similarity[i] > 0]


@dataclass
class RankedInbox:
    """The inbox in order of interest, each item's fit beside it (None: not ranked)."""

    entries: list[InboxEntry]
    fits: list[Fit | None]


def rank_inbox(store: Store, entries: list[InboxEntry], topic: str | None = None) -> RankedInbox:
    """The items best first (for `topic`, when given). Raises NothingToLearn when the
    library (or the topic) has nothing to learn from."""
    model = reader_model(store, topic)
    slug = check_topic(store, topic) if topic is not None else None
    found = fits(model, [entry.record for entry in entries], slug)
    order = ranked_order(found)
    return RankedInbox([entries[i] for i in order], [found[i] for i in order])


def explain(
    store: Store, record: PaperRecord, count: int = 3
) -> tuple[Fit, list[tuple[Paper, float]]]:
    """How a paper fits the library, and the library papers of its best topic nearest to
    it (with their cosine similarity)."""
    model = reader_model(store)
    fit = fits(model, [record])[0]
    near = closest_papers(model, record, count=count, topic=fit.topic)
    papers = {p.id: p for p in store.get_many([pid for pid, _ in near])}
    return fit, [(papers[pid], similarity) for pid, similarity in near if pid in papers]


def rank_records(
    store: Store, records: Sequence[PaperRecord], topic: str | None = None
) -> list[tuple[int, Fit]]:
    """(position in `records`, fit), best first."""
    model = reader_model(store, topic)
    found = fits(model, records, check_topic(store, topic) if topic is not None else None)
    return [(i, found[i]) for i in ranked_order(found)]


def library_scores(store: Store, paper_ids: Sequence[int], topic: str) -> dict[int, float]:
    """How well library papers fit `topic` (those without text are left out)."""
    model = reader_model(store, topic)
    rows = {int(pid): row for row, pid in enumerate(model.row_ids) if pid >= 0}
    wanted = [(pid, rows[pid]) for pid in paper_ids if pid in rows]
    if not wanted:
        return {}
    column = model.topic_column(topic)
    matrix = model.library.take(np.array([row for _, row in wanted], dtype=np.int64))
    scores = maths.sigmoid(matrix.dot(model.weights[:, column]) + model.biases[column])
    return {pid: float(score) for (pid, _), score in zip(wanted, scores, strict=True)}


def _reference(store: Store, model: ReaderModel, paper: Paper) -> maths.Matrix:
    """A library paper's row of tf-idf (its text must say something the library knows)."""
    if not (paper.title or paper.abstract):
        raise NothingToLearn(f"paper {paper.id} has no title or abstract to compare")
    matrix = model.vectorize([paper])
    if len(matrix.data) == 0:
        raise NothingToLearn(f"paper {paper.id} shares no word with the rest of the library")
    return matrix


def similar_papers(store: Store, paper: Paper, limit: int) -> list[tuple[Paper, float]]:
    """The library papers closest to `paper` (cosine of tf-idf), closest first."""
    model = reader_model(store, need_topics=False)
    near = nearest_rows(model, _reference(store, model, paper), 0, count=limit, exclude=paper.id)
    papers = {p.id: p for p in store.get_many([pid for pid, _ in near])}
    return [(papers[pid], similarity) for pid, similarity in near if pid in papers]


def similar_records(
    store: Store, paper: Paper, records: Sequence[PaperRecord]
) -> list[tuple[int, float]]:
    """(position in `records`, cosine to `paper`), closest first."""
    model = reader_model(store, need_topics=False)
    reference = _reference(store, model, paper)
    dense = np.zeros(len(model.terms), dtype=np.float32)
    indices, values = reference.row(0)
    dense[indices] = values
    similarity = model.vectorize(records).dot(dense) if records else np.zeros(0)
    order = np.argsort(-similarity, kind="stable")
    return [(int(i), float(similarity[i])) for i in order]
