"""Chapter 11, Custom losses: the screening data, cost-aware training, the threshold
explorer and the exercises."""

from __future__ import annotations

import functools

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, check_function, check_value
from lossbook.course.ch09 import confusion_counts
from lossbook.training import gradient_descent, line_features, linear_model_loss_and_grad

#: The costs of the chapter's screening story: a missed sick patient (false negative)
#: costs 20 times an unneeded follow-up test (false positive).
FN_COST = 20.0
FP_COST = 1.0

TRAIN_SEED = 11
TEST_SEED = 12


# -- the data ------------------------------------------------------------------------


def screening_data(
    n: int = 400, *, positive_rate: float = 0.125, shift: float = 1.8, seed: int = TRAIN_SEED
):
    """A seeded, imbalanced screening set: one test score ``x`` per patient and the label
    ``y`` (1 sick, 0 healthy). About ``positive_rate`` of the patients are sick; their
    scores are standard normal shifted up by ``shift``, the healthy ones' are not."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < positive_rate).astype(float)
    x = rng.standard_normal(n) + shift * y
    return x, y


def logistic_loss_and_grad(x, y, *, loss: str = "bce", fn_cost=1.0, fp_cost=1.0):
    r"""Loss and gradient in ``(w, b)`` of the logistic model :math:`p = \sigma(w x + b)`.

    ``loss`` is ``"bce"`` (:func:`lossbook.binary_cross_entropy_with_logits`) or
    ``"rwwce"`` (:func:`lossbook.real_world_weight_cross_entropy_with_logits` with the
    costs). Backpropagation is the chain rule once: the loss's gradient in the logits,
    times ``x`` for ``w`` and summed for ``b``.
    """
    if loss == "bce":
        return linear_model_loss_and_grad(
            line_features(x),
            y,
            lb.binary_cross_entropy_with_logits,
            lb.binary_cross_entropy_with_logits_grad,
        )
    if loss == "rwwce":
        return linear_model_loss_and_grad(
            line_features(x),
            y,
            lb.real_world_weight_cross_entropy_with_logits,
            lb.real_world_weight_cross_entropy_with_logits_grad,
            fn_cost=fn_cost,
            fp_cost=fp_cost,
        )
    raise ValueError(f"loss must be 'bce' or 'rwwce', got {loss!r}")


def fit_logistic(x, y, *, loss="bce", fn_cost=1.0, fp_cost=1.0, learning_rate=1.0, steps=1000):
    """Train ``p = sigmoid(w x + b)`` from (0, 0) by gradient descent; returns the History."""
    return gradient_descent(
        logistic_loss_and_grad(x, y, loss=loss, fn_cost=fn_cost, fp_cost=fp_cost),
        [0.0, 0.0],
        learning_rate=learning_rate,
        steps=steps,
    )


@functools.cache
def screening_model():
    """The chapter's plain model: trained with binary cross-entropy on the training set.
    Returns ``(w, b)``."""
    x, y = screening_data(seed=TRAIN_SEED)
    w, b = fit_logistic(x, y, loss="bce", learning_rate=1.0, steps=1000).final_params
    return float(w), float(b)


def real_world_cost(counts, *, fn_cost, fp_cost) -> float:
    """Total cost of the decisions: each false negative costs ``fn_cost``, each false
    positive ``fp_cost``; correct decisions cost nothing (the costs are marginal)."""
    return fn_cost * counts["FN"] + fp_cost * counts["FP"]


def cost_optimal_threshold(fn_cost, fp_cost) -> float:
    r"""Predict positive when :math:`p\, c_{FN} \ge (1 - p)\, c_{FP}`, that is when
    :math:`p \ge p^* = c_{FP} / (c_{FP} + c_{FN})`."""
    return fp_cost / (fp_cost + fn_cost)


def describe(counts, width: int = 3) -> str:
    """``"TP  54, FN   1, FP 136, TN 209"`` (numbers right-aligned in ``width`` characters)."""
    return ", ".join(f"{k} {v:{width}d}" for k, v in counts.items())


# -- the explorer ----------------------------------------------------------------------

FN_COSTS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
FP_COSTS = (1.0, 2.0, 5.0, 10.0)
OUTCOME_COLORS = {"TP": "data", "FN": "fit", "FP": "accent", "TN": "muted"}
THRESHOLD_TICKS = (0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99)


def _thresholds():
    """Thresholds from 0.002 to 0.998, evenly spaced in log-odds (the logit axis)."""
    return lb.sigmoid(np.linspace(-6.2, 6.2, 241))


def threshold_explorer():
    """Costs of a false negative and a false positive; the threshold they imply on the
    plain model's probabilities, the decisions on the test patients, and the total cost."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    w, b = screening_model()
    x, y = screening_data(seed=TEST_SEED)
    p = lb.sigmoid(w * x + b)
    jitter = np.random.default_rng(0).uniform(-0.04, 0.04, x.size)
    rgba = {k: np.array(to_rgba(COLORS[c], 0.75)) for k, c in OUTCOME_COLORS.items()}
    sick = y == 1

    thresholds = _thresholds()
    decided = p[None, :] >= thresholds[:, None]  # (threshold, patient)
    false_neg = np.count_nonzero(~decided & sick, axis=1)
    false_pos = np.count_nonzero(decided & ~sick, axis=1)

    figure, (left, right) = new_figure(ncols=2, figsize=(7.2, 3.3))
    grid = np.linspace(-3.5, 5.5, 200)
    left.plot(grid, lb.sigmoid(w * grid + b), color="#555555", lw=1.5)
    shade = left.add_patch(Rectangle((0, -0.1), 6, 1.2, color=COLORS["target"], alpha=0.12, lw=0))
    dots = left.scatter(x, y + jitter, s=11, c=np.zeros((x.size, 4)), lw=0, zorder=3)
    p_line = left.axhline(0.5, color="black", ls="--", lw=1)
    x_line = left.axvline(0, color="black", lw=1)
    left.set(
        xlim=(-3.5, 5.5),
        ylim=(-0.1, 1.1),
        xlabel="test score x",
        ylabel="P(sick) from the model",
        title="test patients and the threshold",
    )
    left.legend(
        handles=[
            Line2D([], [], ls="", marker="o", ms=5, color=rgba[k], label=k) for k in OUTCOME_COLORS
        ],
        loc="center right",
        fontsize=8,
        handletextpad=0.1,
        borderaxespad=0.2,
    )

    (cost_curve,) = right.plot(thresholds, np.ones_like(thresholds), color=COLORS["data"])
    (at_half,) = right.plot([0.5], [1.0], "o", mfc="white", mec="black", ms=6, label="at 0.5")
    (at_best,) = right.plot([0.5], [1.0], "o", color="black", ms=6, label="at p*")
    right.legend(loc="upper left", fontsize=8, borderaxespad=0.2)
    highest = max(np.max(fn * false_neg + fp * false_pos) for fn in FN_COSTS for fp in FP_COSTS)
    right.set_xscale("logit")
    right.set_yscale("log")
    right.set(
        xlim=(thresholds[0], thresholds[-1]),
        ylim=(20, 2 * highest),
        xlabel="threshold on P(sick)",
        ylabel="total cost on the test set",
        title="cost of the decisions",
    )
    right.set_xticks(THRESHOLD_TICKS, [f"{t:g}" for t in THRESHOLD_TICKS])
    right.minorticks_off()

    def update(fn_cost, fp_cost):
        p_star = cost_optimal_threshold(fn_cost, fp_cost)
        x_star = (np.log(p_star / (1 - p_star)) - b) / w  # where the curve crosses p*
        predicted = p >= p_star
        counts = confusion_counts(y, predicted)
        cost = real_world_cost(counts, fn_cost=fn_cost, fp_cost=fp_cost)
        half = real_world_cost(confusion_counts(y, p >= 0.5), fn_cost=fn_cost, fp_cost=fp_cost)
        outcome = np.where(sick, np.where(predicted, 0, 1), np.where(predicted, 2, 3))
        dots.set_facecolors(np.stack([rgba[k] for k in OUTCOME_COLORS])[outcome])
        p_line.set_ydata([p_star, p_star])
        x_line.set_xdata([x_star, x_star])
        shade.set_x(x_star)
        cost_curve.set_ydata(fn_cost * false_neg + fp_cost * false_pos)
        at_half.set_ydata([half])
        at_best.set_data([p_star], [cost])
        return (
            f"costs FN {fn_cost:g}, FP {fp_cost:g}: p* = {p_star:.3f}; "
            f"{describe(counts, 0)}; cost {cost:g} (at 0.5: {half:g})"
        )

    return Explorer(
        figure,
        update,
        [
            Slider("fn_cost", "cost of a false negative", FN_COSTS, value=FN_COST, fmt="{:g}"),
            Slider("fp_cost", "cost of a false positive", FP_COSTS, value=FP_COST, fmt="{:g}"),
        ],
        title="What does a mistake cost? Move the costs, watch the threshold and the decisions",
        animated=[shade, dots, p_line, x_line, cost_curve, at_half, at_best],
    )


