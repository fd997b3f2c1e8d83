"""Chapter 09, Multi-label classification: the tagged photos, precision, recall and F1 along
the threshold, the explorer, the exercises and the quiz."""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import (
    Feedback,
    Mistake,
    Quiz,
    check_choice,
    check_function,
    check_value,
    quiz_question,
)

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


def f1_score(y_true, scores, threshold: float) -> float:
    """F1 = 2 P R / (P + R), the harmonic mean of precision and recall, which is
    2 TP / (2 TP + FP + FN); 0 when there is no true positive."""
    c = counts(y_true, scores, threshold)
    tp, fp, fn = c["TP"], c["FP"], c["FN"]
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def pr_curve(y_true, scores, thresholds=None) -> np.ndarray:
    """Rows (threshold, precision, recall, F1), one per threshold (default :data:`CURVE`)."""
    thresholds = CURVE if thresholds is None else np.asarray(thresholds, dtype=float)
    return np.array(
        [(t, *precision_recall(y_true, scores, t), f1_score(y_true, scores, t)) for t in thresholds]
    )


def best_f1_threshold(y_true, scores, thresholds=None) -> float:
    """The threshold (of ``thresholds``, default :data:`CURVE`) with the highest F1; the
    lowest such threshold on a tie."""
    curve = pr_curve(y_true, scores, thresholds)
    return float(curve[np.argmax(curve[:, 3]), 0])


def threshold_for_recall(y_true, scores, recall: float) -> float:
    """The highest threshold whose recall is at least ``recall``: one of the scores of the
    positives, so the same recall can be matched for models with differently spread scores."""
    y = np.asarray(y_true) == 1
    positives = np.sort(np.asarray(scores, dtype=float)[y])[::-1]
    needed = int(np.ceil(recall * len(positives) - 1e-9))  # how many positives to reach
    return float(positives[max(needed, 1) - 1])


# -- the explorer ------------------------------------------------------------------------

THRESHOLDS = np.round(np.arange(0.1, 0.91, 0.1), 2)
CURVE = np.linspace(0.01, 0.99, 99)


