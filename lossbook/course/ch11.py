"""Chapter 11, Custom losses: the screening data, cost-aware training, the threshold
explorer and the exercises."""

from __future__ import annotations

import functools

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, Quiz, check_choice, check_function, check_value, quiz_question
from lossbook.course.ch09 import confusion_counts
from lossbook.training import gradient_descent, line_features, linear_model_loss_and_grad

#: The costs of the chapter's screening story: a missed sick patient (false negative)
#: costs 20 times an unneeded follow-up test (false positive).
FN_COST = 20.0
FP_COST = 1.0

TRAIN_SEED = 11
TEST_SEED = 12

#: The focal-loss story: candidate boxes of an object detector, one in a hundred an object.
BOXES = {"n": 4000, "positive_rate": 0.01, "shift": 3.0}
BOXES_TRAIN_SEED = 21
BOXES_TEST_SEED = 22


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


def logistic_loss_and_grad(
    x, y, *, loss: str = "bce", fn_cost=1.0, fp_cost=1.0, pos_weight=None, gamma=2.0, alpha=None
):
    r"""Loss and gradient in ``(w, b)`` of the logistic model :math:`\hat p = \sigma(w x + b)`.

    ``loss`` is ``"bce"`` (:func:`lossbook.binary_cross_entropy_with_logits`, with
    ``pos_weight`` if given), ``"rwwce"``
    (:func:`lossbook.real_world_weight_cross_entropy_with_logits` with the costs) or
    ``"focal"`` (:func:`lossbook.focal_loss` with ``gamma`` and ``alpha``; note that the
    chapter's default here is ``alpha=None``, the package's is 0.25). Backpropagation is
    the chain rule once: the loss's gradient in the logits, times ``x`` for ``w`` and
    summed for ``b``.
    """
    features = line_features(x)
    if loss == "bce":
        return linear_model_loss_and_grad(
            features,
            y,
            lb.binary_cross_entropy_with_logits,
            lb.binary_cross_entropy_with_logits_grad,
            pos_weight=pos_weight,
        )
    if loss == "rwwce":
        return linear_model_loss_and_grad(
            features,
            y,
            lb.real_world_weight_cross_entropy_with_logits,
            lb.real_world_weight_cross_entropy_with_logits_grad,
            fn_cost=fn_cost,
            fp_cost=fp_cost,
        )
    if loss == "focal":
        return linear_model_loss_and_grad(
            features, y, lb.focal_loss, lb.focal_loss_grad, gamma=gamma, alpha=alpha
        )
    raise ValueError(f"loss must be 'bce', 'rwwce' or 'focal', got {loss!r}")


