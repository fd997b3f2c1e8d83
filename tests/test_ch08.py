"""Chapter 08, categorical cross-entropy: checkers, explorer, data."""

from __future__ import annotations

import html
import itertools

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch08
from tests.candidates import distinct
from tests.nonsense import raises

# -- exercise 8.1: cross-entropy of two distributions ------------------------------------


def reference_cross_entropy(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    keep = p > 0
    return -np.sum(p[keep] * np.log(q[keep]))


def naive(p, q):
    return -np.sum(np.asarray(p) * np.log(q))


def test_cross_entropy_reference_passes():
    fb = ch08.check_cross_entropy(reference_cross_entropy)
    assert fb.passed, fb
    assert ch08.check_cross_entropy(
        lambda p, q: -np.sum(np.where(p > 0, p, 0) * np.log(q + 1e-300))
    ).passed


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda p, q: reference_cross_entropy(q, p), "swapped"),
        (lambda p, q: -reference_cross_entropy(p, q), "sign"),
        (lambda p, q: reference_cross_entropy(p, q) / np.log(2), "base 2"),
        (lambda p, q: reference_cross_entropy(p, q) / np.log(10), "base 10"),
        (lambda p, q: reference_cross_entropy(p, q) / len(p), "averaged"),
        (lambda p, q: reference_cross_entropy(p, q) - reference_cross_entropy(p, p), "KL"),
        (lambda p, q: reference_cross_entropy(p, p), "entropy H(p)"),
        (lambda p, q: -np.log(np.asarray(q)[np.argmax(p)]), "one-hot p"),
        (naive, "0 log 0"),
        (lambda p, q: None, "return"),
    ],
)
def test_cross_entropy_mistakes_get_their_hint(wrong, word):
    fb = ch08.check_cross_entropy(wrong)
    assert not fb.passed and word in fb.hint, fb


def test_the_naive_answer_passes_the_cases_without_zeros():
    # the 0 log 0 hint must come from the zero case, not from a wrong formula
    q_has_no_zero_where_p_is_zero = [
        case
        for case in ch08.CROSS_ENTROPY_CASES
        if not np.any((np.array(case[0]) == 0) & (np.array(case[1]) == 0))
    ]
    for p, q in q_has_no_zero_where_p_is_zero:
        assert np.isclose(naive(p, q), reference_cross_entropy(p, q))
    assert len(q_has_no_zero_where_p_is_zero) < len(ch08.CROSS_ENTROPY_CASES)


# -- no two candidate answers coincide ---------------------------------------------------
# A checker is unfair when the right answer and a mistake (or two mistakes) give the same
# number: the wrong pick is then graded Correct, or gets another mistake's hint.

VALUE_CHECKERS = [
    ch08.check_digit_loss,
    ch08.check_zero_one_hot,
    ch08.check_gradient,
    ch08.check_smoothed_target,
    ch08.check_smoothing_floor,
    ch08.check_perplexity,
]


@pytest.mark.parametrize("checker", VALUE_CHECKERS, ids=lambda c: c.__name__)
def test_value_candidates_never_coincide(checker):
    exercise = checker(None).web
    candidates = [exercise.expected] + [m.behaves_like for m in exercise.mistakes]
    for i, j in itertools.combinations(range(len(candidates)), 2):
        assert distinct(candidates[i], candidates[j]), (i, j, candidates[i], candidates[j])
    # and every mistake, typed in, gets its own hint, not "Correct"
    for mistake in exercise.mistakes:
        fb = checker(mistake.behaves_like)
        assert not fb.passed and fb.hint == mistake.hint, fb


def test_every_wrong_digit_is_a_mistake_with_its_hint():
    q = ch08.DIGIT_PROBABILITIES
    assert len(set(q.tolist())) == len(q), "two digits share a probability"
    for digit in range(10):
        fb = ch08.check_digit_loss(-np.log(q[digit]))
        assert fb.passed == (digit == ch08.DIGIT_TRUE), (digit, fb)
        if digit != ch08.DIGIT_TRUE:
            assert f"digit {digit}" in fb.hint or "picked (3)" in fb.hint, fb


