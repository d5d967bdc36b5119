"""The reader model's mathematics: tf-idf over title, abstract and authors, and one linear
model (logistic regression) per topic, in numpy alone. No I/O: core/ranking.py reads the
library, caches what is learnt and asks these functions.

Sparse matrices are plain CSR triples (`indptr`, `indices`, `data`): numpy has no sparse
type, and scipy (with scikit-learn) would cost ~40 MB and a second of import for what is
a few `bincount`s here. Rows are L2-normalised, so a row's dot product with another is
their cosine similarity.

numpy is imported at the top of this module: only the ranking commands import it
(core/ranking.py, itself imported inside those commands), never start-up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# Words of two letters and more (digits inside: "int8", "bert2"); "a:" marks an author.
_WORD = re.compile(r"[a-z][a-z0-9]+")
# English words that say nothing of a paper's subject, and the phrasing of abstracts.
STOP_WORDS = frozenset(
    """about above after again against all also although among an and any are as at be
    because been before being below between both but by can could did do does doing down
    during each either et few for from further had has have having here how however if in
    into is it its itself just may might more most much must no nor not now of off on once
    only or other our ours out over own paper papers propose proposed propose present
    presents same should show shows shown so some such than that the their theirs them
    then there these they this those through to too under until up upon us use used uses
    using very via was we were what when where whether which while who whom why will with
    within without would yet you your new novel approach approaches method methods based
    results result work works well first one two three also can via thus many often""".split()  # noqa: SIM905
)
TITLE_WEIGHT = 2  # a title's words count twice: a title says what a paper is about
MAX_VOCABULARY = 1 << 17


def words(
    title: str | None, authors: str | Sequence[str] | None, abstract: str | None
) -> list[str]:
    """The terms of a paper: title words (twice), abstract words, "a:surname" per author."""
    found = [w for w in _WORD.findall((title or "").lower()) if w not in STOP_WORDS]
    found *= TITLE_WEIGHT
    found += [w for w in _WORD.findall((abstract or "").lower()) if w not in STOP_WORDS]
    names = authors.split("\n") if isinstance(authors, str) else (authors or [])
    for name in names:
        parts = _WORD.findall(name.lower())
        if parts:
            found.append("a:" + parts[-1])
    return found


@dataclass
class Vocabulary:
    """The terms the model knows (those of at least two library papers) and their idf."""

    terms: list[str]
    idf: np.ndarray  # float32, one per term

    def index(self) -> dict[str, int]:
        return {term: i for i, term in enumerate(self.terms)}


def fit_vocabulary(documents: Sequence[list[str]]) -> Vocabulary:
    """Terms in at least two documents (any term when there are fewer than ten), the most
    frequent first up to MAX_VOCABULARY, with smoothed idf."""
    df: Counter[str] = Counter()
    for terms in documents:
        df.update(set(terms))
    least = 2 if len(documents) >= 10 else 1
    kept = [t for t, n in df.most_common(MAX_VOCABULARY) if n >= least]
    total = len(documents)
    idf = np.array([math.log((1 + total) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    return Vocabulary(kept, idf)


@dataclass
class Matrix:
    """Rows of L2-normalised tf-idf (sublinear tf), CSR."""

    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # int32
    data: np.ndarray  # float32
    width: int

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def row_of_each_value(self) -> np.ndarray:
        return np.repeat(np.arange(self.rows), np.diff(self.indptr))

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """This matrix times a vector of `width` (one value per row)."""
        products = self.data * weights[self.indices]
        return np.bincount(self.row_of_each_value(), products, minlength=self.rows).astype(
            np.float32
        )

    def dot_many(self, weights: np.ndarray) -> np.ndarray:
        """This matrix times `weights` (topics x width): rows x topics."""
        if self.rows == 0 or len(self.data) == 0:
            return np.zeros((self.rows, weights.shape[0]), dtype=np.float32)
        products = self.data[:, None] * weights.T[self.indices]  # values x topics
        starts = self.indptr[:-1]
        sums = np.add.reduceat(products, np.minimum(starts, len(self.data) - 1), axis=0)
        sums[starts == self.indptr[1:]] = 0.0  # reduceat gives an empty row its next value
        return sums.astype(np.float32)

    def transpose_dot(self, values: np.ndarray) -> np.ndarray:
        """The transpose times a vector of one value per row (width values)."""
        weights = self.data * values[self.row_of_each_value()]
        return np.bincount(self.indices, weights, minlength=self.width).astype(np.float32)

    def take(self, rows: np.ndarray) -> Matrix:
        """The matrix of these rows, in this order."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        picks = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Matrix(indptr, self.indices[picks], self.data[picks], self.width)

    def row(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        """(term indices, values) of one row."""
        start, end = self.indptr[number], self.indptr[number + 1]
        return self.indices[start:end], self.data[start:end]


def vectorize(
    documents: Iterable[list[str]], vocabulary: Vocabulary, index: dict[str, int]
) -> Matrix:
    """Documents (lists of terms) as rows of tf-idf over the vocabulary; unknown terms drop."""
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    get = index.get
    for terms in documents:
        known = Counter(i for i in map(get, terms) if i is not None)
        indices.extend(known.keys())
        counts.extend(known.values())
        indptr.append(len(indices))
    pointers = np.array(indptr, dtype=np.int64)
    columns = np.array(indices, dtype=np.int32)
    values = (1.0 + np.log(np.array(counts, dtype=np.float32))) * vocabulary.idf[columns]
    rows = np.repeat(np.arange(len(pointers) - 1), np.diff(pointers))
    norms = np.sqrt(np.bincount(rows, values * values, minlength=len(pointers) - 1))
    values = values / np.where(norms > 0, norms, 1.0)[rows]
    return Matrix(pointers, columns, values.astype(np.float32), len(vocabulary.terms))


def train_logistic(
    matrix: Matrix, labels: np.ndarray, weights: np.ndarray, *, iterations: int = 120,
    l2: float = 1e-4, step: float = 1.0,
) -> tuple[np.ndarray, float]:  # fmt: skip
    """A logistic regression (weights per term, bias) by Nesterov-accelerated gradient
    descent: rows are unit vectors, so a fixed step converges. `weights` per row balance
    the classes and count read/queued papers and dismissals more."""
    total = float(weights.sum()) or 1.0
    w = np.zeros(matrix.width, dtype=np.float32)
    bias = 0.0
    previous, previous_bias = w, bias
    for k in range(1, iterations + 1):
        momentum = (k - 1) / (k + 2)
        look = w + momentum * (w - previous)
        look_bias = bias + momentum * (bias - previous_bias)
        margins = matrix.dot(look) + look_bias
        errors = (1.0 / (1.0 + np.exp(-margins)) - labels) * weights / total
        gradient = matrix.transpose_dot(errors) + l2 * look
        previous, previous_bias = w, bias
        w = (look - step * gradient).astype(np.float32)
        bias = look_bias - step * float(errors.sum())
    return w.astype(np.float32), bias


def class_weights(labels: np.ndarray, boost: np.ndarray) -> np.ndarray:
    """Each class weighs as much as the other in all (`boost` scales rows within one)."""
    weights = boost.astype(np.float32).copy()
    for value in (0.0, 1.0):
        chosen = labels == value
        mass = float(weights[chosen].sum())
        if mass:
            weights[chosen] *= 0.5 * len(labels) / mass
    return weights


def sigmoid(values: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(values, -30, 30)))).astype(np.float32)


def top_terms(
    matrix: Matrix, row: int, weights: np.ndarray, terms: Sequence[str], count: int = 3
) -> list[str]:
    """The terms of a row that raised its score most (readable: "a:" becomes "by ")."""
    indices, values = matrix.row(row)
    contributions = values * weights[indices]
    order = np.argsort(-contributions)[:count]
    return [_readable(terms[indices[i]]) for i in order if contributions[i] > 0]


def _readable(term: str) -> str:
    return "by " + term[2:] if term.startswith("a:") else term


def centroid(matrix: Matrix) -> np.ndarray:
    """The mean of the rows, normalised: a topic's direction when there is nothing to tell
    it from (no other paper, no dismissal)."""
    total = np.bincount(matrix.indices, matrix.data, minlength=matrix.width).astype(np.float32)
    norm = float(np.linalg.norm(total))
    return total / norm if norm else total
