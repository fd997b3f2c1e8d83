"""Chapter 07: the binary cross-entropy explorer, the exercise checkers, the chapter's claims."""

from __future__ import annotations

import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.checks import Feedback
from lossbook.course import ch07


def stable(y, logits):
    y = np.asarray(y, dtype=float)
    z = np.asarray(logits, dtype=float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def two_log_sigmoids(y, logits):
    """The notebook's solution: both log-sigmoids in the stable form."""
    y = np.asarray(y, dtype=float)
    z = np.asarray(logits, dtype=float)
    tail = np.log1p(np.exp(-np.abs(z)))
    return -np.mean(y * (np.minimum(z, 0) - tail) + (1 - y) * (np.minimum(-z, 0) - tail))


# -- exercise 7.1 ----------------------------------------------------------------------


@pytest.mark.parametrize("answer", [stable, two_log_sigmoids])
def test_bce_with_logits_reference_passes(answer):
    assert ch07.check_bce_with_logits(answer).passed


def naive(y, z):
    p = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (naive, "1 - sigmoid(40) rounds to exactly 0"),
        (ch07._clipped(1e-7), "clipped"),
        (ch07._clipped(1e-15), "clipped"),
        (ch07._clamped_logs, "clamped the logs"),
        (lambda y, z: -stable(y, z), "wrong sign"),
        (lambda y, z: stable(y, z) * len(y), "sum"),
        (lambda y, z: stable(1 - y, z), "swapped"),
        (
            lambda y, z: np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z))),
            "exp(-|z|)",
        ),
        (lambda y, z: stable(y, z) / np.log(2), "bits"),
        (lambda y, z: None, "return"),
    ],
)
def test_bce_with_logits_mistakes_get_their_hint(wrong, word):
    feedback = ch07.check_bce_with_logits(wrong)
    assert not feedback.passed
    assert word in feedback.hint, feedback


def test_overflow_hint_only_for_an_answer_right_on_small_logits():
    feedback = ch07.check_bce_with_logits(lambda y, z: np.nan)
    assert not feedback.passed and "rounds to exactly 0" not in feedback.hint


@pytest.mark.parametrize(("eps", "cost"), [(1e-6, "13.8"), (1e-8, "18.4"), (1e-12, "27.6")])
def test_any_clipped_probability_is_told_its_cap(eps, cost):
    feedback = ch07.check_bce_with_logits(ch07._clipped(eps))
    assert not feedback.passed
    assert "capped" in feedback.hint and f"costs {cost} instead of 40" in feedback.hint


def test_bce_hints_name_the_logit_z_as_the_course_does():
    # the course writes logits as z (intro notation table); no hint may call them x
    hints = [ch07.OVERFLOW_HINT, *(m.hint for m in ch07.BCE_MISTAKES)]
    hints.append(ch07._capped(ch07._clipped(1e-12)))
    for hint in hints:
        assert not re.search(r"\bx\b", hint), hint
    assert "log1p(exp(-|z|))" in ch07.OVERFLOW_HINT


def test_the_checker_mistakes_stay_quiet():
    # the naive mistakes take log(0) on purpose; no RuntimeWarning may reach a notebook
    with np.errstate(all="raise"):
        assert np.isfinite(ch07._clamped_logs([0.0, 1.0], [40.0, -40.0]))
        assert not np.isfinite(ch07._naive([0.0], [40.0]))


# -- exercise 7.2 ----------------------------------------------------------------------


def test_confident_mistake_reference_and_mistakes():
    y = np.array([1.0, 1.0, 1.0, 0.0])
    p = np.array([0.9, 0.9, 0.9, 0.999])
    losses = np.array([-np.log(0.9)] * 3 + [-np.log(0.001)])
    right = [losses.mean(), losses[3] / losses.sum()]
    assert right[0] == pytest.approx(1.80596, abs=1e-5)
    assert ch07.check_confident_mistake(right).passed
    log10 = losses / np.log(10)
    assert "base-10" in ch07.check_confident_mistake([log10.mean(), right[1]]).hint
    wrong_term = -(y * np.log(p) + (1 - y) * np.log(p))
    share = wrong_term[3] / wrong_term.sum()
    assert "-log(1 - p)" in ch07.check_confident_mistake([wrong_term.mean(), share]).hint
    assert "sum" in ch07.check_confident_mistake([losses.sum(), right[1]]).hint
    assert "SUM" in ch07.check_confident_mistake([right[0], losses[3] / losses.mean()]).hint
    assert "percentage" in ch07.check_confident_mistake([right[0], 100 * right[1]]).hint
    others = losses[3] / losses[:3].sum()
    assert "other three" in ch07.check_confident_mistake([right[0], others]).hint
    assert "three correct" in ch07.check_confident_mistake([right[0], 1 - right[1]]).hint


