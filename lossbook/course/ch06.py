"""Chapter 06, From logits to probabilities: the softmax explorer and the exercises."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Feedback, Mistake, check_function, check_value

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


def _elementwise_sigmoid(z):
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
    ([[1000.0, 999.0], [-3.0, -1.0]],),
]

#: The logits on which a softmax without the shift overflows (or underflows to 0 / 0).
LARGE_LOGITS = ([1000.0, 999.0, 990.0], [-1000.0, -1001.0, -1002.0])

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
        _elementwise_sigmoid,
        "That is the sigmoid of each score on its own. Softmax looks at the whole row: "
        "exp(z_i) divided by the sum of exp(z_j) over the row.",
    ),
    Mistake(
        _log_softmax,
        "You returned the log-probabilities (log-softmax). Return the probabilities themselves.",
    ),
]


def _misbehaves_on_large_logits(answer) -> bool:
    """True when the answer is right on small logits but not finite on large ones."""
    for (case,) in SOFTMAX_CASES[:2]:
        try:
            with np.errstate(all="ignore"):
                got = answer(np.array(case))
            if got is None or not np.allclose(np.asarray(got, dtype=float), _stable_softmax(case)):
                return False
        except Exception:  # noqa: BLE001 - the learner's code may raise anything
            return False
    for case in LARGE_LOGITS:
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(answer(np.array(case)), dtype=float)
        except Exception:  # noqa: BLE001 - the learner's code may raise anything
            continue
        if got.size and not np.all(np.isfinite(got)):
            return True
    return False


def check_stable_softmax(answer):
    """Exercise 6.1: ``my_softmax(z)``, a softmax over the last axis that never overflows."""
    feedback = check_function(
        "exercise 6.1",
        answer,
        reference=_stable_softmax,
        cases=SOFTMAX_CASES,
        mistakes=SOFTMAX_MISTAKES,
        signature="my_softmax(z)",
        success="your my_softmax gives probabilities that sum to 1 on every row, "
        "and stays finite for logits of 1000 and -1000.",
    )
    if feedback.passed or not callable(answer):
        return feedback
    if _misbehaves_on_large_logits(answer):
        return Feedback(feedback.exercise, False, feedback.message, OVERFLOW_HINT)
    return feedback


TEMPERATURE_LOGITS = np.array([2.0, 1.0, 0.1])


def _top(temperature_scaled_logits):
    return float(lb.softmax(temperature_scaled_logits)[0])


def check_temperature(answer):
    """Exercise 6.2: [top probability at T = 0.5, top probability at T = 5]."""
    z = TEMPERATURE_LOGITS
    expected = [_top(z / 0.5), _top(z / 5.0)]
    return check_value(
        "exercise 6.2",
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
