"""Chapter 06, From logits to probabilities: the softmax explorer and the exercises."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import (
    Mistake,
    Quiz,
    check_function,
    check_value,
    overflows,
    quiz_question,
    run_learner_code,
)

# -- the explorer --------------------------------------------------------------------

CLASSES = ("cat", "dog", "fox", "owl")

#: A few logit vectors (one score per class) a four-class model might output.
LOGIT_VECTORS = {
    "clear winner": np.array([3.0, 1.0, 0.2, -1.0]),
    "close race": np.array([1.2, 1.0, 0.6, -0.5]),
    "tie at the top": np.array([2.0, 2.0, 0.0, -1.0]),
    "all negative": np.array([-2.0, -3.0, -3.5, -6.0]),
}

TEMPERATURES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


def tempered_softmax(logits, temperature: float) -> np.ndarray:
    """``softmax(logits / temperature)``: below 1 sharper, above 1 flatter."""
    return lb.softmax(np.asarray(logits, dtype=float) / temperature)


def softmax_explorer():
    """A choice of logit vectors and a temperature; the logits and the probabilities as bars."""
    from lossbook.explore import Choice, Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, (left, right) = new_figure(ncols=2, figsize=(7.2, 3.2))
    x = np.arange(len(CLASSES))
    start = LOGIT_VECTORS["clear winner"]

    logit_bars = left.bar(x, start, color=COLORS["muted"])
    logit_labels = [left.text(i, 0, "", ha="center", fontsize=9) for i in x]
    left.axhline(0, color="black", lw=0.8)
    left.set(
        xticks=x,
        xticklabels=CLASSES,
        ylim=(-7, 4.2),
        title="logits z (raw scores, any real number)",
    )

    prob_bars = right.bar(x, tempered_softmax(start, 1.0), color=COLORS["data"])
    prob_labels = [right.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in x]
    total = right.text(3.4, 1.06, "", ha="right", fontsize=9)
    right.set(
        xticks=x,
        xticklabels=CLASSES,
        ylim=(0, 1.12),
        title="softmax(z / T): probabilities",
    )

    def update(logits, temperature):
        z = LOGIT_VECTORS[logits]
        p = tempered_softmax(z, temperature)
        for bar, label, value in zip(logit_bars, logit_labels, z, strict=True):
            bar.set_height(value)
            label.set_position((label.get_position()[0], value + (0.1 if value >= 0 else -0.1)))
            label.set_verticalalignment("bottom" if value >= 0 else "top")
            label.set_text(f"{value:g}")
        for bar, label, value in zip(prob_bars, prob_labels, p, strict=True):
            bar.set_height(value)
            label.set_position((label.get_position()[0], value + 0.01))
            label.set_text(f"{value:.3f}")
        total.set_text(f"T = {temperature:g}, sum = {p.sum():.3f}")
        shown = ", ".join(f"{v:.3f}" for v in p)
        return f"{logits}, T = {temperature:g}: probabilities [{shown}], top class {p.max():.3f}"

    return Explorer(
        figure,
        update,
        [
            Choice(
                "logits",
                "logits",
                list(LOGIT_VECTORS),
                value="clear winner",
                valuetext="logit row: {value}",
            ),
            Slider(
                "temperature",
                "temperature T",
                TEMPERATURES,
                value=1.0,
                valuetext="temperature T = {value}",
            ),
        ],
        title="Softmax with temperature: pick the logits, move T",
        description=(
            "Two bar charts for a four-class model (cat, dog, fox, owl). Left: the chosen "
            "row of logits, raw scores above or below zero. Right: the probabilities "
            "softmax of z divided by T, each bar labelled, summing to 1"
        ),
        animated=[*logit_bars, *logit_labels, *prob_bars, *prob_labels, total],
    )


# -- exercises ------------------------------------------------------------------------


def _stable_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _naive_softmax(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / np.sum(e, axis=-1, keepdims=True)


def _unnormalised(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z - np.max(z, axis=-1, keepdims=True))


def _whole_array(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _row_max_whole_sum(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e)


def _elementwise_sigmoid(z):
    with np.errstate(over="ignore"):  # exp(1000) is inf; 1 / (1 + inf) is the right 0
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _softmax_down_columns(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _log_softmax(z):
    z = np.asarray(z, dtype=float)
    s = z - np.max(z, axis=-1, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))


#: The cases of exercise 6.1: small logits first, then rows, then the large ones.
SOFTMAX_CASES = [
    ([1.0, 2.0, 3.0],),
    ([0.5, -1.0, 2.0, 0.0],),
    ([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],),
    ([1000.0, 999.0, 990.0],),
    ([-1000.0, -1001.0, -1002.0],),
    ([1000.0, 0.0, -1000.0],),
    ([[1000.0, 999.0], [-3.0, -1.0]],),
]

#: Logits spread far apart: a shift by the minimum or the mean still overflows on them.
SPREAD_LOGITS = SOFTMAX_CASES[5][0]

SPREAD_HINT = (
    "Your softmax survives [1000, 999, 990] but returns nan or inf on [1000, 0, -1000]: "
    "shifting by the minimum or the mean still leaves an exponent as large as exp(1000) "
    "when the logits are spread out. Subtract each row's maximum: then every exponent "
    "is at most exp(0) = 1."
)

OVERFLOW_HINT = (
    "Your softmax returns nan or inf for large logits such as [1000, 999, 990]: "
    "np.exp(1000) overflows to inf, and inf / inf is nan. Subtract each row's maximum "
    "first (np.max(z, axis=-1, keepdims=True)): the probabilities do not change, and "
    "every exponent is then <= 0."
)

SOFTMAX_MISTAKES = [
    Mistake(
        _unnormalised,
        "Your numbers do not sum to 1: after the exponentials, divide by their sum.",
    ),
    Mistake(
        _whole_array,
        "Each row must sum to 1 on its own, but you normalised over the whole array. "
        "Take the maximum and the sum along the last axis: axis=-1, keepdims=True.",
    ),
    Mistake(
        _row_max_whole_sum,
        "Each row must sum to 1 on its own, but you divided by the sum of the whole array. "
        "Sum along the last axis: np.sum(e, axis=-1, keepdims=True).",
    ),
    Mistake(
        _elementwise_sigmoid,
        "That is the sigmoid of each score on its own. Softmax looks at the whole row: "
        "exp(z_i) divided by the sum of exp(z_j) over the row.",
    ),
    Mistake(
        _softmax_down_columns,
        "Right on a single row, but on a 2-D array each COLUMN of yours sums to 1: you took "
        "the maximum and the sum along axis 0. Each row is one example: use axis=-1 "
        "(the last axis), as in np.max(z, axis=-1, keepdims=True).",
    ),
    Mistake(
        _log_softmax,
        "You returned the log-probabilities (log-softmax). Return the probabilities themselves.",
    ),
]


#: A row of large logits next to a row of small ones: one maximum for the whole array
#: (instead of one per row) leaves the small row at exp(-1000) = 0 and 0 / 0 = nan.
MIXED_ROWS = SOFTMAX_CASES[-1][0]

WHOLE_MAX_HINT = (
    "Your softmax is right on each row alone, but on [[1000, 999], [-3, -1]] the second "
    "row comes out nan: you subtracted the maximum of the whole array (1000), so that row "
    "underflows to exp(-1000) = 0 and 0 / 0 = nan. Subtract each row's own maximum: "
    "np.max(z, axis=-1, keepdims=True)."
)

KEEPDIMS_HINT = (
    "On a 2-D array the row maxima (or sums) must stay a column to broadcast against the "
    "rows: pass keepdims=True, as in np.max(z, axis=-1, keepdims=True)."
)


def _not_finite(answer, case) -> bool:
    """True when the answer on ``case`` is an array with nan or inf in it."""
    got = np.asarray(run_learner_code(answer, case).result, dtype=float)
    return bool(got.size) and not np.all(np.isfinite(got))


def _right_on_each_row(answer, cases=None) -> bool:
    """True when the answer is the softmax on each 1-D case (the rows taken alone)."""
    if cases is None:
        cases = [*SOFTMAX_CASES[:2], *((row,) for row in MIXED_ROWS)]
    for (case,) in cases:
        got = run_learner_code(answer, case).result
        if got is None or not np.allclose(np.asarray(got, dtype=float), _stable_softmax(case)):
            return False
    return True


def _spread_overflows(answer) -> str | None:
    """SPREAD_HINT when the answer is right on the small cases but not on widely spread logits."""
    if _right_on_each_row(answer, SOFTMAX_CASES[:5]) and _not_finite(answer, SPREAD_LOGITS):
        return SPREAD_HINT
    return None


def _whole_max_row_sum(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def _fails_on_rows(answer):
    """For an answer right on each row alone: which hint its 2-D results call for, or None."""
    if not _right_on_each_row(answer):
        return None
    try:
        with np.errstate(all="ignore"):
            answer(np.array(SOFTMAX_CASES[2][0]))
            got = np.asarray(answer(np.array(MIXED_ROWS)), dtype=float)
            whole_max = _whole_max_row_sum(MIXED_ROWS)
    except ValueError as error:
        return KEEPDIMS_HINT if "broadcast" in str(error) else None
    except Exception:  # noqa: BLE001 - the learner's code may raise anything
        return None
    if got.shape == whole_max.shape and np.allclose(got, whole_max, equal_nan=True):
        return WHOLE_MAX_HINT
    return None


def check_stable_softmax(answer):
    """Exercise 6.1: ``my_softmax(z)``, a softmax over the last axis that never overflows."""
    return check_function(
        "Exercise 6.1",
        answer,
        reference=_stable_softmax,
        cases=SOFTMAX_CASES,
        mistakes=SOFTMAX_MISTAKES,
        diagnoses=[
            _spread_overflows,
            _fails_on_rows,
            overflows(OVERFLOW_HINT, reference=_stable_softmax, cases=SOFTMAX_CASES),
        ],
        signature="my_softmax(z)",
        success="your my_softmax gives probabilities that sum to 1 on every row, "
        "and stays finite for logits of 1000 and -1000.",
    )


TEMPERATURE_LOGITS = np.array([2.0, 1.0, 0.1])


def _top(temperature_scaled_logits):
    return float(lb.softmax(temperature_scaled_logits)[0])


def check_temperature(answer):
    """Exercise 6.2: [top probability at T = 0.5, top probability at T = 5]."""
    z = TEMPERATURE_LOGITS
    expected = [_top(z / 0.5), _top(z / 5.0)]
    return _check_temperature_value(answer, z, expected)


def _check_temperature_value(answer, z, expected):
    return check_value(
        "Exercise 6.2",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                [_top(z * 0.5), _top(z * 5.0)],
                "You multiplied the logits by T. Temperature divides them: softmax(z / T).",
            ),
            Mistake(
                [expected[1], expected[0]],
                "The numbers are right but swapped: T = 0.5 first, then T = 5.",
            ),
            Mistake(
                [_top(z), _top(z)],
                "Both numbers are the plain softmax (T = 1). Divide the logits by T first.",
            ),
            Mistake(
                [float(z[0] / 0.5 / np.sum(z / 0.5)), float(z[0] / 5.0 / np.sum(z / 5.0))],
                "You divided each logit by the sum of the logits. Softmax exponentiates first: "
                "exp(z_i / T) / sum_j exp(z_j / T).",
            ),
        ],
        what="the list [top-class probability at T = 0.5, top-class probability at T = 5]",
        success=f"at T = 0.5 the top class gets {expected[0]:.4f}, at T = 5 only "
        f"{expected[1]:.4f}: a low temperature sharpens, a high one flattens.",
    )


# -- exercise 6.4: one-hot encoding ---------------------------------------------------


def _one_hot(labels, num_classes):
    labels = np.asarray(labels, dtype=int)
    return (labels[:, None] == np.arange(num_classes)).astype(float)


#: The cases of exercise 6.4: (labels, num_classes). The first has more labels than
#: classes, so a matrix as wide as the number of labels shows up at once.
ONE_HOT_CASES = [
    ([1, 0, 2, 1], 3),
    ([3, 0, 7], 10),
    ([0], 2),
    ([4, 4], 5),
]

ONE_HOT_MISTAKES = [
    Mistake(
        lambda labels, k: np.eye(k)[np.asarray(labels) - 1],
        "Each 1 sits one place to the left: classes are numbered from 0, so label c "
        "puts its 1 in column c (np.eye(k)[labels], no -1).",
    ),
    Mistake(
        lambda labels, k: np.eye(k)[np.asarray(labels)].T,
        "Your matrix is transposed: one ROW per label (shape (n, k)), one column per class.",
    ),
    Mistake(
        lambda labels, k: np.eye(len(labels))[np.asarray(labels)],
        "The width is the number of classes, num_classes, not the number of labels.",
    ),
    Mistake(
        lambda labels, k: np.eye(k)[np.asarray(labels)].sum(axis=0),
        "You added the rows up (a count per class). Return one row per label: shape (n, k).",
    ),
    Mistake(
        lambda labels, k: np.asarray(labels, dtype=float),
        "You returned the labels themselves. Build a 2-D array of zeros, shape "
        "(len(labels), num_classes), and put a 1 in column labels[i] of row i.",
    ),
    Mistake(
        lambda labels, k: 1.0 - np.eye(k)[np.asarray(labels)],
        "Ones and zeros are swapped: the 1 marks the true class, every other entry is 0.",
    ),
]


def check_one_hot(answer):
    """Exercise 6.4: ``my_one_hot(labels, num_classes)``, one row per label."""
    return check_function(
        "Exercise 6.4",
        answer,
        reference=_one_hot,
        cases=ONE_HOT_CASES,
        mistakes=ONE_HOT_MISTAKES,
        diagnoses=[_one_hot_raises],
        signature="my_one_hot(labels, num_classes)",
        success="one row per label, a single 1 in the column of its class; "
        "np.argmax(..., axis=1) reads the labels back.",
    )


def _one_hot_raises(answer):
    """An IndexError on a label >= len(labels) is the width taken from the labels."""
    run = run_learner_code(answer, *ONE_HOT_CASES[1])
    if run.error and run.error.startswith("IndexError"):
        return ONE_HOT_MISTAKES[2].hint
    return None


# -- exercise 6.5: the slope of the sigmoid ------------------------------------------------


def _sigmoid_slope(z):
    s = float(lb.sigmoid(z))
    return s * (1 - s)


SLOPE_POINTS = (0.0, 3.0)


def check_sigmoid_slope(answer):
    """Exercise 6.5: [sigma'(0), sigma'(3)] from sigma' = sigma (1 - sigma)."""
    expected = [_sigmoid_slope(z) for z in SLOPE_POINTS]
    sig = [float(lb.sigmoid(z)) for z in SLOPE_POINTS]
    return check_value(
        "Exercise 6.5",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                sig,
                "Those are the values of the sigmoid itself, sigma(0) and sigma(3). "
                "The slope is sigma(z) * (1 - sigma(z)).",
            ),
            Mistake(
                [1 - s for s in sig],
                "That is 1 - sigma(z) alone; multiply it by sigma(z).",
            ),
            Mistake(
                [float(np.exp(-z)) for z in SLOPE_POINTS],
                "That is exp(-z), the numerator of the derivative only; divide by "
                "(1 + exp(-z))**2, which is the same as sigma(z) * (1 - sigma(z)).",
            ),
            Mistake(
                expected[::-1],
                "The numbers are right but swapped: z = 0 first, then z = 3.",
            ),
        ],
        what="the list [slope of the sigmoid at z = 0, slope at z = 3]",
        success=f"the sigmoid is steepest at 0, slope {expected[0]:.4f} = 1/4, and at z = 3 "
        f"its slope is already down to {expected[1]:.4f}.",
    )


