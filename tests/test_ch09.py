"""Chapter 09, multi-label classification: data, precision/recall, checkers, explorer."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch09


def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


# -- the data ---------------------------------------------------------------------------


def test_photos_are_seeded_multi_label_and_noisy():
    X, Y = ch09.make_photos(600, seed=0)
    assert X.shape == (600, 5) and Y.shape == (600, 3)
    assert set(np.unique(Y)) == {0.0, 1.0}
    X2, Y2 = ch09.make_photos(600, seed=0)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    assert not np.array_equal(ch09.make_photos(600, seed=1)[1], Y)
    tags = np.bincount(Y.sum(axis=1).astype(int), minlength=4)
    assert np.all(tags > 0), "photos with 0, 1, 2 and 3 tags all occur"
    assert tags[2] + tags[3] > 0.25 * len(Y), "several tags per photo are common"
    # noisy: the true model does not get every tag right
    assert np.mean((sigmoid(X @ ch09.TRUE_WEIGHTS + ch09.TRUE_BIASES) >= 0.5) == Y) < 0.95


# -- precision and recall ---------------------------------------------------------------


def test_precision_recall_by_counting():
    y = np.array([1, 0, 1, 1, 0, 0, 1])
    s = np.array([0.9, 0.6, 0.4, 0.7, 0.55, 0.1, 0.5])
    # predicted at 0.5: items 0, 1, 3, 4, 6 -> TP = 3 (0, 3, 6), FP = 2, FN = 1 (item 2)
    assert ch09.precision_recall(y, s, 0.5) == pytest.approx((3 / 5, 3 / 4))
    assert ch09.counts(y, s, 0.5) == {"TP": 3, "FP": 2, "FN": 1, "TN": 1}
    assert ch09.precision_recall(y, s, 0.95) == (1.0, 0.0)  # nothing predicted
    assert ch09.precision_recall(y, s, 0.0) == pytest.approx((4 / 7, 1.0))


def test_raising_the_threshold_never_raises_recall():
    X, Y = ch09.make_photos(300, seed=2)
    p = sigmoid(X @ ch09.TRUE_WEIGHTS + ch09.TRUE_BIASES)
    for j in range(3):
        recalls = [ch09.precision_recall(Y[:, j], p[:, j], t)[1] for t in ch09.CURVE]
        assert np.all(np.diff(recalls) <= 0)


# -- exercise 9.1 -----------------------------------------------------------------------


def my_bce(Y, Z):
    p = sigmoid(Z)
    Y = np.asarray(Y, dtype=float)
    return -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))


def test_bce_reference_and_lossbook_pass():
    assert ch09.check_multilabel_bce(my_bce).passed
    assert ch09.check_multilabel_bce(lambda Y, Z: lb.binary_cross_entropy_with_logits(Y, Z)).passed


def softmax_ce(Y, Z):
    Z = np.asarray(Z, dtype=float)
    return -np.mean(np.sum(np.asarray(Y) * np.log(lb.softmax(Z)), axis=1))


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (softmax_ce, "softmax"),
        (
            lambda Y, Z: np.mean(
                np.sum(lb.binary_cross_entropy_with_logits(Y, Z, reduction="none"), axis=1)
            ),
            "summed over the labels",
        ),
        (lambda Y, Z: lb.binary_cross_entropy_with_logits(Y, Z, reduction="sum"), "sum over all"),
        (lambda Y, Z: -my_bce(Y, Z), "sign"),
        (lambda Y, Z: my_bce(1 - np.asarray(Y), Z), "swapped"),
        (lambda Y, Z: -np.mean(np.asarray(Y) * np.log(sigmoid(Z))), "(1 - y)"),
        (lambda Y, Z: None, "return"),
    ],
)
def test_bce_mistakes_get_their_hint(wrong, word):
    fb = ch09.check_multilabel_bce(wrong)
    assert not fb.passed and word in fb.hint, fb


# -- exercise 9.2 -----------------------------------------------------------------------


def my_pr(y_true, scores, threshold):
    y = np.asarray(y_true) == 1
    predicted = np.asarray(scores) >= threshold
    tp = np.sum(predicted & y)
    return tp / np.sum(predicted), tp / np.sum(y)


def test_precision_recall_reference_passes():
    assert ch09.check_precision_recall(my_pr).passed


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda y, s, t: my_pr(y, s, t)[::-1], "swapped"),
        (lambda y, s, t: my_pr(y, s, t + 1e-12), ">="),
        (lambda y, s, t: [np.mean((np.asarray(s) >= t) == (np.asarray(y) == 1))] * 2, "accuracy"),
        (
            lambda y, s, t: [
                np.mean((np.asarray(s) >= t) & (np.asarray(y) == 1)),
                my_pr(y, s, t)[1],
            ],
            "number of tags predicted",
        ),
        (lambda y, s, t: None, "return"),
    ],
)
def test_precision_recall_mistakes_get_their_hint(wrong, word):
    fb = ch09.check_precision_recall(wrong)
    assert not fb.passed and word in fb.hint, fb


# -- exercise 9.3 -----------------------------------------------------------------------


def test_beach_probabilities():
    z = ch09.EXAMPLE_LOGITS
    sig = 1 / (1 + np.exp(-1.5))
    soft = np.exp(1.5) / (2 * np.exp(1.5) + np.exp(-1.0))
    assert soft < 0.5 < sig
    assert ch09.check_beach_probabilities([sig, soft]).passed
    assert "swapped" in ch09.check_beach_probabilities([soft, sig]).hint
    assert "people" in ch09.check_beach_probabilities([sig, 0.5]).hint
    assert "sum of exp" in ch09.check_beach_probabilities([sig, np.exp(1.5) / z.sum()]).hint
    assert "rounded" in ch09.check_beach_probabilities([0.8176, 0.4803]).hint
    for answer in ["0.8", [1.0]]:
        fb = ch09.check_beach_probabilities(answer)
        assert not fb.passed and fb.hint


# -- the explorer -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_outputs():
    X, Y = ch09.make_photos(200, seed=5)
    return sigmoid(X @ ch09.TRUE_WEIGHTS + ch09.TRUE_BIASES), Y


@pytest.fixture(scope="module")
def explorer(model_outputs):
    return ch09.threshold_explorer(*model_outputs)


@pytest.mark.parametrize("label", ch09.LABELS)
@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.8])
def test_explorer_caption(explorer, model_outputs, label, threshold):
    p, y = model_outputs
    j = ch09.LABELS.index(label)
    predicted = p[:, j] >= threshold
    truth = y[:, j] == 1
    tp, fp, fn = np.sum(predicted & truth), np.sum(predicted & ~truth), np.sum(~predicted & truth)
    caption = explorer.update(label=label, threshold=threshold)
    assert f"precision {tp / (tp + fp):.3f} (TP {tp}, FP {fp})" in caption
    assert f"recall {tp / (tp + fn):.3f} (FN {fn})" in caption


def test_explorer_render_changes(explorer):
    a = explorer.render(label="beach", threshold=0.3)
    b = explorer.render(label="beach", threshold=0.7)
    c = explorer.render(label="sunset", threshold=0.7)
    assert a != b and b != c
