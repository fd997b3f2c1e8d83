"""Chapter 05: its data, fits, explorers and exercise checkers do what the chapter says."""

from __future__ import annotations

import re
from statistics import NormalDist

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch05

# -- the data and the fits -------------------------------------------------------------


def test_outlier_data_differs_in_the_one_outlier_only():
    x, y = ch05.outlier_data()
    x0, y0 = ch05.outlier_data(outlier=False)
    assert np.array_equal(x, x0) and np.all(np.diff(x) > 0) and x.min() >= -1 and x.max() <= 1
    moved = np.flatnonzero(y != y0)
    assert moved.tolist() == [ch05.OUTLIER_INDEX]
    assert y[ch05.OUTLIER_INDEX] - y0[ch05.OUTLIER_INDEX] == pytest.approx(ch05.OUTLIER_SHIFT)


def _gradient_at(loss, x, y, w, b, **kwargs):
    """The gradient of the mean loss of the line in (w, b): zero at a minimum."""
    g = getattr(lb, f"{loss}_grad")(y, w * x + b, **kwargs)
    return np.array([np.sum(g * x), np.sum(g)])


@pytest.mark.parametrize(
    ("loss", "kwargs"),
    [("mse", {}), ("huber", {"delta": 0.25}), ("huber", {"delta": 1.0}), ("log_cosh", {})],
)
def test_smooth_fits_reach_the_minimum(loss, kwargs):
    # the losses are convex in (w, b), so a zero gradient means the minimum
    for outlier in (True, False):
        x, y = ch05.outlier_data(outlier=outlier)
        w, b = ch05.fit_outlier_line(loss, outlier=outlier, **kwargs)
        assert np.abs(_gradient_at(loss, x, y, w, b, **kwargs)).max() < 1e-8


def test_mse_fit_is_least_squares():
    for outlier in (True, False):
        x, y = ch05.outlier_data(outlier=outlier)
        assert np.allclose(ch05.fit_outlier_line("mse", outlier=outlier), np.polyfit(x, y, 1))


def test_the_outlier_drags_mse_most_and_huber_slope_grows_with_delta():
    slope = {loss: ch05.fit_outlier_line(loss)[0] for loss in ("mse", "mae", "log_cosh")}
    huber = [ch05.fit_outlier_line("huber", delta=d)[0] for d in ch05.DELTAS]
    assert slope["mse"] - 2 > 1 / 3  # "off by more than a third of a unit"
    assert max(abs(slope["mae"] - 2), abs(slope["log_cosh"] - 2), abs(huber[0] - 2)) < 0.2
    assert np.all(np.diff(huber) > 0) and huber[-1] < slope["mse"]


def test_without_outlier_huber_from_half_is_the_mse_line():
    x, y = ch05.outlier_data(outlier=False)
    mse = ch05.fit_outlier_line("mse", outlier=False)
    residuals = y - (mse[0] * x + mse[1])
    assert 0.25 < np.abs(residuals).max() < 0.5
    for delta in ch05.DELTAS[1:]:
        assert np.allclose(ch05.fit_outlier_line("huber", outlier=False, delta=delta), mse)
    assert not np.allclose(ch05.fit_outlier_line("huber", outlier=False, delta=0.25), mse)


def test_quantile_lines_leave_a_fraction_q_below():
    x, y = ch05.interval_data()
    for q in ch05.QS:
        w, b = ch05.fit_quantile_line(q)
        assert abs(ch05.fraction_below(x, y, w, b) - q) <= 0.01
    lo, hi = ch05.fit_quantile_line(0.1), ch05.fit_quantile_line(0.9)
    assert hi[0] > lo[0]  # the interval widens with x, as the noise does


def _no_better_neighbour(loss, x, y, w, b, step, **kwargs):
    """No line nearby (slope and intercept moved by up to ``step``) has a smaller loss."""
    best = getattr(lb, loss)(y, w * x + b, **kwargs)
    moves = np.linspace(-step, step, 9)
    for dw in moves:
        for db in moves:
            assert getattr(lb, loss)(y, (w + dw) * x + (b + db), **kwargs) >= best - 1e-5


def test_quantile_and_mae_fits_are_minima():
    x, y = ch05.interval_data()
    for q in (0.1, 0.9):
        _no_better_neighbour("quantile", x, y, *ch05.fit_quantile_line(q), 0.02, q=q)
    x, y = ch05.outlier_data()
    _no_better_neighbour("mae", x, y, *ch05.fit_outlier_line("mae"), 0.05)