def fit_logistic(x, y, *, loss="bce", learning_rate=1.0, steps=1000, **loss_options):
    """Train ``p = sigmoid(w x + b)`` from (0, 0) by gradient descent; returns the History.

    ``loss_options`` go to :func:`logistic_loss_and_grad` (costs, ``pos_weight``,
    ``gamma``, ``alpha``)."""
    return gradient_descent(
        logistic_loss_and_grad(x, y, loss=loss, **loss_options),
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


def lowest_cost_in_hindsight(y, p, *, fn_cost, fp_cost):
    """The threshold with the lowest real-world cost on these very examples, found by
    trying each predicted probability as the threshold (and one above them all). An
    optimistic number: the threshold is chosen on the data it is scored on.
    Returns ``(threshold, cost)``."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    candidates = np.append(np.unique(p), np.inf)
    decided = p[None, :] >= candidates[:, None]  # (threshold, example)
    false_neg = np.count_nonzero(~decided & (y == 1), axis=1)
    false_pos = np.count_nonzero(decided & (y == 0), axis=1)
    cost = fn_cost * false_neg + fp_cost * false_pos
    best = int(np.argmin(cost))
    return float(candidates[best]), float(cost[best])


def describe(counts, width: int = 3) -> str:
    """``"TP  54, FN   1, FP 136, TN 209"`` (numbers right-aligned in ``width`` characters)."""
    return ", ".join(f"{k} {v:{width}d}" for k, v in counts.items())


def training_focus(x, y, params, *, gamma=0.0, alpha=None):
    """Who drives training at the logistic model ``params = (w, b)``, under the focal loss
    with ``gamma`` and ``alpha`` (``gamma=0``, ``alpha=None``: binary cross-entropy).

    Returns the fraction of *easy* examples (probability of the true class above 0.9),
    their share of the loss, and the positives' share of the gradient (sizes of the
    per-example gradients in the logits, summed)."""
    w, b = params
    logits = w * np.asarray(x, float) + b
    p = lb.sigmoid(logits)
    easy = np.where(y == 1, p, 1 - p) > 0.9
    loss = lb.focal_loss(y, logits, gamma=gamma, alpha=alpha, reduction="none")
    pull = np.abs(lb.focal_loss_grad(y, logits, gamma=gamma, alpha=alpha, reduction="none"))
    return {
        "easy": float(easy.mean()),
        "easy loss share": float(loss[easy].sum() / loss.sum()),
        "positive gradient share": float(pull[y == 1].sum() / pull.sum()),
    }


def prior_correction(p, pos_weight):
    r"""Undo ``pos_weight`` :math:`w`: a model trained with it says odds :math:`w` times the
    true odds, so divide its odds by :math:`w`,
    :math:`\hat p / (\hat p + w\, (1 - \hat p))` (King & Zeng 2001's prior correction)."""
    p = np.asarray(p, float)
    return p / (p + pos_weight * (1 - p))


RELIABILITY_EDGES = (0.0, 0.1, 0.3, 0.6, 1.0)


def reliability_table(y, p, edges=RELIABILITY_EDGES):
    """Bins of the predicted probability: per bin the number of examples, their mean
    prediction and the fraction that is positive (nan for an empty bin). A calibrated
    model's two columns agree."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for k in range(len(edges) - 1):
        inside = which == k
        count = int(inside.sum())
        rows.append(
            (
                edges[k],
                edges[k + 1],
                count,
                float(p[inside].mean()) if count else float("nan"),
                float(y[inside].mean()) if count else float("nan"),
            )
        )
    return rows


def relative_error(a, b, floor=1e-12) -> float:
    r"""The largest :math:`|a_i - b_i| / \max(|a_i|, |b_i|)` (the denominator at least
    ``floor``): a gradient check's error that means the same for large and small gradients."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)))


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
            Slider(
                "fn_cost",
                "cost of a false negative",
                FN_COSTS,
                value=FN_COST,
                fmt="{:g}",
                valuetext="a missed sick patient costs {value}",
            ),
            Slider(
                "fp_cost",
                "cost of a false positive",
                FP_COSTS,
                value=FP_COST,
                fmt="{:g}",
                valuetext="an unneeded follow-up costs {value}",
            ),
        ],
        title="What does a mistake cost? Move the costs, watch the threshold and the decisions",
        description=(
            "Left: the plain model's probability of being sick against the test score, with "
            "the 400 test patients as dots (sick at the top, healthy at the bottom) coloured "
            "as true positive, false negative, false positive or true negative; a dashed "
            "line marks the threshold p* on the probability and a shaded band the patients "
            "sent for a follow-up. Right: the total cost on the test set of every threshold "
            "(threshold on a logit axis, cost on a log axis), with the cost at p* (black dot) "
            "and at 0.5 (white dot)."
        ),
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


def _mistake_weight_everywhere(t, p):
    e, _ = _asym_parts(t, p)
    return -2 * UNDER * e / e.size


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
        _mistake_weight_everywhere,
        "The weight 3 applies only where the prediction is too low (e = y_true - y_pred > 0); "
        "where it is too high the weight is 1.",
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


#: Exercise 11.4: a fraud model's probability and the bank's costs.
FRAUD_P, FRAUD_FN_COST, FRAUD_FP_COST = 0.03, 490.0, 10.0
# (490, not 500: p* = 10/500 = 0.02 exactly, so a threshold rounded to 2 decimals is right
# and never looks like the odds mistake fp/fn = 0.0204.)


