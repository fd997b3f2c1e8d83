"""Chapter 05, Huber, log-cosh and quantile losses: data, fits, explorers and checkers.

Two small data sets carry the chapter:

* :func:`outlier_data`: 25 points near the line ``y = 1 + 2x`` with small noise, and
  (optionally) one point pushed far above it: the Huber loss's robustness test;
* :func:`interval_data`: 200 points whose noise grows with ``x``: the quantile (pinball)
  loss fits the 10% and 90% lines around them, a prediction interval.

Every line is fitted with :func:`lossbook.training.fit_line` (gradient descent), once
per setting: the fits are cached, so an explorer's frames are fast after the first.
"""

from __future__ import annotations

import functools

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, check_function, check_value
from lossbook.training import fit_line

# -- the data ------------------------------------------------------------------------

TRUE_INTERCEPT, TRUE_SLOPE = 1.0, 2.0
OUTLIER_INDEX = 23  # the second point from the right (x is sorted)
OUTLIER_SHIFT = 3.0


def outlier_data(*, outlier: bool = True, n: int = 25, seed: int = 3):
    """``n`` points near ``y = 1 + 2x`` (noise 0.15), x in [-1, 1], sorted.

    With ``outlier=True`` the point at ``OUTLIER_INDEX`` is pushed ``OUTLIER_SHIFT`` up.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + 0.15 * rng.standard_normal(n)
    if outlier:
        y[OUTLIER_INDEX] += OUTLIER_SHIFT
    return x, y


NOISE_BASE, NOISE_GROWTH = 0.4, 0.3


def interval_data(*, n: int = 200, seed: int = 5):
    """``n`` points around ``y = 1 + 2x``, x in [-1, 1], whose noise grows with x:
    sd ``0.4 + 0.3x``, from 0.1 at the left end to 0.7 at the right."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + (NOISE_BASE + NOISE_GROWTH * x) * rng.standard_normal(n)
    return x, y


def true_quantile_line(q: float) -> tuple[float, float]:
    """(slope, intercept) of the true q-quantile of :func:`interval_data` at each x.

    The noise at x is normal with sd ``0.4 + 0.3x``, so its q-quantile is
    ``(0.4 + 0.3x) z_q``: a straight line, which is why a line is the right model.
    """
    from statistics import NormalDist

    z = NormalDist().inv_cdf(q)
    return TRUE_SLOPE + NOISE_GROWTH * z, TRUE_INTERCEPT + NOISE_BASE * z


def delivery_times(*, n: int = 1000, seed: int = 7) -> np.ndarray:
    """``n`` skewed delivery times in minutes: 10 minutes plus a gamma(2, 10) wait."""
    return 10.0 + np.random.default_rng(seed).gamma(2.0, 10.0, n)


# -- fitting -------------------------------------------------------------------------

#: Gradient-descent settings for every line of the chapter (x lies in [-1, 1]). The
#: smooth losses converge in a few dozen steps; MAE and the pinball loss, whose gradient
#: never shrinks, zig-zag towards the minimum and need small steps and more of them.
FIT_SETTINGS = {
    "mse": {"learning_rate": 0.5, "steps": 100},
    "huber": {"learning_rate": 1.0, "steps": 100},
    "log_cosh": {"learning_rate": 1.0, "steps": 100},
    "mae": {"learning_rate": 0.1, "steps": 300},
    "quantile": {"learning_rate": 0.2, "steps": 300},
}


@functools.lru_cache(maxsize=128)
def _fit(dataset: str, loss: str, **loss_kwargs) -> tuple[float, float]:
    x, y = {
        "outlier": lambda: outlier_data(outlier=True),
        "clean": lambda: outlier_data(outlier=False),
        "interval": interval_data,
    }[dataset]()
    w, b = fit_line(x, y, loss=loss, **FIT_SETTINGS[loss], **loss_kwargs).final_params
    return float(w), float(b)


def fit_outlier_line(loss: str, *, outlier: bool = True, **loss_kwargs):
    """(slope, intercept) of the line fitted to :func:`outlier_data` under ``loss``."""
    return _fit("outlier" if outlier else "clean", loss, **loss_kwargs)


def fit_quantile_line(q: float):
    """(slope, intercept) of the q-quantile line of :func:`interval_data`."""
    return _fit("interval", "quantile", q=round(float(q), 6))