# -- a custom loss ---------------------------------------------------------------------

UNDER = 3.0


def asymmetric_squared_error(y_true, y_pred, under=UNDER):
    r"""Mean of :math:`w_i e_i^2`, :math:`e_i = y_i - \hat y_i`, with :math:`w_i` = ``under``
    where the prediction is too low (:math:`e_i > 0`) and 1 where it is too high."""
    e = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return np.mean(np.where(e > 0, under, 1.0) * e**2)


def asymmetric_squared_error_grad(y_true, y_pred, under=UNDER):
    r"""Gradient in ``y_pred``: :math:`-2 w_i e_i / n`."""
    e = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return -2.0 * np.where(e > 0, under, 1.0) * e / e.size


def numerical_gradient(loss, y_true, y_pred, h=1e-6):
    """Central finite differences of ``loss(y_true, y_pred)`` in each element of ``y_pred``.

    A Python loop over the elements, on purpose: a test tool for a handful of numbers.
    """
    y_pred = np.array(y_pred, dtype=float)
    grad = np.zeros_like(y_pred)
    for i in range(y_pred.size):
        up, down = y_pred.copy(), y_pred.copy()
        up.flat[i] += h
        down.flat[i] -= h
        grad.flat[i] = (loss(y_true, up) - loss(y_true, down)) / (2 * h)
    return grad