def test_confident_mistake_rounded_answer_is_told_so():
    rounded = ch07.check_confident_mistake([1.806, 0.9562])
    assert not rounded.passed and "rounded" in rounded.hint
    far = ch07.check_confident_mistake([1.7, 0.9562])
    assert not far.passed and "rounded" not in far.hint


@pytest.mark.parametrize("answer", [1.8, [1.8, 0.9, 0.1]])
def test_confident_mistake_nonsense_gets_feedback(answer):
    feedback = ch07.check_confident_mistake(answer)
    assert isinstance(feedback, Feedback) and not feedback.passed and feedback.hint


# -- the explorer --------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return ch07.bce_explorer()


@pytest.mark.parametrize("p", [0.01, 0.3, 0.5, 0.9, 0.99, 0.37])
def test_explorer_caption_holds_both_losses(explorer, p):
    caption = explorer.update(p=p)
    shown_p, loss_1, loss_0 = (float(v) for v in re.findall(r"\d+\.\d+", caption))
    assert shown_p == pytest.approx(p)
    assert loss_1 == pytest.approx(-np.log(p), abs=5e-5)
    assert loss_0 == pytest.approx(-np.log(1 - p), abs=5e-5)


def test_explorer_marks_the_losses_on_the_curves(explorer):
    explorer.update(p=0.9)
    curves = explorer.figure.axes[0]
    dots = [line for line in curves.lines if line.get_marker() == "o"]
    assert [float(d.get_ydata()[0]) for d in dots] == pytest.approx([-np.log(0.9), -np.log(0.1)])
    bars = explorer.figure.axes[1].patches
    assert [b.get_height() for b in bars] == pytest.approx([-np.log(0.9), -np.log(0.1)])


def test_explorer_render_changes(explorer):
    assert explorer.render(p=0.1) != explorer.render(p=0.8)


# -- the chapter's claims ------------------------------------------------------------


def test_confidently_wrong_grows_by_log_10_per_nine():
    p = np.array([0.9, 0.99, 0.999])
    losses = lb.binary_cross_entropy(np.zeros(3), p, reduction="none")
    assert np.diff(losses) == pytest.approx([np.log(10)] * 2, rel=1e-9)
    assert float(lb.binary_cross_entropy(np.array([0.0]), np.array([1.0]))) == 100.0


def test_the_logits_form_is_exact_where_the_probability_form_is_not():
    assert lb.sigmoid(40.0) == 1.0
    with np.errstate(divide="ignore"):
        assert np.isinf(-np.log(1 - lb.sigmoid(40.0)))
    assert float(lb.binary_cross_entropy_with_logits(np.array([0.0]), np.array([40.0]))) == 40.0
    assert float(lb.binary_cross_entropy(np.array([0.0]), lb.sigmoid(np.array([40.0])))) == 100.0


def test_bce_with_logits_gradient_is_sigmoid_minus_label():
    y = np.array([1.0, 0.0, 0.0, 1.0])
    z = np.array([2.0, 2.0, 40.0, -3.0])
    grad = lb.binary_cross_entropy_with_logits_grad(y, z, reduction="sum")
    assert grad == pytest.approx(lb.sigmoid(z) - y)


def test_the_explorer_grid_stays_inside_its_axis():
    worst = max(max(ch07.bce_for_each_label(p)) for p in ch07.PROBABILITIES)
    assert worst < ch07.LOSS_TOP


# -- exercise 7.4: the best constant prediction -----------------------------------------


def test_best_constant_reference_and_mistakes():
    h = -(0.2 * np.log(0.2) + 0.8 * np.log(0.8))
    assert h == pytest.approx(0.5004024, abs=1e-7)
    assert ch07.check_best_constant([0.2, h]).passed
    assert "not the best constant" in ch07.check_best_constant([0.5, np.log(2)]).hint
    assert "loss at p̂ = 0.5" in ch07.check_best_constant([0.2, np.log(2)]).hint
    assert "bits" in ch07.check_best_constant([0.2, h / np.log(2)]).hint
    loss_08 = -(0.2 * np.log(0.8) + 0.8 * np.log(0.2))
    assert "NEGATIVES" in ch07.check_best_constant([0.8, loss_08]).hint
    assert "cannot reach 0" in ch07.check_best_constant([0.2, 0.0]).hint
    assert "rounded" in ch07.check_best_constant([0.2, 0.5004]).hint


