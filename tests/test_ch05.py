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
    # n q is a whole number: the loss is flat up to the next point; best is its left end
    assert below == round(q * times.size) - 1
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
        (lambda t, p, d: lb.huber(t, p, delta=1.0), "whatever delta"),
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


# -- robust scale, exact lines, held-out coverage, crossing --------------------------------


def test_robust_sigma_ignores_the_outlier_and_is_the_normal_sd():
    x, y = ch05.outlier_data()
    w, b = ch05.fit_outlier_line("mae")
    residuals = y - (w * x + b)
    assert np.std(residuals) > 0.5  # the outlier inflates the plain standard deviation
    assert 0.1 < ch05.robust_sigma(residuals) < 0.2  # the noise has sd 0.15
    big = np.random.default_rng(0).normal(scale=2.0, size=200_000)
    assert ch05.robust_sigma(big) == pytest.approx(2.0, rel=0.01)
    assert ch05.robust_sigma(100 * residuals) == pytest.approx(100 * ch05.robust_sigma(residuals))


def _pinball_of_line(x, y, w, b, q):
    return lb.quantile(y, w * x + b, q=q)


@pytest.mark.parametrize("q", [0.1, 0.9])
def test_exact_quantile_line_beats_gradient_descent_and_every_neighbour(q):
    x, y = ch05.interval_data()
    w, b = ch05.exact_quantile_line(x, y, q)
    best = _pinball_of_line(x, y, w, b, q)
    assert best <= _pinball_of_line(x, y, *ch05.fit_quantile_line(q), q) + 1e-12
    moves = np.linspace(-0.01, 0.01, 11)
    for dw in moves:
        for db in moves:
            assert _pinball_of_line(x, y, w + dw, b + db, q) >= best - 1e-12
    below, on, above = ch05.count_around(x, y, w, b)
    assert on == 2 and below + on + above == x.size
    # the intercept's subgradient condition: share below <= q <= share at or below
    assert below / x.size <= q <= (below + on) / x.size


def test_coverage_and_crossing_numbers_the_chapter_prints():
    lo, hi = ch05.fit_quantile_line(0.1), ch05.fit_quantile_line(0.9)
    cross = ch05.crossing_x(lo, hi)
    assert cross == pytest.approx(-1.3255, abs=1e-4)
    assert lo[0] * cross + lo[1] == pytest.approx(hi[0] * cross + hi[1])
    assert cross < -1  # outside the data: no crossing where the points are
    true_lo, true_hi = ch05.true_quantile_line(0.1), ch05.true_quantile_line(0.9)
    assert ch05.crossing_x(true_lo, true_hi) == pytest.approx(-4 / 3)  # where the sd is 0
    x, y = ch05.interval_data()
    x_new, y_new = ch05.heldout_interval_data()
    assert x_new.size == 1000 and not np.isin(y_new, y).any()
    assert ch05.coverage(x, y, lo, hi) == pytest.approx(0.795)
    assert ch05.coverage(x_new, y_new, lo, hi) == pytest.approx(0.772)


def test_population_coverage_of_the_true_lines_is_the_nominal_level():
    lo, hi = ch05.true_quantile_line(0.1), ch05.true_quantile_line(0.9)
    got = ch05.population_coverage(lambda g: (lo[0] * g + lo[1], hi[0] * g + hi[1]))
    assert got == pytest.approx(0.8, abs=1e-9)
    # and a Monte Carlo estimate agrees with it for the fitted lines
    fit_lo, fit_hi = ch05.fit_quantile_line(0.1), ch05.fit_quantile_line(0.9)
    exact = ch05.population_coverage(
        lambda g: (fit_lo[0] * g + fit_lo[1], fit_hi[0] * g + fit_hi[1])
    )
    x, y = ch05.interval_data(n=200_000, seed=99)
    assert ch05.coverage(x, y, fit_lo, fit_hi) == pytest.approx(exact, abs=0.005)


def test_gaussian_fit_is_a_minimum_and_its_sd_grows_with_x():
    x, y = ch05.interval_data()
    params = np.array(ch05.fit_gaussian_line())

    def nll(p):
        mean, sd = ch05.gaussian_prediction(p, x)
        return lb.gaussian_nll(y, mean, sd**2)

    best = nll(params)
    for i in range(4):
        for step in (-1e-3, 1e-3):
            moved = params.copy()
            moved[i] += step
            assert nll(moved) > best
    _, sd = ch05.gaussian_prediction(params, [-1.0, 1.0])
    assert sd[0] < 0.2 < 0.6 < sd[1]  # the truth: 0.1 and 0.7


