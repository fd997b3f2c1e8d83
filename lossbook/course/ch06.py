"""Chapter 06, From logits to probabilities: the softmax explorer and the exercises."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, check_function, check_value, overflows, run_learner_code

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
            Choice("logits", "logits", list(LOGIT_VECTORS), value="clear winner"),
            Slider("temperature", "temperature T", TEMPERATURES, value=1.0),
        ],
        title="Softmax with temperature: pick the logits, move T",
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
