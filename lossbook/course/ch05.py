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
    so its minimum sits at one of them: trying every point finds it exactly. Where ``n q``
    is a whole number the loss is flat between two neighbouring points; we return the left
    end of that stretch (the two ends' losses can differ in the last bit, so ``argmin``
    alone would pick either).
    """
    sample = np.sort(np.asarray(sample, dtype=float))
    losses = mean_pinball(sample, sample, q)
    flat = losses <= losses.min() + 1e-12 * max(1.0, abs(losses.min()))
    return float(sample[np.argmax(flat)])  # the first minimiser, left to right


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
            Slider(
                "delta", "delta (δ)", DELTAS, value=1.0, fmt="{:.2f}", valuetext="delta {value}"
            ),
            Choice("data", "data", DATASETS, valuetext="data {value}"),
        ],
        title="Huber's delta: how hard may one point pull?",
        description=(
            "Left: each of the 25 points' pull on the Huber line against its residual y - ŷ; "
            "the solid curve is clip(residual, -δ, δ), flat beyond ±δ, the dashed line the "
            "unclipped pull of half the MSE; the outlier is the large pink dot. Right: the "
            "points with the MSE line (dashed grey), the Huber line (orange) and the MAE "
            "line (dotted green)."
        ),
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
        [Slider("q", "quantile q", QS, value=0.5, fmt="{:.1f}", valuetext="quantile q = {value}")],
        title="The quantile q: where the fitted line runs through the data",
        description=(
            "Left: the pinball loss for the chosen q, a lopsided V with slope q - 1 on the "
            "left and q on the right. Right: the 200 points whose spread grows with x, the "
            "fitted q-quantile line, and the points below it drawn in blue."
        ),
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
        lambda t, p, d: _huber(t, p, 1.0),
        "Your function gives the Huber loss for delta = 1 whatever delta it is passed: use "
        "the argument delta in the comparison and in the linear piece.",
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


# -- robust scale, exact quantile lines, held-out data ---------------------------------

#: Huber's classic tuning constant: with Gaussian noise of standard deviation sigma,
#: delta = 1.345 sigma keeps 95% of the efficiency of least squares.
HUBER_K = 1.345
#: The MAD of a normal sample, times this, estimates its standard deviation (1 / z_0.75).
MAD_TO_SIGMA = 1.4826


def robust_sigma(residuals) -> float:
    """``1.4826 * median(|r - median(r)|)``: a standard deviation that outliers barely move."""
    r = np.asarray(residuals, dtype=float)
    return float(MAD_TO_SIGMA * np.median(np.abs(r - np.median(r))))


@functools.lru_cache(maxsize=16)
def _exact_quantile_line(x_bytes: bytes, y_bytes: bytes, q: float):
    x, y = np.frombuffer(x_bytes), np.frombuffer(y_bytes)
    # The mean pinball loss of a line is convex and piecewise linear in (w, b), so a minimum
    # sits at a vertex: a line through two of the points. Try every pair, in chunks.
    i, j = np.triu_indices(x.size, 1)
    slopes = (y[j] - y[i]) / (x[j] - x[i])
    intercepts = y[i] - slopes * x[i]
    # With e = y - (w x + b), the pinball loss is q e + max(-e, 0). The sum of the q e terms
    # has a closed form; only the over-predictions need a pass over every point.
    over = np.empty(slopes.size)
    chunk = 4096
    for start in range(0, slopes.size, chunk):
        stop = start + chunk
        minus_e = np.multiply.outer(slopes[start:stop], x)
        minus_e += intercepts[start:stop, None]
        minus_e -= y
        over[start:stop] = np.maximum(minus_e, 0.0, out=minus_e).sum(axis=1)
    sum_e = y.sum() - slopes * x.sum() - x.size * intercepts
    losses = (q * sum_e + over) / x.size
    best = int(np.argmin(losses))
    return float(slopes[best]), float(intercepts[best])


def exact_quantile_line(x, y, q: float) -> tuple[float, float]:
    """(slope, intercept) of the line with the smallest mean pinball loss, found exactly:
    the best of the lines through two data points (x must hold distinct values)."""
    x = np.ascontiguousarray(x, dtype=float)
    y = np.ascontiguousarray(y, dtype=float)
    return _exact_quantile_line(x.tobytes(), y.tobytes(), round(float(q), 6))


def count_around(x, y, w, b, *, tol: float = 1e-9) -> tuple[int, int, int]:
    """How many points lie below, on (within ``tol``) and above the line ``w x + b``."""
    r = np.asarray(y, dtype=float) - (w * np.asarray(x, dtype=float) + b)
    return int(np.sum(r < -tol)), int(np.sum(np.abs(r) <= tol)), int(np.sum(r > tol))


HELDOUT_N, HELDOUT_SEED = 1000, 11


def heldout_interval_data():
    """1000 fresh points from the same source as :func:`interval_data` (another seed):
    the data the lines were not fitted on."""
    return interval_data(n=HELDOUT_N, seed=HELDOUT_SEED)


def coverage(x, y, low, high) -> float:
    """Share of the points with ``low(x) <= y <= high(x)``; ``low``, ``high`` are (w, b)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((y >= low[0] * x + low[1]) & (y <= high[0] * x + high[1])))


