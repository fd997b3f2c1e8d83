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


def test_all_negative_logits_still_give_a_distribution():
    p = ch06.tempered_softmax(ch06.LOGIT_VECTORS["all negative"], 1.0)
    assert np.all(p > 0) and p.sum() == pytest.approx(1.0)


def test_softmax_of_two_logits_is_the_sigmoid_of_their_difference():
    for z1, z2 in [(2.0, 0.0), (-3.0, 1.5), (0.3, 0.3)]:
        assert lb.softmax(np.array([z1, z2]))[0] == pytest.approx(lb.sigmoid(z1 - z2))
