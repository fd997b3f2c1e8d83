"""Chapter 09, multi-label classification: data, precision/recall, checkers, explorer."""

from __future__ import annotations

import html
import itertools

import numpy as np
import pytest

import lossbook as lb
from lossbook import checks
from lossbook.course import ch09
from tests.candidates import distinct


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


def test_f1_is_the_harmonic_mean_of_precision_and_recall():
    y = np.array([1, 0, 1, 1, 0, 0, 1])
    s = np.array([0.9, 0.6, 0.4, 0.7, 0.55, 0.1, 0.5])
    precision, recall = ch09.precision_recall(y, s, 0.5)
    assert ch09.f1_score(y, s, 0.5) == pytest.approx(2 * precision * recall / (precision + recall))
    assert ch09.f1_score(y, s, 0.5) == pytest.approx(2 * 3 / (2 * 3 + 2 + 1))
    assert ch09.f1_score(y, s, 0.95) == 0.0  # no true positive


def test_pr_curve_and_best_threshold():
    y = np.array([1, 0, 1, 1, 0, 0, 1])
    s = np.array([0.9, 0.6, 0.4, 0.7, 0.55, 0.1, 0.5])
    curve = ch09.pr_curve(y, s, [0.3, 0.5, 0.8])
    assert curve.shape == (3, 4)
    for t, precision, recall, f1 in curve:
        assert (precision, recall) == pytest.approx(ch09.precision_recall(y, s, t))
        assert f1 == pytest.approx(ch09.f1_score(y, s, t))
    # F1 over CURVE: at t <= 0.40 all four positives and two negatives tagged: 8 / 10 = 0.8
    assert ch09.best_f1_threshold(y, s) == pytest.approx(0.11)
    assert ch09.f1_score(y, s, 0.11) == pytest.approx(0.8)


@pytest.mark.parametrize("recall", [0.25, 0.5, 0.6, 0.75, 1.0])
def test_threshold_for_recall_is_the_highest_that_reaches_it(recall):
    y = np.array([1, 0, 1, 1, 0, 0, 1])
    s = np.array([0.9, 0.6, 0.4, 0.7, 0.55, 0.1, 0.5])
    t = ch09.threshold_for_recall(y, s, recall)
    assert ch09.precision_recall(y, s, t)[1] >= recall
    assert ch09.precision_recall(y, s, t + 1e-9)[1] < recall


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


# -- exercise 9.4 -----------------------------------------------------------------------


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
        (
            lambda y, s, t: [
                my_pr(y, s, t)[0],
                np.mean((np.asarray(s) >= t) & (np.asarray(y) == 1)),
            ],
            "number of true tags",
        ),
        (lambda y, s, t: None, "return"),
    ],
)
def test_precision_recall_mistakes_get_their_hint(wrong, word):
    fb = ch09.check_precision_recall(wrong)
    assert not fb.passed and word in fb.hint, fb


# -- exercise 9.2 -----------------------------------------------------------------------


def test_beach_probabilities():
    z = ch09.EXAMPLE_LOGITS
    sig = 1 / (1 + np.exp(-1.5))
    soft = np.exp(1.5) / (np.exp(1.5) + np.exp(-1.0) + np.exp(1.0))
    sunset_soft = np.exp(1.0) / (np.exp(1.5) + np.exp(-1.0) + np.exp(1.0))
    # both true tags likely under the sigmoids, at most one above 0.5 under the softmax
    assert sigmoid(1.0) > 0.7 and sig > 0.8 and sunset_soft < 0.5 < soft
    assert ch09.check_beach_probabilities([sig, soft]).passed
    # the wrong label must not pass for beach (issue 14: no coinciding candidates)
    fb = ch09.check_beach_probabilities([sigmoid(1.0), sunset_soft])
    assert not fb.passed and "sunset" in fb.hint
    assert "swapped" in ch09.check_beach_probabilities([soft, sig]).hint
    without_people = np.exp(1.5) / (np.exp(1.5) + np.exp(1.0))
    assert "people" in ch09.check_beach_probabilities([sig, without_people]).hint
    assert "sum of exp" in ch09.check_beach_probabilities([sig, np.exp(1.5) / z.sum()]).hint
    assert "rounded" in ch09.check_beach_probabilities([0.8176, 0.5922]).hint
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
    assert f"F1 {2 * tp / (2 * tp + fp + fn):.3f}" in caption


