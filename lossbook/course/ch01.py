"""Chapter 01, What is a loss function?: the dartboard, its explorer and the exercises."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, Quiz, check_choice, check_function, check_value, quiz_question

TARGET = np.array([0.0, 0.0])


def dart_offsets(n: int = 40, *, seed: int = 0) -> np.ndarray:
    """``n`` seeded 2-D standard-normal offsets: the shape of a player's scatter."""
    return np.random.default_rng(seed).standard_normal((n, 2))


def throws(aim: float, spread: float, *, n: int = 40, seed: int = 0) -> np.ndarray:
    """Where ``n`` darts land when the aim is ``aim`` to the right of the bullseye
    and the hand shakes by ``spread``."""
    return TARGET + np.array([aim, 0.0]) + spread * dart_offsets(n, seed=seed)


def distances(points: np.ndarray) -> np.ndarray:
    """Distance of each dart from the bullseye: the error of each throw."""
    return np.hypot(*(points - TARGET).T)


def dart_losses(points: np.ndarray) -> dict[str, float]:
    """The summaries of a round: mean distance, mean squared distance and its root.

    Each is a cost in the strict sense of the chapter (the per-dart loss summarised
    over the round). The mean distance and the RMSE share the unit of a distance,
    so they can be compared with each other; the mean squared distance is in
    squared units.
    """
    d = distances(points)
    zero = np.zeros_like(d)
    msd = float(lb.mse(zero, d))
    return {
        "mean distance": float(lb.mae(zero, d)),
        "mean squared distance": msd,
        "RMSE": float(np.sqrt(msd)),
    }


def aim_and_shake(points: np.ndarray) -> dict[str, float]:
    """Bias and variance of a round of darts.

    ``bias^2`` is the squared distance of the round's centre (the mean position)
    from the bullseye; ``variance`` is the mean squared distance of the darts from
    that centre. Their sum is the mean squared distance, exactly.
    """
    points = np.asarray(points, dtype=float)
    centre = points.mean(axis=0)
    return {
        "bias^2": float(np.sum((centre - TARGET) ** 2)),
        "variance": float(np.mean(np.sum((points - centre) ** 2, axis=1))),
    }


# -- data the model did not see --------------------------------------------------------


