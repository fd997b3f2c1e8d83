"""Chapter 03, mean squared error: the story's claims, the explorer and the checkers."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch03

# -- the story ---------------------------------------------------------------------------


def test_fifty_thousand_off_costs_a_hundred_times_five_thousand_off():
    house = np.array([300_000.0])
    ratio = lb.mse(house, house + 50_000) / lb.mse(house, house + 5_000)
    assert ratio == pytest.approx(100.0)
    assert lb.mae(house, house + 50_000) / lb.mae(house, house + 5_000) == pytest.approx(10.0)


def test_the_mean_minimises_mse_over_a_grid_and_by_the_derivative():
    y = ch03.commute_times()
    constants = np.round(np.arange(10.0, 40.001, 0.1), 1)
    losses = ch03.constant_losses(y, constants)
    best = constants[np.argmin(losses)]
    assert abs(best - y.mean()) <= 0.05
    # the slope in c, from lb.mse_grad, is 2 (c - mean): zero only at the mean
    for c in (15.0, y.mean(), 30.0):
        slope = lb.mse_grad(y, np.full_like(y, c)).sum()
        assert slope == pytest.approx(2 * (c - y.mean()), abs=1e-9)
    assert lb.mse(y, np.full_like(y, y.mean())) == pytest.approx(y.var())
    # and the median does worse than the mean (the commutes are skewed)
    assert lb.mse(y, np.full_like(y, np.median(y))) > lb.mse(y, np.full_like(y, y.mean()))


def test_constant_losses_agree_with_lb_one_constant_at_a_time():
    y = ch03.commute_times()
    constants = np.array([12.0, 22.5, 31.0])
    expected = [lb.mse(y, np.full_like(y, c)) for c in constants]
    np.testing.assert_allclose(ch03.constant_losses(y, constants), expected)
    expected_mae = [lb.mae(y, np.full_like(y, c)) for c in constants]
    np.testing.assert_allclose(ch03.constant_losses(y, constants, loss=lb.mae), expected_mae)


def test_least_squares_line_is_numpy_polyfit_and_the_outlier_drags_it():
    x, y = ch03.noisy_line()
    w, b = ch03.least_squares_line(x, y)
    np.testing.assert_allclose([w, b], np.polyfit(x, y, 1))
    w_out, _ = ch03.least_squares_line(x, ch03.with_outlier(y))
    assert w_out > 1.5 * w


def test_gradient_descent_reaches_least_squares_and_generates_similar_points():
    x, y = ch03.samples()
    history = ch03.fit_polynomial(x, y)
    exact, *_ = np.linalg.lstsq(ch03.features(x, 3), y, rcond=None)
    np.testing.assert_allclose(history.final_params, exact, atol=1e-6)
    assert history.losses[-1] < history.losses[0] / 20
    noise = np.sqrt(history.final_loss)
    assert noise == pytest.approx(ch03.NOISE, rel=0.1)
    x_new, y_new = ch03.generate(history.final_params, noise)
    # the generated points sit as far from the hidden function as the given ones
    given = lb.mse(ch03.hidden_function(x), y)
    generated = lb.mse(ch03.hidden_function(x_new), y_new)
    assert generated == pytest.approx(given, rel=0.3)
    assert y_new.std() == pytest.approx(y.std(), rel=0.1)


# -- the explorer --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return ch03.residual_share_explorer()


def test_explorer_caption_numbers(explorer):
    for residual in (0.0, 1.0, 4.0, 6.0):
        caption = explorer.update(residual=residual)
        r = ch03.SHARE_RESIDUALS.copy()
        r[ch03.MOVING] = residual
        sq_share = r[ch03.MOVING] ** 2 / np.sum(r**2)
        abs_share = abs(r[ch03.MOVING]) / np.sum(np.abs(r))
        assert f"{sq_share:.1%} of the squared error (MSE {np.mean(r**2):.4f})" in caption
        assert f"{abs_share:.1%} of the absolute error (MAE {np.mean(np.abs(r)):.4f})" in caption


def test_squared_share_grows_faster_than_absolute_share():
    for residual in ch03.RESIDUAL_VALUES[3:]:  # from 1.5 on
        shares = ch03.loss_shares(ch03.share_residuals(residual))
        assert shares["squared"][ch03.MOVING] > shares["absolute"][ch03.MOVING]
        assert shares["squared"].sum() == pytest.approx(1.0)


def test_explorer_render_changes_with_the_slider(explorer):
    assert explorer.render(residual=1.0) != explorer.render(residual=5.0)


# -- exercise 3.1 ------------------------------------------------------------------------------


def test_gradient_reference_passes():
    def mse_gradient(y_true, y_pred):
        y_true = np.asarray(y_true, dtype=float)
        y_pred = np.asarray(y_pred, dtype=float)
        return 2 * (y_pred - y_true) / y_pred.size

    assert ch03.check_mse_gradient(mse_gradient).passed
    assert ch03.check_mse_gradient(lb.mse_grad).passed


def _d(t, p):
    return np.subtract(p, t)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda t, p: 2 * _d(p, t) / np.size(p), "sign"),
        (lambda t, p: _d(t, p) / np.size(p), "factor 2"),
        (lambda t, p: 2 * _d(t, p), "divide by n"),
        (lambda t, p: np.mean(2 * _d(t, p)), "averaged"),
        (lambda t, p: np.mean(_d(t, p) ** 2), "loss itself"),
        (lambda t, p: np.sign(_d(t, p)) / np.size(p), "absolute"),
    ],
)
def test_gradient_typical_mistakes_get_their_hint(wrong, word):
    feedback = ch03.check_mse_gradient(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 3.2 ------------------------------------------------------------------------------


def test_share_reference_and_mistakes():
    errors = np.array([5_000.0] * 9 + [50_000.0])
    assert ch03.check_big_miss_share((errors**2)[-1] / (errors**2).sum()).passed
    assert ch03.check_big_miss_share(2500 / 2725).passed
    assert "absolute" in ch03.check_big_miss_share(50 / 95).hint
    assert "percentage" in ch03.check_big_miss_share(100 * 2500 / 2725).hint
    assert "other nine" in ch03.check_big_miss_share(2500 / 225).hint
    assert "by count" in ch03.check_big_miss_share(0.1).hint


@pytest.mark.parametrize(
    ("answer", "word"),
    [
        (0.917, "rounded"),
        (0.9174, "rounded"),
        (np.array(0.92), "rounded"),
        (91.7, "rounded percentage"),
        (92, "rounded percentage"),
        (0.526, "absolute error"),
        (0.5, "Recompute"),
    ],
)
def test_share_typed_by_hand_gets_told_so(answer, word):
    feedback = ch03.check_big_miss_share(answer)
    assert not feedback.passed and word in feedback.hint, feedback