def test_explorer_render_changes(explorer):
    a = explorer.render(label="beach", threshold=0.3)
    b = explorer.render(label="beach", threshold=0.7)
    c = explorer.render(label="sunset", threshold=0.7)
    assert a != b and b != c


def test_explorer_speaks_its_values(explorer):
    label, threshold = explorer.controls
    assert label.spoken("sunset") == "label sunset"
    assert threshold.spoken(0.3) == "threshold 0.3 on the predicted probability"
    assert explorer.description and "precision" in explorer.description


# -- what the chapter's text rests on -----------------------------------------------------


def test_summed_bce_is_minus_log_of_the_tag_set_probability():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(6, 4))
    Y = (rng.random((6, 4)) < 0.5).astype(float)
    P = sigmoid(Z)
    tag_set = np.prod(np.where(Y == 1, P, 1 - P), axis=1)
    summed = lb.binary_cross_entropy_with_logits(Y, Z, reduction="none").sum(axis=1)
    assert np.allclose(summed, -np.log(tag_set))


def test_a_softmax_cannot_say_none():
    rng = np.random.default_rng(4)
    Z = rng.normal(scale=5, size=(1000, 3))
    assert np.all(lb.softmax(Z).max(axis=1) >= 1 / 3)
    assert np.all(np.sort(lb.softmax(Z), axis=1)[:, -2] <= 0.5)  # at most one entry > 0.5


@pytest.mark.parametrize("w", [0.5, 2.3058, 5.6667])
@pytest.mark.parametrize("pi", [0.1, 0.295, 0.7])
def test_pos_weight_multiplies_the_optimal_odds_by_w(w, pi):
    # the expected weighted BCE at true probability pi, minimised over the logit
    z = np.linspace(-12, 12, 240_001)
    expected = -(w * pi * lb.log_sigmoid(z) + (1 - pi) * lb.log_sigmoid(-z))
    p = sigmoid(z[np.argmin(expected)])
    assert p / (1 - p) == pytest.approx(w * pi / (1 - pi), rel=1e-3)
    # so the weighted model's 0.5 is where the true probability is 1 / (1 + w)
    assert (1 / (1 + w)) / (1 - 1 / (1 + w)) * w == pytest.approx(1.0)


# -- exercises 9.3, 9.5, 9.6, 9.7 -----------------------------------------------------------

VALUE_CHECKERS = [
    ch09.check_beach_probabilities,
    ch09.check_tag_set_probability,
    ch09.check_f1,
    ch09.check_pos_weight,
    ch09.check_matching_threshold,
]


@pytest.mark.parametrize("checker", VALUE_CHECKERS, ids=lambda c: c.__name__)
def test_value_candidates_never_coincide(checker):
    exercise = checker(None).web
    candidates = [exercise.expected] + [m.behaves_like for m in exercise.mistakes]
    for i, j in itertools.combinations(range(len(candidates)), 2):
        assert distinct(candidates[i], candidates[j]), (i, j, candidates[i], candidates[j])
    assert checker(exercise.expected).passed
    for mistake in exercise.mistakes:
        fb = checker(mistake.behaves_like)
        assert not fb.passed and fb.hint == mistake.hint, fb
    # a copy rounded to 3 decimals is told so (0.15 rounds to itself and is right)
    rounded = np.round(np.asarray(exercise.expected, dtype=float), 3)
    fb = checker(rounded.tolist())
    if np.allclose(rounded, exercise.expected, rtol=checks.RTOL, atol=checks.ATOL):
        assert fb.passed
    else:
        assert not fb.passed and fb.hint == checks.ROUNDED_HINT, fb