def threshold_explorer(probabilities, y_true, *, seed: int = 0):
    """Choose a label and its threshold: the predicted probabilities of the photos with
    and without the tag, and precision and recall as the threshold moves.

    ``probabilities`` and ``y_true`` are (n, 3): a model's sigmoid outputs on photos it
    did not train on (the validation photos, where thresholds are chosen), and their tags.
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
        title="one dot per photo",
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
            f"{label} at {threshold:.2f}: precision {precision:.3f} "
            f"(TP {c['TP']}, FP {c['FP']}), recall {recall:.3f} (FN {c['FN']}), "
            f"F1 {f1_score(y, p, threshold):.3f}"
        )

    return Explorer(
        figure,
        update,
        [
            Choice("label", "label", list(LABELS), valuetext="label {value}"),
            Slider(
                "threshold",
                "threshold",
                THRESHOLDS,
                value=0.5,
                fmt="{:.1f}",
                valuetext="threshold {value} on the predicted probability",
            ),
        ],
        title="A threshold per label: precision against recall",
        description=(
            "Left: one dot per validation photo at its predicted probability for the chosen "
            "label, photos that have the tag on the upper row, the others on the lower row; "
            "a vertical line marks the threshold, and the photos to its right get the tag. "
            "Right: precision (solid) and recall (dashed) of that label for every threshold, "
            "with dots at the current one. Raising the threshold lowers recall or leaves it."
        ),
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
        lambda y, s, t: np.array(
            [
                _precision_recall(y, s, t)[0],
                np.mean((np.asarray(s) >= t) & np.asarray(y, dtype=bool)),
            ]
        ),
        "For recall, divide the true positives by the number of true tags (TP + FN, "
        "the ones in y_true), not by the number of examples.",
    ),
    Mistake(
        lambda y, s, t: np.array([np.mean((np.asarray(s) >= t) == np.asarray(y, dtype=bool))] * 2),
        "That is accuracy, the share of right answers. Precision and recall count the "
        "true positives, against the predicted and against the true tags.",
    ),
]


def check_precision_recall(answer) -> Feedback:
    """Exercise 9.4: ``precision_recall(y_true, scores, threshold)`` for one label."""
    return check_function(
        "Exercise 9.4",
        answer,
        reference=_precision_recall,
        cases=PR_CASES,
        mistakes=PR_MISTAKES,
        signature="my_precision_recall(y_true, scores, threshold)",
        success="precision and recall right on every case, ties at the threshold included.",
    )


#: Exercise 9.2: logits for (beach, people, sunset) of a photo tagged beach and sunset.
#: Beach and sunset differ, so the probabilities of the wrong label cannot pass for beach's.
EXAMPLE_LOGITS = np.array([1.5, -1.0, 1.0])


def check_beach_probabilities(answer) -> Feedback:
    """Exercise 9.2: [beach under sigmoid, beach under softmax] for EXAMPLE_LOGITS."""
    z = EXAMPLE_LOGITS
    sig = float(lb.sigmoid(z[0]))
    soft = float(lb.softmax(z)[0])
    sunset_sig, sunset_soft = float(lb.sigmoid(z[2])), float(lb.softmax(z)[2])
    return check_value(
        "Exercise 9.2",
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
            Mistake(
                [sunset_sig, sunset_soft],
                "Those are the probabilities of 'sunset', the third label. 'beach' is the "
                "first: z[0].",
            ),
        ],
        what="the list [P(beach) with a sigmoid, P(beach) with a softmax]",
        success=f"sigmoid {sig:.4f}, softmax {soft:.4f}. The sigmoids give both true tags a "
        f"high probability ({sig:.4f} and {sunset_sig:.4f}); the softmax leaves sunset only "
        f"{sunset_soft:.4f}: the two true tags share less than one unit, so at most one "
        "passes 0.5.",
    )


#: Exercise 9.3: one photo's sigmoid outputs for (beach, people, sunset).
TAG_SET_PROBABILITIES = np.array([0.8, 0.1, 0.6])


def check_tag_set_probability(answer) -> Feedback:
    """Exercise 9.3: the probability the sigmoids give to the tag set {beach, sunset}."""
    b, pe, su = TAG_SET_PROBABILITIES
    return check_value(
        "Exercise 9.3",
        answer,
        expected=b * (1 - pe) * su,
        mistakes=[
            Mistake(
                b * su,
                "That is P(beach and sunset) whatever 'people' is. The tag set says "
                "'no people' too: multiply by 1 - p̂(people).",
            ),
            Mistake(
                b * pe * su,
                "'people' is NOT in the set: its factor is 1 - p̂(people), not p̂(people).",
            ),
            Mistake(
                (b + su) / 2,
                "Independent labels multiply; they are not averaged.",
            ),
            Mistake(
                -np.log(b * (1 - pe) * su),
                "That is -log of the probability (the summed loss of the three labels). "
                "Give the probability itself.",
            ),
            Mistake(
                np.log(b * (1 - pe) * su),
                "That is the log of the probability. Give the probability itself.",
            ),
            Mistake(
                1 - b * (1 - pe) * su,
                "That is the probability of any OTHER tag set. Give the probability of "
                "exactly {beach, sunset}.",
            ),
        ],
        what="the probability of exactly the tags {beach, sunset}",
        success=f"{b:.1f} x (1 - {pe:.1f}) x {su:.1f} = {b * (1 - pe) * su:.4f}; its -log, "
        f"{-np.log(b * (1 - pe) * su):.4f}, is the sum of the three labels' "
        "binary cross-entropies.",
    )


#: Exercise 9.5: one label's counts on the validation photos at one threshold.
F1_COUNTS = {"TP": 30, "FP": 4, "FN": 26}


def check_f1(answer) -> Feedback:
    """Exercise 9.5: F1 of the counts F1_COUNTS."""
    tp, fp, fn = F1_COUNTS["TP"], F1_COUNTS["FP"], F1_COUNTS["FN"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return check_value(
        "Exercise 9.5",
        answer,
        expected=2 * precision * recall / (precision + recall),
        mistakes=[
            Mistake(
                (precision + recall) / 2,
                "That is the ordinary (arithmetic) mean of precision and recall. F1 is "
                "their harmonic mean, 2 P R / (P + R), which stays low when either is low.",
            ),
            Mistake(
                np.sqrt(precision * recall),
                "That is the geometric mean. F1 is the harmonic mean, 2 P R / (P + R).",
            ),
            Mistake(
                tp / (tp + fp + fn),
                "TP / (TP + FP + FN) is the Jaccard index. F1 counts the true positives "
                "twice: 2 TP / (2 TP + FP + FN).",
            ),
            Mistake(precision, "That is the precision alone, TP / (TP + FP)."),
            Mistake(recall, "That is the recall alone, TP / (TP + FN)."),
            Mistake(
                2 * precision * recall,
                "You forgot to divide by P + R: F1 = 2 P R / (P + R).",
            ),
        ],
        what="the F1 score",
        success=f"precision {precision:.4f}, recall {recall:.4f}, F1 "
        f"{2 * precision * recall / (precision + recall):.4f} = 2 TP / (2 TP + FP + FN): "
        "pulled towards the weaker of the two.",
    )


#: Exercise 9.6: a label present in this many of the training photos.
RARE_POSITIVES, RARE_PHOTOS = 45, 300
#: Exercise 9.6 (b): the milder weight the model is finally trained with. Not the balancing
#: weight of (a): with that one, 1 / (1 + w) is the base rate 45 / 300 identically, and the
#: folklore "threshold at the base rate" would pass for the odds reasoning.
MILD_WEIGHT = 3.0


def check_pos_weight(answer) -> Feedback:
    """Exercise 9.6 (a): the pos_weight that balances a label's positives and negatives."""
    pos, n = RARE_POSITIVES, RARE_PHOTOS
    w = (n - pos) / pos
    return check_value(
        "Exercise 9.6 (a)",
        answer,
        expected=w,
        mistakes=[
            Mistake(
                pos / (n - pos),
                "Upside down: the positives are rare, so their weight must be ABOVE 1. "
                "pos_weight = negatives / positives.",
            ),
            Mistake(
                n / pos,
                "That divides all photos by the positives. pos_weight = negatives / "
                "positives, so the positives weigh as much as the negatives in all.",
            ),
            Mistake(pos / n, "That is the share of photos with the label, not a weight."),
        ],
        what="pos_weight",
        success=f"{n - pos} negatives / {pos} positives = {w:.4f}: in the loss, the {pos} "
        f"positives now weigh as much as the {n - pos} negatives.",
    )


