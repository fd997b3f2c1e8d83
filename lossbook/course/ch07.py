"""Chapter 07, Binary cross-entropy (log loss): the explorer and the exercises."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import (
    Mistake,
    Quiz,
    check_choice,
    check_function,
    check_value,
    overflows,
    quiz_question,
    run_learner_code,
)

# -- the explorer --------------------------------------------------------------------

PROBABILITIES = (0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
LOSS_TOP = 5.0  # the explorer's y axis: -log(0.01) = 4.6 fits


def bce_for_each_label(p: float) -> tuple[float, float]:
    """The binary cross-entropy of one prediction ``p`` if the label is 1, and if it is 0."""
    losses = lb.binary_cross_entropy(np.array([1.0, 0.0]), np.array([p, p]), reduction="none")
    return float(losses[0]), float(losses[1])


def bce_explorer():
    """The predicted probability p; the loss for y = 1 and for y = 0 marked on their curves."""
    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, (curves, bars) = new_figure(ncols=2, figsize=(7.2, 3.2))
    grid = np.linspace(0.005, 0.995, 199)
    curves.plot(grid, -np.log(grid), color=COLORS["data"], lw=2, label="y = 1: $-\\log \\hat p$")
    curves.plot(
        grid, -np.log1p(-grid), color=COLORS["fit"], lw=2, label="y = 0: $-\\log(1-\\hat p)$"
    )
    where = curves.axvline(0.5, color=COLORS["muted"], lw=1, ls="--")
    (dot_1,) = curves.plot([], [], "o", ms=8, color=COLORS["data"], zorder=3, clip_on=False)
    (dot_0,) = curves.plot([], [], "o", ms=8, color=COLORS["fit"], zorder=3, clip_on=False)
    curves.set(
        xlim=(0, 1),
        ylim=(0, LOSS_TOP),
        xlabel="predicted probability p̂ that y = 1",
        ylabel="loss",
        title="binary cross-entropy of one prediction",
    )
    curves.legend(loc="upper center")

    heights = bars.bar(["y = 1", "y = 0"], [0, 0], color=[COLORS["data"], COLORS["fit"]])
    labels = [bars.text(i, 0, "", ha="center", va="bottom") for i in range(2)]
    bars.set(ylim=(0, LOSS_TOP), title="the loss if the label is ...")

    def update(p):
        loss_1, loss_0 = bce_for_each_label(p)
        where.set_xdata([p, p])
        dot_1.set_data([p], [loss_1])
        dot_0.set_data([p], [loss_0])
        for bar, label, loss in zip(heights, labels, (loss_1, loss_0), strict=True):
            bar.set_height(loss)
            label.set_position((label.get_position()[0], min(loss, LOSS_TOP - 0.4) + 0.05))
            label.set_text(f"{loss:.3f}")
        return f"p̂ = {p:.2f}: loss {loss_1:.4f} if y = 1, {loss_0:.4f} if y = 0"

    return Explorer(
        figure,
        update,
        [
            Slider(
                "p",
                "predicted probability p̂",
                PROBABILITIES,
                value=0.7,
                step=0.01,
                valuetext="predicted probability p̂ = {value}",
            )
        ],
        title="Binary cross-entropy: move the predicted probability",
        description=(
            "Left: the two loss curves against the predicted probability p̂, -log p̂ for "
            "label 1 falling from left to right and -log(1 - p̂) for label 0 rising, a dot "
            "on each at the chosen p̂. Right: two bars with the same two losses"
        ),
        animated=[where, dot_1, dot_0, *heights, *labels],
    )


# -- exercises ------------------------------------------------------------------------


def _bce_logits(y, z):
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def _quiet(function):
    """Run a mistake quietly: the naive forms overflow and take log(0) on purpose."""

    def quiet(*args):
        with np.errstate(all="ignore"):
            return function(*args)

    return quiet


@_quiet
def _naive(y, z):
    y = np.asarray(y, dtype=float)
    p = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _clipped(eps):
    @_quiet
    def clipped(y, z):
        y = np.asarray(y, dtype=float)
        p = np.clip(1 / (1 + np.exp(-np.asarray(z, dtype=float))), eps, 1 - eps)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    return clipped


@_quiet
def _clamped_logs(y, z):
    """PyTorch's BCELoss on sigmoid(z): each log clamped at -100."""
    y = np.asarray(y, dtype=float)
    p = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    log_p = np.maximum(np.log(p), -100)
    log_q = np.maximum(np.log(1 - p), -100)
    return -np.mean(y * log_p + (1 - y) * log_q)


@_quiet
def _no_abs(y, z):
    """The stable one-liner with exp(-z) for exp(-|z|)."""
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))