def check_fraud_costs(answer):
    """Exercise 11.4 (a): [threshold, expected cost of blocking, expected cost of letting
    the payment through]."""
    p, fn, fp = FRAUD_P, FRAUD_FN_COST, FRAUD_FP_COST
    return check_value(
        "Exercise 11.4 (a)",
        answer,
        expected=[fp / (fp + fn), fp * (1 - p), fn * p],
        mistakes=[
            Mistake(
                [fn / (fp + fn), fp * (1 - p), fn * p],
                "The threshold has the costs swapped: a costly false negative must LOWER "
                "it. p* = fp_cost / (fp_cost + fn_cost).",
            ),
            Mistake(
                [fp / (fp + fn), fp * p, fn * (1 - p)],
                "The probabilities are swapped: blocking is a mistake only if the payment "
                "is genuine (probability 1 - p), letting it through only if it is fraud "
                "(probability p).",
            ),
            Mistake(
                [fp / (fp + fn), fp, fn],
                "Those are the costs of a mistake, not their expected values: multiply "
                "each by the probability that the choice is a mistake.",
            ),
            Mistake(
                [fp / fn, fp * (1 - p), fn * p],
                "fp_cost / fn_cost is the odds at the threshold, not the probability: "
                "p* = fp_cost / (fp_cost + fn_cost).",
            ),
            Mistake(
                [fp / (fp + fn), fn * p, fp * (1 - p)],
                "Right numbers, wrong order: the cost of blocking first, then the cost of "
                "letting the payment through.",
            ),
        ],
        what="the list [threshold p*, expected cost of blocking, expected cost of letting "
        "it through]",
        success="p* = 10/500 = 0.02; blocking costs 10 x 0.97 = 9.70 on average, letting "
        "it through 490 x 0.03 = 14.70.",
    )


def check_fraud_decision(answer):
    """Exercise 11.4 (b): block the payment or let it through?"""
    return check_choice(
        "Exercise 11.4 (b)",
        answer,
        options={
            "A": "",
            "B": "p = 0.03 is above the threshold p* = 0.02, and the expected costs agree: "
            "letting it through costs 14.70 on average, blocking 9.70.",
        },
        correct="A",
        success="Block it: p = 0.03 is above p* = 0.02, so blocking is the cheaper bet "
        "(9.70 against 14.70), although the payment is probably genuine.",
    )


def check_prior_correction(answer):
    """Exercise 11.5: the calibrated probability behind p_hat = 0.6 from a model trained
    with pos_weight = 6."""
    p, w = 0.6, 6.0
    odds = p / (1 - p) / w
    return check_value(
        "Exercise 11.5",
        answer,
        expected=odds / (1 + odds),
        mistakes=[
            Mistake(
                odds,
                "That is the corrected odds (1.5 / 6). Turn odds o into a probability: "
                "o / (1 + o).",
            ),
            Mistake(
                p / w,
                "Dividing the probability by 6 is not the correction: divide the ODDS "
                "p / (1 - p) by 6, then turn them back into a probability.",
            ),
            Mistake(
                p * w / (p * w + 1 - p),
                "That multiplies the odds by 6 once more. The model's odds are already 6 "
                "times the true odds: divide them by 6.",
            ),
            Mistake(
                float(lb.sigmoid(np.log(p / (1 - p)) - w)),
                "You subtracted 6 from the logit. The weight multiplies the odds, so the "
                "logit moves by log 6, not by 6.",
            ),
            Mistake(
                p,
                "That is the weighted model's own output. The question asks what it means: "
                "divide its odds by the weight 6 and turn them back into a probability.",
            ),
            Mistake(
                1 - odds / (1 + odds),
                "That is the probability of the negative class. Give the probability of "
                "the positive class.",
            ),
        ],
        what="the calibrated probability (a number between 0 and 1)",
        success="Odds 0.6 / 0.4 = 1.5, divided by 6 gives 0.25, probability 0.25 / 1.25 = "
        "0.2: the model's 0.6 means a one-in-five risk.",
    )


#: Exercise 11.6: the shop's costs per unit.
UNDER_COST, OVER_COST = 3.0, 1.0


def check_stock_quantile(answer):
    """Exercise 11.6: the quantile of demand the shop should order."""
    under, over = UNDER_COST, OVER_COST
    return check_value(
        "Exercise 11.6",
        answer,
        expected=under / (under + over),
        mistakes=[
            Mistake(
                over / (under + over),
                "The costs are swapped: running out is the expensive mistake, so the order "
                "must cover MORE than half of the days: q = c_under / (c_under + c_over).",
            ),
            Mistake(
                under / over,
                "A quantile is a fraction between 0 and 1. The pinball loss charges q per "
                "unit short and 1 - q per unit over: solve q / (1 - q) = 3.",
            ),
            Mistake(
                over / under,
                "That is a ratio of the costs, not a quantile: solve q / (1 - q) = "
                "c_under / c_over for q.",
            ),
            Mistake(
                0.5,
                "0.5 (the median) is right only when both mistakes cost the same per unit.",
            ),
            Mistake(
                100 * under / (under + over),
                "That is a percentage: give q as a fraction between 0 and 1.",
            ),
        ],
        what="the quantile q (a number between 0 and 1)",
        success="q = 3 / (3 + 1) = 0.75: order the 75% quantile of demand, enough on three "
        "days in four.",
    )


