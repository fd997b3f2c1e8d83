"""Chapter 01, What is a loss function?: the dartboard, its explorer and the exercises."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, check_choice, check_function, check_value

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
    """The two summaries of a round: mean distance and mean squared distance.

    Both are losses of the round: a perfect prediction (every dart on the
    bullseye, distance 0) scores 0 and every miss adds to it.
    """
    d = distances(points)
    zero = np.zeros_like(d)
    return {
        "mean distance": float(lb.mae(zero, d)),
        "mean squared distance": float(lb.mse(zero, d)),
    }


# -- the explorer --------------------------------------------------------------------

AIMS = np.round(np.arange(0.0, 2.01, 0.25), 2)
SPREADS = np.round(np.arange(0.25, 1.26, 0.25), 2)


def dartboard_explorer():
    """Aim and spread of the throws; the two losses of the round as bars."""
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

    names = ["mean distance", "mean squared distance"]
    heights = bars.bar(names, [0, 0], color=[COLORS["data"], COLORS["fit"]])
    labels = [bars.text(i, 0, "", ha="center", va="bottom") for i in range(2)]
    bars.set(ylim=(0, 8), title="the loss of the round (smaller is better)")

    def update(aim, spread):
        points = throws(aim, spread)
        darts.set_offsets(points)
        losses = dart_losses(points)
        for bar, label, name in zip(heights, labels, names, strict=True):
            bar.set_height(losses[name])
            label.set_position((label.get_position()[0], min(losses[name], 7.4)))
            label.set_text(f"{losses[name]:.2f}")
        return (
            f"aim {aim:.2f}, spread {spread:.2f}: "
            f"mean distance {losses['mean distance']:.3f}, "
            f"mean squared distance {losses['mean squared distance']:.3f}"
        )

    return Explorer(
        figure,
        update,
        [
            Slider("aim", "aim off target", AIMS, value=0.5),
            Slider("spread", "spread of the hand", SPREADS, value=0.5),
        ],
        title="The dartboard: move the aim and the spread",
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
#: RMSE 2.898, half MSE 4.2, mean error -0.4. (On the 4-point case MAE and sum / (n - 1)
#: are both 0.5.)
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
