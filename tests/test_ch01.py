"""Chapter 01: the dartboard's numbers, the held-out story, the explorer and the checkers."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch01


@pytest.fixture(scope="module")
def explorer():
    return ch01.dartboard_explorer()


# -- the story's claims -------------------------------------------------------------------


@pytest.mark.parametrize(("aim", "spread"), [(0.0, 1.0), (1.2, 0.3), (2.0, 0.25)])
def test_bias_squared_plus_variance_is_the_mean_squared_distance(aim, spread):
    points = ch01.throws(aim, spread)
    parts = ch01.aim_and_shake(points)
    msd = np.mean(ch01.distances(points) ** 2)
    assert parts["bias^2"] + parts["variance"] == pytest.approx(msd, rel=1e-12)
    losses = ch01.dart_losses(points)
    assert losses["RMSE"] >= losses["mean distance"]
    assert losses["mean squared distance"] == pytest.approx(msd, rel=1e-12)


def test_lb_mse_on_positions_halves_the_mean_squared_distance():
    points = ch01.throws(0.0, 1.0)
    msd = np.mean(ch01.distances(points) ** 2)
    assert lb.mse(np.zeros_like(points), points) == pytest.approx(msd / 2, rel=1e-12)


def test_units_flip_the_order_of_distance_and_squared_distance():
    d = ch01.distances(ch01.throws(0.0, 0.5))
    assert np.mean(d**2) < np.mean(d)
    assert np.mean((100 * d) ** 2) > np.mean(100 * d)


def test_the_memoriser_wins_on_training_houses_and_loses_on_held_out_ones():
    size, price = ch01.houses()
    train, held_out = slice(0, 12), slice(12, None)
    memo = ch01.memoriser(size[train], price[train])
    line = ch01.straight_line(size[train], price[train])
    assert lb.mse(price[train], memo(size[train])) == 0.0
    assert lb.mse(price[train], line(size[train])) > 0.0
    assert lb.mse(price[held_out], memo(size[held_out])) > lb.mse(
        price[held_out], line(size[held_out])
    )


def test_explorer_caption_has_rmse_and_the_split(explorer):
    points = ch01.throws(1.0, 0.5)
    losses, parts = ch01.dart_losses(points), ch01.aim_and_shake(points)
    caption = explorer.update(aim=1.0, spread=0.5)
    assert f"RMSE {losses['RMSE']:.3f}" in caption
    assert f"bias² {parts['bias^2']:.3f} + variance {parts['variance']:.3f}" in caption
    for control in explorer.controls:
        assert control.valuetext


# -- checkers -------------------------------------------------------------------------------


def test_aim_and_shake_checker():
    assert ch01.check_aim_and_shake([9, 5, 14]).passed
    hints = {
        (3, 5, 14): "distance of the centre",
        (4.5, 5, 14): "centre's squared coordinates",
        (4.5, 2.5, 14): "first two numbers",
        (9, np.sqrt(5), 14): "root of the variance",
        (9, 2.5, 14): "over both coordinates",
        (9, 20 / 3, 14): "n - 1",
        (9, 5, (np.sqrt(20) + np.sqrt(8)) / 2): "mean distance",
        (4.5, 2.5, 7): "Everything is halved",
        (9, 5, 7): "half the mean squared distance",
        (5, 9, 14): "swapped",
    }
    for answer, hint in hints.items():
        feedback = ch01.check_aim_and_shake(list(answer))
        assert not feedback.passed and hint in feedback.hint, (answer, feedback.hint)
    rounded = ch01.check_aim_and_shake([9.0, 5.0, 14.01])
    assert not rounded.passed and rounded.hint


def test_mse_checker_names_the_variance_of_the_errors():
    feedback = ch01.check_mean_squared_error(lambda t, p: np.var(np.subtract(p, t)))
    assert not feedback.passed and "np.var" in feedback.hint


@pytest.mark.parametrize(
    ("checker", "right", "wrong"),
    [
        (ch01.check_word_a, "loss", {"cost": "word trap", "objective": "single prediction"}),
        (ch01.check_word_b, "cost", {"loss": "10,000", "objective": "Nothing is added"}),
        (ch01.check_word_c, "objective", {"loss": "penalty", "cost": "penalty"}),
    ],
)
def test_word_checkers(checker, right, wrong):
    assert checker(right).passed and checker(right.upper()).passed
    for answer, hint in wrong.items():
        feedback = checker(answer)
        assert not feedback.passed and hint in feedback.hint


def test_quiz_answers_and_hints():
    answers = {"Quiz 1.1": "B", "Quiz 1.2": "B", "Quiz 1.3": "A", "Quiz 1.4": "B"}
    for question, answer in answers.items():
        assert ch01.quiz(question, answer).passed
        options = ch01.QUIZ.questions[question].options
        for key in options:
            if key != answer:
                feedback = ch01.quiz(question, key)
                assert not feedback.passed and feedback.hint
        assert question in repr(ch01.quiz_field(question))


def test_value_mistakes_never_coincide_with_the_answer():
    from lossbook.checks import _same

    for exercise in [ch01.check_aim_and_shake(None).web, ch01.check_player_losses(None).web]:
        candidates = [exercise.expected] + [m.behaves_like for m in exercise.mistakes]
        for i, a in enumerate(candidates):
            for b in candidates[i + 1 :]:
                assert not _same(np.asarray(a, float), np.asarray(b, float))
