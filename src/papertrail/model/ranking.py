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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np

from papertrail.model.text import fold

# Words are runs of ASCII letters and digits ("int8", "4bit"); "a:" marks an author. Text
# is split by a byte table (C speed: a regex took twice as long on 30,000 abstracts); a
# letter outside ASCII splits a word ("Wübben": "w", "bben"), rare in English titles.
_SPLIT = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
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
    """The terms of a paper: title words (twice), abstract words, "a:surname" per author.
    Stop words stay: the vocabulary leaves them out, and a lookup costs less than a test."""
    found = _tokens(title) * TITLE_WEIGHT if title else []
    if abstract:
        found += _tokens(abstract)
    names = authors.split("\n") if isinstance(authors, str) else (authors or [])
    for name in names:
        parts = _tokens(fold(name))
        if parts:
            found.append("a:" + parts[-1])
    return found


def _tokens(text: str) -> list[str]:
    return text.lower().encode("ascii", "replace").translate(_SPLIT).decode("ascii").split()


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
    common = (t for t, n in df.most_common() if n >= least and len(t) > 1 and t not in STOP_WORDS)
    kept = list(islice(common, MAX_VOCABULARY))
    total = len(documents)
    idf = np.array([math.log((1 + total) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    return Vocabulary(kept, idf)


class Matrix:
    """Rows of L2-normalised tf-idf (sublinear tf), CSR."""

    def __init__(
        self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, width: int
    ) -> None:
        self.indptr = indptr  # int64, rows + 1
        self.indices = indices  # int32
        self.data = data  # float32
        self.width = width
        # The row of each stored value: every product below needs it.
        self.value_rows = np.repeat(np.arange(self.rows, dtype=np.int32), np.diff(indptr))

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """This matrix times a vector of `width` (one value per row)."""
        products = self.data * weights[self.indices]
        return np.bincount(self.value_rows, products, minlength=self.rows).astype(np.float32)

    def dot_many(self, weights: np.ndarray, block: int = 100_000) -> np.ndarray:
        """This matrix times `weights` (width x topics, C order): rows x topics, a block of
        stored values at a time (the products of all of them at once would not fit)."""
        result = np.zeros((self.rows, weights.shape[1]), dtype=np.float32)
        for start in range(0, len(self.data), block):
            end = min(start + block, len(self.data))
            products = self.data[start:end, None] * weights[self.indices[start:end]]
            rows = self.value_rows[start:end]
            _add_rows(result, rows, products)
        return result

    def transpose_dot(self, values: np.ndarray) -> np.ndarray:
        """The transpose times a vector of one value per row (width values)."""
        weights = self.data * values[self.value_rows]
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


def _add_rows(result: np.ndarray, rows: np.ndarray, products: np.ndarray) -> None:
    """result[rows[i]] += products[i], for sorted `rows` (a CSR's are): sums of runs."""
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    result[rows[starts]] += np.add.reduceat(products, starts, axis=0)


def vectorize(
    documents: Iterable[list[str]], vocabulary: Vocabulary, index: dict[str, int]
) -> Matrix:
    """Documents (lists of terms) as rows of tf-idf over the vocabulary; unknown terms drop."""
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    get = index.get
    for terms in documents:
        known = Counter(map(get, terms))
        known.pop(None, None)  # terms the vocabulary does not know
        indices.extend(known.keys())  # type: ignore[arg-type]
        counts.extend(known.values())
        indptr.append(len(indices))
    pointers = np.array(indptr, dtype=np.int64)
    columns = np.array(indices, dtype=np.int32)
    values = (1.0 + np.log(np.array(counts, dtype=np.float32))) * vocabulary.idf[columns]
    matrix = Matrix(pointers, columns, values.astype(np.float32), len(vocabulary.terms))
    rows = matrix.value_rows
    norms = np.sqrt(np.bincount(rows, values * values, minlength=matrix.rows))
    matrix.data = (values / np.where(norms > 0, norms, 1.0)[rows]).astype(np.float32)
    return matrix


def train_logistic(
    matrix: Matrix, labels: np.ndarray, weights: np.ndarray, *, iterations: int = 40,
    l2: float = 1e-4, step: float = 4.0,
) -> tuple[np.ndarray, float]:  # fmt: skip
    """A logistic regression (weights per term, bias) by Nesterov-accelerated gradient
    descent. Rows are unit vectors and the loss is averaged over the row weights, so its
    gradient is 1/4-Lipschitz at most: a fixed step of 4 converges, in a few dozen steps
    for a ranking (measured in benchmarks/rank.py). `weights` per row balance the
    classes and count read/queued papers and dismissals more."""
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