def test_the_old_coincidence_is_caught():
    # the first edition had q[5] == q[8] == 0.10: the distinctness test must fail on it
    old = np.array([0.01, 0.02, 0.05, 0.60, 0.02, 0.10, 0.01, 0.04, 0.10, 0.05])
    values = [-np.log(old[j]) for j in range(10)]
    assert not all(distinct(a, b) for a, b in itertools.combinations(values, 2))


def test_cross_entropy_candidates_never_coincide():
    candidates = [reference_cross_entropy] + [m.behaves_like for m in ch08.CROSS_ENTROPY_MISTAKES]
    with np.errstate(all="ignore"):
        rows = [[f(p, q) for p, q in ch08.CROSS_ENTROPY_CASES] for f in candidates]
    for i, j in itertools.combinations(range(len(rows)), 2):
        a, b = np.array(rows[i]), np.array(rows[j])
        assert not np.allclose(a, b, rtol=1e-3, equal_nan=True), (i, j)


# -- exercise 8.2: the loss of one digit ----------------------------------------------------


def test_digit_loss():
    q = ch08.DIGIT_PROBABILITIES
    assert np.isclose(q.sum(), 1.0)
    assert ch08.check_digit_loss(-np.log(0.12)).passed
    assert ch08.check_digit_loss(2.120263536).passed
    assert "picked (3)" in ch08.check_digit_loss(-np.log(0.58)).hint
    assert "sign" in ch08.check_digit_loss(np.log(0.12)).hint
    assert "base 2" in ch08.check_digit_loss(-np.log2(0.12)).hint
    assert "base 10" in ch08.check_digit_loss(-np.log10(0.12)).hint
    assert "every digit" in ch08.check_digit_loss(-np.sum(np.log(q))).hint
    assert "1 - q" in ch08.check_digit_loss(-np.log(0.88)).hint
    assert "minus its log" in ch08.check_digit_loss(0.12).hint
    assert "digit 4" in ch08.check_digit_loss(-np.log(q[4])).hint
    assert "digit 6" in ch08.check_digit_loss(-np.log(q[6])).hint
    assert "digit 8" in ch08.check_digit_loss(-np.log(q[8])).hint
    assert "rounded" in ch08.check_digit_loss(2.12).hint
    assert "rounded" not in ch08.check_digit_loss(2.0).hint


def test_cross_entropy_checker_is_quiet_on_a_swapped_answer():
    # the swapped mistake, H(q, p), takes log 0; no RuntimeWarning may reach the learner
    with np.errstate(all="raise"):
        fb = ch08.check_cross_entropy(lambda p, q: reference_cross_entropy(q, p))
    assert not fb.passed and "swapped" in fb.hint


@pytest.mark.parametrize("answer", ["2.30", [2.3, 1.0]])
def test_digit_loss_never_raises(answer):
    fb = ch08.check_digit_loss(answer)
    assert not fb.passed and fb.hint


# -- exercise 8.3: the order of the arguments -----------------------------------------------


def test_loss_order():
    assert ch08.check_loss_order("A").passed
    assert ch08.check_loss_order(" a ").passed
    assert "infinite" in ch08.check_loss_order("B").hint
    for answer in (None, 3, "C", raises):
        fb = ch08.check_loss_order(answer)
        assert not fb.passed and fb.hint


# -- exercise 8.4: a probability of exactly 0 -------------------------------------------------


def test_zero_prediction():
    q = ch08.ZERO_PREDICTION
    assert ch08.check_zero_one_hot(lb.cross_entropy([1.0, 0.0, 0.0], q)).passed
    assert "rounded" in ch08.check_zero_one_hot(0.693).hint
    assert "sign" in ch08.check_zero_one_hot(np.log(0.5)).hint
    assert "bits" in ch08.check_zero_one_hot(1.0).hint
    assert "cat term" in ch08.check_zero_one_hot(2 * np.log(2)).hint
    assert np.isinf(lb.cross_entropy([0.6, 0.3, 0.1], q))
    assert ch08.check_zero_soft("C").passed
    assert "weight 0.1" in ch08.check_zero_soft("A").hint
    assert "infinite" in ch08.check_zero_soft("B").hint


