"""Chapter 04, Mean absolute error: exact L1 fits, the outlier explorer and the checkers.

The data are chapter 03's (the commute times, the noisy line), so the two losses
can be compared on the same points.
"""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import (
    Mistake,
    Quiz,
    check_choice,
    check_function,
    check_value,
    quiz_question,
    run_learner_code,
)
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


def _pair_lines(x, y):
    """Every line through two data points with different x: slopes, intercepts and MAEs.

    The MAE of a line is piecewise linear in ``(w, b)``, so its minimum is reached at a
    corner, where the line passes through two data points (Koenker and Bassett, 1978).
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
    return w, b, errors


def least_absolute_line(x, y) -> tuple[float, float]:
    """The slope and intercept that minimise the MAE of ``w x + b``, exactly.

    Try every line through two of the points (a few hundred lines for twenty points,
    all at once) and keep the best. The best line need not be unique (see
    :func:`least_absolute_slopes`); on a tie the first pair wins, so the answer is
    deterministic.
    """
    w, b, errors = _pair_lines(x, y)
    best = int(np.argmin(errors))
    return float(w[best]), float(b[best])


def least_absolute_slopes(x, y) -> tuple[float, float]:
    """The smallest and the largest slope among all the lines that minimise the MAE.

    Like the median of an even count, the best line can be a whole family: the
    minimisers form a convex set whose corners are lines through two points, so the
    extreme slopes are among the tied pairs. Equal ends mean one best line.
    """
    w, _, errors = _pair_lines(x, y)
    tied = errors <= errors.min() * (1 + 1e-12)
    return float(w[tied].min()), float(w[tied].max())


def step_sizes(history) -> np.ndarray:
    """How far the parameters moved at each step of a training run."""
    return np.linalg.norm(np.diff(history.params, axis=0), axis=1)


def leverage_points(outlier_x: float = 50.0) -> tuple[np.ndarray, np.ndarray]:
    """Chapter 03's clean twenty points with point :data:`OUTLIER` moved along x only
    (its y unchanged): an outlier in the input, not in the target."""
    x, y = noisy_line()
    x = x.copy()
    x[OUTLIER] = outlier_x
    return x, y


def laplace_nll(y_true, y_pred, *, b: float) -> float:
    """Mean negative log-likelihood of the targets under Laplace noise of scale ``b``
    around the predictions, from the density ``exp(-|y - y_hat| / b) / (2 b)``."""
    residual = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)
    density = np.exp(-np.abs(residual) / b) / (2.0 * b)
    return float(np.mean(-np.log(density)))


def adam_line(x, y, *, loss: str = "mae", learning_rate: float = 0.02, steps: int = 2000):
    """Adam (Kingma and Ba's defaults beta1 0.9, beta2 0.999, eps 1e-8) on a line
    ``w x + b``; returns the parameters after each step, one row per step (the start first)."""
    from lossbook.training import line_loss_and_grad

    loss_and_grad = line_loss_and_grad(x, y, loss=loss)
    params = np.zeros(2)
    m, v = np.zeros(2), np.zeros(2)
    path = [params.copy()]
    for t in range(1, steps + 1):
        _, grad = loss_and_grad(params)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        params = params - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
        path.append(params.copy())
    return np.array(path)


# -- the explorer: drag an outlier, watch both fits ---------------------------------------

OUTLIER = 18  # the point the sliders move (x = 9.47 in chapter 03's data)
OUTLIER_Y = np.arange(0.0, 20.01, 4.0)
#: Inside the other points' range [0, 10], then far out in x, where a point has leverage.
OUTLIER_X = np.array([0.5, 5.0, 9.5, 20.0, 35.0, 50.0])
LEVERAGE_X = 50.0  # the position of the leverage point in the text and in Exercise 4.4


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


def _signed(number: float) -> str:
    """``+ 1.2345`` or ``- 0.3202``: an intercept written after ``w x``."""
    return f"{'-' if number < 0 else '+'} {abs(number):.4f}"


def outlier_explorer():
    """Sliders: the outlier's height and position. Left, the MSE fit; right, the MAE fit."""
    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, axes = new_figure(ncols=2, figsize=(7.2, 3.2), sharey=True)
    x0, y0 = noisy_line()
    others = np.arange(x0.size) != OUTLIER
    ends = np.array([-2.0, 52.0])
    clean = {"mse": least_squares_line(x0[others], y0[others])}
    clean["mae"] = least_absolute_line(x0[others], y0[others])
    lines, dots = {}, {}
    for ax, name, color in zip(axes, ("mse", "mae"), (COLORS["fit"], COLORS["alt"]), strict=True):
        ax.scatter(x0[others], y0[others], s=16, color=COLORS["data"], zorder=3)
        w, b = clean[name]
        ax.plot(ends, w * ends + b, color=COLORS["muted"], ls="--", lw=1.2, label="fit without it")
        (lines[name],) = ax.plot(ends, ends, color=color, lw=2.2, label=f"{name.upper()} fit")
        (dots[name],) = ax.plot([0], [0], "o", ms=9, color=COLORS["accent"], zorder=4)
        ax.set(xlim=(-2.0, 52.0), ylim=(-7.0, 21.0), xlabel="x")
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
            f"outlier at ({outlier_x:g}, {outlier_y:g}): MSE line {wm:.4f} x {_signed(bm)}, "
            f"MAE line {wa:.4f} x {_signed(ba)}"
        )

    return Explorer(
        figure,
        update,
        [
            Slider(
                "outlier_y",
                "outlier's height y",
                OUTLIER_Y,
                value=16.0,
                valuetext="outlier at height y = {value}",
            ),
            Slider(
                "outlier_x",
                "outlier's position x",
                OUTLIER_X,
                value=9.5,
                valuetext="outlier at position x = {value}",
            ),
        ],
        title="Drag an outlier: the MSE fit and the MAE fit",
        description=(
            "Two panels with the same nineteen points on x from 0 to 10 and one moved point "
            "(highlighted) at the sliders' position, x up to 50. Left, the least-squares (MSE) "
            "line; right, the least-absolute-error (MAE) line; dashed in each, the fit without "
            "the moved point"
        ),
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


def _moved_fit(index: int, outlier_x: float = LEVERAGE_X):
    """Point ``index`` of the clean data moved to ``outlier_x`` (y kept): the exact MAE
    line's slope and intercept, and that line's MAE on the moved points."""
    x, y = noisy_line()
    x = x.copy()
    x[index] = outlier_x
    w, b = least_absolute_line(x, y)
    return w, b, lb.mae(y, w * x + b)


def check_leverage_fit(answer):
    """Exercise 4.5: ``[slope, mae]`` of the MAE line once point 18 sits at x = 50 (its y
    unchanged). The slope alone cannot tell point 18 from its neighbours: moving point 16,
    17 or 19 instead gives the very same line; the line's MAE on the moved points can."""
    x, y = noisy_line()
    x_far, _ = leverage_points(LEVERAGE_X)
    w, b, mae = _moved_fit(OUTLIER)
    w_ls, b_ls = least_squares_line(x_far, y)
    w_clean, b_clean = least_absolute_line(x, y)
    low, high = least_absolute_slopes(x, y)
    w_up, b_up = least_absolute_line(x, with_outlier(y))
    neighbours = [
        Mistake(
            [w, _moved_fit(i)[2]],
            f"Right slope, but that MAE belongs to moving point {i} (x = {x[i]:.2f}). Point "
            f"18 is x[18] = {x[OUTLIER]:.2f} (Python counts from 0). Moving its neighbours "
            "gives the same line, since only the side of the line the far point lies on "
            "counts; its own distance from the line changes the MAE.",
        )
        for i in (16, 17, 19)
    ]
    return check_value(
        "Exercise 4.5",
        answer,
        expected=[w, mae],
        mistakes=[
            *neighbours,
            Mistake(
                [w, lb.mae(y, w * x + b)],
                "Right slope; the MAE is on the unmoved inputs. Compute it on the moved "
                "points: lb.mae(y, w * x_moved + b).",
            ),
            Mistake(
                [w, lb.mse(y, w * x_far + b)],
                "Right slope; the second number is the MSE of the line. Give its MAE.",
            ),
            Mistake(
                [w, y.size * mae],
                "Right slope; the second number is the sum of the absolute errors. "
                "Divide by n = 20 for the mean.",
            ),
            Mistake([mae, w], "Swapped: give [slope, mae], the slope first."),
            Mistake(
                [b, mae],
                "That first number is the intercept b. The fit returns (slope, intercept): "
                "take the first.",
            ),
            Mistake(
                [w_clean, lb.mae(y, w_clean * x + b_clean)],
                "That is the MAE line before the move. Set x[18] = 50 (keep y) and fit again.",
            ),
            Mistake(
                [w_ls, lb.mae(y, w_ls * x_far + b_ls)],
                "That is the least-squares (MSE) line with the moved point. The question "
                "asks for the MAE line: ch04.least_absolute_line.",
            ),
            Mistake(
                [w_ls, lb.mse(y, w_ls * x_far + b_ls)],
                "That is the least-squares (MSE) line and its MSE. The question asks for "
                "the MAE line (ch04.least_absolute_line) and its MAE.",
            ),
            Mistake(
                [w_up, lb.mae(with_outlier(y), w_up * x + b_up)],
                "That is the MAE line with the point moved in y. This time move it along "
                "x, to x = 50, and keep its y.",
            ),
        ],
        what="[slope, mae] of the MAE line with point 18 at x = 50",
        success=f"slope {w:.4f}, MAE {mae:.4f}. Before the move the best slopes ran from "
        f"{low:.4f} to {high:.4f}: one point far out in x tilts the MAE line too.",
    )


# -- quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch04",
    [
        quiz_question(
            "Quiz 4.1",
            "The data are 1, 2, 3, 4, 100. Which constants minimise the MAE and the MSE?",
            {
                "A": "MAE: 3; MSE: 22",
                "B": "MAE: 22; MSE: 3",
                "C": "both 3",
                "D": "both 22",
            },
            "A",
            {
                "B": "Swapped: the MAE's minimiser is the median (3), the MSE's the mean (22).",
                "C": "The MSE is minimised by the mean, (1 + 2 + 3 + 4 + 100) / 5 = 22.",
                "D": "The MAE is minimised by the median, the middle value 3.",
            },
            success="The median 3 for the MAE, the mean 22 for the MSE.",
        ),
        quiz_question(
            "Quiz 4.2",
            "What is the MAE subgradient with respect to a prediction that is 0.001 too "
            "high? And to one that is 1,000 too high?",
            {
                "A": "+1/n in both cases",
                "B": "+0.001/n and +1,000/n",
                "C": "+0.002/n and +2,000/n",
                "D": "0 and +1/n",
            },
            "A",
            {
                "B": "That grows with the error, like a squared error's gradient. The "
                "absolute value's slope is only the sign.",
                "C": "That is the MSE's gradient, 2 (y_pred - y_true) / n.",
                "D": "0.001 too high is not a tie: the slope is already +1/n.",
            },
            success="+1/n in both: the slope depends only on the sign of the error.",
        ),
        quiz_question(
            "Quiz 4.3",
            "A sensor sometimes reports garbage values of the target y (x is fine). "
            "Which loss gives a fit less affected by them?",
            {"A": "MAE", "B": "MSE", "C": "both the same"},
            "A",
            {
                "B": "Under MSE a garbage value's pull grows with its distance, so one wild "
                "value can dominate the fit.",
                "C": "Under MAE the pull on its own prediction is at most 1/n, however far "
                "the value; under MSE it grows with the distance.",
            },
            success="MAE: a garbage target pulls on its prediction with at most 1/n.",
        ),
        quiz_question(
            "Quiz 4.4",
            "Why might the MAE of a model trained with plain gradient descent keep "
            "jiggling instead of settling?",
            {
                "A": "The subgradient does not shrink near the minimum, so the steps do not either",
                "B": "The learning rate is too small",
                "C": "The MAE has a separate minimum for each data point",
            },
            "A",
            {
                "B": "A smaller learning rate shrinks the jiggle; the cause is the "
                "subgradient, which keeps its size near the minimum.",
                "C": "The MAE of a line is convex: its minimisers form one connected set. "
                "The jiggle comes from the subgradient's constant size.",
            },
            success="The steps keep their size: decay the learning rate, or use Huber.",
        ),
        quiz_question(
            "Quiz 4.5",
            "One point's x is 50 while the others lie between 0 and 10 (its y is "
            "ordinary). Does the MAE line resist it as it resists an outlier in y?",
            {
                "A": "Yes: the MAE is robust to any outlier",
                "B": "No: a point's pull on the slope is x/n, so a far x tilts the MAE line too",
            },
            "B",
            {
                "A": "Its pull on its own prediction is bounded at 1/n, but on the slope "
                "that pull is multiplied by x = 50: the best slope falls from between 0.4415 "
                "and 0.4672 (the clean data's best lines) to 0.2385.",
            },
            success="No: robust in y only. A far x has leverage on the slope.",
        ),
        quiz_question(
            "Quiz 4.6",
            "Minimising the MAE is maximum likelihood under which noise model?",
            {
                "A": "Gaussian noise of one fixed size",
                "B": "Laplace noise of one fixed scale",
                "C": "uniform noise",
            },
            "B",
            {
                "A": "Gaussian noise gives squared errors: the MSE (chapter 3).",
                "C": "Uniform noise makes every fit inside the noise band equally likely; "
                "its likelihood is not the MAE.",
            },
            success="Laplace: -log Laplace(y | y_hat, b) = |y - y_hat| / b + log 2b.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
