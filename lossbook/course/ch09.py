"""Chapter 09, Multi-label classification: the tagged photos, thresholds, explorer, exercises."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Feedback, Mistake, check_function, check_value

# -- the data: photos described by five numbers, tagged with up to three labels ------------

LABELS = ("beach", "people", "sunset")
FEATURES = ("blue", "sand", "faces", "warm", "bright")

#: How each feature raises (or lowers) the log-odds of each label: one column per label.
TRUE_WEIGHTS = np.array(
    [
        # beach people sunset
        [2.0, 0.0, 0.6],  # blue: sky and sea
        [2.0, 0.0, 0.0],  # sand
        [0.0, 3.0, 0.0],  # faces: a face detector's score
        [0.0, 0.0, 2.5],  # warm: orange and red hues
        [0.3, 0.0, -1.5],  # bright
    ]
)
TRUE_BIASES = np.array([-0.5, -0.3, -1.5])


def make_photos(n: int = 600, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` photos as five standardised features and their tags (0/1, one column per label).

    Each tag is drawn on its own from a logistic model of the features, so a photo can
    have any number of tags, none included, and no model can be perfect (labels are noisy).
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, len(FEATURES)))
    probabilities = lb.sigmoid(X @ TRUE_WEIGHTS + TRUE_BIASES)
    Y = (rng.random(probabilities.shape) < probabilities).astype(float)
    return X, Y


def precision_recall(y_true, scores, threshold: float) -> tuple[float, float]:
    """Precision and recall of predicting the label when ``scores >= threshold``.

    precision = TP / (TP + FP), the share of predicted tags that are right; recall =
    TP / (TP + FN), the share of true tags that are found. With no tag predicted at all
    there is no wrong one: precision is then 1 by convention (recall is then 0).
    """
    c = counts(y_true, scores, threshold)
    tp, fp, fn = c["TP"], c["FP"], c["FN"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return float(precision), float(recall)


def confusion_counts(y, predicted) -> dict[str, int]:
    """True positives, false negatives, false positives and true negatives of the yes/no
    decisions ``predicted`` against the labels ``y`` (1 or True: positive)."""
    y = np.asarray(y) == 1
    predicted = np.asarray(predicted, dtype=bool)
    return {
        "TP": int(np.count_nonzero(y & predicted)),
        "FN": int(np.count_nonzero(y & ~predicted)),
        "FP": int(np.count_nonzero(~y & predicted)),
        "TN": int(np.count_nonzero(~y & ~predicted)),
    }


def counts(y_true, scores, threshold: float) -> dict[str, int]:
    """:func:`confusion_counts` of predicting the label when ``scores >= threshold``."""
    return confusion_counts(y_true, np.asarray(scores) >= threshold)


# -- the explorer ------------------------------------------------------------------------

THRESHOLDS = np.round(np.arange(0.1, 0.91, 0.1), 2)
CURVE = np.linspace(0.01, 0.99, 99)


def threshold_explorer(probabilities, y_true, *, seed: int = 0):
    """Choose a label and its threshold: the predicted probabilities of the photos with
    and without the tag, and precision and recall as the threshold moves.

    ``probabilities`` and ``y_true`` are (n, 3): a model's sigmoid outputs on photos it
    did not train on, and their tags.
    """
    from lossbook.explore import Choice, Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    probabilities = np.asarray(probabilities, dtype=float)
    y_true = np.asarray(y_true, dtype=bool)
    jitter = np.random.default_rng(seed).uniform(-0.25, 0.25, len(y_true))
    # precision and recall along the threshold, once per label (not on every slider move)
    pr_curves = [
        np.array([precision_recall(y_true[:, k], probabilities[:, k], t) for t in CURVE])
        for k in range(len(LABELS))
    ]

    figure, (strip, curves) = new_figure(ncols=2, figsize=(7.2, 3.3))
    positives = strip.scatter([], [], s=10, color=COLORS["data"], linewidths=0)
    negatives = strip.scatter([], [], s=10, color=COLORS["muted"], linewidths=0)
    strip_line = strip.axvline(0.5, color=COLORS["fit"], lw=2)
    strip.set(
        xlim=(0, 1),
        ylim=(-0.5, 1.5),
        yticks=[0, 1],
        yticklabels=["no tag", "tagged"],
        xlabel="predicted probability",
        title="one dot per test photo",
    )
    strip.grid(False, axis="y")

    (precision_curve,) = curves.plot([], [], color=COLORS["alt"], lw=2, label="precision")
    (recall_curve,) = curves.plot([], [], color=COLORS["data"], lw=2, ls="--", label="recall")
    (marks,) = curves.plot([], [], "o", color=COLORS["fit"], ms=7, zorder=3)
    curve_line = curves.axvline(0.5, color=COLORS["fit"], lw=1)
    curves.set(xlim=(0, 1), ylim=(0, 1.05), xlabel="threshold", title="precision and recall")
    curves.legend(loc="lower left", fontsize=9)

    def update(label, threshold):
        k = LABELS.index(label)
        p, y = probabilities[:, k], y_true[:, k]
        positives.set_offsets(np.column_stack([p[y], 1 + jitter[y]]))
        negatives.set_offsets(np.column_stack([p[~y], jitter[~y]]))
        strip_line.set_xdata([threshold, threshold])
        curve_line.set_xdata([threshold, threshold])
        pr = pr_curves[k]
        precision_curve.set_data(CURVE, pr[:, 0])
        recall_curve.set_data(CURVE, pr[:, 1])
        precision, recall = precision_recall(y, p, threshold)
        marks.set_data([threshold, threshold], [precision, recall])
        c = counts(y, p, threshold)
        return (
            f"{label}, threshold {threshold:.2f}: precision {precision:.3f} "
            f"(TP {c['TP']}, FP {c['FP']}), recall {recall:.3f} (FN {c['FN']})"
        )

    return Explorer(
        figure,
        update,
        [
            Choice("label", "label", list(LABELS)),
            Slider("threshold", "threshold", THRESHOLDS, value=0.5, fmt="{:.1f}"),
        ],
        title="A threshold per label: precision against recall",
        animated=[
            positives,
            negatives,
            strip_line,
            precision_curve,
            recall_curve,
            marks,
            curve_line,
        ],
    )


# -- exercises --------------------------------------------------------------------------


def _multilabel_bce(Y, Z):
    Y = np.asarray(Y, dtype=float)
    Z = np.asarray(Z, dtype=float)
    p = 1 / (1 + np.exp(-Z))
    return -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))


def _softmax_ce(Y, Z):
    Z = np.asarray(Z, dtype=float)
    log_q = Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))
    return -np.mean(np.sum(np.asarray(Y) * log_q, axis=1))


BCE_CASES = [
    ([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], [[2.0, -1.0, 0.5], [-0.5, 1.5, -2.0]]),
    ([[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]], [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]),
    ([[0.0, 0.0, 0.0, 1.0]], [[-3.0, 1.0, 0.2, 2.5]]),
    ([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]], [[3.0, 2.0, -1.0], [0.5, -2.5, 1.0]]),
]

BCE_MISTAKES = [
    Mistake(
        _softmax_ce,
        "You used a softmax over the labels: that makes the labels compete for one unit "
        "of probability. Use one sigmoid per label, 1 / (1 + exp(-z)), on every entry.",
    ),
    Mistake(
        lambda Y, Z: _multilabel_bce(Y, Z) * np.shape(Z)[1],
        "You summed over the labels and averaged over the photos. Average over every "
        "entry, photos and labels alike (np.mean of the whole (n, k) array).",
    ),
    Mistake(
        lambda Y, Z: _multilabel_bce(Y, Z) * np.size(Z),
        "You returned the sum over all entries. Average it: np.mean.",
    ),
    Mistake(
        lambda Y, Z: -_multilabel_bce(Y, Z),
        "The sign is off: log p is negative, so the loss is MINUS the mean of "
        "y log p + (1 - y) log(1 - p).",
    ),
    Mistake(
        lambda Y, Z: _multilabel_bce(1 - np.asarray(Y, dtype=float), Z),
        "y and 1 - y are swapped: a tagged label (y = 1) must pay -log p, "
        "an untagged one -log(1 - p).",
    ),
    Mistake(
        lambda Y, Z: -np.mean(np.asarray(Y) * np.log(1 / (1 + np.exp(-np.asarray(Z))))),
        "You kept only the y log p term. Untagged labels (y = 0) must pay too: "
        "add (1 - y) log(1 - p).",
    ),
]


def check_multilabel_bce(answer) -> Feedback:
    """Exercise 9.1: ``my_multilabel_bce(Y, Z)``, per-label BCE from logits, averaged."""
    return check_function(
        "Exercise 9.1",
        answer,
        reference=_multilabel_bce,
        cases=BCE_CASES,
        mistakes=BCE_MISTAKES,
        signature="my_multilabel_bce(Y, Z)",
        success="your my_multilabel_bce agrees with lb.binary_cross_entropy_with_logits "
        "on every case.",
    )


def _precision_recall(y_true, scores, threshold):
    return np.array(precision_recall(y_true, scores, threshold))


PR_CASES = [
    ([1, 0, 1, 1, 0, 0], [0.9, 0.6, 0.4, 0.7, 0.55, 0.1], 0.5),
    ([1, 1, 0, 0, 1, 1], [0.8, 0.3, 0.3, 0.9, 0.5, 0.2], 0.5),
    ([0, 1, 1, 0, 1, 0, 1], [0.2, 0.25, 0.9, 0.25, 0.6, 0.1, 0.45], 0.3),
    ([1, 0, 0, 1, 1], [0.7, 0.8, 0.1, 0.9, 0.6], 0.75),
]


def _pr_strict(y_true, scores, threshold):
    y = np.asarray(y_true, dtype=bool)
    predicted = np.asarray(scores) > threshold
    tp = np.sum(predicted & y)
    return np.array([tp / np.sum(predicted), tp / np.sum(y)])


PR_MISTAKES = [
    Mistake(
        lambda y, s, t: _precision_recall(y, s, t)[::-1],
        "Precision and recall are swapped. Precision divides by the tags you predicted "
        "(TP + FP); recall divides by the true tags (TP + FN). Return (precision, recall).",
    ),
    Mistake(
        _pr_strict,
        "A score equal to the threshold must count as predicted: use >= threshold, not >.",
    ),
    Mistake(
        lambda y, s, t: np.array(
            [
                np.mean((np.asarray(s) >= t) & np.asarray(y, dtype=bool)),
                _precision_recall(y, s, t)[1],
            ]
        ),
        "For precision, divide the true positives by the number of tags predicted "
        "(TP + FP, the scores >= threshold), not by the number of examples.",
    ),
    Mistake(
        lambda y, s, t: np.array([np.mean((np.asarray(s) >= t) == np.asarray(y, dtype=bool))] * 2),
        "That is accuracy, the share of right answers. Precision and recall count the "
        "true positives, against the predicted and against the true tags.",
    ),
]


def check_precision_recall(answer) -> Feedback:
    """Exercise 9.2: ``precision_recall(y_true, scores, threshold)`` for one label."""
    return check_function(
        "Exercise 9.2",
        answer,
        reference=_precision_recall,
        cases=PR_CASES,
        mistakes=PR_MISTAKES,
        signature="my_precision_recall(y_true, scores, threshold)",
        success="precision and recall right on every case, ties at the threshold included.",
    )


#: Exercise 9.3: logits for (beach, people, sunset) of a photo tagged beach and sunset.
EXAMPLE_LOGITS = np.array([1.5, -1.0, 1.5])


def check_beach_probabilities(answer) -> Feedback:
    """Exercise 9.3: [beach under sigmoid, beach under softmax] for EXAMPLE_LOGITS."""
    z = EXAMPLE_LOGITS
    sig = float(lb.sigmoid(z[0]))
    soft = float(lb.softmax(z)[0])
    return check_value(
        "Exercise 9.3",
        answer,
        expected=[sig, soft],
        mistakes=[
            Mistake([soft, sig], "The order is swapped: sigmoid first, then softmax."),
            Mistake(
                [sig, float(lb.softmax(z[[0, 2]])[0])],
                "Your softmax left out 'people'. A softmax runs over every label, "
                "the untagged ones too.",
            ),
            Mistake(
                [sig, float(np.exp(z[0]) / np.sum(z))],
                "A softmax divides exp(z) by the sum of exp(z), not of z.",
            ),
        ],
        what="the list [P(beach) with a sigmoid, P(beach) with a softmax]",
        success=f"sigmoid {sig:.4f}, softmax {soft:.4f}: the softmax must share one unit "
        "of probability between beach and sunset, so neither can pass 0.5.",
    )