# -- exercise 8.5: the gradient p̂ - y ---------------------------------------------------------


def test_gradient_is_softmax_minus_one_hot():
    z = ch08.GRADIENT_LOGITS
    label = np.array([ch08.GRADIENT_TRUE])
    grad = lb.softmax_cross_entropy_grad(label, z[None, :])[0]
    assert ch08.check_gradient(grad).passed
    # central differences of the loss agree with p̂ - y
    h = 1e-6
    numeric = [
        (
            lb.softmax_cross_entropy(label, (z + h * e)[None, :])
            - lb.softmax_cross_entropy(label, (z - h * e)[None, :])
        )
        / (2 * h)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(numeric, grad, atol=1e-8)
    assert "sign" in ch08.check_gradient(-grad).hint
    assert "subtract" in ch08.check_gradient(lb.softmax(z)).hint
    assert "dog" in ch08.check_gradient(lb.softmax(z) - [0, 1, 0]).hint
    assert "k = 3" in ch08.check_gradient(grad / 3).hint
    assert "logits" in ch08.check_gradient(z - [0, 0, 1]).hint
    p_hat = lb.softmax(z)
    assert "probabilities p̂" in ch08.check_gradient(-np.array([0, 0, 1]) / p_hat).hint
    assert "one-hot of cat" in ch08.check_gradient(p_hat - [1, 0, 0]).hint
    assert "rounded" in ch08.check_gradient(grad.round(3)).hint
    assert "3 numbers" in ch08.check_gradient(grad[:2]).hint


# -- exercise 8.6: label smoothing ------------------------------------------------------------


def test_smoothed_target_and_its_floor():
    target = ch08.smoothed_target(1, 4, 0.2)
    np.testing.assert_allclose(target, [0.05, 0.85, 0.05, 0.05])
    assert ch08.check_smoothed_target([0.05, 0.85, 0.05, 0.05]).passed
    assert "k - 1" in ch08.check_smoothed_target([0.2 / 3, 0.8, 0.2 / 3, 0.2 / 3]).hint
    assert "more than 1" in ch08.check_smoothed_target([0.05, 1.05, 0.05, 0.05]).hint
    assert "0.85" in ch08.check_smoothed_target([0.05, 0.8, 0.05, 0.05]).hint
    assert "second entry" in ch08.check_smoothed_target([0.05, 0.05, 0.85, 0.05]).hint
    assert "k = 4" in ch08.check_smoothed_target([0.02, 0.82, 0.02, 0.02]).hint
    assert "epsilon = 0.2" in ch08.check_smoothed_target([0.025, 0.925, 0.025, 0.025]).hint
    # the floor: lossbook's smoothed loss is smallest at the logits of the smoothed target
    floor = lb.softmax_cross_entropy([1], np.log(target)[None, :], label_smoothing=0.2)
    assert np.isclose(floor, lb.entropy(target))
    assert ch08.check_smoothing_floor(floor).passed
    assert "without smoothing" in ch08.check_smoothing_floor(0).hint
    assert "true class's term" in ch08.check_smoothing_floor(-np.log(0.85)).hint
    assert "uniform" in ch08.check_smoothing_floor(np.log(4)).hint
    assert "three other" in ch08.check_smoothing_floor(-0.85 * np.log(0.85)).hint
    assert "bits" in ch08.check_smoothing_floor(floor / np.log(2)).hint
    assert "chapter's example" in ch08.check_smoothing_floor(0.5003).hint
    rng = np.random.default_rng(0)
    for _ in range(20):  # no other logits do better
        z = np.log(target) + rng.normal(scale=0.3, size=4)
        assert lb.softmax_cross_entropy([1], z[None, :], label_smoothing=0.2) > floor


# -- exercise 8.7: perplexity -----------------------------------------------------------------


def test_perplexity():
    assert ch08.check_perplexity(np.exp(1.5)).passed
    assert "bits" in ch08.check_perplexity(2**1.5).hint
    assert "base is e" in ch08.check_perplexity(10**1.5).hint
    assert "1 / perplexity" in ch08.check_perplexity(np.exp(-1.5)).hint
    assert "rounded" in ch08.check_perplexity(4.48).hint


# -- exercise 8.8: reading the regularisation table ------------------------------------------


def _softmax_regression(digits, *, weight_decay=0.0, steps=300, learning_rate=0.5):
    """The chapter's model, trained here with plain NumPy (not lossbook's loss)."""
    X, y = digits.X_train, digits.y_train
    Y = np.eye(10)[y]
    W, b = np.zeros((64, 10)), np.zeros(10)
    for _ in range(steps):
        Z = X @ W + b
        P = np.exp(Z - Z.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) / len(y)
        W, b = W - learning_rate * (X.T @ G + weight_decay * W), b - learning_rate * G.sum(0)
    return W, b


def _nll(X, y, W, b):
    Z = X @ W + b
    m = Z.max(axis=1, keepdims=True)
    log_p = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean()


def test_regularisation_table_numbers(digits):
    for name, decay in (("plain", 0.0), ("weight decay 0.01", 0.01)):
        W, b = _softmax_regression(digits, weight_decay=decay)
        test_nll, train_nll, right = ch08.REGULARISATION_TABLE[name]
        assert f"{_nll(digits.X_test, digits.y_test, W, b):.4f}" == f"{test_nll:.4f}"
        assert f"{_nll(digits.X_train, digits.y_train, W, b):.4f}" == f"{train_nll:.4f}"
        assert np.sum(np.argmax(digits.X_test @ W + b, axis=1) == digits.y_test) == right


def test_regularisation_reading():
    assert ch08.check_regularisation_reading("C").passed
    assert "training NLL rose" in ch08.check_regularisation_reading("A").hint
    assert "433" in ch08.check_regularisation_reading("B").hint
    for answer in (None, "D", 3, raises):
        fb = ch08.check_regularisation_reading(answer)
        assert not fb.passed and fb.hint


# -- the quiz ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question", list(ch08.QUIZ.questions.values()), ids=lambda q: q.exercise)
def test_quiz(question):
    assert ch08.quiz(question.exercise, question.correct).passed
    for key, hint in question.options.items():
        if key != question.correct:
            fb = ch08.quiz(question.exercise, key)
            assert not fb.passed and hint and fb.hint == hint
    assert question.question and set(question.labels) == set(question.options)
    assert html.escape(question.question) in ch08.quiz_field(question.exercise)._repr_html_()


def test_quiz_numbers():
    p, q = np.array([0.6, 0.3, 0.1]), np.array([0.7, 0.2, 0.1])
    text = ch08.QUIZ.questions["Quiz 8.3"].success
    for value in (lb.cross_entropy(p, q), lb.cross_entropy(q, p), lb.entropy(p)):
        assert f"{value:.4f}" in text
    assert "1.3863" in ch08.QUIZ.questions["Quiz 8.1"].labels["A"]
    assert f"{-np.log(0.25):.4f}" == "1.3863" and f"{-np.log(0.75):.4f}" == "0.2877"


# -- the explorer ----------------------------------------------------------------------------


def by_hand(p, q):
    """H(p, q) with plain NumPy: terms with p = 0 dropped, log 0 = -inf otherwise."""
    p, q = np.asarray(p), np.asarray(q)
    keep = p > 0
    with np.errstate(divide="ignore"):
        return float(-np.sum(p[keep] * np.log(q[keep])))


@pytest.fixture(scope="module")
def explorer():
    return ch08.cross_entropy_explorer()


@pytest.mark.parametrize("target", list(ch08.TARGETS))
@pytest.mark.parametrize("mass", [0.1, 0.6, 0.9])
def test_explorer_caption(explorer, target, mass):
    caption = explorer.update(target=target, cat_mass=mass)
    p = ch08.TARGETS[target]
    q = np.array([mass, 0.75 * (1 - mass), 0.25 * (1 - mass)])
    h_pq, h_qp, h_p = by_hand(p, q), by_hand(q, p), by_hand(p, p)
    assert f"H(p, q) {h_pq:.4f}" in caption
    assert ("H(q, p) inf" if np.isinf(h_qp) else f"H(q, p) {h_qp:.4f}") in caption
    assert f"KL(p||q) {abs(h_pq - h_p):.4f}" in caption
    assert f"H(p) {abs(h_p):.4f}" in caption


def test_explorer_story(explorer):
    # one-hot target: the swapped cross-entropy is infinite for every prediction offered
    for mass in ch08.CAT_MASSES:
        assert "H(q, p) inf" in explorer.update(target="one-hot (a cat)", cat_mass=mass)
    # uniform target: H(q, p) = log 3 whatever q is
    for mass in ch08.CAT_MASSES:
        info = ch08.information(ch08.TARGETS["uniform (1/3 each)"], ch08.predicted(mass))
        assert np.isclose(info["H(q, p)"], np.log(3))
    # soft target: q(cat) = 0.6 is exactly p, where KL is 0 and H(p, q) is smallest
    soft = ch08.TARGETS["soft (0.6/0.3/0.1)"]
    np.testing.assert_allclose(ch08.predicted(0.6), soft)
    values = [ch08.information(soft, ch08.predicted(m))["H(p, q)"] for m in ch08.CAT_MASSES]
    assert ch08.CAT_MASSES[int(np.argmin(values))] == 0.6


def test_explorer_render_changes(explorer):
    a = explorer.render(target="soft (0.6/0.3/0.1)", cat_mass=0.3)
    b = explorer.render(target="soft (0.6/0.3/0.1)", cat_mass=0.8)
    c = explorer.render(target="one-hot (a cat)", cat_mass=0.8)
    assert a != b and b != c


@pytest.mark.parametrize("mass", ch08.CAT_MASSES)
def test_information_identities(mass):
    q = ch08.predicted(mass)
    assert np.isclose(q.sum(), 1.0) and np.all(q > 0)
    for p in ch08.TARGETS.values():
        info = ch08.information(p, q)
        assert np.isclose(info["H(p, q)"], info["H(p)"] + info["KL(p||q)"])
        assert info["KL(p||q)"] >= -1e-12 and info["KL(q||p)"] >= -1e-12


# -- the digits ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    return ch08.digits_data(seed=0)


def test_digits_are_scikit_learns(digits):
    from sklearn.datasets import load_digits

    reference = load_digits()
    pixels, labels = ch08.load_digits()
    np.testing.assert_array_equal(pixels, reference.data)
    np.testing.assert_array_equal(labels, reference.target)


def test_digits_split(digits):
    assert digits.X_train.shape == (1348, 64) and digits.X_test.shape == (449, 64)
    assert digits.images_test.shape == (449, 8, 8)
    # standardised with the training images: mean 0, scale 1 (or constant 0 pixels)
    np.testing.assert_allclose(digits.X_train.mean(axis=0), 0, atol=1e-12)
    std = digits.X_train.std(axis=0)
    assert np.all(np.isclose(std, 1) | np.isclose(std, 0))
    # every image once, train and test disjoint: the pixel rows of the images match
    pixels, labels = ch08.load_digits()
    rows = np.concatenate([digits.images_train, digits.images_test]).reshape(-1, 64)
    assert sorted(map(tuple, rows)) == sorted(map(tuple, pixels))
    assert np.array_equal(
        np.bincount(np.concatenate([digits.y_train, digits.y_test])), np.bincount(labels)
    )
    # seeded: the same split twice, another seed another split
    again = ch08.digits_data(seed=0)
    np.testing.assert_array_equal(again.y_test, digits.y_test)
    assert not np.array_equal(ch08.digits_data(seed=1).y_test, digits.y_test)


def test_confusion_matrix():
    rng = np.random.default_rng(3)
    y_true = rng.integers(0, 4, 200)
    y_pred = rng.integers(0, 4, 200)
    expected = np.zeros((4, 4), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        expected[t, p] += 1
    np.testing.assert_array_equal(ch08.confusion_matrix(y_true, y_pred, 4), expected)
    assert ch08.confusion_matrix([0, 1], [0, 1], 3).shape == (3, 3)