def test_true_quantile_line_matches_the_noise():
    z = NormalDist().inv_cdf(0.9)
    w, b = ch05.true_quantile_line(0.9)
    assert (w, b) == pytest.approx((2 + 0.3 * z, 1 + 0.4 * z))
    assert ch05.true_quantile_line(0.5) == pytest.approx((2.0, 1.0))


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_best_constant_is_the_quantile(q):
    times = ch05.delivery_times()
    best = ch05.best_constant(times, q)
    below = np.count_nonzero(times < best)  # slope F - q: negative below, positive above
    assert below <= round(q * times.size) <= below + 1
    assert best == pytest.approx(np.quantile(times, q), abs=0.05)
    # an independent check: a fine grid never does better than the data point
    grid = np.linspace(best - 1, best + 1, 201)
    assert ch05.mean_pinball(times, grid, q).min() >= ch05.mean_pinball(times, [best], q)[0] - 1e-12


def test_mean_pinball_is_lossbooks_quantile_loss():
    sample = np.array([1.0, 4.0, 2.0])
    got = ch05.mean_pinball(sample, [0.0, 3.0], 0.3)
    expected = [lb.quantile(sample, np.full(3, c), q=0.3) for c in (0.0, 3.0)]
    assert np.allclose(got, expected)


# -- the explorers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def delta_explorer():
    return ch05.delta_explorer()


@pytest.fixture(scope="module")
def quantile_explorer():
    return ch05.quantile_explorer()


def _numbers(text):
    return [float(v) for v in re.findall(r"-?\d+\.\d+", text)]


@pytest.mark.parametrize("delta", [0.25, 1.0, 2.0])
def test_delta_caption_numbers(delta_explorer, delta):
    caption = delta_explorer.update(delta=delta, data="with outlier")
    x, y = ch05.outlier_data()
    w, b = ch05.fit_outlier_line("huber", delta=delta)
    k = ch05.OUTLIER_INDEX
    residual = y[k] - (w * x[k] + b)
    assert f"delta {delta:.2f}" in caption
    assert f"Huber y = {w:.3f}x + {b:.3f}" in caption
    w_mse, b_mse = np.polyfit(x, y, 1)
    assert f"MSE y = {w_mse:.3f}x + {b_mse:.3f}" in caption
    assert f"(outlier: residual {residual:.3f}, pull {min(residual, delta):.3f})" in caption


def test_delta_caption_without_outlier(delta_explorer):
    caption = delta_explorer.update(delta=1.0, data="without outlier")
    assert "residual" not in caption
    numbers = _numbers(caption)
    assert numbers[1:3] == numbers[3:5]  # Huber line == MSE line


def test_delta_render_changes(delta_explorer):
    a = delta_explorer.render(delta=0.25, data="with outlier")
    b = delta_explorer.render(delta=2.0, data="with outlier")
    c = delta_explorer.render(delta=2.0, data="without outlier")
    assert a != b and b != c


@pytest.mark.parametrize("q", ch05.QS)
def test_quantile_caption_numbers(quantile_explorer, q):
    caption = quantile_explorer.update(q=q)
    x, y = ch05.interval_data()
    w, b = ch05.fit_quantile_line(q)
    assert caption.startswith(f"q = {q:.1f}: line y = {w:.3f}x + {b:.3f}")
    share = 100 * np.count_nonzero(y < w * x + b) / x.size
    assert f"{share:.1f}% of the 200 points" in caption
    assert abs(share - 100 * q) <= 1.0


def test_quantile_render_changes(quantile_explorer):
    assert quantile_explorer.render(q=0.1) != quantile_explorer.render(q=0.9)


# -- exercise 5.1: Huber ---------------------------------------------------------------


def test_huber_reference_passes():
    def my_huber(y_true, y_pred, delta):
        a = np.abs(np.asarray(y_pred, float) - np.asarray(y_true, float))
        return np.mean(np.where(a <= delta, 0.5 * a**2, delta * (a - 0.5 * delta)))

    assert ch05.check_huber(my_huber).passed


def test_huber_checker_agrees_with_lossbook():
    for y_true, y_pred, delta in ch05.HUBER_CASES:
        expected = lb.huber(np.array(y_true), np.array(y_pred), delta=delta)
        assert ch05._huber(y_true, y_pred, delta) == pytest.approx(expected)
    assert ch05.check_huber(lambda t, p, d: lb.huber(np.array(t), np.array(p), delta=d)).passed


