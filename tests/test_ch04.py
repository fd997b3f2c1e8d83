"""Chapter 04, mean absolute error: the story's claims, the explorer and the checkers."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch03, ch04
from lossbook.training import fit_line

# -- the story ---------------------------------------------------------------------------


def test_the_median_minimises_mae_over_a_grid_and_by_the_subgradient():
    y = ch04.commute_times()
    constants = np.round(np.arange(10.0, 40.001, 0.1), 1)
    losses = ch03.constant_losses(y, constants, loss=lb.mae)
    assert constants[np.argmin(losses)] == pytest.approx(np.median(y))
    # the slope from lb.mae_grad is (below - above) / n, zero at the median only
    for c in (15.0, 19.0, np.median(y), 20.0, 25.0):
        assert lb.mae_grad(y, np.full_like(y, c)).sum() == pytest.approx(ch04.mae_slope(y, c))
    assert ch04.mae_slope(y, np.median(y)) == 0
    assert ch04.mae_slope(y, 19.4) < 0 < ch04.mae_slope(y, 19.6)


def test_with_an_even_count_every_value_between_the_middle_two_minimises_mae():
    y = np.array([1.0, 2.0, 6.0, 10.0])
    losses = ch03.constant_losses(y, [2.0, 3.0, 4.5, 6.0], loss=lb.mae)
    np.testing.assert_allclose(losses, losses[0])
    assert ch03.constant_losses(y, [1.9, 6.1], loss=lb.mae).min() > losses[0]


def test_one_outlier_moves_the_mean_far_and_the_median_little():
    y = ch04.commute_times()
    broken = np.append(y, 180.0)
    assert broken.mean() - y.mean() > 9
    assert np.median(broken) - np.median(y) < 0.5


def test_least_absolute_line_is_optimal():
    x, y = ch04.noisy_line()
    y = ch04.with_outlier(y)
    w, b = ch04.least_absolute_line(x, y)
    best = lb.mae(y, w * x + b)
    # no nearby line does better, and gradient descent does not beat it
    rng = np.random.default_rng(0)
    for dw, db in rng.normal(scale=[0.05, 0.3], size=(200, 2)):
        assert lb.mae(y, (w + dw) * x + (b + db)) >= best - 1e-12
    assert fit_line(x, y, loss="mae", learning_rate=0.02, steps=2000).final_loss >= best


def test_the_mae_line_shrugs_off_the_outlier_and_the_mse_line_does_not():
    x, y = ch04.noisy_line()
    y_out = ch04.with_outlier(y)
    mse_change = ch04.least_squares_line(x, y_out)[0] - ch04.least_squares_line(x, y)[0]
    mae_change = ch04.least_absolute_line(x, y_out)[0] - ch04.least_absolute_line(x, y)[0]
    assert abs(mse_change) > 0.25 and abs(mae_change) < 0.02


def test_mae_prefers_one_big_mistake_mse_prefers_many_small():
    prices = np.full(10, 300_000.0)
    a = prices + 5_000
    b = prices + np.array([0.0] * 9 + [40_000.0])
    assert lb.mae(prices, b) < lb.mae(prices, a)
    assert lb.mse(prices, b) == pytest.approx(6.4 * lb.mse(prices, a))


def test_mae_steps_do_not_shrink_mse_steps_do():
    x, y = ch04.noisy_line()
    y = ch04.with_outlier(y)
    mse_steps = ch04.step_sizes(fit_line(x, y, loss="mse", learning_rate=0.02, steps=2000))
    mae_steps = ch04.step_sizes(fit_line(x, y, loss="mae", learning_rate=0.02, steps=2000))
    assert mse_steps[-1] < 1e-9
    assert mae_steps[-100:].max() > 0.01


# -- the explorer --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return ch04.outlier_explorer()


def test_explorer_caption_numbers(explorer):
    for ox, oy in [(9.0, 5.0), (1.0, 20.0), (5.0, 0.0)]:
        caption = explorer.update(outlier_x=ox, outlier_y=oy)
        x, y = ch04.noisy_line()
        x, y = x.copy(), y.copy()
        x[ch04.OUTLIER], y[ch04.OUTLIER] = ox, oy
        wm, bm = np.polyfit(x, y, 1)
        assert f"MSE line {wm:.4f} x + {bm:.4f}" in caption
        wa, ba = ch04.least_absolute_line(x, y)
        assert f"MAE line {wa:.4f} x + {ba:.4f}" in caption


def test_explorer_mae_line_stays_put_as_a_far_outlier_moves():
    fits = [ch04.both_fits(ox, 20.0) for ox in ch04.OUTLIER_X]
    mae = {fit["mae"] for fit in fits}
    mse = {round(fit["mse"][0], 6) for fit in fits}
    assert len(mae) == 1 and len(mse) == len(fits)


def test_explorer_render_changes_with_each_slider(explorer):
    start = explorer.render(outlier_x=9.5, outlier_y=16.0)
    assert explorer.render(outlier_x=9.5, outlier_y=4.0) != start
    assert explorer.render(outlier_x=0.5, outlier_y=16.0) != start


# -- exercise 4.1 ------------------------------------------------------------------------------


def test_subgradient_reference_passes():
    def mae_subgradient(y_true, y_pred):
        return np.sign(np.asarray(y_pred, float) - np.asarray(y_true, float)) / np.size(y_pred)

    assert ch04.check_mae_subgradient(mae_subgradient).passed
    assert ch04.check_mae_subgradient(lb.mae_grad).passed


def _e(t, p):
    return np.subtract(p, t)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda t, p: -np.sign(_e(t, p)) / np.size(p), "sign is flipped"),
        (lambda t, p: np.sign(_e(t, p)), "divide by n"),
        (lambda t, p: 2 * _e(t, p) / np.size(p), "squared error"),
        (lambda t, p: np.where(_e(t, p) >= 0, 1.0, -1.0) / np.size(p), "ties"),
        (lambda t, p: np.mean(np.sign(_e(t, p))), "averaged"),
        (lambda t, p: np.mean(np.abs(_e(t, p))), "loss itself"),
        (lambda t, p: np.abs(_e(t, p)) / np.size(p), "share of the loss"),
        # e / |e| is right away from the ties and 0 / 0 = nan at them
        (lambda t, p: _e(t, p) / np.abs(_e(t, p)) / np.size(p), "np.sign"),
    ],
)
def test_subgradient_typical_mistakes_get_their_hint(wrong, word):
    feedback = ch04.check_mae_subgradient(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 4.2 ------------------------------------------------------------------------------


def test_best_constant_reference_passes():
    assert ch04.check_best_constant(lambda y: np.sort(y)[len(y) // 2]).passed
    assert ch04.check_best_constant(np.median).passed


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (np.mean, "mean"),
        (lambda y: np.asarray(y)[len(y) // 2], "Sort"),
        (lambda y: np.sort(y)[max(len(y) // 2 - 1, 0)], "Off by one"),
        (lambda y: np.sort(y)[(len(y) + 1) // 2], "index n // 2"),
        (lambda y: np.mean(np.sort(y)[len(y) // 2 - 1 : len(y) // 2 + 1]), "even count"),
        (lambda y: (np.min(y) + np.max(y)) / 2, "largest error"),
    ],
)
def test_best_constant_typical_mistakes_get_their_hint(wrong, word):
    feedback = ch04.check_best_constant(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 4.3 ------------------------------------------------------------------------------


def test_mae_prefers_b():
    zero = np.zeros(5)
    assert lb.mae(zero, ch04.ERRORS_B) < lb.mae(zero, ch04.ERRORS_A)
    assert lb.mse(zero, ch04.ERRORS_A) < lb.mse(zero, ch04.ERRORS_B)
    assert ch04.check_mae_prefers("B").passed
    assert "MSE prefers" in ch04.check_mae_prefers("A").hint
    assert not ch04.check_mae_prefers("tie").passed
