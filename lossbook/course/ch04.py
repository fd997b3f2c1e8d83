"""Chapter 04, Mean absolute error: exact L1 fits, the outlier explorer and the checkers.

The data are chapter 03's (the commute times, the noisy line), so the two losses
can be compared on the same points.
"""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, check_choice, check_function, run_learner_code
from lossbook.course.ch03 import commute_times, least_squares_line, noisy_line, with_outlier

__all__ = [
    "commute_times",
    "least_squares_line",
    "noisy_line",
    "with_outlier",
]


def mae_slope(y, c) -> float:
    """The slope of ``MAE(c) = mean |c - y_i|`` in ``c``: (points below - points above) / n.

    At a data value the MAE has a corner; this is the subgradient that gives
    ``sign(0) = 0`` to the tie, as :func:`lossbook.mae_grad` does.
    """
    y = np.asarray(y, dtype=float)
    return float((np.sum(y < c) - np.sum(y > c)) / y.size)


def least_absolute_line(x, y) -> tuple[float, float]:
    """The slope and intercept that minimise the MAE of ``w x + b``, exactly.

    The MAE of a line is piecewise linear in ``(w, b)``, so a minimum sits at a
    corner, where the line passes through two data points. Try every pair (a few
    hundred lines for twenty points, all at once) and keep the best; on a tie the
    first pair wins, so the answer is deterministic.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    i, j = np.triu_indices(x.size, k=1)
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    w = (y[j] - y[i]) / (x[j] - x[i])
    b = y[i] - w * x[i]
    lines = w[:, None] * x[None, :] + b[:, None]  # one row of predictions per pair
    errors = lb.mae(np.broadcast_to(y, lines.shape), lines, reduction="none").mean(axis=1)
    best = int(np.argmin(errors))
    return float(w[best]), float(b[best])


def step_sizes(history) -> np.ndarray:
    """How far the parameters moved at each step of a training run."""
    return np.linalg.norm(np.diff(history.params, axis=0), axis=1)


# -- the explorer: drag an outlier, watch both fits ---------------------------------------

OUTLIER = 18  # the point the sliders move (x = 9.47 in chapter 03's data)
OUTLIER_Y = np.arange(0.0, 20.01, 4.0)
OUTLIER_X = np.array([0.5, 3.5, 6.5, 9.5])


def moved_points(outlier_x: float, outlier_y: float) -> tuple[np.ndarray, np.ndarray]:
    """Chapter 03's twenty points with one of them moved to ``(outlier_x, outlier_y)``."""
    x, y = noisy_line()
    x, y = x.copy(), y.copy()
    x[OUTLIER], y[OUTLIER] = outlier_x, outlier_y
    return x, y


def both_fits(outlier_x: float, outlier_y: float) -> dict[str, tuple[float, float]]:
    """The MSE line (least squares) and the MAE line (exact) with the point moved there."""
    x, y = moved_points(outlier_x, outlier_y)
    return {"mse": least_squares_line(x, y), "mae": least_absolute_line(x, y)}