# -- the quiz ------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch11",
    [
        quiz_question(
            "Quiz 11.1",
            "What is the focal loss with gamma = 0 and no alpha?",
            {"A": "binary cross-entropy", "B": "zero for every example", "C": "the hinge loss"},
            "A",
            {
                "B": "(1 - p_t)**0 is 1, not 0: the factor disappears and leaves the "
                "cross-entropy whole.",
                "C": "The focal loss multiplies cross-entropy by (1 - p_t)**gamma; with "
                "gamma = 0 the factor is 1. The hinge loss is a different loss of the margin.",
            },
            success="Binary cross-entropy: the factor (1 - p_t)**0 is 1 for every example.",
        ),
        quiz_question(
            "Quiz 11.2",
            "You double both the cost of a false negative and of a false positive. What changes?",
            {
                "A": "the threshold p* halves",
                "B": "only the size of the gradients (as if the learning rate doubled)",
                "C": "the model becomes twice as cautious",
            },
            "B",
            {
                "A": "p* = c_FP / (c_FP + c_FN) depends only on the ratio of the costs, "
                "which doubling both leaves alone.",
                "C": "The loss is multiplied by 2, so its minimum, the best model, stays "
                "where it was; so do its decisions.",
            },
            success="The loss doubles, its minimum and p* stay put; every gradient doubles, "
            "exactly as if the learning rate had doubled.",
        ),
        quiz_question(
            "Quiz 11.3",
            "An example has label +1 and score 0.5. What is its hinge loss, and does it "
            "still push on the model?",
            {
                "A": "0, and no: it is classified correctly",
                "B": "0.5, and yes: its gradient is -1",
                "C": "1.5, and yes",
            },
            "B",
            {
                "A": "The hinge loss wants a margin of 1, not just the right sign: "
                "max(0, 1 - 0.5) = 0.5.",
                "C": "The margin y f is +0.5 (the sign is right): max(0, 1 - 0.5) = 0.5.",
            },
            success="max(0, 1 - 0.5) = 0.5 with gradient -1: right, but inside the margin, "
            "so training still pushes its score up.",
        ),
        quiz_question(
            "Quiz 11.4",
            "Your gradient passes a finite-difference check at one random point. Is it right?",
            {"A": "yes", "B": "not necessarily"},
            "B",
            {
                "A": "A bug can hide at one point: a branch that was not taken (the weight "
                "for e > 0 when every e was negative), or an error too small to see there.",
            },
            success="Not necessarily: check at many random points, away from kinks, with a "
            "relative error, and check the loss's own properties too.",
        ),
        quiz_question(
            "Quiz 11.5",
            "What must a loss you write for training have?",
            {
                "A": "it is never negative and is 0 at a perfect prediction",
                "B": "its minimum where you want the prediction, and a lower bound",
                "C": "a value of at most 1",
            },
            "B",
            {
                "A": "Many good losses have neither: cross-entropy with a soft target "
                "bottoms out at the entropy H(y) > 0 (chapter 8), a Gaussian NLL can be "
                "negative (chapter 5), and adding a constant to a loss changes nothing.",
                "C": "Squared errors and cross-entropy are unbounded above, and must be: "
                "a confident miss must cost a lot.",
            },
            success="Training only moves towards the minimum: it must sit where you want "
            "the prediction, and a loss unbounded below would have no minimum at all.",
        ),
        quiz_question(
            "Quiz 11.6",
            "A model trained with pos_weight = 6 predicts on average 0.33 on test patients "
            "of whom 14% are sick. What happened?",
            {
                "A": "it overfitted and must be retrained",
                "B": "the weight multiplied its odds by about 6; dividing them by 6 "
                "brings the average back to about 0.15",
                "C": "nothing: a model's mean probability never matches the base rate",
            },
            "B",
            {
                "A": "The shift is what the weight asks for: pos_weight w makes the "
                "minimiser's odds w times the true odds, on training and test data alike.",
                "C": "A model trained with plain cross-entropy and an intercept averages "
                "the base rate on its training data at the minimum (0.1425 here) and "
                "close to it on test data (0.1478).",
            },
            success="pos_weight shifts the odds by its factor on purpose; the prior "
            "correction divides them back.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