def test_best_constant_is_the_minimum_of_a_grid_search():
    y = np.array([1.0] * 20 + [0.0] * 80)
    grid = np.linspace(0.01, 0.99, 99)
    losses = [float(lb.binary_cross_entropy(y, np.full_like(y, q))) for q in grid]
    assert grid[int(np.argmin(losses))] == pytest.approx(0.2)


def test_value_candidates_are_distinct():
    for checker in (ch07.check_best_constant, ch07.check_confident_mistake):
        exercise = checker(None).web
        values = [exercise.expected, *(m.behaves_like for m in exercise.mistakes)]
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                assert not np.allclose(a, b, rtol=3e-3, atol=1e-4), (a, b)


# -- exercise 7.5 and the quiz ------------------------------------------------------------


def test_separable_choice():
    assert ch07.check_separable("b").passed
    for wrong in "ACD":
        feedback = ch07.check_separable(wrong)
        assert not feedback.passed and len(feedback.hint) > 30


@pytest.mark.parametrize("question", list(ch07.QUIZ.questions))
def test_quiz_right_answer_passes_and_every_wrong_option_has_a_hint(question):
    q = ch07.QUIZ.questions[question]
    assert ch07.quiz(question, q.correct).passed
    for key, hint in q.options.items():
        if key != q.correct:
            feedback = ch07.quiz(question, key)
            assert not feedback.passed and feedback.hint == hint and len(hint) > 30


# -- the second edition's claims ----------------------------------------------------------


def test_sigmoid_rounds_to_one_long_before_it_rounds_to_zero():
    assert lb.sigmoid(36.73) < 1.0 and lb.sigmoid(36.74) == 1.0
    assert lb.sigmoid(-745.13) > 0.0 and lb.sigmoid(-745.14) == 0.0
    assert lb.sigmoid(np.float32(16.63)) < 1 and lb.sigmoid(np.float32(16.64)) == 1
    assert lb.sigmoid(np.float32(-103.97)) > 0 and lb.sigmoid(np.float32(-103.98)) == 0


def test_bce_is_the_bernoulli_negative_log_likelihood():
    y = np.array([1.0, 0.0, 1.0, 0.0])
    p = np.array([0.9, 0.2, 0.6, 0.4])
    likelihood = np.prod(p**y * (1 - p) ** (1 - y))
    total = float(lb.binary_cross_entropy(y, p, reduction="sum"))
    assert -np.log(likelihood) == pytest.approx(total)


def test_bce_is_convex_in_the_weight_and_the_squared_error_is_not():
    w = np.linspace(-8, 8, 161)
    s = lb.sigmoid(w)
    assert np.all(s * (1 - s) > 0)
    squared = -2 * s * (1 - s) ** 2 * (1 - 3 * s)
    assert np.all(squared[w < -np.log(2) - 1e-9] < 0) and np.all(squared[w > -np.log(2) + 1e-9] > 0)


def test_constant_at_the_base_rate_scores_the_entropy_below_log_2():
    for pi in (0.1, 0.3):
        grid = np.linspace(0.001, 0.999, 999)
        expected = lb.binary_cross_entropy(np.full_like(grid, pi), grid, reduction="none")
        h = float(lb.entropy(np.array([pi, 1 - pi])))
        assert grid[np.argmin(expected)] == pytest.approx(pi)
        assert expected.min() == pytest.approx(h, abs=1e-9) and h < np.log(2)


def test_quiz_7_4_numbers():
    model_a = (99 * -np.log(0.99) - np.log(1e-4)) / 100
    assert f"{model_a:.4f}" == "0.1021" and f"{-np.log(0.7):.4f}" == "0.3567"
    question = ch07.QUIZ.questions["Quiz 7.4"]
    assert "0.1021" in question.options["B"] and "0.1021" in question.success


def test_expected_absolute_error_is_flat_at_one_half_and_tilted_elsewhere():
    grid = np.linspace(0.001, 0.999, 999)
    for pi, end in ((0.1, 0.001), (0.3, 0.001), (0.7, 0.999)):
        expected = pi * (1 - grid) + (1 - pi) * grid
        assert grid[np.argmin(expected)] == pytest.approx(end)
    flat = 0.5 * (1 - grid) + 0.5 * grid
    assert np.ptp(flat) < 1e-12


def test_textbook_sigmoid_reaches_zero_where_exp_overflows():
    with np.errstate(over="ignore"):
        assert 1 / (1 + np.exp(709.78)) > 0 and 1 / (1 + np.exp(709.79)) == 0