def outlier_explorer():
    """Sliders: the outlier's height and position. Left, the MSE fit; right, the MAE fit."""
    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, axes = new_figure(ncols=2, figsize=(7.2, 3.2), sharey=True)
    x0, y0 = noisy_line()
    others = np.arange(x0.size) != OUTLIER
    ends = np.array([0.0, 10.0])
    clean = {"mse": least_squares_line(x0[others], y0[others])}
    clean["mae"] = least_absolute_line(x0[others], y0[others])
    lines, dots = {}, {}
    for ax, name, color in zip(axes, ("mse", "mae"), (COLORS["fit"], COLORS["alt"]), strict=True):
        ax.scatter(x0[others], y0[others], s=16, color=COLORS["data"], zorder=3)
        w, b = clean[name]
        ax.plot(ends, w * ends + b, color=COLORS["muted"], ls="--", lw=1.2, label="fit without it")
        (lines[name],) = ax.plot(ends, ends, color=color, lw=2.2, label=f"{name.upper()} fit")
        (dots[name],) = ax.plot([0], [0], "o", ms=9, color=COLORS["accent"], zorder=4)
        ax.set(xlim=(-0.5, 10.5), ylim=(-7.0, 21.0), xlabel="x")
        ax.set_title(f"{name.upper()} fit", color=color)
        ax.legend(loc="lower right", fontsize=8)
    axes[0].set_ylabel("y")

    def update(outlier_x, outlier_y):
        fits = both_fits(outlier_x, outlier_y)
        for name, (w, b) in fits.items():
            lines[name].set_data(ends, w * ends + b)
            dots[name].set_data([outlier_x], [outlier_y])
        (wm, bm), (wa, ba) = fits["mse"], fits["mae"]
        return (
            f"outlier at ({outlier_x:g}, {outlier_y:g}): MSE line {wm:.4f} x + {bm:.4f}, "
            f"MAE line {wa:.4f} x + {ba:.4f}"
        )

    return Explorer(
        figure,
        update,
        [
            Slider("outlier_y", "outlier's height y", OUTLIER_Y, value=16.0),
            Slider("outlier_x", "outlier's position x", OUTLIER_X, value=9.5),
        ],
        title="Drag an outlier: the MSE fit and the MAE fit",
        animated=[*lines.values(), *dots.values()],
    )


# -- exercises ---------------------------------------------------------------------------


def _mae_subgradient(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    return np.sign(y_pred - y_true) / y_pred.size


def _e(t, p):
    return np.subtract(np.asarray(p, dtype=float), np.asarray(t, dtype=float))


SUBGRADIENT_CASES = [
    ([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]),  # one tie (2.0 and 2.0)
    ([0.0, 0.0], [3.0, -1.0]),
    ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),  # all ties
    ([10.0, 20.0, 30.0, 40.0, 50.0], [12.0, 18.0, 33.0, 40.0, 45.0]),
]

SUBGRADIENT_MISTAKES = [
    Mistake(
        lambda t, p: -np.sign(_e(t, p)) / np.size(p),
        "The sign is flipped: a prediction that is too high (y_pred > y_true) must get a "
        "positive gradient, sign(y_pred - y_true).",
    ),
    Mistake(
        lambda t, p: np.sign(_e(t, p)),
        "You forgot to divide by n: the loss is a mean, so each term carries 1/n.",
    ),
    Mistake(
        lambda t, p: 2.0 * _e(t, p) / np.size(p),
        "That is the gradient of the mean squared error. The absolute value's slope is "
        "only a sign, whatever the size of the error.",
    ),
    Mistake(
        lambda t, p: np.where(_e(t, p) >= 0, 1.0, -1.0) / np.size(p),
        "Look at the ties (y_pred == y_true): there the subgradient is 0, as np.sign gives.",
    ),
    Mistake(
        lambda t, p: np.where(_e(t, p) > 0, 1.0, -1.0) / np.size(p),
        "Look at the ties (y_pred == y_true): there the subgradient is 0, as np.sign gives.",
    ),
    Mistake(
        lambda t, p: np.mean(np.sign(_e(t, p))),
        "You averaged the signs into one number. Return one value per prediction.",
    ),
    Mistake(
        lambda t, p: np.mean(np.abs(_e(t, p))),
        "That is the loss itself. The subgradient is its slope in each y_pred.",
    ),
    Mistake(
        lambda t, p: np.abs(_e(t, p)) / np.size(p),
        "That is each prediction's share of the loss, |y_pred - y_true| / n. The "
        "subgradient is its slope: sign(y_pred - y_true) / n.",
    ),
]

TIE_HINT = (
    "Your result is nan where y_pred == y_true: e / |e| is 0 / 0 at a tie. Use "
    "np.sign(y_pred - y_true), which gives 0 there."
)