def crossing_x(line_a, line_b) -> float:
    """Where two lines (w, b) meet: ``w_a x + b_a = w_b x + b_b``."""
    (wa, ba), (wb, bb) = line_a, line_b
    return float((bb - ba) / (wa - wb))


def _normal_cdf(z):
    from math import erf, sqrt

    return 0.5 * (1.0 + np.vectorize(erf)(np.asarray(z) / sqrt(2.0)))


def population_coverage(band, *, points: int = 2001) -> float:
    """The coverage of an interval on unlimited fresh data from :func:`interval_data`'s
    source: the average over x in [-1, 1] of P(low(x) <= y <= high(x)), with
    ``band(x) -> (low, high)``. We can compute it because we know the noise: normal,
    sd 0.4 + 0.3x."""
    grid = np.linspace(-1.0, 1.0, points)
    centre = TRUE_INTERCEPT + TRUE_SLOPE * grid
    sd = NOISE_BASE + NOISE_GROWTH * grid
    low, high = band(grid)
    return float(np.mean(_normal_cdf((high - centre) / sd) - _normal_cdf((low - centre) / sd)))


# -- the Gaussian route: a predicted mean and a predicted variance -----------------------

GAUSSIAN_FIT = {"learning_rate": 0.1, "steps": 1000}


@functools.lru_cache(maxsize=4)
def fit_gaussian_line(dataset: str = "interval") -> tuple[float, float, float, float]:
    """Fit mean ``w x + b`` and log-variance ``a x + c`` to :func:`interval_data` by
    gradient descent on :func:`lossbook.gaussian_nll`; returns (w, b, a, c).

    The variance is predicted through its log, so it stays positive whatever the step;
    by the chain rule the gradient for ``log var`` is the gradient for ``var`` times var.
    """
    x, y = {"interval": interval_data}[dataset]()
    w = b = a = c = 0.0
    lr = GAUSSIAN_FIT["learning_rate"]
    for _ in range(GAUSSIAN_FIT["steps"]):
        var = np.exp(a * x + c)
        g_mean, g_var = lb.gaussian_nll_grad(y, w * x + b, var)
        g_log_var = g_var * var
        w, b = w - lr * np.sum(g_mean * x), b - lr * np.sum(g_mean)
        a, c = a - lr * np.sum(g_log_var * x), c - lr * np.sum(g_log_var)
    return float(w), float(b), float(a), float(c)