def mean_pinball(sample, candidates, q: float) -> np.ndarray:
    """Mean pinball loss of predicting each constant in ``candidates`` for ``sample``."""
    sample = np.asarray(sample, dtype=float)
    candidates = np.asarray(candidates, dtype=float)
    y_true = np.broadcast_to(sample, (candidates.size, sample.size))
    y_pred = np.broadcast_to(candidates[:, None], y_true.shape)
    return lb.quantile(y_true, y_pred, q=q, reduction="none").mean(axis=1)


def best_constant(sample, q: float) -> float:
    """The constant that minimises the mean pinball loss on ``sample``.

    The mean loss is piecewise linear in the constant, with kinks at the data points,
    so its minimum sits at one of them: trying every point finds it exactly.
    """
    sample = np.sort(np.asarray(sample, dtype=float))
    return float(sample[np.argmin(mean_pinball(sample, sample, q))])


# -- explorer: delta -----------------------------------------------------------------

DELTAS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
DATASETS = ("with outlier", "without outlier")


def delta_explorer():
    """Huber's delta: the line fitted to data with (or without) an outlier, and each
    point's pull on the line, ``clip(y - y_hat, -delta, delta)``."""
    from lossbook.explore import Choice, Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, (pull_ax, data_ax) = new_figure(ncols=2, figsize=(7.2, 3.2))
    residuals = np.linspace(-1.0, 3.5, 451)
    pull_ax.plot(residuals, residuals, ls="--", color=COLORS["muted"], label="½ MSE: no clip")
    (clip_line,) = pull_ax.plot(residuals, residuals, color=COLORS["fit"], lw=2, label="Huber")
    # Markers on a Line2D draw several times faster than a scatter: the frames stay quick.
    (points_pull,) = pull_ax.plot([], [], "o", ms=4, color=COLORS["data"], zorder=3)
    (outlier_pull,) = pull_ax.plot([], [], "o", ms=7, color=COLORS["accent"], zorder=4)
    pull_ax.set(
        xlim=(-1.0, 3.5),
        ylim=(-1.0, 3.5),
        xlabel="residual y - ŷ",
        ylabel="pull on the line",
        title="each point's pull: clip(y - ŷ, -δ, δ)",
    )
    pull_ax.legend(loc="upper left", fontsize=8)

    x_clean, y_clean = outlier_data(outlier=False)
    others = np.arange(x_clean.size) != OUTLIER_INDEX
    grid = np.array([-1.0, 1.0])
    data_ax.plot(x_clean[others], y_clean[others], "o", ms=4, color=COLORS["data"], zorder=3)
    (moving_dot,) = data_ax.plot([], [], "o", zorder=4)
    (mse_line,) = data_ax.plot(grid, grid, ls="--", color=COLORS["muted"], label="MSE")
    (huber_line,) = data_ax.plot(grid, grid, color=COLORS["fit"], lw=2, label="Huber")
    (mae_line,) = data_ax.plot(grid, grid, ls=":", color=COLORS["alt"], lw=2, label="MAE")
    data_ax.set(xlim=(-1.05, 1.05), ylim=(-1.8, 6.3), xlabel="x", ylabel="y", title="the fits")
    data_ax.legend(loc="upper left", fontsize=8)

    def update(delta, data):
        delta = round(float(delta), 6)
        outlier = data == DATASETS[0]
        x, y = outlier_data(outlier=outlier)
        w, b = fit_outlier_line("huber", outlier=outlier, delta=delta)
        w_mse, b_mse = fit_outlier_line("mse", outlier=outlier)
        w_mae, b_mae = fit_outlier_line("mae", outlier=outlier)
        mse_line.set_ydata(w_mse * grid + b_mse)
        mae_line.set_ydata(w_mae * grid + b_mae)
        huber_line.set_ydata(w * grid + b)
        clip_line.set_ydata(np.clip(residuals, -delta, delta))
        e = y - (w * x + b)
        pull = np.clip(e, -delta, delta)
        k = OUTLIER_INDEX
        moving_dot.set_data([x[k]], [y[k]])
        if outlier:
            points_pull.set_data(e[others], pull[others])
            outlier_pull.set_data([e[k]], [pull[k]])
            moving_dot.set(color=COLORS["accent"], markersize=7)
        else:
            points_pull.set_data(e, pull)
            outlier_pull.set_data([], [])
            moving_dot.set(color=COLORS["data"], markersize=4)
        caption = f"delta {delta:.2f}, {data}: Huber y = {w:.3f}x + {b:.3f}"
        if outlier:
            caption += f" (outlier: residual {e[k]:.3f}, pull {pull[k]:.3f})"
        # two lines when printed; one paragraph in the player and the widget
        return caption + (
            f"\n    compare: MSE y = {w_mse:.3f}x + {b_mse:.3f}, MAE y = {w_mae:.3f}x + {b_mae:.3f}"
        )

    return Explorer(
        figure,
        update,
        [
            Slider("delta", "delta (δ)", DELTAS, value=1.0),
            Choice("data", "data", DATASETS),
        ],
        title="Huber's delta: how hard may one point pull?",
        animated=[
            clip_line,
            points_pull,
            outlier_pull,
            moving_dot,
            mse_line,
            huber_line,
            mae_line,
        ],
    )


