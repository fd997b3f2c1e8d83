"""Chapter 03, Mean squared error: its data, models, explorer and exercise checkers."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, Quiz, check_choice, check_function, check_value, quiz_question
from lossbook.training import gradient_descent, linear_model_loss_and_grad

# -- data -------------------------------------------------------------------------------


def commute_times(n: int = 15, *, seed: int = 0) -> np.ndarray:
    """``n`` seeded commute times in minutes, rounded to 0.1: skewed, a few long days."""
    rng = np.random.default_rng(seed)
    return np.round(12.0 + rng.gamma(shape=2.0, scale=7.0, size=n), 1)


def constant_losses(y, constants, loss=lb.mse) -> np.ndarray:
    """The loss of predicting each constant ``c`` for every value of ``y`` (one per constant)."""
    y = np.asarray(y, dtype=float)
    constants = np.asarray(constants, dtype=float)
    # rows: constants, columns: data points; loss per element, then mean over the data
    per_point = loss(
        np.broadcast_to(y, (constants.size, y.size)),
        np.broadcast_to(constants[:, None], (constants.size, y.size)).copy(),
        reduction="none",
    )
    return per_point.mean(axis=1)


def noisy_line(n: int = 20, *, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points around the line ``y = 1 + 0.5 x`` on ``[0, 10]``, seeded."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 10.0, n)
    return x, 1.0 + 0.5 * x + 0.5 * rng.standard_normal(n)


def with_outlier(y, *, index: int = -2, shift: float = 12.0) -> np.ndarray:
    """A copy of ``y`` with one point moved up by ``shift``."""
    y = np.array(y, dtype=float)
    y[index] += shift
    return y


def least_squares_line(x, y) -> tuple[float, float]:
    """The slope and intercept that minimise the MSE of ``w x + b`` (closed form)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    dx = x - x.mean()
    w = float(dx @ (y - y.mean()) / (dx @ dx))
    return w, float(y.mean() - w * x.mean())


# -- the seed example: learn a function that generates points like the given ones -------

NOISE = 0.3


def hidden_function(x):
    """The function that made the data; the learner never sees it, only its samples."""
    return 2.0 * np.sin(2.0 * np.asarray(x, dtype=float))