def test_best_log_linear_sd_is_the_population_minimum():
    # an independent check: the expected NLL (trapezoid rule) rises in every direction
    grid = np.linspace(-1.0, 1.0, 4001)
    true_var = (ch05.NOISE_BASE + ch05.NOISE_GROWTH * grid) ** 2
    sd_ends = ch05.best_log_linear_sd([-1.0, 1.0])
    a = np.log(sd_ends[1] / sd_ends[0])  # sd = exp((a x + c) / 2) at x = -1 and x = 1
    c = np.log(sd_ends[0] * sd_ends[1])

    def expected_nll(a, c):
        log_var = a * grid + c
        return np.trapezoid(true_var * np.exp(-log_var) + log_var, grid)

    best = expected_nll(a, c)
    for da, dc in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert expected_nll(a + da, c + dc) > best
    assert np.round(ch05.best_log_linear_sd([-1.0, 0.0, 1.0]), 3).tolist() == [0.154, 0.361, 0.846]


def test_asymmetric_laplace_density_integrates_to_one_and_its_nll_is_pinball():
    q, scale = 0.9, 0.5
    e = np.linspace(-200, 40, 2_400_001)  # the left tail decays at rate (1 - q) / scale
    pinball = lb.quantile(e, np.zeros_like(e), q=q, reduction="none")
    density = q * (1 - q) / scale * np.exp(-pinball / scale)
    assert np.sum(density) * (e[1] - e[0]) == pytest.approx(1.0, abs=1e-6)
    nll = -np.log(density)
    assert np.allclose(nll - pinball / scale, np.log(scale) - np.log(q * (1 - q)))


# -- exercise 5.4: curvatures --------------------------------------------------------------


def test_curvature_checkers():
    assert ch05.check_huber_curvatures([1, 0]).passed
    assert ch05.check_huber_curvatures(np.array([1.0, 0.0])).passed
    for wrong, word in [
        ([0, 1], "Swapped"),
        ([0.5, 0], "factor in front"),
        ([2, 0], "curvature of e**2"),
        ([1, 1], "straight line"),
        ([1.002, 0], "rounded"),
        ([3, 3], "Differentiate each piece"),
        ([1], "Give 2 numbers"),
    ]:
        feedback = ch05.check_huber_curvatures(wrong)
        assert not feedback.passed and word in feedback.hint, (wrong, feedback.hint)
    assert ch05.check_logcosh_curvature(1.0).passed
    for wrong, word in [
        (0, "slope tanh(0)"),
        (0.5, "not its factor"),
        (1 / np.cosh(1.0) ** 2, "at e = 1"),
        (0.42, "put e = 0"),
    ]:
        feedback = ch05.check_logcosh_curvature(wrong)
        assert not feedback.passed and word in feedback.hint, (wrong, feedback.hint)


# -- exercise 5.5: Gaussian NLL ------------------------------------------------------------


def test_gaussian_reference_passes_and_agrees_with_lossbook():
    def my_gaussian_nll(y_true, mean, var):
        e = np.asarray(y_true, float) - np.asarray(mean, float)
        var = np.asarray(var, float)
        return np.mean(e**2 / (2 * var) + 0.5 * np.log(var) + 0.5 * np.log(2 * np.pi))

    assert ch05.check_gaussian_nll(my_gaussian_nll).passed
    assert ch05.check_gaussian_nll(
        lambda t, m, v: lb.gaussian_nll(np.array(t), np.array(m), np.array(v))
    ).passed
    # one case has a negative loss, so clipping at 0 is caught
    assert min(ch05._gaussian_nll_ref(*case) for case in ch05.GAUSSIAN_CASES) < 0


def _g(per_point, reduce=np.mean):
    def f(t, m, v):
        e2, v = (np.subtract(t, m)) ** 2, np.asarray(v, float)
        return reduce(per_point(e2, v))

    return f


C = 0.5 * np.log(2 * np.pi)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (_g(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v)), "full=False"),
        (_g(lambda e2, v: e2 / (2 * v) + np.log(v) + C), "0.5 * log(var)"),
        (_g(lambda e2, v: e2 / v + 0.5 * np.log(v) + C), "2 * var"),
        (_g(lambda e2, v: e2 / (2 * v**2) + np.log(v) + C), "standard deviation"),
        (_g(lambda e2, v: -(e2 / (2 * v) + 0.5 * np.log(v) + C)), "log-likelihood"),
        (_g(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v) + C, np.sum), "sum"),
        (_g(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v) + C, lambda a: a), "one loss per point"),
        (_g(lambda e2, v: np.maximum(e2 / (2 * v) + 0.5 * np.log(v) + C, 0)), "clipped"),
        (_g(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v) + 1.0), "three terms"),
        (_g(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v) + 2 * C), "half of log(2 pi)"),
        (_g(lambda e2, v: e2 / (2 * v) - 0.5 * np.log(v) + C), "wrong sign"),
        (_g(lambda e2, v: np.exp(-e2 / (2 * v)) / np.sqrt(2 * np.pi * v)), "densities"),
    ],
)
def test_gaussian_mistakes_get_their_hint(wrong, word):
    feedback = ch05.check_gaussian_nll(wrong)
    assert not feedback.passed and word in feedback.hint, feedback.hint


