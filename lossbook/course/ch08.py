"""Chapter 08, Categorical cross-entropy: the digits data, the explorer and the exercises."""

from __future__ import annotations

from types import SimpleNamespace

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
            Choice("target", "target p", list(TARGETS), valuetext="target p {value}"),
            Slider(
                "cat_mass",
                "q(cat)",
                CAT_MASSES,
                value=0.3,
                fmt="{:.2f}",
                valuetext="prediction q gives cat {value}",
            ),
        ],
        title="Edit the prediction q: cross-entropy is not symmetric",
        description=(
            "Left: bars of the target p and the prediction q over cat, dog and fox. Right: "
            "bars of H(p, q), H(q, p) and KL(p || q) in nats, a hatched bar marking an "
            "infinite value, and a dashed line at the entropy H(p)."
        ),
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
    Mistake(
        lambda p, q: _cross_entropy(p, p),
        "You computed the entropy H(p): your result does not depend on q. The prediction q "
        "goes inside the log: -sum p log q.",
    ),
    Mistake(
        lambda p, q: -np.log(np.asarray(q, dtype=float)[np.argmax(p)]),
        "You kept only -log q of the most likely class. That is H(p, q) for a one-hot p, "
        "not for a soft one: sum over every class, each term weighted by p_j.",
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


#: Exercise 8.2: a classifier's probabilities for one image whose true digit is 5. All ten
#: differ, so the loss of the true digit cannot coincide with that of a wrong one.
DIGIT_PROBABILITIES = np.array([0.005, 0.015, 0.04, 0.58, 0.01, 0.12, 0.03, 0.06, 0.09, 0.05])
DIGIT_TRUE = 5


def _wrong_digit_hint(digit: int) -> str:
    if digit == DIGIT_TRUE - 1:
        return (
            "You took the probability of the digit 4. Python counts from 0, so the "
            "probability of the digit 5 is q_digits[5], the sixth entry."
        )
    if digit == DIGIT_TRUE + 1:
        return (
            "You took the probability of the digit 6, one entry too far. The entries are the "
            "digits 0 to 9 in order, so the probability of the digit 5 is q_digits[5]."
        )
    if digit == int(np.argmax(DIGIT_PROBABILITIES)):
        return (
            "You used the probability of the digit the model picked (3). The loss "
            "looks at the probability of the true digit, 5."
        )
    return (
        f"You used the probability of the digit {digit}. The image shows a 5: the loss is "
        "-log q_digits[5]."
    )


def digit_loss_exercise():
    """Exercise 8.2 as data: the right value and every typical mistake, each a value."""
    q = DIGIT_PROBABILITIES
    c = DIGIT_TRUE
    return dict(
        expected=-np.log(q[c]),
        mistakes=[
            *[Mistake(-np.log(q[j]), _wrong_digit_hint(j)) for j in range(len(q)) if j != c],
            Mistake(
                np.log(q[c]),
                "The sign is off: the loss is MINUS the log of the true class's probability.",
            ),
            Mistake(-np.log2(q[c]), "You used log base 2; use the natural log."),
            Mistake(-np.log10(q[c]), "You used log base 10; use the natural log."),
            Mistake(
                -np.sum(np.log(q)),
                "You added -log q over every digit. With a one-hot target only the true "
                "digit's term is left.",
            ),
            Mistake(
                -np.log(1 - q[c]),
                "You used 1 - q: that is the probability of 'not a 5'. Use q[5] itself.",
            ),
            Mistake(
                q[c],
                "That is the probability of a 5 itself. The loss is minus its log: -log q[5].",
            ),
        ],
    )


def check_digit_loss(answer) -> Feedback:
    """Exercise 8.2: the categorical cross-entropy of one prediction, true digit 5."""
    data = digit_loss_exercise()
    return check_value(
        "Exercise 8.2",
        answer,
        **data,
        what="the categorical cross-entropy for this image",
        success=f"-log(0.12) = {data['expected']:.4f}: the model gave the true digit "
        "probability 0.12, and how it spread the rest plays no part.",
    )


def check_loss_order(answer) -> Feedback:
    """Exercise 8.3: which order of arguments is the training loss?"""
    return check_choice(
        "Exercise 8.3",
        answer,
        options={
            "A": "",
            "B": "With a one-hot label y, H(p̂, y) takes log y = log 0 = -inf wherever the "
            "model gives a wrong class any probability: it is infinite for every prediction "
            "but the one-hot itself and gives no gradient to follow.",
        },
        correct="A",
        success="A: H(y, p̂), the labels first, the model second. Its log is taken of p̂, "
        "which a softmax keeps positive, so it is finite: -log p̂ of the true class.",
    )


# Exercise 8.4: a prediction that calls "fox" impossible.
ZERO_PREDICTION = np.array([0.5, 0.5, 0.0])


def check_zero_one_hot(answer) -> Feedback:
    """Exercise 8.4 (a): H(y, p̂) for the one-hot "cat" target and p̂ = (0.5, 0.5, 0)."""
    return check_value(
        "Exercise 8.4 (a)",
        answer,
        expected=np.log(2),
        mistakes=[
            Mistake(
                -np.log(2),
                "The sign is off: the loss is -log p̂(cat), and log 0.5 is negative.",
            ),
            Mistake(0.5, "That is p̂(cat) itself; the loss is minus its log."),
            Mistake(1.0, "That is the loss in bits (log base 2); use the natural log."),
            Mistake(np.log10(2), "You used log base 10; use the natural log."),
            Mistake(
                2 * np.log(2),
                "You added -log p̂ of cat and dog. With a one-hot target only the cat term is left.",
            ),
        ],
        what="H(y, p̂) for the one-hot target cat",
        success="-log 0.5 = 0.6931: the fox term is 0 · log 0 = 0, so the 0 does no harm here.",
    )


def check_zero_soft(answer) -> Feedback:
    """Exercise 8.4 (b): what H(y, p̂) is for the soft target (0.6, 0.3, 0.1)."""
    return check_choice(
        "Exercise 8.4 (b)",
        answer,
        options={
            "A": "The fox term is -0.1 · log 0, not 0 · log 0: the target gives fox weight 0.1.",
            "B": "The cat and dog terms are finite, but the fox term is -0.1 · log 0 = +inf, "
            "and a finite sum plus infinity is infinite.",
            "C": "",
        },
        correct="C",
        success="Infinite: one person in ten says fox and the model called fox impossible.",
    )


# Exercise 8.5: the gradient of softmax cross-entropy for one example.
GRADIENT_LOGITS = np.array([1.0, 2.0, 0.5])  # cat, dog, fox
GRADIENT_TRUE = 2  # fox


def gradient_exercise():
    """Exercise 8.5 as data: p̂ - y and the typical mistakes, each a value."""
    p_hat = lb.softmax(GRADIENT_LOGITS)
    y = lb.one_hot(np.array([GRADIENT_TRUE]), 3)[0]
    return dict(
        expected=p_hat - y,
        mistakes=[
            Mistake(
                y - p_hat,
                "The sign is off: that is y - p̂, the direction that LOWERS the loss. The "
                "gradient is p̂ - y (positive for the wrong classes).",
            ),
            Mistake(
                p_hat,
                "That is p̂ = softmax(z) alone: subtract the one-hot target y (1 for fox).",
            ),
            Mistake(
                p_hat - lb.one_hot(np.array([1]), 3)[0],
                "You subtracted the one-hot of dog (the model's favourite). The true class is "
                "fox, the third entry.",
            ),
            Mistake(
                (p_hat - y) / 3,
                "You divided by k = 3. For one example the gradient is p̂ - y; a mean over n "
                "examples divides by n, never by the number of classes.",
            ),
            Mistake(
                GRADIENT_LOGITS - y,
                "You used the logits z in place of the probabilities: take softmax(z) first.",
            ),
            Mistake(
                -y / p_hat,
                "That is -y / p̂, the gradient with respect to the probabilities p̂. The "
                "exercise asks for the logits z: through the softmax it becomes p̂ - y.",
            ),
            Mistake(
                p_hat - lb.one_hot(np.array([0]), 3)[0],
                "You subtracted the one-hot of cat, the first class. The true class is fox, "
                "the third entry.",
            ),
        ],
    )


def check_gradient(answer) -> Feedback:
    """Exercise 8.5: the gradient of -log softmax(z)[fox] with respect to z."""
    data = gradient_exercise()
    return check_value(
        "Exercise 8.5",
        answer,
        **data,
        what="the gradient [d/dz_cat, d/dz_dog, d/dz_fox]",
        success="p̂ - y: the fox logit is pushed up (its gradient is negative), cat and dog "
        "down, each by the probability it wrongly holds; the three sum to 0.",
    )


# Exercise 8.6: label smoothing with k = 4 classes, true class 1, epsilon = 0.2.
SMOOTHING_EPSILON = 0.2
SMOOTHING_CLASSES = 4
SMOOTHING_TRUE = 1


def smoothed_target(label: int, num_classes: int, epsilon: float) -> np.ndarray:
    """The label-smoothed target row: (1 - epsilon) one_hot(label) + epsilon / num_classes."""
    y = lb.one_hot(np.array([label]), num_classes)[0]
    return (1 - epsilon) * y + epsilon / num_classes


def check_smoothed_target(answer) -> Feedback:
    """Exercise 8.6 (a): the smoothed target row."""
    eps, k, c = SMOOTHING_EPSILON, SMOOTHING_CLASSES, SMOOTHING_TRUE
    y = lb.one_hot(np.array([c]), k)[0]
    return check_value(
        "Exercise 8.6 (a)",
        answer,
        expected=smoothed_target(c, k, eps),
        mistakes=[
            Mistake(
                (1 - eps) * y + eps / (k - 1) * (1 - y),
                "You spread epsilon over the k - 1 wrong classes only. lossbook and PyTorch "
                "spread it over all k classes, the true one included: epsilon / k each.",
            ),
            Mistake(
                y + eps / k,
                "Your row sums to more than 1: the one-hot part is scaled by (1 - epsilon) "
                "before epsilon / k is added.",
            ),
            Mistake(
                (1 - eps) * y + eps / k * (1 - y),
                "The true class gets its share of the uniform part too: (1 - epsilon) + "
                "epsilon / k = 0.85.",
            ),
            Mistake(
                smoothed_target(c + 1, k, eps),
                "The true class is 1, the second entry (Python counts from 0).",
            ),
            Mistake(
                smoothed_target(c - 1, k, eps),
                "The true class is 1, the second entry, not the first.",
            ),
            Mistake(
                (1 - eps) * y + eps / 10,
                "You divided epsilon by 10, the k of the chapter's digits; this problem has "
                "k = 4 classes, so each gets epsilon / 4 = 0.05 (your row does not sum to 1).",
            ),
            Mistake(
                smoothed_target(c, k, 0.1),
                "That is epsilon = 0.1, the chapter's example; this exercise smooths with "
                "epsilon = 0.2.",
            ),
        ],
        what="the smoothed target row (4 numbers)",
        success="(0.05, 0.85, 0.05, 0.05): 0.8 of the one-hot plus 0.2 spread evenly.",
    )


def check_smoothing_floor(answer) -> Feedback:
    """Exercise 8.6 (b): the smallest loss a model can reach on this example."""
    target = smoothed_target(SMOOTHING_TRUE, SMOOTHING_CLASSES, SMOOTHING_EPSILON)
    return check_value(
        "Exercise 8.6 (b)",
        answer,
        expected=lb.entropy(target),
        mistakes=[
            Mistake(
                0.0,
                "0 is the floor without smoothing (and only in the limit). Against a smoothed "
                "target the best prediction is the target itself, and the loss is its entropy.",
            ),
            Mistake(
                -np.log(target[SMOOTHING_TRUE]),
                "That is only the true class's term, -log 0.85. The smoothed target gives the "
                "other classes weight too: H(y) sums over all four.",
            ),
            Mistake(
                np.log(SMOOTHING_CLASSES),
                "log 4 is the entropy of the uniform target; the smoothed target is mostly "
                "the true class.",
            ),
            Mistake(
                -target[SMOOTHING_TRUE] * np.log(target[SMOOTHING_TRUE]),
                "Add the three other terms, -0.05 log 0.05 each.",
            ),
            Mistake(
                lb.entropy(target) / np.log(2),
                "That is the entropy in bits; use the natural log.",
            ),
            Mistake(
                lb.entropy(smoothed_target(3, 10, 0.1)),
                "0.5003 is the floor of the chapter's example, epsilon = 0.1 and k = 10. Here "
                "epsilon = 0.2 and k = 4: take the entropy of this exercise's smoothed target.",
                atol=1e-4,  # also as typed from the chapter's printout
            ),
        ],
        what="the smallest loss, in nats",
        success="H(smoothed y) = 0.5875 nats, reached when p̂ equals the smoothed target.",
    )


# Exercise 8.7: perplexity from a mean cross-entropy.
PERPLEXITY_LOSS = 1.5


def check_perplexity(answer) -> Feedback:
    """Exercise 8.7: the perplexity exp(mean CCE) of a model with mean test loss 1.5 nats."""
    loss = PERPLEXITY_LOSS
    return check_value(
        "Exercise 8.7",
        answer,
        expected=np.exp(loss),
        mistakes=[
            Mistake(2**loss, "2 ** 1.5 is the perplexity of a loss in bits; this one is in nats."),
            Mistake(10**loss, "The loss is in nats: the base is e, not 10."),
            Mistake(
                np.exp(-loss),
                "exp(-1.5) is the geometric mean probability of the true class, 1 / perplexity.",
            ),
            Mistake(np.log(loss), "Perplexity is the exponential of the loss, not its log."),
        ],
        what="the perplexity",
        success="e^1.5 = 4.4817: the model is on average as unsure as a uniform guess among "
        "about 4.5 classes.",
    )


# Exercise 8.8: the regularisation table, read right. The numbers are those the chapter
# prints (cell "models"); tests/test_ch08.py retrains the three models and checks them.
REGULARISATION_TABLE = {  # test NLL, train NLL, test images right (of 449)
    "plain": (0.1343, 0.0628, 431),
    "weight decay 0.01": (0.1864, 0.1386, 433),
}


def check_regularisation_reading(answer) -> Feedback:
    """Exercise 8.8: is the weight-decay model the best of the three?"""
    plain, decay = REGULARISATION_TABLE["plain"], REGULARISATION_TABLE["weight decay 0.01"]
    return check_choice(
        "Exercise 8.8",
        answer,
        options={
            "A": f"A gap shrinks when the test loss falls OR when the training loss rises. "
            f"Here the training NLL rose ({plain[1]:.4f} to {decay[1]:.4f}) and the test NLL "
            f"rose too ({plain[0]:.4f} to {decay[0]:.4f}): a smaller gap, worse "
            "probabilities on new images.",
            "B": f"Accuracy only asks whether the top digit is right; the NLL scores the "
            f"probability given to the true digit. Weight decay reads {decay[2]} test images "
            f"right against {plain[2]}, yet gives the true digit less probability on "
            f"average: test NLL {decay[0]:.4f} against {plain[0]:.4f}.",
            "C": "",
        },
        correct="C",
        success=f"Not by the yardstick: its test NLL, {decay[0]:.4f}, is higher than the plain "
        f"model's {plain[0]:.4f}. Its small gap comes from a higher training loss. (And a "
        "choice of model or lambda belongs on a validation split, not on the test set.)",
    )


# -- the quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch08",
    [
        quiz_question(
            "Quiz 8.1",
            "A classifier gives the true class probability 0.25. What is its categorical "
            "cross-entropy on that example?",
            {
                "A": "1.3863 nats, however the other 0.75 is split",
                "B": "It depends on how the other 0.75 is split",
                "C": "0.2877 nats, -log 0.75",
            },
            "A",
            {
                "B": "With a one-hot target every wrong class has weight 0 in -sum y log p̂: "
                "only the true class's probability counts.",
                "C": "-log 0.75 scores the probability of the wrong classes; the loss is "
                "-log of the true class's probability, -log 0.25.",
            },
            success="-log 0.25 = log 4 = 1.3863 nats, whatever the model does with the rest.",
        ),
        quiz_question(
            "Quiz 8.2",
            "Can the cross-entropy H(p, q) be smaller than the entropy H(p)?",
            {"A": "Yes, when q is more confident than p", "B": "No"},
            "B",
            {
                "A": "H(p, q) = H(p) + KL(p || q), and the KL divergence is never negative. "
                "It is H(q, p), the swapped order, that can drop below H(p)."
            },
            success="No: H(p, q) = H(p) + KL(p || q) >= H(p), equal only at q = p.",
        ),
        quiz_question(
            "Quiz 8.3",
            "Why is cross-entropy not a distance between distributions?",
            {
                "A": "It is not symmetric, and H(p, p) = H(p) is not 0",
                "B": "It can be negative",
                "C": "It is measured in nats, not in metres",
            },
            "A",
            {
                "B": "Cross-entropy of distributions over classes is a sum of terms -p log q "
                "with q <= 1, so it is never negative.",
                "C": "A distance may have any unit; what it must have is symmetry and 0 "
                "from a point to itself.",
            },
            success="H(p, q) = 0.9271 but H(q, p) = 0.8286 for the blurry photo, and "
            "H(p, p) = 0.8979.",
        ),
        quiz_question(
            "Quiz 8.4",
            "At the start of training the digits model's loss was 2.3026. Where does that "
            "number come from?",
            {
                "A": "log 10: zero weights give every digit probability 0.1",
                "B": "The error rate of random guessing, 0.9, in some unit",
                "C": "A coincidence of the random initialisation",
            },
            "A",
            {
                "B": "Cross-entropy does not count errors: it is -log of the true digit's "
                "probability, here -log 0.1 on every image.",
                "C": "Nothing was random: the weights started at 0, so every logit was 0 "
                "and the softmax was uniform.",
            },
            success="-log 0.1 = log 10 = 2.3026: a k-class model with uniform predictions scores "
            "log k (its perplexity is k).",
        ),
        quiz_question(
            "Quiz 8.5",
            "The digits model's training loss is lower than its test loss. Which change is "
            "meant to narrow that gap?",
            {
                "A": "More gradient-descent steps",
                "B": "A penalty on large weights (weight decay) or label smoothing",
                "C": "Measuring the test loss with label smoothing",
            },
            "B",
            {
                "A": "More steps fit the training images better still: the gap tends to grow.",
                "C": "That changes the yardstick, not the model. Compare models by one loss, "
                "the plain cross-entropy on held-out data.",
            },
            success="Both keep the logits from growing to fit the training images ever more "
            "confidently; how much is tuned on validation data.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