def samples(n: int = 40, *, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """``n`` noisy samples of :func:`hidden_function` on ``[-1, 1]`` (noise sd ``NOISE``)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    return x, hidden_function(x) + NOISE * rng.standard_normal(n)


def features(x, degree: int = 3) -> np.ndarray:
    """Columns ``1, x, x**2, ..., x**degree``: a polynomial is these times coefficients."""
    return np.vander(np.asarray(x, dtype=float), degree + 1, increasing=True)


def polynomial_loss_and_grad(x, y, degree: int = 3):
    """MSE of the polynomial with coefficients ``c`` on ``(x, y)`` and its gradient in ``c``.

    The chain rule once more: ``dL/dc = X^T dL/dy_hat`` with ``X = features(x)``.
    """
    return linear_model_loss_and_grad(features(x, degree), y, lb.mse, lb.mse_grad)


def fit_polynomial(x, y, *, degree: int = 3, learning_rate: float = 0.5, steps: int = 3000):
    """Gradient descent on MSE for a polynomial of ``degree``; returns the History."""
    return gradient_descent(
        polynomial_loss_and_grad(x, y, degree),
        np.zeros(degree + 1),
        learning_rate=learning_rate,
        steps=steps,
    )


def polynomial_prediction(coef, x) -> np.ndarray:
    """The learned function: the polynomial with coefficients ``coef`` at ``x``."""
    coef = np.asarray(coef, dtype=float)
    return features(x, coef.size - 1) @ coef


def generate(coef, noise: float, n: int = 40, *, seed: int = 7):
    """New points from the learned function: ``x`` uniform, ``y = f(x) + noise * N(0, 1)``."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    return x, polynomial_prediction(coef, x) + noise * rng.standard_normal(n)


# -- data the model did not see: held-out error, bias and variance ------------------------


def held_out(n: int = 1000, *, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """Fresh points from the same process as :func:`samples`: data no fit has seen."""
    return samples(n, seed=seed)


def exact_polynomial(x, y, degree: int) -> np.ndarray:
    """The coefficients that minimise the MSE of a polynomial of ``degree`` (least squares)."""
    coef, *_ = np.linalg.lstsq(features(x, degree), np.asarray(y, dtype=float), rcond=None)
    return coef


def train_and_test_mse(x, y, x_test, y_test, degrees) -> dict[int, tuple[float, float]]:
    """For each degree: the MSE of the least-squares polynomial on its training data and on
    the held-out data."""
    result = {}
    for degree in degrees:
        coef = exact_polynomial(x, y, degree)
        result[degree] = (
            lb.mse(y, polynomial_prediction(coef, x)),
            lb.mse(np.asarray(y_test, dtype=float), polynomial_prediction(coef, x_test)),
        )
    return result


#: Where the fitted curves are compared: inside the data's range, where every
#: training set of 40 points has neighbours (at the very ends a degree-9 fit swings).
CURVE_X = np.linspace(-0.9, 0.9, 181)


def fitted_curves(degree: int, *, sets: int = 200, first_seed: int = 100) -> np.ndarray:
    """One row per training set: the least-squares polynomial of ``degree`` fitted to
    ``sets`` fresh draws of 40 points each, evaluated on :data:`CURVE_X`."""
    rows = []
    for seed in range(first_seed, first_seed + sets):
        x, y = samples(seed=seed)
        rows.append(polynomial_prediction(exact_polynomial(x, y, degree), CURVE_X))
    return np.array(rows)


def bias_and_variance(curves) -> tuple[float, float]:
    """Squared bias (the average curve's squared distance from the hidden function) and
    variance (the curves' spread around their average), both averaged over ``CURVE_X``."""
    curves = np.asarray(curves, dtype=float)
    average = curves.mean(axis=0)
    bias_squared = float(np.mean((average - hidden_function(CURVE_X)) ** 2))
    variance = float(np.mean(curves.var(axis=0)))
    return bias_squared, variance


# -- the explorer: one residual's share of the total loss -------------------------------

#: The model's prediction ``1 + 0.5 x`` and the residuals of seven points that stay put.
SHARE_X = np.arange(1.0, 9.0)
SHARE_RESIDUALS = np.array([0.6, -0.8, 0.5, -0.4, 0.9, 0.0, -0.7, 0.3])
MOVING = 5  # the point whose residual the slider sets (x = 6)
RESIDUAL_VALUES = np.round(np.arange(0.0, 6.01, 0.5), 2)


def share_residuals(residual: float) -> np.ndarray:
    """The eight residuals, with the moving point's set to ``residual``."""
    r = SHARE_RESIDUALS.copy()
    r[MOVING] = residual
    return r


def loss_shares(residuals) -> dict[str, np.ndarray]:
    """Each point's share of the total squared error and of the total absolute error."""
    r = np.asarray(residuals, dtype=float)
    zero = np.zeros_like(r)
    squared = lb.mse(zero, r, reduction="none")
    absolute = lb.mae(zero, r, reduction="none")
    return {"squared": squared / squared.sum(), "absolute": absolute / absolute.sum()}


def residual_share_explorer():
    """Slider: the size of one residual. Left, the points; right, each one's share of the loss."""
    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, (left, right) = new_figure(ncols=2, figsize=(7.2, 3.2))
    model = 1.0 + 0.5 * SHARE_X
    left.plot([0.5, 8.5], [1.25, 5.25], color=COLORS["fit"], lw=2, label="prediction")
    y = model + share_residuals(0.0)
    sticks = [
        left.plot([xi, xi], [mi, yi], color=COLORS["muted"], lw=1.5)[0]
        for xi, mi, yi in zip(SHARE_X, model, y, strict=True)
    ]
    dots = left.scatter(SHARE_X, y, s=30, color=COLORS["data"], zorder=3, label="data")
    (moving,) = left.plot([SHARE_X[MOVING]], [y[MOVING]], "o", ms=8, color=COLORS["accent"])
    left.set(xlim=(0.5, 8.5), ylim=(0, 11), xlabel="x", ylabel="y", title="one residual grows")
    left.legend(loc="upper left", fontsize=8)

    width = 0.38
    index = np.arange(SHARE_X.size)
    bars_sq = right.bar(index - width / 2, np.zeros(8), width, color=COLORS["fit"])
    bars_abs = right.bar(index + width / 2, np.zeros(8), width, color=COLORS["alt"])
    right.legend(
        [bars_sq[0], bars_abs[0]], ["squared error", "absolute error"], fontsize=8, loc="upper left"
    )
    right.set(
        ylim=(0, 1),
        xticks=index,
        xticklabels=[f"{i + 1}" for i in index],
        xlabel="point",
        ylabel="share of the total loss",
        title="who pays for the loss?",
    )
    right.get_xticklabels()[MOVING].set_color(COLORS["accent"])

    def update(residual):
        r = share_residuals(residual)
        y = model + r
        for stick, yi, mi in zip(sticks, y, model, strict=True):
            stick.set_ydata([mi, yi])
        dots.set_offsets(np.column_stack([SHARE_X, y]))
        moving.set_ydata([y[MOVING]])
        shares = loss_shares(r)
        for bar, h in zip(bars_sq, shares["squared"], strict=True):
            bar.set_height(h)
        for bar, h in zip(bars_abs, shares["absolute"], strict=True):
            bar.set_height(h)
        sq, ab = shares["squared"][MOVING], shares["absolute"][MOVING]
        zero = np.zeros_like(r)
        return (
            f"residual {residual:.1f}: {sq:.1%} of the squared error (MSE {lb.mse(zero, r):.4f}), "
            f"{ab:.1%} of the absolute error (MAE {lb.mae(zero, r):.4f})"
        )

    return Explorer(
        figure,
        update,
        [
            Slider(
                "residual",
                "residual of point 6",
                RESIDUAL_VALUES,
                value=2.0,
                fmt="{:.1f}",
                valuetext="residual of point 6: {value}",
            )
        ],
        title="One residual's share of the total loss",
        description=(
            "Left: eight points above and below a straight prediction line, with point 6 "
            "(highlighted) as far above it as the slider says. Right: bars of each point's "
            "share of the total squared error (orange) and of the total absolute error (green)"
        ),
        animated=[*sticks, dots, moving, *bars_sq, *bars_abs],
    )


# -- exercises ---------------------------------------------------------------------------


def _mse_gradient(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    return 2.0 * (y_pred - y_true) / y_pred.size


GRADIENT_CASES = [
    ([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]),
    ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    ([0.0, 0.0], [3.0, -1.0]),
    ([10.0, 20.0, 30.0, 40.0, 50.0], [12.0, 18.0, 33.0, 40.0, 45.0]),
]


def _diff(t, p):
    return np.subtract(np.asarray(p, dtype=float), np.asarray(t, dtype=float))


GRADIENT_MISTAKES = [
    Mistake(
        lambda t, p: 2.0 * _diff(p, t) / np.size(p),
        "The sign is flipped: differentiate with respect to the prediction, "
        "d/dy_pred (y_pred - y_true)^2 = +2 (y_pred - y_true).",
    ),
    Mistake(
        lambda t, p: _diff(t, p) / np.size(p),
        "You dropped the factor 2 that comes down from the square.",
    ),
    Mistake(
        lambda t, p: 2.0 * _diff(t, p),
        "You forgot to divide by n: the loss is a mean, so each point's term carries 1/n.",
    ),
    Mistake(
        lambda t, p: np.mean(2.0 * _diff(t, p)),
        "You averaged the gradient into one number. Return one partial derivative "
        "per prediction: an array of the same shape as y_pred.",
    ),
    Mistake(
        lambda t, p: np.mean(_diff(t, p) ** 2),
        "That is the loss itself. The gradient is its derivative with respect to each y_pred.",
    ),
    Mistake(
        lambda t, p: np.sign(_diff(t, p)) / np.size(p),
        "That is the gradient of the mean absolute error (a sign). Differentiate the square.",
    ),
]


def check_mse_gradient(answer):
    """Exercise 3.1: ``mse_gradient(y_true, y_pred)``, the gradient of MSE in ``y_pred``."""
    return check_function(
        "Exercise 3.1",
        answer,
        reference=_mse_gradient,
        cases=GRADIENT_CASES,
        mistakes=GRADIENT_MISTAKES,
        signature="mse_gradient(y_true, y_pred)",
        success="your gradient matches 2 (y_pred - y_true) / n on every test case.",
    )


#: Exercise 3.2: nine houses off by $5,000, one off by $50,000.
HOUSE_ERRORS = np.array([5_000.0] * 9 + [50_000.0])


def _share(errors) -> float:
    return float(errors[-1] / errors.sum())


def check_big_miss_share(answer):
    """Exercise 3.2: the share of the MSE that the one $50,000 miss is responsible for."""
    expected = _share(HOUSE_ERRORS**2)
    return check_value(
        "Exercise 3.2",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                _share(HOUSE_ERRORS),
                "That is its share of the absolute error. Square each error first.",
            ),
            Mistake(
                100 * _share(HOUSE_ERRORS**2),
                "Right number, but as a percentage: give the share as a fraction between 0 and 1.",
            ),
            Mistake(
                HOUSE_ERRORS[-1] ** 2 / (HOUSE_ERRORS[:-1] ** 2).sum(),
                "You divided by the other nine houses only. The share is of the total, "
                "which includes the big miss itself.",
            ),
            Mistake(
                1 / HOUSE_ERRORS.size,
                "One house out of ten is 0.1 by count; its share of the squared error is "
                "much larger. Square each error and divide the big one by the total.",
            ),
            # numbers copied by hand from a printout, after the exact mistakes above
            Mistake(
                expected,
                "Close: that is the share rounded. Pass the number NumPy computes "
                "(for example squared[-1] / squared.sum()), not a rounded copy.",
                rtol=0,
                atol=0.006,
            ),
            Mistake(
                100 * expected,
                "That looks like a rounded percentage: give the share as a fraction "
                "between 0 and 1.",
                rtol=0,
                atol=0.6,
            ),
            Mistake(
                _share(HOUSE_ERRORS),
                "That is (about) its share of the absolute error. Square each error first.",
                rtol=0,
                atol=0.006,
            ),
        ],
        what="the share (a fraction between 0 and 1) of the total squared error "
        "that comes from the one $50,000 miss",
        success="one house in ten makes up 91.7% of the squared error "
        "(but only 52.6% of the absolute error).",
    )


#: Exercise 3.3: the constant prediction 30 minutes for the commute times.
PARABOLA_C = 30.0


def check_mse_at_30(answer):
    """Exercise 3.3: the MSE of predicting 30 minutes for every commute."""
    y = commute_times()
    expected = float(np.mean((PARABOLA_C - y) ** 2))
    at_mean = float(np.mean((y.mean() - y) ** 2))
    return check_value(
        "Exercise 3.3",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                (PARABOLA_C - y.mean()) ** 2,
                "That is only the extra part, (c - mean)^2. Add the MSE at the mean.",
            ),
            Mistake(at_mean, "That is the MSE at the mean. The question asks for c = 30."),
            Mistake(
                np.sqrt(expected),
                "That is the RMSE, the square root. The MSE is the mean of the squares.",
            ),
            Mistake(
                float(np.sum((PARABOLA_C - y) ** 2)),
                "That is the sum of the squared errors: divide by n = 15 for the mean.",
            ),
            Mistake(
                float(np.mean(np.abs(PARABOLA_C - y))),
                "That is the mean absolute error. Square each error before averaging.",
            ),
        ],
        what="the MSE of predicting 30 minutes for every commute",
        success=f"MSE(30) = {expected:.4f} = {at_mean:.4f} + (30 - mean)^2: the parabola.",
    )