def check_matching_threshold(answer) -> Feedback:
    """Exercise 9.6 (b): the threshold on a plain model's probability that matches a model
    trained with pos_weight MILD_WEIGHT and read at 0.5."""
    pos, n = RARE_POSITIVES, RARE_PHOTOS
    w = MILD_WEIGHT
    return check_value(
        "Exercise 9.6 (b)",
        answer,
        expected=1 / (1 + w),
        mistakes=[
            Mistake(
                w / (1 + w),
                "That threshold is above 0.5: it would tag LESS often. The weighted model "
                "tags more often, so the matching threshold is below 0.5: 1 / (1 + w).",
            ),
            Mistake(
                1 / w,
                "Odds are not probabilities. The weighted model says 0.5 where the plain "
                "model's odds p / (1 - p) are 1 / w, that is where p = 1 / (1 + w).",
            ),
            Mistake(
                0.5,
                "The weight multiplies the odds the model learns by w, so its 0.5 sits "
                "where the plain model says less than 0.5.",
            ),
            Mistake(
                pos / n,
                f"That is the label's share of the photos, {pos} / {n}: the matching "
                "threshold for the balancing weight of (a), where 1 / (1 + w) is exactly "
                f"the base rate. This model is trained with w = {w:g}: use 1 / (1 + w).",
            ),
        ],
        what="the threshold on the plain model's probability",
        success=f"1 / (1 + {w:g}) = {1 / (1 + w):.4f}: chapter 11's p* = c_FP / (c_FP + c_FN) "
        f"with c_FN / c_FP = w. With the balancing weight of (a) the same formula gives "
        f"{pos} / {n} = {pos / n:.2f}, the label's share of the photos.",
    )


XRAY_OPTIONS = {
    "A": "",
    "B": "Above 0.5 makes the model tag pneumonia LESS often: more missed cases, the "
    "costly mistake.",
    "C": "Below 0.5 is right, but the loss need not change: the sigmoid's probability is "
    "already there, and moving the threshold after training trades recall for precision. "
    "(Re-weighting the loss is another route, chapter 11; it is not needed.)",
    "D": "0.5 is the best threshold only when both mistakes cost the same; here a missed "
    "pneumonia costs far more than a second look.",
}