# -- exercises -----------------------------------------------------------------------------

THRESHOLD_CASES = [(3.0, 7.0), (20.0, 1.0), (1.0, 4.0), (5.0, 5.0), (100.0, 10.0)]

THRESHOLD_MISTAKES = [
    Mistake(
        lambda fn, fp: fn / (fn + fp),
        "The costs are swapped: a costly false negative must make the model say 'positive' "
        "more readily, so the threshold goes DOWN as fn_cost grows. Which cost is on top?",
    ),
    Mistake(
        lambda fn, fp: fp / fn,
        "fp_cost / fn_cost is the odds p / (1 - p) at the threshold, not the probability. "
        "Solve p * fn_cost = (1 - p) * fp_cost for p.",
    ),
    Mistake(
        lambda fn, fp: 0.5,
        "0.5 ignores the costs: it is the threshold only when both mistakes cost the same.",
    ),
    Mistake(
        lambda fn, fp: 1 / (1 + fn),
        "You assumed fp_cost = 1. Use both arguments.",
    ),
]


def check_cost_optimal_threshold(answer):
    """Exercise 11.1: ``cost_optimal_threshold(fn_cost, fp_cost)``."""
    return check_function(
        "Exercise 11.1",
        answer,
        reference=cost_optimal_threshold,
        cases=THRESHOLD_CASES,
        mistakes=THRESHOLD_MISTAKES,
        signature="cost_optimal_threshold(fn_cost, fp_cost)",
        success="p* = fp_cost / (fp_cost + fn_cost): 1/21 = 0.048 for the screening costs.",
    )