def check_mse_unit(answer):
    """Exercise 3.4: the unit of the MSE of house prices given in dollars."""
    return check_choice(
        "Exercise 3.4",
        answer,
        options={
            "dollars": "That is the unit of the errors and of the RMSE. The MSE averages "
            "squared errors: square the unit too.",
            "dollars squared": "",
            "no unit": "The MSE has the unit of a squared error: a miss of $10,000 "
            "gives 100,000,000 of what?",
        },
        correct="dollars squared",
        success="Dollars squared: a $10,000 miss gives 100,000,000 $^2. Its square root, "
        "the RMSE, is back in dollars.",
    )


#: Exercise 3.5: the cubic (four coefficients) fitted to the forty given points.
PARAMETERS = 4


def check_noise_variance(answer):
    """Exercise 3.5: an unbiased estimate of the noise variance, n / (n - p) times the MSE."""
    x, y = samples()
    n = x.size
    mse = lb.mse(y, polynomial_prediction(exact_polynomial(x, y, 3), x))
    expected = n / (n - PARAMETERS) * mse
    x_test, y_test = held_out()
    held_out_mse = lb.mse(y_test, polynomial_prediction(exact_polynomial(x, y, 3), x_test))
    return check_value(
        "Exercise 3.5",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                mse,
                "That is the training MSE itself: it is too small on average, by the factor "
                "(n - p) / n. Multiply by n / (n - p).",
            ),
            Mistake(
                (n - PARAMETERS) / n * mse,
                "You multiplied by (n - p) / n: the correction goes the other way, n / (n - p).",
            ),
            Mistake(
                n / (n - 1) * mse,
                "n - 1 is the correction for one fitted number (a mean). The cubic fitted "
                "p = 4 coefficients: use n / (n - 4).",
            ),
            Mistake(
                n / (n - 3) * mse,
                "A cubic c0 + c1 x + c2 x^2 + c3 x^3 has four coefficients, so p = 4, not 3.",
            ),
            Mistake(
                np.sqrt(expected),
                "That is a standard deviation, sigma. The question asks for the variance, "
                "sigma^2 (no square root).",
            ),
            Mistake(
                np.sqrt(mse),
                "That is the square root of the training MSE, a standard deviation. Give the "
                "variance, corrected by n / (n - p).",
            ),
            Mistake(
                NOISE**2,
                "That is the hidden noise variance, 0.3^2, which a learner of the data cannot "
                "know. Estimate it from the training MSE.",
            ),
            Mistake(
                held_out_mse,
                "That is the held-out MSE: another estimate, which also holds the fit's own "
                "error at new x. The question asks for the corrected training MSE.",
            ),
            # the chapter's printed numbers, copied by hand
            Mistake(
                mse,
                "That looks like the training MSE (rounded): too small on average, by the "
                "factor (n - p) / n. Multiply history.final_loss by n / (n - p).",
                rtol=0,
                atol=6e-5,
            ),
            Mistake(
                held_out_mse,
                "That looks like the held-out MSE (rounded): another estimate, which also "
                "holds the fit's own error at new x. The question asks for the corrected "
                "training MSE.",
                rtol=0,
                atol=6e-5,
            ),
            Mistake(
                np.sqrt(expected),
                "That looks like the estimated noise level sigma (rounded), a standard "
                "deviation. Give the variance sigma^2: n / (n - p) times the training MSE.",
                rtol=0,
                atol=6e-5,
            ),
        ],
        what="the unbiased estimate of the noise variance sigma^2",
        success=f"n / (n - p) x MSE = 40 / 36 x {mse:.4f} = {expected:.4f}; the hidden "
        "sigma^2 is 0.09.",
    )