def best_log_linear_sd(x, *, points: int = 2001) -> np.ndarray:
    """The standard deviation ``exp((a x + c) / 2)`` at ``x`` of the best log-linear model
    with unlimited data from :func:`interval_data`'s source (x uniform on [-1, 1]).

    "Best" is the smallest expected Gaussian NLL, mean over x of
    ``sd_true(x)**2 / v(x) + log v(x)`` (halved, plus constants), with ``log v = a x + c``:
    convex in (a, c), so a few Newton steps from a flat variance find it. It is what the
    model's shape allows, free of the sampling noise of 200 points.
    """
    grid = np.linspace(-1.0, 1.0, points)
    true_var = (NOISE_BASE + NOISE_GROWTH * grid) ** 2
    features = np.stack([grid, np.ones_like(grid)])  # d(log v) / d(a, c)
    weights = np.full(points, 1.0 / (points - 1))  # the trapezoid rule for a mean over x
    weights[[0, -1]] /= 2
    a, c = 0.0, float(np.log(true_var.mean()))
    for _ in range(50):
        ratio = true_var * np.exp(-(a * grid + c))  # true variance / model variance
        gradient = features @ (weights * (1.0 - ratio))
        hessian = (features * weights * ratio) @ features.T
        step = np.linalg.solve(hessian, gradient)
        a, c = a - step[0], c - step[1]
        if np.max(np.abs(step)) < 1e-13:
            break
    return np.exp(0.5 * (a * np.asarray(x, dtype=float) + c))


def gaussian_prediction(params, x):
    """Predicted mean and standard deviation at ``x`` for ``fit_gaussian_line``'s params."""
    w, b, a, c = params
    x = np.asarray(x, dtype=float)
    return w * x + b, np.exp(0.5 * (a * x + c))


# -- exercise 5.4: curvatures (pen and paper, checked) -----------------------------------


def check_huber_curvatures(answer):
    """Exercise 5.4 (a): the Huber loss's second derivative just inside and just outside
    |e| = delta, as ``[inside, outside]``."""
    return check_value(
        "Exercise 5.4 (a)",
        answer,
        expected=[1.0, 0.0],
        mistakes=[
            Mistake(
                [0.0, 1.0],
                "Swapped: inside |e| <= delta the loss is the parabola e**2 / 2 (second "
                "derivative 1); outside it is a straight line (second derivative 0).",
            ),
            Mistake(
                [0.5, 0.0],
                "The second derivative of e**2 / 2 is 1: its first derivative is e, "
                "whose derivative is 1 (0.5 is the factor in front, not the curvature).",
            ),
            Mistake(
                [2.0, 0.0],
                "That is the curvature of e**2. The Huber loss uses half of it, e**2 / 2, "
                "whose second derivative is 1.",
            ),
            Mistake(
                [1.0, 1.0],
                "Outside delta the loss is delta * (|e| - delta / 2): a straight line, "
                "whose second derivative is 0. That jump from 1 to 0 is the seam.",
            ),
        ],
        what="the two second derivatives [inside, outside]",
        success="1 inside and 0 outside: the value and the slope match at |e| = delta, "
        "the curvature jumps.",
        fallback="Differentiate each piece twice: e**2 / 2 inside, delta * (|e| - delta / 2) "
        "outside (for e > delta that is delta * e - delta**2 / 2).",
    )


def check_logcosh_curvature(answer):
    """Exercise 5.4 (b): the second derivative of log cosh(e) at e = 0."""
    return check_value(
        "Exercise 5.4 (b)",
        answer,
        expected=1.0,
        mistakes=[
            Mistake(
                0.0,
                "0 is the slope tanh(0), the first derivative. The curvature is the "
                "derivative of tanh: 1 / cosh(e)**2, at e = 0.",
            ),
            Mistake(
                0.5,
                "Near 0, log cosh(e) is about e**2 / 2, whose second derivative is 1, not "
                "its factor 0.5.",
            ),
            Mistake(
                float(1 / np.cosh(1.0) ** 2),
                "That is 1 / cosh(1)**2, the curvature at e = 1. The question asks at e = 0.",
            ),
        ],
        what="the second derivative of log cosh at e = 0",
        success="1 / cosh(0)**2 = 1: the curvature of e**2 / 2, as near zero it should be.",
        fallback="The second derivative is 1 / cosh(e)**2; put e = 0 (cosh(0) = 1).",
    )


# -- exercise 5.5: the Gaussian negative log-likelihood ---------------------------------

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _gaussian_parts(y_true, mean, var):
    y_true, mean, var = (np.asarray(a, dtype=float) for a in (y_true, mean, var))
    return (y_true - mean) ** 2, var