@pytest.mark.parametrize(
    ("reference", "mistakes", "cases"),
    [
        (ch09._multilabel_bce, ch09.BCE_MISTAKES, ch09.BCE_CASES),
        (ch09._precision_recall, ch09.PR_MISTAKES, ch09.PR_CASES),
    ],
    ids=["bce", "precision_recall"],
)
def test_function_candidates_never_coincide(reference, mistakes, cases):
    candidates = [reference] + [m.behaves_like for m in mistakes]
    with np.errstate(all="ignore"):
        rows = [
            np.concatenate([np.ravel(np.asarray(f(*case), dtype=float)) for case in cases])
            for f in candidates
        ]
    for i, j in itertools.combinations(range(len(rows)), 2):
        assert not np.allclose(rows[i], rows[j], rtol=1e-3, equal_nan=True), (i, j)


def test_tag_set_probability():
    assert ch09.check_tag_set_probability(0.8 * 0.9 * 0.6).passed
    assert "1 - p̂(people)" in ch09.check_tag_set_probability(0.8 * 0.6).hint
    assert "NOT in the set" in ch09.check_tag_set_probability(0.8 * 0.1 * 0.6).hint
    assert "-log" in ch09.check_tag_set_probability(-np.log(0.432)).hint
    assert "log of the probability" in ch09.check_tag_set_probability(np.log(0.432)).hint
    assert "OTHER" in ch09.check_tag_set_probability(0.568).hint
    assert "rounded" in ch09.check_tag_set_probability(0.4321).hint


def test_f1():
    assert ch09.check_f1(2 * 30 / (2 * 30 + 4 + 26)).passed
    assert "arithmetic" in ch09.check_f1((30 / 34 + 30 / 56) / 2).hint
    assert "Jaccard" in ch09.check_f1(0.5).hint
    assert "precision alone" in ch09.check_f1(30 / 34).hint
    assert "recall alone" in ch09.check_f1(30 / 56).hint
    assert "rounded" in ch09.check_f1(0.667).hint


def test_pos_weight_and_matching_threshold():
    assert ch09.check_pos_weight(255 / 45).passed
    assert "Upside down" in ch09.check_pos_weight(45 / 255).hint
    assert "share" in ch09.check_pos_weight(0.15).hint
    # (b) uses a milder weight, so the base rate (the balancing weight's answer) is wrong here
    assert ch09.MILD_WEIGHT == 3.0
    assert ch09.check_matching_threshold(0.25).passed
    assert ch09.check_matching_threshold(1 / (1 + 3)).passed
    for base_rate in (0.15, 45 / 300, 1 / (1 + 255 / 45)):
        fb = ch09.check_matching_threshold(base_rate)
        assert not fb.passed and "share of the photos" in fb.hint
    assert "Odds" in ch09.check_matching_threshold(1 / 3).hint
    assert "below 0.5" in ch09.check_matching_threshold(3 / 4).hint
    assert ch09.check_pos_weight(None).exercise == "Exercise 9.6 (a)"
    assert ch09.check_matching_threshold(None).exercise == "Exercise 9.6 (b)"


def test_xray_choice():
    assert ch09.check_xray_threshold("A").passed
    assert ch09.check_xray_threshold(" a ").passed
    for key in "BCD":
        fb = ch09.check_xray_threshold(key)
        assert not fb.passed and fb.hint == ch09.XRAY_OPTIONS[key]
    assert not ch09.check_xray_threshold("E").passed


# -- the quiz ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question", list(ch09.QUIZ.questions.values()), ids=lambda q: q.exercise)
def test_quiz(question):
    assert ch09.quiz(question.exercise, question.correct).passed
    for key, hint in question.options.items():
        if key != question.correct:
            fb = ch09.quiz(question.exercise, key)
            assert not fb.passed and hint and fb.hint == hint
    assert question.question and set(question.labels) == set(question.options)
    assert html.escape(question.question) in ch09.quiz_field(question.exercise)._repr_html_()


def test_quiz_numbers():
    assert f"{np.log(2):.4f}" == "0.6931" and f"{3 * np.log(2):.4f}" == "2.0794"
    assert "0.6931" in ch09.QUIZ.questions["Quiz 9.4"].labels["B"]
