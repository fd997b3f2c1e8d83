"""Chapter 08, Categorical cross-entropy: the digits data, the explorer and the exercises."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import lossbook as lb
from lossbook.checks import (
    Feedback,
    Mistake,
    check_choice,
    check_function,
    check_value,
    run_learner_code,
)

# -- three classes, a target p and a prediction q ----------------------------------------

CLASSES = ("cat", "dog", "fox")

#: The targets the explorer offers: what the truth says about one photo.
TARGETS = {
    "one-hot (a cat)": np.array([1.0, 0.0, 0.0]),
    "soft (0.6/0.3/0.1)": np.array([0.6, 0.3, 0.1]),
    "uniform (1/3 each)": np.full(3, 1 / 3),
}

#: The probability the prediction gives the first class, "cat".
CAT_MASSES = np.round(np.arange(0.15, 0.91, 0.15), 2)  # 0.6 is among them: q = p


def predicted(cat_mass: float) -> np.ndarray:
    """A predicted distribution over (cat, dog, fox): ``cat_mass`` on "cat", the rest
    split 3 : 1 between "dog" and "fox" (so 0.6 gives exactly the soft target)."""
    rest = 1.0 - cat_mass
    return np.array([cat_mass, 0.75 * rest, 0.25 * rest])


def information(p, q) -> dict[str, float]:
    """The information measures of a target ``p`` and a prediction ``q``, in nats."""
    return {
        "H(p)": float(lb.entropy(p)),
        "H(p, q)": float(lb.cross_entropy(p, q)),
        "H(q, p)": float(lb.cross_entropy(q, p)),
        "KL(p||q)": float(lb.kl_divergence(p, q)),
        "KL(q||p)": float(lb.kl_divergence(q, p)),
    }


def _number(value: float) -> str:
    if np.isinf(value):
        return "inf"
    return f"{0.0 if abs(value) < 1e-12 else value:.4f}"  # no "-0.0000" when q = p


def cross_entropy_explorer():
    """A choice of target p and the mass q puts on "cat"; p, q and H(p,q), H(q,p), KL as bars."""
    from lossbook.explore import Choice, Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    figure, (left, right) = new_figure(ncols=2, figsize=(7.2, 3.2))
    x = np.arange(len(CLASSES))
    width = 0.38
    p_bars = left.bar(x - width / 2, np.zeros(3), width, color=COLORS["target"], label="p (truth)")
    q_bars = left.bar(x + width / 2, np.zeros(3), width, color=COLORS["data"], label="q (model)")
    left.set(xticks=x, xticklabels=CLASSES, ylim=(0, 1.08), title="target p and prediction q")
    left.legend(loc="upper right", fontsize=9)

    names = ["H(p, q)", "H(q, p)", "KL(p||q)"]
    top = 3.2
    bars = right.bar(
        range(3), np.zeros(3), color=[COLORS["data"], COLORS["fit"], COLORS["alt"]], width=0.6
    )
    labels = [right.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in range(3)]
    (entropy_line,) = right.plot([-0.45, 2.45], [0, 0], ls="--", color=COLORS["muted"])
    right.text(  # static: the value of H(p) is in the caption
        0.03, 0.97, "dashed line: H(p)", transform=right.transAxes, ha="left", va="top", fontsize=9
    )
    right.set(
        xticks=range(3),
        xticklabels=["H(p, q)", "H(q, p)", "KL(p || q)"],
        ylim=(0, top),
        xlim=(-0.6, 2.6),
        ylabel="nats",
        title="cross-entropy both ways, and KL",
    )

    def update(target, cat_mass):
        p = TARGETS[target]
        q = predicted(cat_mass)
        for bar, height in zip(p_bars, p, strict=True):
            bar.set_height(height)
        for bar, height in zip(q_bars, q, strict=True):
            bar.set_height(height)
        info = information(p, q)
        for bar, label, name in zip(bars, labels, names, strict=True):
            value = info[name]
            shown = min(value, 2.45)  # an infinite bar stops below the H(p) note
            bar.set_height(shown)
            label.set_position((label.get_position()[0], shown + 0.03))
            label.set_text("∞" if np.isinf(value) else f"{abs(value):.3f}")
            label.set_fontsize(15 if np.isinf(value) else 9)
            bar.set_hatch("//" if np.isinf(value) else "")  # a hatched bar: no finite height
        entropy_line.set_ydata([info["H(p)"], info["H(p)"]])
        return f"p = {np.round(p, 3).tolist()}, q = {np.round(q, 3).tolist()}: " + ", ".join(
            f"{name} {_number(info[name])}" for name in ["H(p)", *names]
        )

    return Explorer(
        figure,
        update,
        [
            Choice("target", "target p", list(TARGETS)),
            Slider("cat_mass", "q(cat)", CAT_MASSES, value=0.3, fmt="{:.2f}"),
        ],
        title="Edit the prediction q: cross-entropy is not symmetric",
        animated=[*p_bars, *q_bars, *bars, *labels, entropy_line],
    )


# -- the digits ---------------------------------------------------------------------------


def digits_data(*, test_fraction: float = 0.25, seed: int = 0) -> SimpleNamespace:
    """scikit-learn's 8x8 digit images, split at random (seeded) into train and test.

    The images are read from the file that ``sklearn.datasets.load_digits`` reads
    (``sklearn/datasets/data/digits.csv.gz``: 1,797 rows of 64 pixels and a label),
    without importing scikit-learn, whose import alone costs seconds of the chapter's
    time budget. ``tests/test_ch08.py`` checks the two agree.

    Pixels are standardised with the mean and standard deviation of the *training*
    images (a pixel that never varies keeps scale 1). Returns ``X_train``, ``X_test``
    (n x 64, standardised), ``y_train``, ``y_test`` (labels 0-9) and ``images_train``,
    ``images_test`` (n x 8 x 8, the raw pixel values 0-16, for display).
    """
    pixels, labels = load_digits()
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = round(test_fraction * len(order))
    test, train = order[:n_test], order[n_test:]
    mean = pixels[train].mean(axis=0)
    scale = pixels[train].std(axis=0)
    scale[scale == 0] = 1.0
    standardised = (pixels - mean) / scale
    return SimpleNamespace(
        X_train=standardised[train],
        X_test=standardised[test],
        y_train=labels[train],
        y_test=labels[test],
        images_train=pixels[train].reshape(-1, 8, 8),
        images_test=pixels[test].reshape(-1, 8, 8),
    )


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 digit images as (pixels n x 64 in 0-16, float; labels n, int)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")  # finds the package, does not import it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("scikit-learn is not installed; it ships the digit images")
    path = Path(spec.submodule_search_locations[0], "datasets", "data", "digits.csv.gz")
    table = np.loadtxt(path, delimiter=",")
    return table[:, :-1], table[:, -1].astype(int)


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    """Counts: row = true class, column = predicted class."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    flat = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