# -- the quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch06",
    [
        quiz_question(
            "Quiz 6.1",
            "A model outputs the logits [2.0, -1.0, 0.5]. Which class does it predict?",
            {
                "A": "class 0, and the logits alone tell",
                "B": "class 0, but only the softmax can tell",
                "C": "class 1, the logit farthest from zero",
                "D": "none yet: logits must be turned into probabilities first",
            },
            "A",
            {
                "B": "The softmax keeps the order of the logits, so the largest logit is "
                "always the most probable class; the softmax only adds how sure the model is.",
                "C": "The size of a logit counts, not its distance from zero: -1.0 is the "
                "smallest score here.",
                "D": "The exponential is increasing, so the softmax never reorders the "
                "classes: the largest logit already names the prediction.",
            },
            success="Class 0: the softmax keeps the order of the logits; it adds only how "
            "sure the model is.",
        ),
        quiz_question(
            "Quiz 6.2",
            "What happens to the softmax probabilities if you add 5 to every logit, "
            "and if you multiply every logit by 2?",
            {
                "A": "both leave them unchanged",
                "B": "adding 5 changes nothing; doubling makes them sharper",
                "C": "adding 5 makes them sharper; doubling changes nothing",
                "D": "both make them sharper",
            },
            "B",
            {
                "A": "Doubling doubles the differences between logits: it is a softmax "
                "with temperature 1/2, a sharper distribution.",
                "C": "The other way round: a shared shift cancels in the fraction, a factor "
                "scales the differences.",
                "D": "Adding the same number multiplies every exp(z_j) by e^5, which "
                "cancels between numerator and denominator.",
            },
            success="Only differences matter: a shift cancels, doubling is temperature 1/2.",
        ),
        quiz_question(
            "Quiz 6.3",
            "The softmax of [1000, 999, 990] prints 0.0000 for the third class. Why?",
            {
                "A": "the softmax gives exactly 0 for a logit 10 below the top",
                "B": "float64 cannot store a number as small as 3.3e-5",
                "C": "printing rounds: the stored value is 3.32e-5",
            },
            "C",
            {
                "A": "Every exp(z_i) is positive, so in exact arithmetic every softmax "
                "probability is strictly between 0 and 1.",
                "B": "float64 stores positive numbers down to about 2.2e-308 (4.9e-324 with "
                "subnormals); 3.3e-5 is no problem.",
            },
            success="Four decimals show anything below 5e-5 as 0.0000; the float holds 3.32e-5.",
        ),
        quiz_question(
            "Quiz 6.4",
            "Which shift keeps the float64 softmax of [1000, 0, -1000] finite?",
            {
                "A": "subtracting the mean of the logits",
                "B": "subtracting the maximum of the logits",
                "C": "either, they are the same for this row",
            },
            "B",
            {
                "A": "The mean is 0, so the shifted row is still [1000, 0, -1000] and "
                "exp(1000) overflows to inf: the result is nan.",
                "C": "The mean is 0 and the maximum 1000: after subtracting the mean "
                "exp(1000) still overflows.",
            },
            success="After subtracting the maximum every exponent is at most exp(0) = 1.",
        ),
        quiz_question(
            "Quiz 6.5",
            "A ten-class softmax gives digit 3 the probability 0.7613. Is digit 3's logit "
            "log(0.7613 / (1 - 0.7613)) = 1.16?",
            {
                "A": "yes: a logit is always the log-odds of its probability",
                "B": "no: softmax logits are log-probabilities up to a constant shared by the row",
            },
            "B",
            {
                "A": "That holds for the single logit of a sigmoid. The softmax logits can all "
                "be shifted by the same number without changing any probability, so none of "
                "them is fixed by its own probability: here z_3 = 4.2.",
            },
            success="z_i = log p̂_i + logsumexp(z): only the differences between logits are fixed.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