# -- explorer: quantile q ------------------------------------------------------------

QS = (0.1, 0.3, 0.5, 0.7, 0.9)


def fraction_below(x, y, w, b) -> float:
    """Share of the points strictly below the line ``w x + b``."""
    return float(np.mean(np.asarray(y) < w * np.asarray(x) + b))


def quantile_explorer():
    """The fitted q-quantile line moving through :func:`interval_data`, and its loss."""
    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, (loss_ax, data_ax) = new_figure(ncols=2, figsize=(7.2, 3.2))
    errors = np.linspace(-2.0, 2.0, 401)
    (pinball,) = loss_ax.plot(errors, errors, color=COLORS["fit"], lw=2)
    loss_ax.set(
        xlim=(-2, 2),
        ylim=(-0.05, 2.0),
        xlabel="e = y - ŷ  (e > 0: predicted too low)",
        ylabel="loss",
        title="pinball loss max(q e, (q-1) e)",
    )
    slope_text = loss_ax.text(0.0, 1.75, "", ha="center", fontsize=9)

    x, y = interval_data()
    # Every point drawn once in grey; the points below the line drawn over it in blue.
    # Markers on a Line2D draw several times faster than a scatter: the frames stay quick.
    data_ax.plot(x, y, "o", ms=3, color=COLORS["muted"], alpha=0.6)
    (below_dots,) = data_ax.plot([], [], "o", ms=3, color=COLORS["data"])
    grid = np.array([-1.0, 1.0])
    (q_line,) = data_ax.plot(grid, grid, color=COLORS["fit"], lw=2)
    data_ax.set(
        xlim=(-1.05, 1.05),
        ylim=(-1.8, 5.0),
        xlabel="x",
        ylabel="y",
        title="the q-quantile line (blue: below it)",
    )

    def update(q):
        q = round(float(q), 6)
        pinball.set_ydata(lb.quantile(errors, np.zeros_like(errors), q=q, reduction="none"))
        slope_text.set_text(f"slope {q - 1:.1f} left, {q:.1f} right")
        w, b = fit_quantile_line(q)
        q_line.set_ydata(w * grid + b)
        below = y < w * x + b
        below_dots.set_data(x[below], y[below])
        return (
            f"q = {q:.1f}: line y = {w:.3f}x + {b:.3f}; "
            f"{100 * below.mean():.1f}% of the {x.size} points are below it"
        )

    return Explorer(
        figure,
        update,
        [Slider("q", "quantile q", QS, value=0.5)],
        title="The quantile q: where the fitted line runs through the data",
        animated=[pinball, slope_text, below_dots, q_line],
    )


# -- exercises -----------------------------------------------------------------------


def _e(y_true, y_pred):
    return np.asarray(y_pred, float) - np.asarray(y_true, float)


def _huber(y_true, y_pred, delta):
    a = np.abs(np.asarray(y_pred, float) - np.asarray(y_true, float))
    return np.mean(np.where(a <= delta, 0.5 * a**2, delta * (a - 0.5 * delta)))


def _huber_like(inside, outside, reduce=np.mean):
    """A variant of the Huber loss: ``inside(a, delta)`` for ``a <= delta``, else ``outside``."""

    def variant(y_true, y_pred, delta):
        a = np.abs(np.asarray(y_pred, float) - np.asarray(y_true, float))
        return reduce(np.where(a <= delta, inside(a, delta), outside(a, delta)))

    return variant


HUBER_CASES = [
    ([0.0, 0.0, 0.0, 0.0], [0.5, -2.0, 3.0, 0.1], 1.0),
    ([1.0, 2.0, 3.0, 4.0], [1.5, 0.0, 10.0, 4.0], 2.0),
    ([2.0, -1.0], [2.3, -1.4], 0.5),
    ([5.0, 5.0, 5.0], [5.0, 9.0, 1.0], 0.25),
]