def _gaussian_nll_ref(y_true, mean, var):
    e2, var = _gaussian_parts(y_true, mean, var)
    return np.mean(e2 / (2 * var) + 0.5 * np.log(var) + _HALF_LOG_2PI)


def _gaussian_variant(per_point, reduce=np.mean):
    def variant(y_true, mean, var):
        e2, v = _gaussian_parts(y_true, mean, var)
        return reduce(per_point(e2, v))

    return variant


GAUSSIAN_CASES = [
    ([0.0, 1.0, 2.0], [0.5, 1.0, 1.0], [1.0, 0.25, 4.0]),
    ([2.05, 3.0], [2.0, 3.1], [0.01, 0.04]),  # small variances: a negative loss
    ([10.0, -4.0, 0.0, 1.0], [8.0, -4.5, 0.2, 1.0], [2.0, 0.5, 0.09, 3.0]),
]

GAUSSIAN_MISTAKES = [
    Mistake(
        _gaussian_variant(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v)),
        "The constant 0.5 * log(2 pi) is missing. PyTorch's gaussian_nll_loss leaves it out "
        "by default (full=False): it does not change the gradient, but without it the number "
        "is not -log of the density. Add 0.5 * np.log(2 * np.pi).",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: e2 / (2 * v) + np.log(v) + _HALF_LOG_2PI),
        "The log term is log(sigma) = 0.5 * log(var), not log(var): var is sigma squared.",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: e2 / v + 0.5 * np.log(v) + _HALF_LOG_2PI),
        "The squared error is divided by 2 * var, not by var: the exponent of the normal "
        "density is -(y - mean)**2 / (2 sigma**2).",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: e2 / (2 * v**2) + np.log(v) + _HALF_LOG_2PI),
        "You used var as the standard deviation. var is sigma**2: divide by 2 * var and "
        "add 0.5 * log(var).",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v) + 2 * _HALF_LOG_2PI),
        "The constant is half of log(2 pi): the density's factor is 1 / sqrt(2 pi var), "
        "so its log gives 0.5 * log(2 pi) + 0.5 * log(var).",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: e2 / (2 * v) - 0.5 * np.log(v) + _HALF_LOG_2PI),
        "The log term has the wrong sign: -log(1 / sqrt(var)) = +0.5 * log(var). A larger "
        "variance must cost more there (and less in the squared-error term).",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: np.exp(-e2 / (2 * v)) / np.sqrt(2 * np.pi * v)),
        "That is the mean of the densities themselves. The loss is minus their log, "
        "-log N(y | mean, var), averaged over the points.",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: -(e2 / (2 * v) + 0.5 * np.log(v) + _HALF_LOG_2PI)),
        "The sign is flipped: that is the log-likelihood. The loss is its negative, "
        "(y - mean)**2 / (2 var) + 0.5 log(var) + 0.5 log(2 pi).",
    ),
    Mistake(
        _gaussian_variant(lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v) + _HALF_LOG_2PI, np.sum),
        "You returned the sum over the points. Return the mean (np.mean).",
    ),
    Mistake(
        _gaussian_variant(
            lambda e2, v: e2 / (2 * v) + 0.5 * np.log(v) + _HALF_LOG_2PI, lambda v: v
        ),
        "You returned one loss per point. Average them into one number with np.mean.",
    ),
    Mistake(
        _gaussian_variant(
            lambda e2, v: np.maximum(e2 / (2 * v) + 0.5 * np.log(v) + _HALF_LOG_2PI, 0.0)
        ),
        "You clipped the losses at 0. A Gaussian NLL can be negative (a density can exceed "
        "1): keep the negative values.",
    ),
]


def check_gaussian_nll(answer):
    """Exercise 5.5: ``my_gaussian_nll(y_true, mean, var)`` with NumPy, mean over points."""
    return check_function(
        "Exercise 5.5",
        answer,
        reference=_gaussian_nll_ref,
        cases=GAUSSIAN_CASES,
        mistakes=GAUSSIAN_MISTAKES,
        signature="my_gaussian_nll(y_true, mean, var)",
        fallback="Write the three terms for every point, (y - mean)**2 / (2 * var), "
        "0.5 * np.log(var) and 0.5 * np.log(2 * np.pi), add them, then take the mean.",
        success="your my_gaussian_nll agrees with -log N(y | mean, var) on every case, "
        "negative values included.",
    )