#: Small logits first (a naive answer passes them), then the large ones.
BCE_CASES = [
    ([1.0, 0.0], [0.0, 0.0]),
    ([1.0, 0.0, 1.0, 0.0], [2.0, -1.0, -3.0, 0.5]),
    ([0.0, 1.0], [40.0, -40.0]),
    ([0.0, 1.0, 1.0], [1000.0, -1000.0, 1000.0]),
]

OVERFLOW_HINT = (
    "Your loss is right for small logits but not finite for large ones such as 40 or 1000: "
    "1 - sigmoid(40) rounds to exactly 0 in float64, and log(0) is -inf. Do not form p: "
    "use log(sigmoid(z)) = min(z, 0) - log1p(exp(-|z|)) and log(1 - sigmoid(z)) = "
    "log(sigmoid(-z)), or the whole loss max(z, 0) - z*y + log1p(exp(-|z|))."
)

BCE_MISTAKES = [
    Mistake(
        _clipped(1e-7),
        "You clipped the probability (to [1e-7, 1 - 1e-7]): the loss is finite but capped, "
        "so a confidently wrong logit of 40 costs 16.1 instead of 40. Compute the loss from "
        "the logits without forming p.",
    ),
    Mistake(
        _clipped(1e-15),
        "You clipped the probability (to [1e-15, 1 - 1e-15]): the loss is finite but capped, "
        "so a confidently wrong logit of 40 costs 34.5 instead of 40. Compute the loss from "
        "the logits without forming p.",
    ),
    Mistake(
        _clamped_logs,
        "You clamped the logs at -100, as binary_cross_entropy on probabilities does: "
        "1 - sigmoid(40) rounds to 0, so a logit of 40 on the wrong side costs 100 "
        "instead of 40. "
        "Compute the loss from the logits without forming p.",
    ),
    Mistake(
        _quiet(_no_abs),
        "Inside log1p you wrote exp(-z) where the stable form has exp(-|z|): "
        "max(z, 0) - z*y + log1p(exp(-|z|)). Without the absolute value the loss is wrong "
        "for negative logits and exp(-z) overflows for large negative ones.",
    ),
    Mistake(
        lambda y, z: -_bce_logits(y, z),
        "Your loss has the wrong sign: log p is negative, so the loss is MINUS the "
        "log-likelihood, -[y log p + (1 - y) log(1 - p)].",
    ),
    Mistake(
        lambda y, z: _bce_logits(y, z) * np.size(y),
        "You returned the sum over the examples. Return the mean (divide by their number).",
    ),
    Mistake(
        lambda y, z: _bce_logits(1 - np.asarray(y, dtype=float), z),
        "The two terms are swapped: y = 1 must pay -log(sigmoid(z)), y = 0 must pay "
        "-log(1 - sigmoid(z)) = -log(sigmoid(-z)).",
    ),
    Mistake(
        lambda y, z: _bce_logits(y, z) / np.log(2),
        "Your loss is in bits (log base 2). Cross-entropy in this course uses the natural "
        "log (nats): np.log, np.log1p.",
    ),
]

#: Labels on the wrong side of logits of +-40: the true loss is 40 per example.
WRONG_AT_40 = BCE_CASES[2]


def _capped(answer) -> str | None:
    """A finite loss below 40 on WRONG_AT_40, right on the small logits: p was clipped."""
    for case in BCE_CASES[:2]:
        result = run_learner_code(answer, *case).result
        try:
            if not np.allclose(np.asarray(result, dtype=float), _bce_logits(*case)):
                return None
        except (TypeError, ValueError):
            return None
    try:
        got = float(run_learner_code(answer, *WRONG_AT_40).result)
    except (TypeError, ValueError):
        return None
    if np.isfinite(got) and got < _bce_logits(*WRONG_AT_40) - 1e-6:
        return (
            f"Your loss is right for small logits but capped for large ones: a logit of 40 on "
            f"the wrong side costs {got:.1f} instead of 40. Clipping the probability (or "
            "clamping its log) does that. Compute the loss from the logits without forming p: "
            "max(z, 0) - z*y + log1p(exp(-|z|))."
        )
    return None


def check_bce_with_logits(answer):
    """Exercise 7.1: ``my_bce_with_logits(y, logits)``, the mean loss, stable for any logit."""
    return check_function(
        "Exercise 7.1",
        answer,
        reference=_bce_logits,
        cases=BCE_CASES,
        mistakes=BCE_MISTAKES,
        diagnoses=[_capped, overflows(OVERFLOW_HINT, reference=_bce_logits, cases=BCE_CASES)],
        signature="my_bce_with_logits(y, logits)",
        success="your loss matches binary cross-entropy on every case, "
        "and a logit of 1000 on the wrong side costs exactly 1000.",
    )


SPAM_LABELS = np.array([1.0, 1.0, 1.0, 0.0])
SPAM_PROBS = np.array([0.9, 0.9, 0.9, 0.999])