# -- exercises ----------------------------------------------------------------------------


def _cross_entropy(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    terms = np.zeros_like(p)
    with np.errstate(divide="ignore", invalid="ignore"):  # H(q, p) as a mistake: log 0
        np.multiply(p, np.log(q, where=p > 0, out=np.zeros_like(q)), where=p > 0, out=terms)
    return -np.sum(terms)


def _naive(p, q):
    with np.errstate(all="ignore"):
        return -np.sum(np.asarray(p) * np.log(q))


CROSS_ENTROPY_CASES = [
    ([0.6, 0.3, 0.1], [0.5, 0.25, 0.25]),
    ([0.5, 0.5], [0.9, 0.1]),
    ([1.0, 0.0, 0.0], [0.7, 0.2, 0.1]),
    ([0.0, 1.0, 0.0, 0.0], [0.25, 0.25, 0.0, 0.5]),
    ([0.2, 0.2, 0.2, 0.4], [0.1, 0.2, 0.3, 0.4]),
]

CROSS_ENTROPY_MISTAKES = [
    Mistake(
        lambda p, q: _cross_entropy(q, p),
        "You computed H(q, p): the arguments are swapped. The target p weighs the "
        "terms, the prediction q goes inside the log: -sum p log q.",
    ),
    Mistake(
        lambda p, q: -_cross_entropy(p, q),
        "Your result has the wrong sign. log q is negative for q < 1, so the formula "
        "starts with a minus: -sum p log q.",
    ),
    Mistake(
        lambda p, q: _cross_entropy(p, q) / np.log(2),
        "You used log base 2 (bits). This course measures in nats: use np.log.",
    ),
    Mistake(
        lambda p, q: _cross_entropy(p, q) / np.log(10),
        "You used log base 10. This course measures in nats: use np.log.",
    ),
    Mistake(
        lambda p, q: _cross_entropy(p, q) / len(p),
        "You averaged over the classes. Cross-entropy sums the terms p_j log q_j.",
    ),
    Mistake(
        lambda p, q: _cross_entropy(p, q) - _cross_entropy(p, p),
        "You computed the KL divergence, H(p, q) - H(p). Cross-entropy has no log p term: "
        "-sum p log q.",
    ),
]

ZERO_LOG_ZERO_HINT = (
    "Your result is nan where p has a 0: NumPy computes 0 * log(0) as 0 * (-inf) = nan. "
    "By convention 0 log 0 = 0: keep only the terms where p > 0 (a mask, p[p > 0], or "
    "np.where)."
)


def _nan_where_p_is_zero(answer) -> str | None:
    """ZERO_LOG_ZERO_HINT when the answer is nan on a case with a 0 in p (0 * log 0)."""
    for p, q in CROSS_ENTROPY_CASES:
        if 0 in p and np.isnan(run_learner_code(answer, p, q).result):
            return ZERO_LOG_ZERO_HINT
    return None


def check_cross_entropy(answer) -> Feedback:
    """Exercise 8.1: ``my_cross_entropy(p, q)`` for two distributions, 0 log 0 = 0."""
    return check_function(
        "Exercise 8.1",
        answer,
        reference=_cross_entropy,
        cases=CROSS_ENTROPY_CASES,
        mistakes=CROSS_ENTROPY_MISTAKES,
        diagnoses=[_nan_where_p_is_zero],
        signature="my_cross_entropy(p, q)",
        success="your my_cross_entropy agrees with H(p, q) on every case, zeros in p included.",
    )


#: Exercise 8.2: a classifier's probabilities for one image whose true digit is 5.
DIGIT_PROBABILITIES = np.array([0.01, 0.02, 0.05, 0.60, 0.02, 0.10, 0.01, 0.04, 0.10, 0.05])
DIGIT_TRUE = 5


def check_digit_loss(answer) -> Feedback:
    """Exercise 8.2: the categorical cross-entropy of one prediction, true digit 5."""
    q = DIGIT_PROBABILITIES
    expected = -np.log(q[DIGIT_TRUE])
    return check_value(
        "Exercise 8.2",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                -np.log(q.max()),
                "You used the probability of the digit the model picked (3). The loss "
                "looks at the probability of the true digit, 5.",
            ),
            Mistake(
                np.log(q[DIGIT_TRUE]),
                "The sign is off: the loss is MINUS the log of the true class's probability.",
            ),
            Mistake(-np.log2(q[DIGIT_TRUE]), "You used log base 2; use the natural log."),
            Mistake(-np.log10(q[DIGIT_TRUE]), "You used log base 10; use the natural log."),
            Mistake(
                -np.sum(np.log(q)),
                "You added -log q over every digit. With a one-hot target only the true "
                "digit's term is left.",
            ),
            Mistake(
                -np.log(1 - q[DIGIT_TRUE]),
                "You used 1 - q: that is the probability of 'not a 5'. Use q[5] itself.",
            ),
            Mistake(
                q[DIGIT_TRUE],
                "That is the probability of a 5 itself. The loss is minus its log: -log q[5].",
            ),
            Mistake(
                -np.log(q[DIGIT_TRUE - 1]),
                "You took the probability of the digit 4. Python counts from 0, so the "
                "probability of the digit 5 is q_digits[5], the sixth entry.",
            ),
            Mistake(
                -np.log(q[DIGIT_TRUE + 1]),
                "You took the probability of the digit 6. The probability of the digit 5 is "
                "q_digits[5] (Python counts from 0).",
            ),
        ],
        what="the categorical cross-entropy for this image",
        success=f"-log(0.10) = {expected:.4f}: a model that gives the true digit "
        "probability 0.1 pays 2.3 nats, whatever it does with the other digits.",
    )


def check_loss_order(answer) -> Feedback:
    """Exercise 8.3: which order of arguments is the training loss?"""
    return check_choice(
        "Exercise 8.3",
        answer,
        options={
            "A": "",
            "B": "With a one-hot label p, H(q, p) has log p = log 0 = -inf wherever the "
            "model gives a wrong class any probability: it is infinite for almost every "
            "prediction and gives no gradient to follow.",
        },
        correct="A",
        success="A: H(p, q) with p the labels and q the model. Its log is taken of q, "
        "which softmax keeps positive, so it is finite and is -log q[true class].",
    )