HUBER_MISTAKES = [
    Mistake(
        _huber_like(lambda a, d: a**2, lambda a, d: d * (a - 0.5 * d)),
        "Near zero the Huber loss is half the squared error, 0.5 * e**2, not e**2.",
    ),
    Mistake(
        _huber_like(lambda a, d: 0.5 * a**2, lambda a, d: d * a),
        "Beyond delta you used delta * |e|: the two pieces then do not meet at |e| = delta "
        "(0.5 delta**2 against delta**2). Subtract 0.5 * delta**2: delta * (|e| - 0.5 * delta).",
    ),
    Mistake(
        _huber_like(lambda a, d: 0.5 * a**2, lambda a, d: a - 0.5 * d),
        "Beyond delta the slope is delta, not 1: multiply by delta, delta * (|e| - 0.5 * delta).",
    ),
    Mistake(
        _huber_like(lambda a, d: d * (a - 0.5 * d), lambda a, d: 0.5 * a**2),
        "The branches are swapped: the loss is quadratic for small errors (|e| <= delta) "
        "and linear for large ones.",
    ),
    Mistake(
        _huber_like(lambda a, d: 0.5 * a**2, lambda a, d: d * (a - 0.5 * d), np.sum),
        "You returned the sum over the points. Return the mean (np.mean).",
    ),
    Mistake(
        _huber_like(lambda a, d: 0.5 * a**2, lambda a, d: d * (a - 0.5 * d), lambda v: v),
        "You returned one loss per point. Average them into one number with np.mean.",
    ),
    Mistake(
        _huber_like(lambda a, d: 0.5 * a**2, lambda a, d: 0.5 * a**2),
        "There is no linear part: beyond delta the loss must grow like delta * |e|, "
        "not like the square. Use np.where(|e| <= delta, ..., ...).",
    ),
    Mistake(
        _huber_like(lambda a, d: a, lambda a, d: a),
        "That is the mean absolute error. The Huber loss is quadratic for |e| <= delta.",
    ),
    Mistake(
        _huber_like(lambda a, d: 0.5 * a**2 / d, lambda a, d: a - 0.5 * d),
        "You divided the Huber loss by delta: that is PyTorch's SmoothL1Loss with "
        "beta = delta. The Huber loss is 0.5 * e**2 inside and delta * (|e| - 0.5 * delta) "
        "outside.",
    ),
    Mistake(
        _huber_like(lambda a, d: 0.5 * a**2, lambda a, d: d * (a + 0.5 * d)),
        "Beyond delta it is delta * (|e| - 0.5 * delta), with a minus: then both pieces "
        "give 0.5 * delta**2 at |e| = delta.",
    ),
    Mistake(
        lambda t, p, d: np.mean(
            np.where(_e(t, p) <= d, 0.5 * _e(t, p) ** 2, d * (np.abs(_e(t, p)) - 0.5 * d))
        ),
        "Compare the size of the error with delta, |e| <= delta, not e itself: a large "
        "negative error (e = -2 with delta = 1) belongs on the linear piece too.",
    ),
]


def check_huber(answer):
    """Exercise 5.1: ``my_huber(y_true, y_pred, delta)`` with NumPy, mean over the points."""
    return check_function(
        "Exercise 5.1",
        answer,
        reference=_huber,
        cases=HUBER_CASES,
        mistakes=HUBER_MISTAKES,
        signature="my_huber(y_true, y_pred, delta)",
        success="your my_huber agrees with the Huber loss on every test case, "
        "on both sides of delta.",
    )


def _pinball(y_true, y_pred, q):
    e = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return np.mean(np.maximum(q * e, (q - 1) * e))


PINBALL_CASES = [
    ([1.0, 1.0, 4.0, 0.0], [0.0, 3.0, 4.0, 0.5], 0.9),
    ([2.0, 5.0, -1.0], [3.0, 1.0, -1.5], 0.2),
    ([10.0, 20.0, 30.0, 40.0], [12.0, 18.0, 35.0, 38.0], 0.75),
    ([0.0, 1.0], [1.0, 0.0], 0.5),
]

NEGATIVE_PINBALL_HINT = (
    "Some of your losses are negative: for a prediction that is too high, e < 0, and "
    "(1 - q) * e < 0. Its cost is (1 - q) * |e| = (q - 1) * e: "
    "np.maximum(q * e, (q - 1) * e)."
)