def houses(n: int = 112, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` seeded houses: size in square metres, price in thousands of dollars
    (a line, 40 + 1.6 * size, plus noise of 25 thousand)."""
    rng = np.random.default_rng(seed)
    size = rng.uniform(50.0, 200.0, n)
    price = 40.0 + 1.6 * size + 25.0 * rng.standard_normal(n)
    return size, price


def memoriser(train_size, train_price):
    """A model that memorises its training houses: for any house it answers the price
    of the training house closest in size (itself, if it was in the training set)."""
    train_size = np.asarray(train_size, dtype=float)
    train_price = np.asarray(train_price, dtype=float)

    def predict(size):
        nearest = np.abs(np.asarray(size, float)[:, None] - train_size[None, :]).argmin(axis=1)
        return train_price[nearest]

    return predict


def straight_line(train_size, train_price):
    """A model with two parameters: the least-squares line through the training houses."""
    slope, intercept = np.polyfit(train_size, train_price, 1)
    return lambda size: slope * np.asarray(size, float) + intercept


# -- the explorer --------------------------------------------------------------------

AIMS = np.round(np.arange(0.0, 2.01, 0.25), 2)
SPREADS = np.round(np.arange(0.25, 1.26, 0.25), 2)


def dartboard_explorer():
    """Aim and spread of the throws; the mean distance and the RMSE of the round as bars."""
    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, (board, bars) = new_figure(ncols=2, figsize=(7.2, 3.2))
    for radius in (1, 2, 3):
        board.add_patch(
            _circle(radius, color=COLORS["muted"]),
        )
    darts = board.scatter(*throws(0, 1).T, s=18, color=COLORS["data"], zorder=3)
    # The bullseye on top of the darts: above them in zorder for a full draw, and
    # animated after them, since blitting draws the animated artists in list order
    # over the static background.
    (bullseye,) = board.plot(*TARGET, marker="+", ms=14, mew=2, color=COLORS["target"], zorder=4)
    board.set(xlim=(-4, 4), ylim=(-4, 4), aspect="equal", title="40 throws at the bullseye")
    board.grid(False)

    # Both bars are in the unit of a distance: the RMSE, not the mean squared
    # distance, is what can share an axis with the mean distance.
    names = ["mean distance", "RMSE"]
    heights = bars.bar(names, [0, 0], color=[COLORS["data"], COLORS["fit"]])
    labels = [bars.text(i, 0, "", ha="center", va="bottom") for i in range(2)]
    bars.set(ylim=(0, 3), ylabel="distance", title="cost of the round (smaller is better)")

    def update(aim, spread):
        points = throws(aim, spread)
        darts.set_offsets(points)
        losses = dart_losses(points)
        parts = aim_and_shake(points)
        for bar, label, name in zip(heights, labels, names, strict=True):
            bar.set_height(losses[name])
            label.set_position((label.get_position()[0], min(losses[name], 2.75)))
            label.set_text(f"{losses[name]:.2f}")
        return (
            f"aim {aim:.2f}, spread {spread:.2f}: "
            f"mean distance {losses['mean distance']:.3f}, RMSE {losses['RMSE']:.3f}; "
            f"mean squared distance {losses['mean squared distance']:.3f} "
            f"= bias² {parts['bias^2']:.3f} + variance {parts['variance']:.3f}"
        )

    return Explorer(
        figure,
        update,
        [
            Slider("aim", "aim off target", AIMS, value=0.5, valuetext="aim {value} to the right"),
            Slider("spread", "spread of the hand", SPREADS, value=0.5, valuetext="spread {value}"),
        ],
        title="The dartboard: move the aim and the spread",
        description=(
            "Left: 40 darts on a board with rings at distances 1, 2 and 3 from the bullseye; "
            "the aim moves the whole group to the right, the spread widens it. Right: two bars, "
            "the mean distance of the darts and their root mean squared distance (RMSE), on "
            "one distance axis; the RMSE bar is never shorter."
        ),
        animated=[darts, bullseye, *heights, *labels],
    )


def _circle(radius, *, color):
    from matplotlib.patches import Circle

    return Circle((0, 0), radius, fill=False, color=color, lw=1)


# -- exercises ------------------------------------------------------------------------


def _mean_squared_error(y_true, y_pred):
    return np.mean((np.asarray(y_pred, float) - np.asarray(y_true, float)) ** 2)


#: The first case tells the typical mistakes apart (the hint is chosen on the first case
#: that fails): errors 2, -2, 3, 0, -5 give MSE 8.4, MAE 2.4, sum 42, sum / (n - 1) 10.5,
#: RMSE 2.898, half MSE 4.2, mean error -0.4, variance of the errors 8.24. (On the
#: 4-point case MAE and sum / (n - 1) are both 0.5.)
MSE_CASES = [
    ([10.0, 20.0, 30.0, 40.0, 50.0], [12.0, 18.0, 33.0, 40.0, 45.0]),
    ([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]),
    ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    ([0.0, 0.0], [3.0, -1.0]),
]

MSE_MISTAKES = [
    Mistake(
        lambda t, p: np.mean(np.subtract(p, t)),
        "You averaged the raw errors: a miss to the left cancels a miss to the right. "
        "Square each error before averaging.",
    ),
    Mistake(
        lambda t, p: np.mean(np.subtract(p, t)) ** 2,
        "You squared the average error. Square each error first, then average the squares.",
    ),
    Mistake(
        lambda t, p: np.sum(np.subtract(p, t) ** 2),
        "You returned the sum of the squared errors. Divide by the number of points "
        "(np.mean does both steps).",
    ),
    Mistake(
        lambda t, p: np.sqrt(np.mean(np.subtract(p, t) ** 2)),
        "You took the square root at the end: that is the RMSE. The MSE stops before the root.",
    ),
    Mistake(
        lambda t, p: np.mean(np.abs(np.subtract(p, t))),
        "You averaged absolute errors: that is the mean absolute error. This loss squares them.",
    ),
    Mistake(
        lambda t, p: np.sum(np.subtract(p, t) ** 2) / (np.size(t) - 1),
        "You divided by n - 1, as for a sample variance. The MSE is a plain mean: divide by n.",
    ),
    Mistake(
        lambda t, p: np.var(np.subtract(p, t)),
        "You computed the variance of the errors (np.var): it measures the errors from their "
        "own mean. The MSE measures them from 0, the perfect prediction: mean of error**2.",
    ),
    Mistake(
        lambda t, p: np.mean(np.subtract(p, t) ** 2) / 2,
        "You halved the mean (some texts use 1/2 of the squared error for a tidier "
        "derivative). The MSE, like lb.mse, is the plain mean of the squared errors.",
    ),
]


def check_mean_squared_error(answer):
    """Exercise 1.1: ``my_mse(y_true, y_pred)`` written with NumPy."""
    return check_function(
        "Exercise 1.1",
        answer,
        reference=_mean_squared_error,
        cases=MSE_CASES,
        mistakes=MSE_MISTAKES,
        signature="my_mse(y_true, y_pred)",
        success="your my_mse agrees with the mean squared error on every test case.",
    )


PLAYER_A = np.array([1.0, 1.0, 1.0, 5.0])
PLAYER_B = np.array([2.0, 2.0, 2.0, 2.0])


def check_player_losses(answer):
    """Exercise 1.2 (a): [mean distance A, mean squared distance A, same for B]."""
    md = [PLAYER_A.mean(), PLAYER_B.mean()]
    msd = [(PLAYER_A**2).mean(), (PLAYER_B**2).mean()]
    expected = [md[0], msd[0], md[1], msd[1]]
    return check_value(
        "Exercise 1.2 (a)",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                [md[0], PLAYER_A.mean() ** 2, md[1], PLAYER_B.mean() ** 2],
                "You squared the mean distance. Square each distance, then average.",
            ),
            Mistake(
                [PLAYER_A.sum(), (PLAYER_A**2).sum(), PLAYER_B.sum(), (PLAYER_B**2).sum()],
                "You summed. A mean divides by the number of throws (4).",
            ),
            Mistake(
                [md[0], md[1], msd[0], msd[1]],
                "The numbers are right but in the wrong order: A's two losses first, then B's.",
            ),
            Mistake(
                [md[0], np.sqrt(msd[0]), md[1], np.sqrt(msd[1])],
                "You took the square root of the mean squared distance. Stop before the root.",
            ),
        ],
        what="the list [mean distance A, mean squared distance A, mean distance B, "
        "mean squared distance B]",
        success="A and B have the same mean distance (2.0), "
        "but A's mean squared distance is 7.0 against B's 4.0.",
    )


def check_better_player(answer):
    """Exercise 1.2 (b): under the mean squared distance, who is the better player?"""
    return check_choice(
        "Exercise 1.2 (b)",
        answer,
        options={
            "A": "Compare the mean squared distances you computed: which is smaller?",
            "B": "",
            "tie": "They tie under the mean distance, but not under the mean squared distance.",
        },
        correct="B",
        success="B: the squared distance punishes A's one wild throw (25) far more than "
        "B's steady misses (4 each).",
    )


# -- Exercise 1.3: loss, cost or objective? ---------------------------------------------


def _word_check(exercise, answer, *, correct, hints, success):
    options = {key: hints.get(key, "") for key in ("loss", "cost", "objective")}
    return check_choice(exercise, answer, options=options, correct=correct, success=success)


def check_word_a(answer):
    """Exercise 1.3 (a): "... which costs 400 in squared error" (one house)."""
    return _word_check(
        "Exercise 1.3 (a)",
        answer,
        correct="loss",
        hints={
            "cost": "The word trap: the sentence says 'costs', but it scores ONE house. "
            "A cost function summarises the losses of the whole data set.",
            "objective": "An objective is what training optimises over the data set; this "
            "sentence scores a single prediction.",
        },
        success="a loss: the error of one prediction, whatever everyday word the sentence uses.",
    )


def check_word_b(answer):
    """Exercise 1.3 (b): the squared error averaged over 10,000 training houses."""
    return _word_check(
        "Exercise 1.3 (b)",
        answer,
        correct="cost",
        hints={
            "loss": "A loss scores one example; this number averages over 10,000 of them.",
            "objective": "Nothing is added to the average here; it is the cost. It becomes "
            "the objective only when training optimises it (possibly with extra terms).",
        },
        success="a cost: the loss averaged over the data set.",
    )


def check_word_c(answer):
    """Exercise 1.3 (c): the average squared error plus a weight penalty, minimised."""
    return _word_check(
        "Exercise 1.3 (c)",
        answer,
        correct="objective",
        hints={
            "loss": "It averages over the data set and adds a penalty: far more than one "
            "example's error.",
            "cost": "The average error alone would be the cost; the penalty on the weights "
            "makes the sum something else: what training actually minimises.",
        },
        success="the objective function: the cost plus a penalty, what training minimises.",
    )


# -- Exercise 1.4: aim and shake ------------------------------------------------------------

#: Four darts: the centre of the group is (3, 0), each dart is (1, 2) away from it up to signs.
#: (A centre at (2, 0) would make the centre's distance, 2, equal to half its squared
#: distance, 4 / 2: two different mistakes would give the same number.)
BIAS_DARTS = np.array([[4.0, 2.0], [2.0, 2.0], [4.0, -2.0], [2.0, -2.0]])


def check_aim_and_shake(answer):
    """Exercise 1.4: [bias^2, variance, mean squared distance] of ``BIAS_DARTS``."""
    parts = aim_and_shake(BIAS_DARTS)
    d = distances(BIAS_DARTS)
    bias2, variance, msd = parts["bias^2"], parts["variance"], float(np.mean(d**2))
    centred = BIAS_DARTS - BIAS_DARTS.mean(axis=0)
    per_coordinate = float(np.mean(centred**2))
    sample_variance = float(np.sum(centred**2) / (len(BIAS_DARTS) - 1))
    centre_per_coordinate = float(np.mean(BIAS_DARTS.mean(axis=0) ** 2))
    return check_value(
        "Exercise 1.4",
        answer,
        expected=[bias2, variance, msd],
        mistakes=[
            Mistake(
                [np.sqrt(bias2), variance, msd],
                "Your first number is the distance of the centre from the bullseye; the bias "
                "term of the sum is its square.",
            ),
            Mistake(
                [bias2, np.sqrt(variance), msd],
                "Your second number is the root of the variance (a typical distance from the "
                "centre). The variance is the mean SQUARED distance from the centre.",
            ),
            Mistake(
                [centre_per_coordinate, variance, msd],
                "Your first number averages the centre's squared coordinates, which halves it. "
                "The squared bias is the centre's squared distance: x² + y² of the centre.",
            ),
            Mistake(
                [centre_per_coordinate, per_coordinate, msd],
                "Your first two numbers are averaged over the two coordinates too, which halves "
                "them. Add the squares of x and y (for the centre, and for each dart's offset "
                "from it), then average over the darts only.",
            ),
            Mistake(
                [bias2, per_coordinate, msd],
                "You averaged the squared deviations over both coordinates too (as lb.mse "
                "on 2-D points does), which halves them. Add the squares of x and y for each "
                "dart, then average over the darts.",
            ),
            Mistake(
                [bias2, sample_variance, msd],
                "You divided by n - 1, as for a sample variance. Here the variance is the "
                "plain mean over the 4 darts, so that bias² + variance is exactly the mean "
                "squared distance.",
            ),
            Mistake(
                [bias2, variance, float(np.mean(d))],
                "Your third number is the mean distance. The identity holds for the mean "
                "SQUARED distance.",
            ),
            Mistake(
                [bias2, variance, msd / 2],
                "Your third number is half the mean squared distance: lb.mse on the 2-D "
                "positions averages over the two coordinates too. Add x² + y² per dart, "
                "then average over the darts.",
            ),
            Mistake(
                [variance, bias2, msd],
                "The numbers are right but the first two are swapped: bias² first (the "
                "centre's squared distance), then the variance.",
            ),
            Mistake(
                [bias2 / 2, per_coordinate, msd / 2],
                "Everything is halved: you averaged over the two coordinates as well as "
                "over the darts (lb.mse on 2-D points does this).",
            ),
        ],
        what="the list [bias², variance, mean squared distance]",
        success="bias² 9.0 + variance 5.0 = mean squared distance 14.0: aim and shake add up.",
    )


# -- the quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch01",
    [
        quiz_question(
            "Quiz 1.1",
            "A model's MSE on its training houses is 0. Is the model perfect?",
            {
                "A": "Yes: zero is the best an MSE can be",
                "B": "Not necessarily: it may have memorised the training houses",
            },
            "B",
            {
                "A": "Zero on the data it was measured on says nothing about new houses: the "
                "memoriser of this chapter scores 0 on its training houses and an MSE of "
                "1401 on held-out ones, worse than a straight line's 817.",
            },
            success="Not necessarily: measure the loss on data the model did not see.",
        ),
        quiz_question(
            "Quiz 1.2",
            "Can a mean squared error be negative?",
            {"A": "Yes, when the predictions are too low", "B": "No"},
            "B",
            {
                "A": "The sign of an error is lost when it is squared: each term is at least 0, "
                "and so is their mean."
            },
            success="No: a mean of squares is at least 0.",
        ),
        quiz_question(
            "Quiz 1.3",
            "Why not simply average the raw errors (prediction minus target)?",
            {
                "A": "Errors of opposite signs cancel",
                "B": "It would be too slow to compute",
                "C": "Raw errors are in the wrong units",
            },
            "A",
            {
                "B": "It is as fast as any mean. The trouble is what it measures.",
                "C": "Raw errors are in the unit of the target, like absolute errors. The "
                "trouble is their signs.",
            },
            success="Errors of +10 and -10 average to 0, as if both predictions were perfect.",
        ),
        quiz_question(
            "Quiz 1.4",
            "A loss is at its smallest possible value. Does that mean every prediction is "
            "exactly right?",
            {
                "A": "Yes, for every loss",
                "B": "Only for some losses, such as the MSE and the MAE",
            },
            "B",
            {
                "A": "The hinge loss is 0 for predictions that are merely on the right side "
                "by a margin, a soft-target cross-entropy bottoms out at the entropy of the "
                "target, and a Gaussian negative log-likelihood can be negative.",
            },
            success="Only for some: each loss has its own best prediction and floor; only "
            "for losses like the MSE and the MAE is the floor 0, reached exactly at the target.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