def _asym_parts(t, p, under=UNDER):
    e = np.asarray(t, float) - np.asarray(p, float)
    return e, np.where(e > 0, under, 1.0)


ASYM_CASES = [
    ([1.0, 2.0, 3.0, 4.0], [1.5, 1.0, 3.5, 2.0]),
    ([0.0, 0.0, 0.0], [-1.0, 2.0, 0.5]),
    ([10.0, 20.0], [12.0, 15.0]),
    ([1.0, 1.0], [1.0, 1.0]),
]


def _mistake_sign(t, p):
    e, w = _asym_parts(t, p)
    return 2 * w * e / e.size


def _mistake_no_mean(t, p):
    e, w = _asym_parts(t, p)
    return -2 * w * e


def _mistake_no_two(t, p):
    e, w = _asym_parts(t, p)
    return -w * e / e.size


def _mistake_swapped_sides(t, p):
    e = np.asarray(t, float) - np.asarray(p, float)
    return -2 * np.where(e < 0, UNDER, 1.0) * e / e.size


def _mistake_no_weight(t, p):
    e, _ = _asym_parts(t, p)
    return -2 * e / e.size


def _mistake_loss_not_grad(t, p):
    return asymmetric_squared_error(t, p)


ASYM_MISTAKES = [
    Mistake(
        _mistake_sign,
        "The sign is flipped: you differentiated with respect to e = y_true - y_pred. "
        "The gradient is with respect to y_pred, and de/dy_pred = -1.",
    ),
    Mistake(
        _mistake_no_mean,
        "The loss is a mean over the n elements: divide the gradient by n as well.",
    ),
    Mistake(_mistake_no_two, "The derivative of e**2 is 2 e: the factor 2 is missing."),
    Mistake(
        _mistake_swapped_sides,
        "The weight 3 sits on the wrong side: under-prediction means y_pred < y_true, "
        "that is e = y_true - y_pred > 0.",
    ),
    Mistake(
        _mistake_no_weight,
        "That is the gradient of the plain MSE: multiply each term by its weight "
        "(3 where e > 0, 1 elsewhere).",
    ),
    Mistake(
        _mistake_loss_not_grad,
        "You returned the loss itself. The gradient has one number per prediction.",
    ),
]


def check_asymmetric_gradient(answer):
    """Exercise 11.2: the gradient of the asymmetric squared error (under = 3)."""
    return check_function(
        "Exercise 11.2",
        answer,
        reference=asymmetric_squared_error_grad,
        cases=ASYM_CASES,
        mistakes=ASYM_MISTAKES,
        signature="asym_grad(y_true, y_pred)",
        success="your gradient is -2 w e / n, with w = 3 where the prediction is too low.",
    )


def check_focal_factors(answer):
    """Exercise 11.3: how many times smaller than cross-entropy is the focal loss (gamma = 2,
    no alpha) at p_t = 0.9 and at p_t = 0.5?"""
    expected = [1 / (1 - 0.9) ** 2, 1 / (1 - 0.5) ** 2]
    return check_value(
        "Exercise 11.3",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                [(1 - 0.9) ** 2, (1 - 0.5) ** 2],
                "Those are the factors (1 - p_t)**2 themselves. The question asks how many "
                "times smaller: 1 / factor.",
            ),
            Mistake(
                [1 / (1 - 0.9), 1 / (1 - 0.5)],
                "That is gamma = 1. With gamma = 2 the factor (1 - p_t) is squared.",
            ),
            Mistake(
                [1 / 0.9**2, 1 / 0.5**2],
                "You used p_t**gamma. The focal factor is (1 - p_t)**gamma: it is small "
                "when p_t is near 1 (an easy example).",
            ),
            Mistake(
                [1 / (1 - 0.5) ** 2, 1 / (1 - 0.9) ** 2],
                "Right numbers, wrong order: p_t = 0.9 first, then p_t = 0.5.",
            ),
        ],
        what="the list [times smaller at p_t = 0.9, times smaller at p_t = 0.5]",
        success="100 times smaller for the easy example, only 4 times for the uncertain one: "
        "the easy examples fade out of the loss.",
    )