def check_xray_threshold(answer) -> Feedback:
    """Exercise 9.7: where to put the pneumonia threshold, and whether to change the loss."""
    return check_choice(
        "Exercise 9.7",
        answer,
        options=XRAY_OPTIONS,
        correct="A",
        success="Below 0.5, the loss unchanged: recall of pneumonia goes up (fewer missed "
        "cases), precision goes down (more second looks).",
    )


# -- the quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch09",
    [
        quiz_question(
            "Quiz 9.1",
            "A softmax over five labels gives a photo (0.45, 0.40, 0.05, 0.05, 0.05). How "
            "many labels does the photo have?",
            {
                "A": "One: the label with 0.45",
                "B": "Two: the labels with 0.45 and 0.40",
                "C": "The softmax cannot tell",
                "D": "None: no label passes 0.5",
            },
            "C",
            {
                "A": "A photo with two labels would get about the same numbers: a softmax "
                "splits one unit between true labels.",
                "B": "A photo with one label the model is unsure about would get about the "
                "same numbers.",
                "D": "At most one softmax entry can pass 0.5, whatever the photo: that says "
                "nothing about 'none'.",
            },
            success="Probabilities that must add up to 1 cannot say 'both', nor 'none'. One "
            "sigmoid per label can.",
        ),
        quiz_question(
            "Quiz 9.2",
            "With one sigmoid per label, must a photo's probabilities add up to 1?",
            {
                "A": "Yes, as for every classifier",
                "B": "No",
                "C": "Only for photos with exactly one tag",
            },
            "B",
            {
                "A": "Only a softmax makes the labels share one unit. Each sigmoid answers its "
                "own yes-or-no question.",
                "C": "The model does not know how many tags a photo has; nothing ties its "
                "sigmoids together for any photo.",
            },
            success="No: (0.9, 0.9, 0.9) says 'probably all three', (0.1, 0.1, 0.1) "
            "'probably none'.",
        ),
        quiz_question(
            "Quiz 9.3",
            "You lower a label's threshold from 0.5 to 0.3. What happens?",
            {
                "A": "Recall rises or stays; precision usually falls",
                "B": "Precision rises, recall falls",
                "C": "Both rise",
                "D": "Nothing: the model is the same",
            },
            "A",
            {
                "B": "That is what RAISING the threshold does: fewer, surer tags.",
                "C": "Recall can only rise, but the new tags are the less certain ones: "
                "more of them are wrong.",
                "D": "The probabilities are the same, but more photos pass 0.3 than 0.5, so "
                "the tags change.",
            },
            success="No tag found at 0.5 is lost at 0.3, so recall cannot fall; the extra "
            "tags are less sure, so precision usually falls.",
        ),
        quiz_question(
            "Quiz 9.4",
            "Before training all weights and biases are 0. What is the multi-label loss (the "
            "mean over photos and labels), whatever the data?",
            {
                "A": "0",
                "B": "log 2 = 0.6931",
                "C": "3 log 2 = 2.0794 for three labels",
                "D": "It depends on how many tags the photos have",
            },
            "B",
            {
                "A": "Every probability is sigmoid(0) = 0.5, far from a perfect 0 or 1.",
                "C": "That is the sum over three labels; the mean over labels divides it by 3.",
                "D": "With p̂ = 0.5 a tag and a missing tag cost the same, -log 0.5.",
            },
            success="Every probability is 0.5 and every entry costs -log 0.5 = log 2 = 0.6931.",
        ),
        quiz_question(
            "Quiz 9.5",
            "You choose each label's threshold to give the best F1 on the test photos, and "
            "report that F1. What is wrong?",
            {
                "A": "Nothing: the test photos were not used for training",
                "B": "The F1 is optimistic: the threshold was fitted to the photos that judge it",
                "C": "F1 cannot be computed per label",
            },
            "B",
            {
                "A": "Choosing a threshold is fitting too; data used to choose cannot judge "
                "the choice without flattering it.",
                "C": "F1 is computed per label from that label's TP, FP and FN.",
            },
            success="Choose on validation photos, judge once on test photos.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