def _h(inside, outside, reduce=np.mean):
    def f(t, p, d):
        a = np.abs(np.subtract(p, t))
        return reduce(np.where(a <= d, inside(a, d), outside(a, d)))

    return f


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (_h(lambda a, d: a**2, lambda a, d: d * (a - d / 2)), "half the squared"),
        (_h(lambda a, d: a**2 / 2, lambda a, d: d * a), "do not meet"),
        (_h(lambda a, d: a**2 / 2, lambda a, d: a - d / 2), "slope is delta"),
        (_h(lambda a, d: d * (a - d / 2), lambda a, d: a**2 / 2), "swapped"),
        (_h(lambda a, d: a**2 / 2, lambda a, d: d * (a - d / 2), np.sum), "sum"),
        (
            _h(lambda a, d: a**2 / 2, lambda a, d: d * (a - d / 2), lambda v: v),
            "one loss per point",
        ),
        (_h(lambda a, d: a**2 / 2, lambda a, d: a**2 / 2), "no linear part"),
        (lambda t, p, d: np.mean(np.abs(np.subtract(p, t))), "mean absolute error"),
        (_h(lambda a, d: a**2 / 2 / d, lambda a, d: a - d / 2), "SmoothL1Loss"),
        (_h(lambda a, d: a**2 / 2, lambda a, d: d * (a + d / 2)), "with a minus"),
        (
            lambda t, p, d: np.mean(
                np.where(
                    np.subtract(p, t) <= d,
                    np.subtract(p, t) ** 2 / 2,
                    d * (np.abs(np.subtract(p, t)) - d / 2),
                )
            ),
            "|e| <= delta",
        ),
    ],
)
def test_huber_mistakes_get_their_hint(wrong, word):
    feedback = ch05.check_huber(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 5.2: pinball -------------------------------------------------------------


def test_pinball_reference_passes_and_agrees_with_lossbook():
    def my_pinball(y_true, y_pred, q):
        e = np.asarray(y_true, float) - np.asarray(y_pred, float)
        return np.mean(np.maximum(q * e, (q - 1) * e))

    assert ch05.check_pinball(my_pinball).passed
    assert ch05.check_pinball(lambda t, p, q: lb.quantile(np.array(t), np.array(p), q=q)).passed


def _e(t, p):
    return np.subtract(t, p)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda t, p, q: np.mean(np.maximum(q * _e(p, t), (q - 1) * _e(p, t))), "sign"),
        (lambda t, p, q: np.mean(np.minimum(q * _e(t, p), (q - 1) * _e(t, p))), "minimum"),
        (lambda t, p, q: np.mean(q * np.abs(_e(t, p))), "Both sides"),
        (lambda t, p, q: np.sum(np.maximum(q * _e(t, p), (q - 1) * _e(t, p))), "sum"),
        (lambda t, p, q: np.maximum(q * _e(t, p), (q - 1) * _e(t, p)), "one loss per point"),
        (lambda t, p, q: np.mean(np.abs(_e(t, p))), "mean absolute error"),
        # (1 - q) * e for an over-prediction, e < 0: a negative loss
        (
            lambda t, p, q: np.mean(np.where(_e(t, p) >= 0, q * _e(t, p), (1 - q) * _e(t, p))),
            "negative",
        ),
        (lambda t, p, q: np.mean(np.maximum(q * _e(t, p), (1 - q) * _e(t, p))), "negative"),
    ],
)
def test_pinball_mistakes_get_their_hint(wrong, word):
    feedback = ch05.check_pinball(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 5.3: the parcel promise --------------------------------------------------


def test_parcel_answer_is_45_and_beats_its_neighbours():
    minutes = ch05.PARCEL_MINUTES
    assert ch05.check_parcel_promise(45).passed
    assert ch05.check_parcel_promise(np.float64(45.0)).passed

    def loss(c):
        return lb.quantile(minutes, np.full_like(minutes, c), q=0.75)

    assert loss(45) < min(loss(44), loss(41), loss(52), loss(46))


@pytest.mark.parametrize(
    ("answer", "word"),
    [
        (44.0, "interpolates"),
        (32.0, "median"),
        (38.4, "mean"),
        (25.0, "q = 0.25"),
        (41.0, "7 of the 10"),
        (52.0, "80%"),
        (30.0, "Sort the ten times"),
        (47.5, "Sort the ten times"),
    ],
)
def test_parcel_mistakes_get_their_hint(answer, word):
    feedback = ch05.check_parcel_promise(answer)
    assert not feedback.passed and word in feedback.hint


@pytest.mark.parametrize("answer", ["45 minutes", [45, 45]])
def test_parcel_checker_answers_nonsense(answer):
    feedback = ch05.check_parcel_promise(answer)
    assert not feedback.passed and feedback.hint