def _mean_and_share(per_example):
    per_example = np.asarray(per_example, dtype=float)
    return [float(per_example.mean()), float(per_example[-1] / per_example.sum())]


def check_confident_mistake(answer):
    """Exercise 7.2: [mean BCE of the four emails, share of the total from the last one]."""
    y, p = SPAM_LABELS, SPAM_PROBS
    right = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    expected = _mean_and_share(right)
    log10 = -(y * np.log10(p) + (1 - y) * np.log10(1 - p))
    wrong_term = -(y * np.log(p) + (1 - y) * np.log(p))
    return check_value(
        "Exercise 7.2",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                _mean_and_share(log10),
                "You used the base-10 logarithm. Cross-entropy uses the natural log (np.log).",
            ),
            Mistake(
                _mean_and_share(wrong_term),
                "For the email with y = 0 the loss is -log(1 - p), not -log(p): "
                "the model said spam with p = 0.999, so it gave 'not spam' only 0.001.",
            ),
            Mistake(
                [float(right.sum()), expected[1]],
                "The first number is the sum of the four losses; the mean divides it by 4.",
            ),
            Mistake(
                [expected[0], float(right[-1] / right.mean())],
                "The share is the last email's loss divided by the SUM of the four losses "
                "(a number between 0 and 1), not by their mean.",
            ),
            Mistake(
                [expected[0], 100 * expected[1]],
                "The share is a percentage: give it as a fraction between 0 and 1.",
            ),
            Mistake(
                [expected[0], float(right[-1] / right[:-1].sum())],
                "You divided the last email's loss by the other three losses (a ratio, about "
                "22). The share divides it by the total of all four, a fraction between 0 and 1.",
            ),
            Mistake(
                [expected[0], 1 - expected[1]],
                "That is the share of the three correct emails. The question asks for the "
                "share of the fourth, the confident mistake.",
            ),
        ],
        what="the list [mean loss over the four emails, share of the total loss from the last one]",
        success=f"the mean loss is {expected[0]:.4f}, and the one confident mistake makes "
        f"{expected[1]:.1%} of it.",
    )


# -- exercise 7.4: the best constant prediction --------------------------------------

BASE_RATE = 0.2


def _mean_bce_constant(p_hat, rate=BASE_RATE):
    """Mean BCE of predicting p_hat for every example when a share ``rate`` is positive."""
    return float(-(rate * np.log(p_hat) + (1 - rate) * np.log(1 - p_hat)))


def check_best_constant(answer):
    """Exercise 7.4: [the best constant p-hat, its mean BCE] on data with 20% positives."""
    best = _mean_bce_constant(BASE_RATE)
    return check_value(
        "Exercise 7.4",
        answer,
        expected=[BASE_RATE, best],
        mistakes=[
            Mistake(
                [0.5, float(np.log(2))],
                "p̂ = 0.5 costs log 2 = 0.6931 on any data, but it is not the best constant "
                "here: try a few values of p̂ between 0 and 1 and compare their mean losses.",
            ),
            Mistake(
                [BASE_RATE, float(np.log(2))],
                "The best p̂ is right, but log 2 is the loss at p̂ = 0.5. Compute the mean "
                "loss at your p̂: -[0.2 log p̂ + 0.8 log(1 - p̂)].",
            ),
            Mistake(
                [BASE_RATE, best / np.log(2)],
                "The loss is in bits (log base 2). The course uses natural logs (nats).",
            ),
            Mistake(
                [1 - BASE_RATE, _mean_bce_constant(1 - BASE_RATE)],
                "0.8 is the share of NEGATIVES. p̂ is the probability of y = 1.",
            ),
            Mistake(
                [BASE_RATE, 0.0],
                "The loss cannot reach 0 here: each label is 0 or 1, and p̂ = 0.2 gives "
                "neither label probability 1.",
            ),
        ],
        what="the list [best constant p̂, its mean binary cross-entropy]",
        success=f"the best constant is the base rate, p̂ = {BASE_RATE}, with mean BCE "
        f"{best:.4f} = H(0.2): the bar a model on these data must beat, lower than "
        f"log 2 = {np.log(2):.4f}.",
    )


# -- exercise 7.5: separable data --------------------------------------------------------

SEPARABLE_OPTIONS = {
    "A": "They settle at finite values where the training loss is exactly 0.",
    "B": "Their size grows without bound (slowly, about like log of the step count), "
    "while the loss creeps towards 0.",
    "C": "They converge to finite values, as on the overlapping clouds.",
    "D": "They overflow to inf or nan within a few steps.",
}