PINBALL_MISTAKES = [
    Mistake(
        lambda t, p, q: _pinball(p, t, q),
        "The sign of the error is flipped: with e = y_true - y_pred, predicting too low "
        "(e > 0) must cost q per unit, predicting too high 1 - q.",
    ),
    Mistake(
        lambda t, p, q: np.mean(np.minimum(q * (np.subtract(t, p)), (q - 1) * np.subtract(t, p))),
        "You took the minimum: it is never positive. The pinball loss is the maximum "
        "of q * e and (q - 1) * e.",
    ),
    Mistake(
        lambda t, p, q: np.mean(q * np.abs(np.subtract(t, p))),
        "Both sides cost q per unit. Too low costs q, too high costs 1 - q: "
        "np.maximum(q * e, (q - 1) * e).",
    ),
    Mistake(
        lambda t, p, q: np.sum(np.maximum(q * np.subtract(t, p), (q - 1) * np.subtract(t, p))),
        "You returned the sum over the points. Return the mean (np.mean).",
    ),
    Mistake(
        lambda t, p, q: np.maximum(q * np.subtract(t, p), (q - 1) * np.subtract(t, p)),
        "You returned one loss per point. Average them into one number with np.mean.",
    ),
    Mistake(
        lambda t, p, q: np.mean(np.abs(np.subtract(t, p))),
        "That is the mean absolute error: q is ignored. Weigh the two sides by q and 1 - q.",
    ),
    Mistake(
        lambda t, p, q: np.mean(
            np.where(np.subtract(t, p) >= 0, q * np.subtract(t, p), (1 - q) * np.subtract(t, p))
        ),
        NEGATIVE_PINBALL_HINT,
    ),
    Mistake(
        lambda t, p, q: np.mean(np.maximum(q * np.subtract(t, p), (1 - q) * np.subtract(t, p))),
        NEGATIVE_PINBALL_HINT,
    ),
]


def check_pinball(answer):
    """Exercise 5.2: ``my_pinball(y_true, y_pred, q)`` with NumPy, mean over the points."""
    return check_function(
        "Exercise 5.2",
        answer,
        reference=_pinball,
        cases=PINBALL_CASES,
        mistakes=PINBALL_MISTAKES,
        signature="my_pinball(y_true, y_pred, q)",
        success="your my_pinball agrees with the pinball loss for every q tested.",
    )


PARCEL_MINUTES = np.array([34.0, 19.0, 52.0, 27.0, 41.0, 23.0, 88.0, 30.0, 45.0, 25.0])
PARCEL_Q = 0.75


PARCEL_HINT = (
    "Sort the ten times and count: the best c has fewer than 75% of the times below it "
    "and at least 75% at or below it (the slope F - q changes sign there). Or compute "
    "lb.quantile(minutes, np.full_like(minutes, c), q=0.75) for every data point c."
)


def check_parcel_promise(answer):
    """Exercise 5.3: the constant that minimises the mean pinball loss (q = 0.75)."""
    return _check_parcel_value(answer, np.sort(PARCEL_MINUTES))


def _check_parcel_value(answer, times):
    return check_value(
        "Exercise 5.3",
        answer,
        expected=best_constant(PARCEL_MINUTES, PARCEL_Q),
        mistakes=[
            Mistake(
                float(np.quantile(PARCEL_MINUTES, PARCEL_Q)),
                "That is np.quantile's answer, which interpolates between two data points. "
                "The mean pinball loss is smallest at a data point here: evaluate "
                "lb.quantile at your value and at each data point, and compare.",
            ),
            Mistake(
                float(np.median(PARCEL_MINUTES)),
                "That is the median, the minimiser for q = 0.5. With q = 0.75 the minimiser "
                "has about 75% of the times below it.",
            ),
            Mistake(
                float(np.mean(PARCEL_MINUTES)),
                "That is the mean, which minimises the MSE, not a pinball loss.",
            ),
            Mistake(
                best_constant(PARCEL_MINUTES, 1 - PARCEL_Q),
                "That value minimises the loss for q = 0.25: about 25% of the times are "
                "below it. Check the sign convention e = y_true - y_pred.",
            ),
            Mistake(
                float(times[6]),
                "Close: just above your value, 7 of the 10 times are below it (70% < 75%), "
                "so the slope F - q is still negative: raising the promise to the next time "
                "lowers the loss.",
            ),
            Mistake(
                float(times[8]),
                "Close: just below your value, 8 of the 10 times are below it (80% > 75%), "
                "so the slope F - q is positive there: lowering the promise to the next time "
                "down lowers the loss.",
            ),
        ],
        what="the best constant prediction (in minutes)",
        fallback=PARCEL_HINT,
        success="45 minutes: 7 parcels arrive sooner and 8 of 10 arrive by then, so 75% "
        "falls on this data point.",
    )