def _nan_at_ties(answer) -> str | None:
    """TIE_HINT when the answer is right away from the ties and nan at them (e / |e|)."""
    case = SUBGRADIENT_CASES[0]
    got = np.asarray(run_learner_code(answer, *case).result, dtype=float)
    expected = _mae_subgradient(*case)
    if got.shape != expected.shape:
        return None
    tie = _e(*case) == 0
    if np.all(np.isnan(got[tie])) and np.allclose(got[~tie], expected[~tie]):
        return TIE_HINT
    return None


def check_mae_subgradient(answer):
    """Exercise 4.1: ``mae_subgradient(y_true, y_pred)``, sign(y_pred - y_true) / n."""
    return check_function(
        "Exercise 4.1",
        answer,
        reference=_mae_subgradient,
        cases=SUBGRADIENT_CASES,
        mistakes=SUBGRADIENT_MISTAKES,
        diagnoses=[_nan_at_ties],
        signature="mae_subgradient(y_true, y_pred)",
        success="your subgradient matches sign(y_pred - y_true) / n, with 0 at the ties.",
    )


CONSTANT_CASES = [
    ([7.0, 3.0, 1.0],),
    ([9.0, 2.0, 100.0, 4.0, 5.0],),
    ([30.5, 19.5, 39.9, 24.8, 18.4, 18.9, 12.7],),
    ([4.0],),
]


def _best_constant(y):
    return float(np.median(np.asarray(y, dtype=float)))


CONSTANT_MISTAKES = [
    Mistake(
        lambda y: float(np.mean(y)),
        "You returned the mean: it minimises the squared error. The absolute error is "
        "minimised by a value with as many points below it as above it.",
    ),
    Mistake(
        lambda y: float(np.asarray(y)[len(y) // 2]),
        "You took the middle element of the array as given. Sort it first.",
    ),
    Mistake(
        lambda y: float(np.sort(y)[len(y) // 2 - 1]) if len(y) > 1 else float(y[0]),
        "Off by one: for n values, the middle one of the sorted array is at index n // 2.",
    ),
    Mistake(
        lambda y: float(np.sort(y)[min(len(y) // 2 + 1, len(y) - 1)]),
        "Off by one: Python counts from 0, so for n values the middle one of the sorted "
        "array is at index n // 2 (index 1 of 3).",
    ),
    Mistake(
        lambda y: float(np.mean(np.sort(y)[max(len(y) // 2 - 1, 0) : len(y) // 2 + 1])),
        "You averaged two middle values: that is the median of an even count. With an odd "
        "count there is one middle value, at index n // 2 of the sorted array.",
    ),
    Mistake(
        lambda y: float((np.min(y) + np.max(y)) / 2),
        "The midpoint of the smallest and largest value minimises the largest error, not "
        "the mean absolute error.",
    ),
]


def check_best_constant(answer):
    """Exercise 4.2: ``best_constant(y)``: the constant that minimises the MAE (odd n)."""
    return check_function(
        "Exercise 4.2",
        answer,
        reference=_best_constant,
        cases=CONSTANT_CASES,
        mistakes=CONSTANT_MISTAKES,
        signature="best_constant(y)",
        success="your constant is the median, the minimiser of the MAE, on every test case.",
    )


#: Exercise 4.3: the errors of two models on five houses (thousands of dollars).
ERRORS_A = np.array([2.0, 2.0, 2.0, 2.0, 2.0])
ERRORS_B = np.array([0.0, 0.0, 0.0, 0.0, 9.0])


def check_mae_prefers(answer):
    """Exercise 4.3: which model does the MAE prefer, "A", "B" or "tie"?"""
    return check_choice(
        "Exercise 4.3",
        answer,
        options={
            "A": "A is the one MSE prefers (4.0 against 16.2). Compute the MAE of each: "
            "the mean of the absolute errors.",
            "B": "",
            "tie": "Compute both MAEs: 10 / 5 for A and 9 / 5 for B.",
        },
        correct="B",
        success="B: its MAE is 1.8 against A's 2.0, although its one miss of 9 is the "
        "largest mistake of all. MSE says the opposite (16.2 against 4.0).",
    )