def check_separable(answer):
    """Exercise 7.5: what gradient descent on BCE does to the weights on separable data."""
    return check_choice(
        "Exercise 7.5",
        answer,
        options={
            "A": "The loss of a point is log(1 + e^-m) for its margin m: positive for every "
            "finite m. It reaches 0 only in the limit of infinite weights.",
            "B": "",
            "C": "On overlapping clouds the misclassified points pull back and the loss has a "
            "finite minimum. On separable data nothing pulls back: every step still lowers "
            "the loss by making the weights larger.",
            "D": "The gradient is (sigma(z) - y) times the input, bounded and shrinking as the "
            "fit improves: the weights grow slowly, to |w| = 8.5751 after 10,000 steps in the "
            "section on separable data.",
        },
        correct="B",
        success="every point's loss log(1 + e^-m) keeps falling as the margins m grow, so "
        "the weights grow without bound; only their direction settles.",
    )


# -- the quiz -------------------------------------------------------------------------

QUIZ = Quiz(
    "ch07",
    [
        quiz_question(
            "Quiz 7.1",
            "A data set has 10% positives. Which constant prediction has the lower mean BCE?",
            {
                "A": "p̂ = 0.5 for every example (log 2 = 0.6931)",
                "B": "p̂ = 0.1 for every example",
                "C": "both score log 2",
            },
            "B",
            {
                "A": "log 2 is the loss of a model with no opinion, but a constant at the "
                "base rate scores H(0.1) = 0.3251: that, not log 2, is the bar to beat here.",
                "C": "p̂ = 0.5 scores log 2 whatever the labels; p̂ = 0.1 scores "
                "-[0.1 log 0.1 + 0.9 log 0.9] = 0.3251.",
            },
            success="The base rate scores H(0.1) = 0.3251 < log 2 = 0.6931: on imbalanced "
            "data log 2 is a low bar.",
        ),
        quiz_question(
            "Quiz 7.2",
            "In float64, log(1 - sigmoid(z)) becomes -inf already at z = 37, but "
            "log(sigmoid(z)) stays finite down to z = -745. Why the difference?",
            {
                "A": "sigmoid(z) rounds to exactly 1 from z = 36.74 on, while near 0 floats "
                "are dense: sigmoid(z) rounds to 0 only below z = -745.13",
                "B": "exp(37) overflows",
                "C": "the log of a small number is inaccurate",
            },
            "A",
            {
                "B": "exp(37) is about 1.2e16, far below the float64 limit of 1.8e308 "
                "(exp overflows only above z = 709.78).",
                "C": "log is accurate for any positive float, however small; the trouble is "
                "that 1 - sigmoid(z) has already become exactly 0.",
            },
            success="Near 1 the float spacing is 1.1e-16, so 1 - sigmoid(z) is lost beyond "
            "z = 36.74; near 0 floats reach down to 4.9e-324.",
        ),
        quiz_question(
            "Quiz 7.3",
            "A model predicts p̂ = 0.9 for an example whose label is 1. What is its loss?",
            {
                "A": "0, because the prediction is on the right side of 0.5",
                "B": "-log 0.9 = 0.1054",
                "C": "(1 - 0.9)^2 = 0.01",
            },
            "B",
            {
                "A": "Being on the right side of 0.5 is not being certain: for label 1, BCE is "
                "0 only at p̂ = 1.",
                "C": "That is the squared error of chapter 3, not the binary cross-entropy.",
            },
            success="Correct and not certain still costs -log 0.9 = 0.1054.",
        ),
        quiz_question(
            "Quiz 7.4",
            "Model A gives the true label 0.99 on 99 examples and 0.0001 on one; model B "
            "gives it 0.7 on all 100. Which has the lower mean BCE?",
            {"A": "model A", "B": "model B", "C": "neither: A's mistake makes its loss infinite"},
            "A",
            {
                "B": "B pays -log 0.7 = 0.3567 on every example; A pays 0.1021 on average, "
                "its one mistake included.",
                "C": "-log 0.0001 = 9.2103 is large but finite, and the mean spreads it over "
                "100 examples.",
            },
            success="A: 0.1021 against B's 0.3567.",
        ),
        quiz_question(
            "Quiz 7.5",
            "For a logistic model z = w u + b, which loss is convex in the weights?",
            {
                "A": "binary cross-entropy",
                "B": "the squared error (sigmoid(z) - y)^2",
                "C": "both",
            },
            "A",
            {
                "B": "Its second derivative in w turns negative wherever the model leans to "
                "the wrong label, confidently wrong included (for label 1 with u = 1 and "
                "b = 0: wherever sigmoid(w) < 1/3).",
                "C": "Only BCE: its second derivative is sigma(z)(1 - sigma(z)) u^2 >= 0. "
                "The squared error bends the other way on its plateau.",
            },
            success="BCE's curvature is sigma(1 - sigma) u^2 >= 0 everywhere: one valley.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