# -- exercise 5.6: coverage on held-out data --------------------------------------------


def _coverage_numbers():
    x, y = interval_data()
    x_new, y_new = heldout_interval_data()
    low, high = exact_quantile_line(x, y, 0.05), exact_quantile_line(x, y, 0.95)
    low80, high80 = exact_quantile_line(x, y, 0.1), exact_quantile_line(x, y, 0.9)
    # The lines a learner may fit instead: by gradient descent, as in the chapter's cell.
    low_gd, high_gd = (
        fit_line(x, y, loss="quantile", q=q, **FIT_SETTINGS["quantile"]).final_params
        for q in (0.05, 0.95)
    )
    return {
        "heldout": coverage(x_new, y_new, low, high),
        "train": coverage(x, y, low, high),
        "heldout_80": coverage(x_new, y_new, low80, high80),
        "heldout_80_gd": coverage(x_new, y_new, fit_quantile_line(0.1), fit_quantile_line(0.9)),
        "heldout_gd": coverage(x_new, y_new, low_gd, high_gd),
    }


@functools.lru_cache(maxsize=1)
def _coverage_exercise():
    numbers = _coverage_numbers()
    from lossbook.checks import ValueExercise

    return ValueExercise(
        "Exercise 5.6",
        numbers["heldout"],
        "the share of the 1000 held-out points inside the 5%-95% interval",
        "the interval that holds 90% of its training points holds "
        f"{numbers['heldout']:.1%} of fresh ones: a little less, as the lines were fitted "
        "to the training points' own noise.",
        (
            Mistake(
                numbers["train"],
                "That is the coverage on the 200 training points, the ones the lines were "
                "fitted to: about 90% by construction. Count the held-out points x_new, y_new.",
            ),
            Mistake(
                numbers["heldout_80"],
                "That is the 10%-90% interval. Fit the lines with q = 0.05 and q = 0.95.",
            ),
            Mistake(
                numbers["heldout_80_gd"],
                "That is the 10%-90% interval of the chapter's gradient-descent lines. Fit "
                "new lines with ch05.exact_quantile_line for q = 0.05 and q = 0.95.",
            ),
            Mistake(
                numbers["heldout_gd"],
                "Nearly: that is the share for 5%-95% lines fitted by gradient descent, which "
                "stops near the minimum, not on it. Use ch05.exact_quantile_line(x, y, q), the "
                "exact minimisers.",
            ),
            Mistake(
                100 * numbers["heldout"],
                "That is a percentage. Give the share, a number between 0 and 1.",
            ),
            Mistake(
                1 - numbers["heldout"],
                "That is the share outside the interval. Count the points between the two "
                "lines: low <= y <= high.",
            ),
            Mistake(
                0.9,
                "0.9 is what the interval aims at (and what lines fitted to the held-out "
                "points themselves would give). Measure what it achieves on the held-out points.",
            ),
        ),
        "Fit both lines on x, y with ch05.exact_quantile_line, then compute "
        "np.mean((y_new >= low) & (y_new <= high)) with low and high evaluated at x_new.",
    )


def check_heldout_coverage(answer):
    """Exercise 5.6: the held-out coverage of the 5%-95% interval fitted on the 200 points."""
    return _coverage_exercise().check(answer)


# -- quiz -------------------------------------------------------------------------------

from lossbook.checks import Quiz, quiz_question  # noqa: E402 - beside its only user