# -- exercise 5.6: held-out coverage -------------------------------------------------------


def test_heldout_coverage_answer_and_mistakes():
    x, y = ch05.interval_data()
    x_new, y_new = ch05.heldout_interval_data()
    low, high = ch05.exact_quantile_line(x, y, 0.05), ch05.exact_quantile_line(x, y, 0.95)
    right = np.mean((y_new >= low[0] * x_new + low[1]) & (y_new <= high[0] * x_new + high[1]))
    assert right == pytest.approx(0.869)
    assert ch05.check_heldout_coverage(right).passed
    for wrong, word in [
        (ch05.coverage(x, y, low, high), "training points"),
        (0.773, "10%-90%"),
        (0.772, "gradient-descent lines"),  # cell 42's lines, re-used
        (0.871, "gradient descent, which"),  # 5%-95% lines from fit_line: not "rounded"
        (86.9, "percentage"),
        (1 - right, "outside"),
        (0.9, "aims at"),
        (0.8695, "rounded"),
        (0.5, "exact_quantile_line"),
        ("0.869", "numbers, not text"),
    ]:
        feedback = ch05.check_heldout_coverage(wrong)
        assert not feedback.passed and word in feedback.hint, (wrong, feedback.hint)


# -- no two candidate answers coincide on the data ------------------------------------------


def _function_candidates(reference, mistakes, cases):
    return [[reference(*c) for c in cases]] + [
        [m.behaves_like(*c) for c in cases] for m in mistakes
    ]


@pytest.mark.parametrize(
    ("reference", "mistakes", "cases"),
    [
        (ch05._huber, ch05.HUBER_MISTAKES, ch05.HUBER_CASES),
        (ch05._pinball, ch05.PINBALL_MISTAKES, ch05.PINBALL_CASES),
        (ch05._gaussian_nll_ref, ch05.GAUSSIAN_MISTAKES, ch05.GAUSSIAN_CASES),
    ],
    ids=["huber", "pinball", "gaussian"],
)
def test_no_two_function_candidates_coincide(reference, mistakes, cases):
    # the right answer and every mistake differ on at least one case, and the two negative-
    # pinball mistakes (one hint) are the only pair allowed to agree everywhere
    candidates = _function_candidates(reference, mistakes, cases)
    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            same = all(
                np.shape(a) == np.shape(b) and np.allclose(a, b)
                for a, b in zip(candidates[i], candidates[j], strict=True)
            )
            hints_equal = i > 0 and mistakes[i - 1].hint == mistakes[j - 1].hint
            assert not same or hints_equal, (i, j)


@pytest.mark.parametrize(
    "exercise",
    [
        lambda: ch05.check_huber_curvatures(None).web,
        lambda: ch05.check_logcosh_curvature(None).web,
        lambda: ch05.check_heldout_coverage(None).web,
        lambda: ch05.check_parcel_promise(None).web,
    ],
    ids=["5.4a", "5.4b", "5.6", "5.3"],
)
def test_no_two_value_candidates_coincide(exercise):
    web = exercise()
    values = [np.asarray(web.expected, float)] + [
        np.asarray(m.behaves_like, float) for m in web.mistakes
    ]
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            assert values[i].shape != values[j].shape or not np.allclose(
                values[i], values[j], rtol=1e-3, atol=1e-4
            ), (i, j)


# -- quiz ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "right"),
    [("Quiz 5.1", "B"), ("Quiz 5.2", "B"), ("Quiz 5.3", "B"), ("Quiz 5.4", "B"), ("Quiz 5.5", "B")],
)
def test_quiz_right_answer_and_a_specific_hint_for_every_wrong_one(question, right):
    assert ch05.quiz(question, right).passed
    options = ch05.QUIZ.questions[question].options
    hints = [ch05.quiz(question, key).hint for key in options if key != right]
    assert all(hints) and len(set(hints)) == len(hints)
    assert "lossbook-quiz" in ch05.quiz_field(question)._repr_html_()


def test_quiz_numbers_are_right():
    assert float(lb.gaussian_nll([2.05], [2.0], [0.01])) == pytest.approx(-1.2586, abs=1e-4)
    assert float(lb.log_cosh([0.0], [20000.0])) == pytest.approx(20000 - np.log(2))