# -- quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch03",
    [
        quiz_question(
            "Quiz 3.1",
            "Prediction A is off by 2, prediction B by 6. How many times larger is B's "
            "squared error?",
            {"A": "3 times", "B": "6 times", "C": "9 times", "D": "36 times"},
            "C",
            {
                "A": "3 is the ratio of the errors, 6 / 2. The squares are 36 and 4.",
                "B": "The squared errors are 4 and 36: divide them.",
                "D": "36 is B's squared error itself; A's is 4.",
            },
            success="9 times: three times the error, 3^2 times the squared error.",
        ),
        quiz_question(
            "Quiz 3.2",
            "You must predict one number for every customer's spending and are judged by "
            "MSE. Which number?",
            {
                "A": "the mean of the spending",
                "B": "the median of the spending",
                "C": "the most frequent amount",
                "D": "the midpoint of the smallest and the largest amount",
            },
            "A",
            {
                "B": "The median minimises the mean absolute error (chapter 4). The MSE's "
                "slope 2 (c - mean) is zero at the mean.",
                "C": "The most frequent value minimises how often you are wrong, not the "
                "squared error. The MSE's slope 2 (c - mean) is zero at the mean.",
                "D": "The midpoint minimises the largest error. The MSE's slope "
                "2 (c - mean) is zero at the mean.",
            },
            success="The mean: the MSE's slope in c, 2 (c - mean), is zero only there.",
        ),
        quiz_question(
            "Quiz 3.3",
            "A data set has one target entered as 10,000 instead of 100. What happens to "
            "a model trained with MSE?",
            {
                "A": "The fit is pulled towards the wrong value, at the cost of the others.",
                "B": "Nothing much: it is one point among many.",
                "C": "Training stops with an error.",
            },
            "A",
            {
                "B": "Its squared error is enormous, so it dominates the loss and the "
                "gradient: one point can decide the fit.",
                "C": "The MSE is a number like any other: training runs and quietly "
                "learns the wrong fit.",
            },
            success="Pulled towards it: its squared error dominates the sum and the gradient.",
        ),
        quiz_question(
            "Quiz 3.4",
            "What is the gradient of the MSE with respect to a prediction that is exactly right?",
            {"A": "0", "B": "2 / n", "C": "1 / n", "D": "undefined"},
            "A",
            {
                "B": "The gradient is 2 (y_pred - y_true) / n, and y_pred - y_true = 0.",
                "C": "The gradient is 2 (y_pred - y_true) / n, and y_pred - y_true = 0.",
                "D": "The square is smooth: its derivative exists everywhere, and at "
                "the target it is 2 x 0 / n.",
            },
            success="Zero: near the target the gradient fades smoothly.",
        ),
        quiz_question(
            "Quiz 3.5",
            "Minimising the MSE is maximum likelihood under which noise model?",
            {
                "A": "Gaussian noise of one fixed size for every example",
                "B": "Laplace noise",
                "C": "Gaussian noise whose size differs from example to example",
                "D": "any noise with mean zero",
            },
            "A",
            {
                "B": "Laplace noise gives |y - y_hat|: the mean absolute error (chapter 4).",
                "C": "Then each squared error is divided by its own sigma^2: a weighted "
                "MSE, not the MSE.",
                "D": "The negative log-likelihood is a squared error only for Gaussian "
                "noise; other noise gives other losses.",
            },
            success="Gaussian noise with one sigma: -log N(y | y_hat, sigma^2) is "
            "(y - y_hat)^2 / (2 sigma^2) plus a constant.",
        ),
        quiz_question(
            "Quiz 3.6",
            "A least-squares fit with p parameters (a model linear in them, whose class holds "
            "the true function) leaves a training MSE on n points. Compared with the noise "
            "variance sigma^2, the training MSE is on average",
            {"A": "larger", "B": "smaller, by the factor (n - p) / n", "C": "equal"},
            "B",
            {
                "A": "The fit adapts to the noise of the points it sees, which lowers the "
                "error on them.",
                "C": "The fit uses p degrees of freedom to follow the noise: the average is "
                "(n - p) / n sigma^2 when the model class holds the true function.",
            },
            success="Smaller: (n - p) / n sigma^2 on average, when the model class holds "
            "the true function.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
