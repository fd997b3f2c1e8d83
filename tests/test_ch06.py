"""Chapter 06: the softmax explorer, the exercise checkers, and the claims of the chapter."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.checks import Feedback
from lossbook.course import ch06


def stable(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


# -- exercise 6.1 ----------------------------------------------------------------------


def test_stable_softmax_reference_passes():
    assert ch06.check_stable_softmax(stable).passed


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        # the textbook formula: right on small logits, nan on [1000, 999, 990]
        (lambda z: np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True), "overflow"),
        # stable, but normalised over the whole array instead of each row
        (lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(), "last axis"),
        (lambda z: np.exp(z - np.max(z, axis=-1, keepdims=True)), "sum to 1"),
        (lambda z: 1 / (1 + np.exp(-z)), "sigmoid"),
        (lambda z: ch06._log_softmax(z), "log-probabilities"),
        (lambda z: None, "return"),
        # one maximum for the whole array: the row [-3, -1] next to [1000, 999] is 0 / 0
        (
            lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=-1, keepdims=True),
            "each row's own maximum",
        ),
        # the row maxima without keepdims: (2, 3) - (2,) does not broadcast
        (
            lambda z: np.exp(z - z.max(axis=-1)) / np.exp(z - z.max(axis=-1)).sum(axis=-1),
            "keepdims",
        ),
        # row maximum, but one sum for the whole array
        (
            lambda z: (
                np.exp(z - z.max(axis=-1, keepdims=True))
                / np.exp(z - z.max(axis=-1, keepdims=True)).sum()
            ),
            "sum of the whole array",
        ),
        # max and sum down the columns (axis 0): right on one row, wrong on a 2-D array
        (
            lambda z: (
                np.exp(z - z.max(axis=0, keepdims=True))
                / np.exp(z - z.max(axis=0, keepdims=True)).sum(axis=0, keepdims=True)
            ),
            "axis=-1",
        ),
        # shift by the minimum or the mean: fine on [1000, 999, 990], inf on [1000, 0, -1000]
        (
            lambda z: (
                np.exp(z - z.min(axis=-1, keepdims=True))
                / np.exp(z - z.min(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True)
            ),
            "spread out",
        ),
        (
            lambda z: (
                np.exp(z - z.mean(axis=-1, keepdims=True))
                / np.exp(z - z.mean(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True)
            ),
            "spread out",
        ),
    ],
)
def test_stable_softmax_mistakes_get_their_hint(wrong, word):
    feedback = ch06.check_stable_softmax(wrong)
    assert not feedback.passed
    assert word in feedback.hint, feedback


def test_naive_softmax_passes_the_small_cases_but_not_the_large_ones():
    naive = ch06._naive_softmax
    assert np.allclose(naive([1.0, 2.0, 3.0]), stable([1.0, 2.0, 3.0]))
    feedback = ch06.check_stable_softmax(naive)
    assert "1000, 999, 990" in feedback.hint and "maximum" in feedback.hint


def test_template_gets_no_answer_yet_not_the_overflow_hint():
    def template(z):
        z = np.asarray(z, dtype=float)

    feedback = ch06.check_stable_softmax(template)
    assert not feedback.passed and "return" in feedback.hint


def test_overflow_hint_only_for_an_answer_right_on_small_logits():
    # nan everywhere is not an overflow problem: the hint must not send the learner there
    feedback = ch06.check_stable_softmax(lambda z: np.full_like(z, np.nan))
    assert not feedback.passed and "1000, 999, 990" not in feedback.hint


# -- exercise 6.2 ----------------------------------------------------------------------


def test_temperature_reference_and_mistakes():
    z = np.array([2.0, 1.0, 0.1])
    right = [lb.softmax(z / 0.5)[0], lb.softmax(z / 5)[0]]
    assert ch06.check_temperature(right).passed
    assert "multiplied" in ch06.check_temperature([stable(z * 0.5)[0], stable(z * 5)[0]]).hint
    assert "swapped" in ch06.check_temperature(right[::-1]).hint
    assert "T = 1" in ch06.check_temperature([stable(z)[0]] * 2).hint
    assert "exponentiates" in ch06.check_temperature([2 / 3.1, 2 / 3.1]).hint
    # the printed values retyped with four decimals: close, but rounded
    assert "rounded" in ch06.check_temperature([0.8638, 0.3996]).hint
    assert "rounded" not in ch06.check_temperature([0.86, 0.40]).hint


@pytest.mark.parametrize("answer", [0.5, [0.1, 0.2, 0.3]])
def test_temperature_nonsense_gets_feedback(answer):
    feedback = ch06.check_temperature(answer)
    assert isinstance(feedback, Feedback) and not feedback.passed and feedback.hint


# -- the explorer --------------------------------------------------------------------


def numbers(caption):
    """The numbers after the word "probabilities" (the temperature comes before it)."""
    return [float(v) for v in re.findall(r"-?\d+\.\d+", caption.split("probabilities")[1])]


@pytest.fixture(scope="module")
def explorer():
    return ch06.softmax_explorer()


@pytest.mark.parametrize("choice", list(ch06.LOGIT_VECTORS))
@pytest.mark.parametrize("temperature", [0.25, 1.0, 8.0])
def test_explorer_caption_holds_the_tempered_softmax(explorer, choice, temperature):
    caption = explorer.update(logits=choice, temperature=temperature)
    z = ch06.LOGIT_VECTORS[choice] / temperature
    expected = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    *probs, top = numbers(caption)
    assert probs == pytest.approx(expected, abs=5e-4)
    assert top == pytest.approx(expected.max(), abs=5e-4)
    assert caption.startswith(f"{choice}, T = {temperature:g}")


def test_explorer_bars_move(explorer):
    explorer.update(logits="close race", temperature=0.5)
    heights = [bar.get_height() for bar in explorer.figure.axes[1].patches]
    assert heights == pytest.approx(ch06.tempered_softmax(ch06.LOGIT_VECTORS["close race"], 0.5))


def test_explorer_render_changes(explorer):
    first = explorer.render(logits="clear winner", temperature=0.5)
    assert first != explorer.render(logits="clear winner", temperature=4.0)
    assert first != explorer.render(logits="close race", temperature=0.5)


# -- the chapter's claims ------------------------------------------------------------


def test_temperature_sharpens_and_flattens():
    z = ch06.LOGIT_VECTORS["clear winner"]
    tops = [ch06.tempered_softmax(z, t).max() for t in ch06.TEMPERATURES]
    assert all(a > b for a, b in itertools.pairwise(tops))
    assert tops[-1] > 0.25  # flatter, never below uniform for the top class


def test_tie_stays_tied_at_every_temperature():
    for t in ch06.TEMPERATURES:
        p = ch06.tempered_softmax(ch06.LOGIT_VECTORS["tie at the top"], t)
        assert p[0] == pytest.approx(p[1])
    # tied, but not 1/m each: the share tends to 1/2 only as T -> 0 (the text's 0.4576)
    at_one = ch06.tempered_softmax(ch06.LOGIT_VECTORS["tie at the top"], 1.0)
    assert f"{at_one[0]:.4f}" == "0.4576" and at_one[0] < 0.5


def test_all_negative_logits_still_give_a_distribution():
    p = ch06.tempered_softmax(ch06.LOGIT_VECTORS["all negative"], 1.0)
    assert np.all(p > 0) and p.sum() == pytest.approx(1.0)


def test_softmax_of_two_logits_is_the_sigmoid_of_their_difference():
    for z1, z2 in [(2.0, 0.0), (-3.0, 1.5), (0.3, 0.3)]:
        assert lb.softmax(np.array([z1, z2]))[0] == pytest.approx(lb.sigmoid(z1 - z2))


# -- exercise 6.4: one-hot ------------------------------------------------------------


def test_one_hot_reference_and_alternatives_pass():
    assert ch06.check_one_hot(lambda labels, k: np.eye(k)[np.asarray(labels)]).passed
    assert ch06.check_one_hot(
        lambda labels, k: (np.asarray(labels)[:, None] == np.arange(k)).astype(int)
    ).passed


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda labels, k: np.eye(k)[np.asarray(labels) - 1], "numbered from 0"),
        (lambda labels, k: np.eye(k)[np.asarray(labels)].T, "transposed"),
        (lambda labels, k: np.eye(len(labels))[np.asarray(labels)], "num_classes"),
        (lambda labels, k: np.eye(k)[np.asarray(labels)].sum(axis=0), "added the rows"),
        (lambda labels, k: 1 - np.eye(k)[np.asarray(labels)], "swapped"),
        (lambda labels, k: np.asarray(labels), "labels themselves"),
    ],
)
def test_one_hot_mistakes_get_their_hint(wrong, word):
    feedback = ch06.check_one_hot(wrong)
    assert not feedback.passed
    assert word in feedback.hint, feedback


def test_one_hot_mistakes_differ_from_the_answer_on_every_case():
    for labels, k in ch06.ONE_HOT_CASES:
        right = ch06._one_hot(labels, k)
        for mistake in ch06.ONE_HOT_MISTAKES:
            try:
                got = np.asarray(mistake.behaves_like(labels, k), dtype=float)
            except IndexError:
                continue
            assert got.shape != right.shape or not np.allclose(got, right)


# -- exercise 6.5: the sigmoid's slope ---------------------------------------------------


def test_sigmoid_slope_reference_and_mistakes():
    s = lb.sigmoid(np.array([0.0, 3.0]))
    right = list(s * (1 - s))
    assert right[0] == pytest.approx(0.25)
    assert ch06.check_sigmoid_slope(right).passed
    assert "values of the sigmoid itself" in ch06.check_sigmoid_slope(list(s)).hint
    assert "multiply it by sigma" in ch06.check_sigmoid_slope(list(1 - s)).hint
    assert "numerator" in ch06.check_sigmoid_slope([1.0, np.exp(-3.0)]).hint
    assert "swapped" in ch06.check_sigmoid_slope(right[::-1]).hint
    assert "rounded" in ch06.check_sigmoid_slope([0.25, round(right[1], 4)]).hint


def test_sigmoid_slope_candidates_are_distinct():
    exercise = ch06.check_sigmoid_slope(None).web
    values = [exercise.expected, *(m.behaves_like for m in exercise.mistakes)]
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            assert not np.allclose(a, b, rtol=3e-3, atol=1e-4)


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma():
    z = np.linspace(-8, 8, 33)
    h = 1e-5
    numeric = (lb.sigmoid(z + h) - lb.sigmoid(z - h)) / (2 * h)
    s = lb.sigmoid(z)
    assert numeric == pytest.approx(s * (1 - s), abs=1e-9)


# -- the quiz ----------------------------------------------------------------------------


@pytest.mark.parametrize("question", list(ch06.QUIZ.questions))
def test_quiz_right_answer_passes_and_every_wrong_option_has_a_hint(question):
    q = ch06.QUIZ.questions[question]
    assert ch06.quiz(question, q.correct.lower()).passed
    for key, hint in q.options.items():
        if key != q.correct:
            feedback = ch06.quiz(question, key)
            assert not feedback.passed and feedback.hint == hint and len(hint) > 30
    assert "radio" in ch06.quiz_field(question)._repr_html_()


def test_quiz_claims():
    # Quiz 6.4: the mean shift leaves exp(1000) on [1000, 0, -1000]; [1000, 0] survives float64
    spread = np.array([1000.0, 0.0, -1000.0])
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(spread - spread.mean())
        assert np.isnan((e / e.sum())[0])
        assert np.isfinite(np.exp(500.0)) and np.isinf(np.exp(np.float32(500.0)))
    # Quiz 6.5: logit(0.7613) = 1.16, not 4.2; z - log p is one shared constant
    z = np.array([-1.2, 0.3, 1.1, 4.2, -2.5, 1.8, -0.7, 0.4, 2.0, -0.3])
    p = lb.softmax(z)
    assert np.log(p[3] / (1 - p[3])) == pytest.approx(1.16, abs=5e-5)
    assert z - np.log(p) == pytest.approx(np.full(10, lb.logsumexp(z)))


def test_temperature_to_zero_splits_a_tie():
    p = lb.softmax(np.array([2.0, 2.0, 0.0, -1.0]) / 0.01)
    assert p[:2] == pytest.approx([0.5, 0.5])


def test_stable_sigmoid_never_warns():
    with np.errstate(all="raise"):
        assert lb.sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
