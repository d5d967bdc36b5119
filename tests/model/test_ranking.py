"""The reader model's maths (model/ranking.py) against plain dense numpy."""

from __future__ import annotations

import numpy as np
import pytest

from papertrail.model import ranking as maths


def dense(matrix: maths.Matrix) -> np.ndarray:
    out = np.zeros((matrix.rows, matrix.width), dtype=np.float64)
    for row in range(matrix.rows):
        indices, values = matrix.row(row)
        out[row, indices] = values
    return out


@pytest.fixture
def matrix() -> maths.Matrix:
    documents = [
        maths.words("Low-bit quantization of weights", ["Ada Lovelace"], "We quantize weights."),
        maths.words("Magnitude pruning", ["Grace Hopper"], "We prune weights of networks."),
        maths.words(None, None, None),  # an empty row
        maths.words("Quantization and pruning", ["Ada Lovelace"], "Weights, networks."),
    ] * 30_000  # more values than one block of dot_many
    vocabulary = maths.fit_vocabulary(documents)
    return maths.vectorize(documents, vocabulary, vocabulary.index())


def test_products_agree_with_dense_numpy(matrix: maths.Matrix) -> None:
    full = dense(matrix)
    rng = np.random.default_rng(1)
    w = rng.normal(size=matrix.width).astype(np.float32)
    many = rng.normal(size=(matrix.width, 3)).astype(np.float32)
    per_row = rng.normal(size=matrix.rows).astype(np.float32)
    assert np.allclose(matrix.dot(w), full @ w, atol=1e-4)
    assert np.allclose(matrix.dot_many(many), full @ many, atol=1e-4)
    assert np.allclose(matrix.transpose_dot(per_row), full.T @ per_row, rtol=1e-3, atol=1e-2)
    rows = np.array([3, 0, 2], dtype=np.int64)
    assert np.allclose(dense(matrix.take(rows)), full[rows])


def test_rows_are_unit_vectors_but_empty_ones(matrix: maths.Matrix) -> None:
    norms = np.linalg.norm(dense(matrix.take(np.arange(4))), axis=1)
    assert np.allclose(norms, [1.0, 1.0, 0.0, 1.0], atol=1e-5)


def test_words_count_the_title_twice_and_authors_by_surname() -> None:
    assert maths.words("Int8 Quantization", ["Dirk Wübben"], "Of weights.") == [
        "int8", "quantization", "int8", "quantization", "of", "weights", "a:wubben",
    ]  # fmt: skip
    assert maths.words("[bold]x[/bold] y", "A. Author\nB. Writer", None)[-2:] == [
        "a:author", "a:writer",
    ]  # fmt: skip


def test_the_vocabulary_leaves_out_stop_words_and_rare_terms() -> None:
    documents = [maths.words(f"the quantization of networks {n}", None, None) for n in range(12)]
    terms = maths.fit_vocabulary(documents).terms
    assert "quantization" in terms and "networks" in terms
    assert "the" not in terms and "of" not in terms and "7" not in terms


def test_logistic_regression_separates_what_it_is_shown(matrix: maths.Matrix) -> None:
    labels = np.array([1.0, 0.0, 0.0, 0.0] * 30_000, dtype=np.float32)
    weights = maths.class_weights(labels, np.ones_like(labels))
    w, bias = maths.train_logistic(matrix, labels, weights)
    scores = maths.sigmoid(matrix.dot(w) + bias)
    assert scores[0] > 0.8 and scores[1] < 0.2 and scores[0] > scores[3] > scores[1]


def test_the_why_names_the_terms_that_raised_the_score() -> None:
    documents = [maths.words("quantization of weights", ["Ada Lovelace"], None)] * 2
    vocabulary = maths.fit_vocabulary(documents)
    matrix = maths.vectorize(documents, vocabulary, vocabulary.index())
    weights = np.array([{"quantization": 2.0, "a:lovelace": 1.0}.get(t, -1.0)
                        for t in vocabulary.terms], dtype=np.float32)  # fmt: skip
    assert maths.top_terms(matrix, 0, weights, vocabulary.terms) == ["quantization", "by lovelace"]