QUIZ = Quiz(
    "ch05",
    [
        quiz_question(
            "Quiz 5.1",
            "A point has residual 100. How hard does it pull on the fit (the size of its "
            "loss's gradient) under the MSE, under Huber with δ = 1, and under the MAE?",
            {
                "A": "200, 100 and 1",
                "B": "200, 1 and 1",
                "C": "100, 100 and 100",
                "D": "10000, 1 and 0",
            },
            "B",
            {
                "A": "Huber's gradient is the error clipped to ±δ: with δ = 1 a residual of "
                "100 pulls with 1, not 100.",
                "C": "Only the MSE's pull grows with the error (2e = 200); Huber and MAE cap "
                "it at δ = 1 and 1.",
                "D": "10000 is the MSE's loss e², not its gradient 2e; and the MAE's "
                "gradient is sign(e) = 1, not 0.",
            },
            success="MSE 2e = 200 (or 100 for e²/2); Huber clips it to δ = 1; MAE's is "
            "sign(e) = 1.",
        ),
        quiz_question(
            "Quiz 5.2",
            "What does the Huber loss become when δ is larger than every |error|?",
            {
                "A": "The MSE",
                "B": "Half the MSE",
                "C": "The MAE",
                "D": "δ times the MAE",
            },
            "B",
            {
                "A": "Inside δ the Huber loss is e²/2: half the squared error, so half the MSE.",
                "C": "Only errors beyond δ are on the linear piece; here there are none.",
                "D": "That is the limit for a tiny δ (every error beyond it), not a large one.",
            },
            success="Every error is on the parabola e²/2: the Huber loss is exactly half the "
            "MSE (for a tiny δ it is about δ times the MAE).",
        ),
        quiz_question(
            "Quiz 5.3",
            "You fit a line ŷ = wx + b, intercept included, to 200 points by minimising the "
            "mean pinball loss with q = 0.9. At the minimum, what holds on those 200 points?",
            {
                "A": "Exactly 90% of them are below the line",
                "B": "At most 90% are strictly below it and at least 90% are at or below it",
                "C": "About 90% are below, and so would be for any model, even one that "
                "passes through every training point",
                "D": "Nothing: the pinball loss says nothing about how many are below",
            },
            "B",
            {
                "A": "Points can lie on the line: an exact minimiser passes through 2 of "
                "them. The condition only puts q between the share below and the share at "
                "or below.",
                "C": "A model that passes through every training point has 0% strictly "
                "below and 100% at or below: the bracket holds and says nothing. Judge "
                "coverage on held-out data.",
                "D": "The intercept's subgradient must contain 0 at the minimum: "
                "(1 - q)·#below - q·#above, plus anything between -q and 1 - q for each "
                "point on the line. That ties the shares to q.",
            },
            success="The intercept's subgradient condition brackets q between the share "
            "strictly below and the share at or below; with 2 parameters and no three points "
            "on a line, at most 2 points lie on it, so the share below is within 1% of 0.9.",
        ),
        quiz_question(
            "Quiz 5.4",
            "Your targets are house prices in dollars, with typical errors of 20,000 "
            "dollars. Is log-cosh a good choice as it is?",
            {
                "A": "Yes: it is smooth and robust",
                "B": "No: every error is on its linear part, so it acts like the MAE; "
                "rescale the targets",
                "C": "No: log(cosh(20000)) overflows to inf",
            },
            "B",
            {
                "A": "Its switch from parabola to line sits at |e| ≈ 1 in the targets' "
                "units: with errors of thousands, none is on the parabola.",
                "C": "The naive np.log(np.cosh(e)) does overflow, but lossbook's "
                "|e| + log1p(exp(-2|e|)) - log 2 does not. The real problem is the units.",
            },
            success="At |e| ≫ 1 log-cosh is about |e| - log 2: the MAE shifted. Rescale the "
            "targets so that a typical error is about 1, or use Huber with δ in dollars.",
        ),
        quiz_question(
            "Quiz 5.5",
            "Can a Gaussian negative log-likelihood, -log N(y | μ, σ²), be negative?",
            {
                "A": "No: a loss is never negative",
                "B": "Yes: when σ is small and the error smaller still, the density is above 1",
                "C": "Only when the prediction is too high",
            },
            "B",
            {
                "A": "-log of a density, not of a probability: a density can exceed 1, "
                "e.g. y = 2.05, μ = 2, σ² = 0.01 gives -1.2586.",
                "C": "The error enters squared: its sign does not matter, its size and σ do.",
            },
            success="A density can exceed 1: with σ² = 0.01 and an error of 0.05 the NLL is "
            "-1.2586. Zero is not 'perfect' for this loss.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
