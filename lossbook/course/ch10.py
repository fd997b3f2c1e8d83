r"""Chapter 10, Choosing a loss: the same model under different losses, its explorer, exercises.

Two experiments back the chapter's claim that the loss decides what is learned:

* a line (:func:`lossbook.training.fit_line`) trained on the same seeded points, three
  of them recorded too high, under MSE, MAE and Huber: same model, same data, same
  optimiser, same number of steps; only the loss differs, and so do the fitted lines;
* a logistic model :math:`\hat p = \sigma(w x + b)` trained from a confidently wrong start
  under cross-entropy and under squared error on the probability: the squared error's
  gradient vanishes where the model is confidently wrong, and learning stalls.

Beside them: the classification losses as functions of the margin (which one fears a
confident miss most), a mixed population of sick and healthy patients (a missed diagnosis
against a false alarm), the exercises and the quiz.
"""

from __future__ import annotations

from functools import cache

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
from lossbook.training import fit_line, gradient_descent, line_features, linear_model_loss_and_grad

# -- regression: the same line under three losses -------------------------------------

TRUE_SLOPE = 0.8
TRUE_INTERCEPT = 1.0
N_POINTS = 40
NOISE = 0.4
OUTLIER_INDEX = (-6, -4, -1)  # three of the rightmost points (x sorted)
OUTLIER_SIZE = 8.0  # the size used in the chapter's main comparison
LOSSES = ("mse", "mae", "huber")
LOSS_LABELS = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}
LEARNING_RATE = 0.1
STEPS = 150
HUBER_DELTA = 1.0


def line_data(outlier_size: float = OUTLIER_SIZE, *, seed: int = 10):
    """``N_POINTS`` seeded points along ``y = 0.8 x + 1`` with noise 0.4; the three with
    the largest ``x`` are recorded ``outlier_size`` too high (a glitch in the sensor).

    Returns ``(x, y, is_outlier)``; ``x`` is sorted, so the outliers are the last three.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3.0, 3.0, N_POINTS))
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + NOISE * rng.standard_normal(N_POINTS)
    is_outlier = np.zeros(N_POINTS, dtype=bool)
    is_outlier[list(OUTLIER_INDEX)] = True
    y[is_outlier] += outlier_size
    return x, y, is_outlier


def train_line(loss: str, outlier_size: float = OUTLIER_SIZE):
    """The line trained under ``loss`` on :func:`line_data`: :class:`History` of the run.

    Every loss gets the same start (0, 0), learning rate (0.1) and number of steps (150).
    """
    x, y, _ = line_data(outlier_size)
    kwargs = {"delta": HUBER_DELTA} if loss == "huber" else {}
    return fit_line(x, y, loss=loss, learning_rate=LEARNING_RATE, steps=STEPS, **kwargs)


@cache
def fitted_line(loss: str, outlier_size: float = OUTLIER_SIZE) -> tuple[float, float]:
    """``(w, b)`` at the end of :func:`train_line` (cached: the explorer reuses them)."""
    w, b = train_line(loss, float(outlier_size)).final_params
    return float(w), float(b)


def loss_of_line(loss: str, params, outlier_size: float = OUTLIER_SIZE) -> float:
    """The ``loss`` of the line ``params = (w, b)`` on :func:`line_data`."""
    x, y, _ = line_data(outlier_size)
    w, b = params
    kwargs = {"delta": HUBER_DELTA} if loss == "huber" else {}
    return float(getattr(lb, loss)(y, w * x + b, **kwargs))


# -- classification: cross-entropy vs squared error on probabilities -------------------

LOGISTIC_START = (-4.0, 0.0)  # a confidently wrong model: it predicts the classes reversed
LOGISTIC_RATE = 0.5
LOGISTIC_STEPS = 200
CLASSIFICATION_LOSSES = ("cross_entropy", "squared_error")


def class_data(*, seed: int = 7, n_per_class: int = 50):
    """Two seeded classes on a line: ``x ~ N(-1.5, 1)`` if ``y = 0``, ``N(1.5, 1)`` if ``y = 1``."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(-1.5, 1.0, n_per_class), rng.normal(1.5, 1.0, n_per_class)])
    y = np.concatenate([np.zeros(n_per_class), np.ones(n_per_class)])
    return x, y


def cross_entropy_logit_grad(y, z):
    """d/dz of the binary cross-entropy of ``p = sigmoid(z)``, element by element: ``p - y``."""
    return lb.binary_cross_entropy_with_logits_grad(y, z, reduction="none")


def squared_error_logit_grad(y, z):
    """d/dz of ``(sigmoid(z) - y)**2``, element by element: ``2 (p - y) p (1 - p)``.

    The chain rule: the squared error's gradient in ``p``, ``2 (p - y)``, times the
    sigmoid's slope ``p (1 - p)``, which is nearly 0 wherever ``p`` is near 0 or 1.
    """
    p = lb.sigmoid(z)
    return lb.mse_grad(y, p, reduction="none") * p * (1.0 - p)


def logistic_loss_and_grad(x, y, loss: str):
    """Loss and gradient in ``(w, b)`` of ``p = sigmoid(w x + b)`` under ``loss``.

    ``"cross_entropy"``: mean binary cross-entropy (computed from the logits);
    ``"squared_error"``: mean ``(p - y)**2``.
    """
    if loss not in CLASSIFICATION_LOSSES:
        raise ValueError(f"loss must be one of {CLASSIFICATION_LOSSES}, got {loss!r}")
    if loss == "cross_entropy":
        pair = lb.binary_cross_entropy_with_logits, lb.binary_cross_entropy_with_logits_grad
    else:
        pair = _squared_error_of_logits, _squared_error_of_logits_grad
    return linear_model_loss_and_grad(line_features(x), y, *pair)


def _squared_error_of_logits(y, z):
    return lb.mse(y, lb.sigmoid(z))


def _squared_error_of_logits_grad(y, z):
    return squared_error_logit_grad(y, z) / np.size(z)  # of the mean


def train_logistic(loss: str):
    """Gradient descent on :func:`class_data` from ``LOGISTIC_START`` under ``loss``."""
    x, y = class_data()
    return gradient_descent(
        logistic_loss_and_grad(x, y, loss),
        LOGISTIC_START,
        learning_rate=LOGISTIC_RATE,
        steps=LOGISTIC_STEPS,
    )


def accuracy(params, x, y) -> float:
    """Share of points on the right side of ``w x + b = 0`` (``p > 0.5`` means class 1)."""
    w, b = params
    return float(np.mean((w * np.asarray(x) + b > 0) == (np.asarray(y) == 1)))


def accuracy_curve(history, x, y) -> np.ndarray:
    """Accuracy after every step of a run (row 0: the start)."""
    w, b = history.params[:, :1], history.params[:, 1:]
    return np.mean((w * x + b > 0) == (y == 1), axis=1)


# -- the explorer ----------------------------------------------------------------------

OUTLIER_SIZES = np.arange(0.0, 12.1, 2.0)  # 7 values x 3 losses = 21 frames


def loss_explorer():
    """Pick the loss and the size of the outliers; see the line trained under that loss."""
    from lossbook.explore import Choice, Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    colors = {"mse": COLORS["fit"], "mae": COLORS["alt"], "huber": COLORS["accent"]}
    figure, (ax, slopes) = new_figure(ncols=2, figsize=(7.2, 3.2))
    grid = np.array([-3.2, 3.2])
    x, y, is_outlier = line_data(OUTLIER_SIZES[0])
    ax.plot(grid, TRUE_SLOPE * grid + TRUE_INTERCEPT, ls="--", color=COLORS["muted"], label="true")
    ax.scatter(x[~is_outlier], y[~is_outlier], s=14, color=COLORS["data"], zorder=3)
    outliers = ax.scatter(
        x[is_outlier], y[is_outlier], s=30, marker="D", color=COLORS["target"], zorder=4
    )
    lines = {
        loss: ax.plot(grid, grid, color=colors[loss], label=LOSS_LABELS[loss])[0] for loss in LOSSES
    }
    ax.set(xlim=(-3.3, 3.3), ylim=(-3, 17), xlabel="x", ylabel="y", title="the trained line")
    ax.legend(loc="upper left", fontsize=8)

    curves, markers = {}, {}
    for loss in LOSSES:
        w = [fitted_line(loss, s)[0] for s in OUTLIER_SIZES]
        curves[loss] = slopes.plot(OUTLIER_SIZES, w, color=colors[loss], label=LOSS_LABELS[loss])[0]
        markers[loss] = slopes.plot([], [], "o", ms=8, color=colors[loss])[0]
    slopes.axhline(TRUE_SLOPE, ls=":", lw=1, color=COLORS["muted"], zorder=1)
    slopes.text(12.4, TRUE_SLOPE - 0.03, "true slope 0.8", ha="right", va="top", fontsize=8)
    slopes.set(
        xlim=(-0.5, 12.5),
        ylim=(0.6, 1.7),
        xlabel="outlier size",
        ylabel="fitted slope w",
        title="slope learned, per loss",
    )
    slopes.legend(loc="upper left", fontsize=8)

    def update(loss, outlier_size):
        size = float(outlier_size)
        _, y_now, _ = line_data(size)
        outliers.set_offsets(np.column_stack([x[is_outlier], y_now[is_outlier]]))
        for name in LOSSES:
            w, b = fitted_line(name, size)
            chosen = name == loss
            lines[name].set_ydata(w * grid + b)
            lines[name].set(lw=2.6 if chosen else 1.2, alpha=1.0 if chosen else 0.5)
            curves[name].set(lw=2.6 if chosen else 1.2, alpha=1.0 if chosen else 0.5)
            if chosen:
                markers[name].set_data([size], [w])
            else:
                markers[name].set_data([], [])
        w, b = fitted_line(loss, size)
        return (
            f"{LOSS_LABELS[loss]}, outliers +{size:.0f}: w = {w:.4f}, b = {b:.4f} "
            f"(true line: w = {TRUE_SLOPE}, b = {TRUE_INTERCEPT})"
        )

    return Explorer(
        figure,
        update,
        [
            Choice(
                "loss",
                "loss",
                list(LOSSES),
                value="mse",
                labels=LOSS_LABELS,
                valuetext="trained under {value}",
            ),
            Slider(
                "outlier_size",
                "outlier size",
                OUTLIER_SIZES,
                value=OUTLIER_SIZE,
                fmt="{:.0f}",
                valuetext="the three outliers {value} units too high",
            ),
        ],
        title="The same line, trained under the loss you pick",
        description="Left: forty points along the dashed true line y = 0.8x + 1, three of them "
        "(diamonds, at the right) raised by the outlier size, and the lines trained under MSE, "
        "MAE and Huber, the chosen loss drawn bold. Right: the slope each loss learns against "
        "the outlier size; the MSE slope climbs in a straight line, the MAE and Huber slopes "
        "stay near the true 0.8.",
        animated=[outliers, *lines.values(), *curves.values(), *markers.values()],
    )


# -- which loss fears a confident miss most: the losses of the margin ---------------------

MARGINS = (-1.0, -5.0, -10.0)  # y z with y in {-1, +1}: negative means on the wrong side


def margin_losses(margin) -> dict[str, np.ndarray]:
    r"""Each classification loss of one example as a function of its margin :math:`m = y z`.

    With :math:`y \in \{-1, +1\}` and :math:`\hat p = \sigma(m)` the probability of the
    true class: cross-entropy :math:`\log(1 + e^{-m}) = -\log \hat p`, the exponential
    loss :math:`e^{-m} = (1 - \hat p) / \hat p`, the hinge :math:`\max(0, 1 - m)`, the
    squared error on the probability :math:`(1 - \hat p)^2` and the squared error on the
    score :math:`(1 - m)^2`.
    """
    m = np.asarray(margin, dtype=float)
    ones = np.ones_like(m)
    return {
        "cross-entropy": lb.binary_cross_entropy_with_logits(ones, m, reduction="none"),
        "exponential": np.exp(-m),
        "hinge": lb.hinge(ones, m, reduction="none"),
        "squared error on p̂": lb.mse(ones, lb.sigmoid(m), reduction="none"),
        "squared error on z": lb.mse(ones, m, reduction="none"),
    }


# -- slightly wrong many times, or extremely wrong once: a mixed population ---------------

SICK, HEALTHY = 20, 80  # the patients: 1 = sick, 0 = healthy
MISS_WEIGHT = 5.0  # pos_weight: a missed diagnosis costs five false alarms


def patients() -> np.ndarray:
    """The labels of the mixed population: ``SICK`` ones, then ``HEALTHY`` zeros."""
    return np.concatenate([np.ones(SICK), np.zeros(HEALTHY)])


def patient_models() -> dict[str, np.ndarray]:
    """Three models' probabilities of "sick" for :func:`patients`.

    ``steady`` hedges on everyone (0.7 for the sick, 0.3 for the healthy); both spiky
    models say 0.999 or 0.001 and are right on 99 patients, wrong on one: a confident
    missed diagnosis (a false negative) or a confident false alarm (a false positive).
    """
    y = patients()
    steady = np.where(y == 1, 0.7, 0.3)
    confident = np.where(y == 1, 0.999, 0.001)
    missed, alarmed = confident.copy(), confident.copy()
    missed[0] = 0.001  # the first sick patient, called healthy
    alarmed[SICK] = 0.999  # the first healthy patient, called sick
    return {"steady": steady, "spiky, one missed": missed, "spiky, one false alarm": alarmed}


def patient_losses(p_hat, *, pos_weight=None) -> float:
    """Mean binary cross-entropy of ``p_hat`` on :func:`patients`, from its logits."""
    p_hat = np.asarray(p_hat, dtype=float)
    z = np.log(p_hat / (1.0 - p_hat))
    return float(lb.binary_cross_entropy_with_logits(patients(), z, pos_weight=pos_weight))


def confusion(p_hat, threshold: float = 0.5) -> tuple[int, int]:
    """(false negatives, false positives) of ``p_hat`` on :func:`patients` at ``threshold``."""
    y, sick = patients() == 1, np.asarray(p_hat) > threshold
    return int(np.sum(y & ~sick)), int(np.sum(~y & sick))


# -- exercises ---------------------------------------------------------------------------

#: The tasks of exercise 10.1 and the lossbook losses that fit each.
TASKS = {
    "temperature": {"mse"},
    "delivery": {"mae", "huber"},
    "spam": {"binary_cross_entropy_with_logits"},
    "digit": {"softmax_cross_entropy"},
    "tags": {"binary_cross_entropy_with_logits"},
}
LOSS_NAMES = ("mse", "mae", "huber", "binary_cross_entropy_with_logits", "softmax_cross_entropy")

#: (task, wrong answer) -> the hint that points at the mistake.
CHOICE_HINTS = {
    ("temperature", "mae"): "The data are clean and a big error should count extra: "
    "which loss squares the error?",
    ("temperature", "huber"): "The data are clean and a big error should count extra: "
    "Huber caps the pull of big errors; which loss squares them?",
    ("delivery", "mse"): "MSE squares the errors, so the few absurd records dominate the fit. "
    "Pick a loss whose pull stays bounded for big errors.",
    ("spam", "mse"): "Spam or not is a yes/no question with one sigmoid output: squared error "
    "on a probability stalls when the model is confidently wrong. Use cross-entropy.",
    ("spam", "softmax_cross_entropy"): "With one output, softmax has only one class to "
    "normalise over. A single sigmoid output goes with binary cross-entropy.",
    ("digit", "binary_cross_entropy_with_logits"): "Exactly one of the ten digits is true: "
    "the classes compete, which is what softmax is for.",
    ("digit", "mse"): "A digit is a class, not a number: 7 is not 'closer' to 8 than to 1. "
    "Use a classification loss.",
    ("tags", "mse"): "Each tag is a yes/no question with its own sigmoid output: squared "
    "error on a probability stalls when the model is confidently wrong. Use cross-entropy.",
    ("tags", "softmax_cross_entropy"): "Softmax makes the tags compete (their probabilities "
    "sum to 1), so a photo cannot be both 'dog' and 'beach' with high probability. "
    "Give every tag its own sigmoid.",
}


#: Names a learner may reach for that are not options of exercise 10.1 -> what to answer.
NOT_AN_OPTION = {
    "binary_cross_entropy": "lb.binary_cross_entropy takes probabilities. The network "
    "outputs logits, so answer with the logits form, binary_cross_entropy_with_logits.",
    "categorical_cross_entropy": "lb.categorical_cross_entropy takes probabilities. On "
    "logits (softmax inside the loss) the lossbook name is softmax_cross_entropy.",
    "binary_crossentropy": "That is the Keras name. The lossbook name of the same loss, "
    "on logits, is binary_cross_entropy_with_logits.",
    "categorical_crossentropy": "That is the Keras name. The lossbook name of the same "
    "loss, on logits, is softmax_cross_entropy.",
    "sparse_categorical_crossentropy": "That is the Keras name. The lossbook name of the "
    "same loss, on logits and integer labels, is softmax_cross_entropy.",
    "mean_squared_error": "That is the Keras name. The lossbook name is mse.",
    "mean_absolute_error": "That is the Keras name. The lossbook name is mae.",
}


def _loss_name(value):
    if not isinstance(value, str):
        return None
    name = value.strip().strip("'\"").lower()
    return name.removeprefix("lb.").removeprefix("lossbook.").removesuffix("()")


def check_loss_choices(answer):
    """Exercise 10.1: a dict from each task to the name of a lossbook loss."""
    exercise = "Exercise 10.1"
    template = ", ".join(f'"{t}": ...' for t in TASKS)
    try:
        if not isinstance(answer, dict):
            return Feedback(
                exercise,
                False,
                f"expected a dict, got {type(answer).__name__}.",
                f'Fill in the dict {{{template}}} with loss names such as "mse".',
            )
        missing = [t for t in TASKS if t not in answer]
        if missing:
            return Feedback(
                exercise,
                False,
                f"the dict has no entry for {missing[0]!r}.",
                f"Keep the keys {list(TASKS)} and give each a loss name.",
            )
        right = 0
        for task, accepted in TASKS.items():
            value = answer[task]
            name = _loss_name(value)
            if value is None or value is Ellipsis:
                return Feedback(
                    exercise,
                    False,
                    f"there is no answer yet for {task!r}.",
                    f'Replace the ... after "{task}" with a loss name, e.g. "mse".',
                )
            if name not in LOSS_NAMES:
                return Feedback(
                    exercise,
                    False,
                    f"{value!r} (for {task!r}) is not one of the losses of this exercise.",
                    NOT_AN_OPTION.get(
                        name, f"Answer each task with one of {', '.join(LOSS_NAMES)}."
                    ),
                )
            if name not in accepted:
                hint = CHOICE_HINTS.get(
                    (task, name),
                    "Go back to the decision table: what does the output layer look like "
                    "for this task, and which loss goes with it?",
                )
                return Feedback(
                    exercise,
                    False,
                    f"{right} of {len(TASKS)} right so far; {name!r} does not fit {task!r}.",
                    hint,
                )
            right += 1
        return Feedback(
            exercise,
            True,
            "every task has a loss that fits: squared error for clean numbers, a bounded "
            "pull (MAE or Huber) for glitchy ones, one sigmoid for yes/no and for each tag, "
            "softmax when exactly one class is true.",
        )
    except Exception as error:  # noqa: BLE001 - the checker itself must never raise
        return Feedback(
            exercise,
            False,
            f"the checker could not read this answer ({type(error).__name__}).",
            f"Fill in the dict {{{template}}}.",
        )


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _reference_grad(y, z):
    p = _sigmoid(z)
    return 2.0 * (p - np.asarray(y, float)) * p * (1.0 - p)


GRAD_CASES = [
    ([0.0, 1.0, 1.0, 0.0], [0.0, 0.5, -1.0, 2.0]),
    ([0.0, 0.0, 1.0], [6.0, -6.0, -6.0]),
    ([1.0, 0.0], [3.0, -0.3]),
]

GRAD_MISTAKES = [
    Mistake(
        lambda y, z: 2.0 * (_sigmoid(z) - np.asarray(y)),
        "You have the gradient in p̂, 2(p̂ - y). The model's output is z; the chain rule "
        "multiplies by the sigmoid's slope dp̂/dz = p̂(1 - p̂).",
    ),
    Mistake(
        lambda y, z: _sigmoid(z) - np.asarray(y),
        "p̂ - y is the gradient of the cross-entropy, not of the squared error. "
        "Differentiate (p̂ - y)**2 in p̂, then multiply by dp̂/dz.",
    ),
    Mistake(
        lambda y, z: (_sigmoid(z) - np.asarray(y)) * _sigmoid(z) * (1 - _sigmoid(z)),
        "Almost: the derivative of (p̂ - y)**2 in p̂ is 2(p̂ - y). You lost the factor 2.",
    ),
    Mistake(
        lambda y, z: 2.0 * (np.asarray(y) - _sigmoid(z)) * _sigmoid(z) * (1 - _sigmoid(z)),
        "The sign is flipped: d(p̂ - y)**2/dp̂ = 2(p̂ - y), not 2(y - p̂).",
    ),
    Mistake(
        lambda y, z: 2.0 * (np.asarray(z) - np.asarray(y)) * _sigmoid(z) * (1 - _sigmoid(z)),
        "You used the logit z where the probability p̂ = sigmoid(z) belongs in (p̂ - y).",
    ),
    Mistake(
        lambda y, z: 2.0 * (_sigmoid(z) - np.asarray(y)) * _sigmoid(z),
        "The sigmoid's slope is p̂(1 - p̂), not p̂: you lost the factor (1 - p̂).",
    ),
    Mistake(
        lambda y, z: 2.0 * (_sigmoid(z) - np.asarray(y)) * (1 - _sigmoid(z)),
        "The sigmoid's slope is p̂(1 - p̂), not (1 - p̂): you lost the factor p̂.",
    ),
    Mistake(
        lambda y, z: (_sigmoid(z) - np.asarray(y)) ** 2,
        "You returned the loss (p̂ - y)**2 itself. The exercise asks for its derivative "
        "with respect to z: 2(p̂ - y) times dp̂/dz.",
    ),
    Mistake(
        lambda y, z: np.mean(_reference_grad(y, z)),
        "You averaged. Return one gradient per element, the same shape as z.",
    ),
    Mistake(
        lambda y, z: _reference_grad(y, z) / np.size(z),
        "You divided by the number of elements: that is the gradient of the mean. "
        "Return the gradient of each element's (p̂ - y)**2.",
    ),
]


def check_squared_error_gradient(answer):
    """Exercise 10.2: ``sq_grad(y, z)``, d/dz of ``(sigmoid(z) - y)**2`` element by element."""
    return check_function(
        "Exercise 10.2",
        answer,
        reference=_reference_grad,
        cases=GRAD_CASES,
        mistakes=GRAD_MISTAKES,
        signature="sq_grad(y, z)",
        success="your sq_grad is 2(p̂ - y) p̂(1 - p̂). At z = 6 with y = 0 it is "
        f"{_reference_grad([0.0], [6.0])[0]:.6f}: nearly no push, though the model is "
        "confidently wrong.",
    )


STEADY_ERROR = 2.0
SPIKY_ERROR = 20.0
PATIENTS = 50


def _medical_losses(steady, spiky, n=PATIENTS):
    return [steady**2, spiky**2 / n, steady, spiky / n]


def check_medical_losses(answer):
    """Exercise 10.3 (a): [MSE steady, MSE spiky, MAE steady, MAE spiky] for 50 patients."""
    expected = _medical_losses(STEADY_ERROR, SPIKY_ERROR)
    return check_value(
        "Exercise 10.3 (a)",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                [PATIENTS * STEADY_ERROR**2, SPIKY_ERROR**2, PATIENTS * STEADY_ERROR, SPIKY_ERROR],
                "You summed over the patients. A mean divides by the 50 patients.",
            ),
            Mistake(
                [STEADY_ERROR**2, SPIKY_ERROR**2, STEADY_ERROR, SPIKY_ERROR],
                "For the spiky model you averaged over the one wrong patient only. "
                "The other 49 predictions are exact (error 0) and count in the mean.",
            ),
            Mistake(
                [expected[0], expected[2], expected[1], expected[3]],
                "The numbers are right but in the wrong order: both MSEs first, then both MAEs.",
            ),
            Mistake(
                [
                    STEADY_ERROR**2,
                    (SPIKY_ERROR / PATIENTS) ** 2,
                    STEADY_ERROR,
                    SPIKY_ERROR / PATIENTS,
                ],
                "You squared the mean error for the spiky model. Square each error, then average.",
            ),
            Mistake(
                [expected[1], expected[0], expected[3], expected[2]],
                "The numbers are right but each pair is swapped: steady first, then spiky, "
                "in both pairs.",
            ),
        ],
        what="the list [MSE steady, MSE spiky, MAE steady, MAE spiky]",
        success="MSE: 4.0 (steady) against 8.0 (spiky); MAE: 2.0 against 0.4. "
        "The two losses give opposite verdicts.",
    )


def check_mse_prefers(answer):
    """Exercise 10.3 (b): which model has the smaller MSE?"""
    return check_choice(
        "Exercise 10.3 (b)",
        answer,
        options={
            "steady": "",
            "spiky": "Compare the two MSEs you computed: the one error of 20 costs 400, "
            "spread over 50 patients that is 8, against 4 for the steady model.",
            "tie": "They do not tie: compare 4.0 with 8.0.",
        },
        correct="steady",
        success="steady: squaring makes one error of 20 cost as much as 100 errors of 2.",
    )


# -- exercise 10.5: a negative log-likelihood ---------------------------------------------

NLL_TARGETS = (1.0, -1.5, 3.0)
NLL_PREDICTIONS = (0.0, 0.5, 2.5)
NLL_SIGMA = 3.0  # not 2, where 2 sigma = sigma^2 would hide a slip


def _gaussian_nll(targets, predictions, sigma):
    e = np.subtract(targets, predictions)
    return float(np.sum(e**2) / (2 * sigma**2) + e.size / 2 * np.log(2 * np.pi * sigma**2))


def _nll_candidates():
    e = np.subtract(NLL_TARGETS, NLL_PREDICTIONS)
    n, s = e.size, NLL_SIGMA
    squares = float(np.sum(e**2))
    return {
        "answer": _gaussian_nll(NLL_TARGETS, NLL_PREDICTIONS, s),
        "no constant": squares / (2 * s**2),
        "sigma 1": _gaussian_nll(NLL_TARGETS, NLL_PREDICTIONS, 1.0),
        "log sigma": float(squares / (2 * s**2) + n / 2 * np.log(2 * np.pi * s)),
        "mean": _gaussian_nll(NLL_TARGETS, NLL_PREDICTIONS, s) / n,
        "no half": float(squares / s**2 + n / 2 * np.log(2 * np.pi * s**2)),
        "laplace": float(np.sum(np.abs(e)) / s + n * np.log(2 * s)),
        "over 2 sigma": float(squares / (2 * s) + n / 2 * np.log(2 * np.pi * s**2)),
        "sigma read as the variance": _gaussian_nll(NLL_TARGETS, NLL_PREDICTIONS, np.sqrt(s)),
        "sign": -_gaussian_nll(NLL_TARGETS, NLL_PREDICTIONS, s),
    }


def check_gaussian_nll(answer):
    """Exercise 10.5: the Gaussian negative log-likelihood (a sum, sigma = 3) of three targets."""
    c = _nll_candidates()
    return check_value(
        "Exercise 10.5",
        answer,
        expected=c["answer"],
        mistakes=[
            Mistake(
                c["no constant"],
                "That is the squared-error part alone. The NLL also has the normaliser's "
                "term (n/2) log(2 pi sigma^2): it does not move the minimiser, but it is part "
                "of the number.",
            ),
            Mistake(
                c["sigma 1"],
                "That is the NLL for sigma = 1. Here the noise has sigma = 3: divide the "
                "squares by 2 sigma^2 = 18 and use log(2 pi sigma^2).",
            ),
            Mistake(
                c["log sigma"],
                "The constant is (n/2) log(2 pi sigma^2), with sigma squared (the variance), "
                "not log(2 pi sigma).",
            ),
            Mistake(
                c["mean"],
                "You averaged over the three targets. The negative log-likelihood of the data "
                "is a sum (the log of a product of densities).",
            ),
            Mistake(
                c["no half"],
                "The Gaussian's exponent is -e^2 / (2 sigma^2): you lost the factor 1/2.",
            ),
            Mistake(
                c["laplace"],
                "That is the Laplace NLL (sum |e| / b + n log 2b). The exercise assumes "
                "Gaussian noise.",
            ),
            Mistake(
                c["over 2 sigma"],
                "You divided the squares by 2 sigma = 6. The Gaussian's exponent is "
                "-e^2 / (2 sigma^2): divide by 2 sigma^2 = 18.",
            ),
            Mistake(
                c["sigma read as the variance"],
                "You used 3 as the variance sigma^2. sigma = 3 is the standard deviation, "
                "so the variance is 9.",
            ),
            Mistake(
                c["sign"],
                "That is the log-likelihood. The loss is its negative: a sum of "
                "-log(density), here positive.",
            ),
        ],
        what="the Gaussian negative log-likelihood",
        success=f"{c['answer']:.4f} = {c['no constant']:.4f} (the squares over 2 sigma^2) "
        f"+ {c['answer'] - c['no constant']:.4f} (the constant): minimising it over the "
        "predictions is minimising the MSE.",
    )


# -- exercise 10.6: a confident miss under three losses -----------------------------------

MISS_MARGIN = -6.0


def _margin_candidates():
    m = MISS_MARGIN
    ce, exponential, hinge = np.log1p(np.exp(-m)), np.exp(-m), max(0.0, 1 - m)
    candidates = {
        "answer": [ce, exponential, hinge],
        "sign": [np.log1p(np.exp(m)), np.exp(m), max(0.0, 1 + m)],
        "hinge without 1": [ce, exponential, max(0.0, -m)],
        "bits": [np.log2(1 + np.exp(-m)), exponential, hinge],
        "squared on p": [(1 - 1 / (1 + np.exp(-m))) ** 2, exponential, hinge],
        "order": [exponential, ce, hinge],
    }
    return {name: [float(v) for v in values] for name, values in candidates.items()}


def check_margin_losses(answer):
    """Exercise 10.6: [cross-entropy, exponential, hinge] at the margin m = -6."""
    c = _margin_candidates()
    return check_value(
        "Exercise 10.6",
        answer,
        expected=c["answer"],
        mistakes=[
            Mistake(
                c["sign"],
                "Those are the losses of a confident *right* answer, m = +6. The example is "
                "on the wrong side: m = y z = -6, so -m = 6.",
            ),
            Mistake(
                c["hinge without 1"],
                "The hinge is max(0, 1 - m): with m = -6 that is 7, not 6.",
            ),
            Mistake(
                c["bits"],
                "Your cross-entropy is in bits (log base 2). The course's logarithms are "
                "natural: log(1 + e^6).",
            ),
            Mistake(
                c["squared on p"],
                "Your first number is the squared error on the probability, (1 - sigma(m))^2. "
                "Cross-entropy is -log sigma(m) = log(1 + e^-m).",
            ),
            Mistake(
                c["order"],
                "The first two are swapped: the order asked is "
                "[cross-entropy, exponential, hinge].",
            ),
        ],
        what="the list [cross-entropy, exponential, hinge]",
        success="6.0025, 403.4288 and 7: the exponential loss is 67 times harsher than "
        "cross-entropy on this miss, and cross-entropy is within 0.0025 of -m, a straight line.",
    )


# -- exercise 10.7: the last two rows of the table ----------------------------------------

RARE_WEIGHT = 3.0  # pos_weight of exercise 10.7 (a), on the SICK / HEALTHY population
SMOOTH_CLASSES, SMOOTH_EPSILON = 5, 0.1  # exercise 10.7 (b)


def _weighted_constant_candidates():
    w, sick, healthy = RARE_WEIGHT, float(SICK), float(HEALTHY)
    base = sick / (sick + healthy)
    return {
        "answer": w * sick / (w * sick + healthy),
        "base rate": base,
        "probability times w": w * base,
        "balanced": 0.5,
        "odds": w * sick / healthy,
        "base odds": sick / healthy,
        "healthy weighted": sick / (sick + w * healthy),
    }


def check_weighted_constant(answer):
    """Exercise 10.7 (a): the best constant p̂ under binary cross-entropy with pos_weight 3."""
    c = _weighted_constant_candidates()
    return check_value(
        "Exercise 10.7 (a)",
        answer,
        expected=c["answer"],
        mistakes=[
            Mistake(
                c["base rate"],
                "0.2 is the base rate, the best constant of the plain loss. With pos_weight "
                "3 each sick patient's term counts three times: minimise "
                "-[3 * 20 log p + 80 log(1 - p)].",
            ),
            Mistake(
                c["probability times w"],
                "The weight multiplies the odds, not the probability: 3 * 0.2 = 0.6 is "
                "three times the base rate. Set the derivative of the weighted loss to zero.",
            ),
            Mistake(
                c["balanced"],
                "0.5 is what pos_weight = n_neg / n_pos = 4 gives. Here the weight is 3.",
            ),
            Mistake(
                c["odds"],
                "0.75 are the odds p / (1 - p) at the minimum. Turn them into a probability: "
                "p = odds / (1 + odds).",
            ),
            Mistake(
                c["base odds"],
                "0.25 are the odds of the base rate, 20 / 80, without the weight.",
            ),
            Mistake(
                c["healthy weighted"],
                "You weighted the healthy patients' terms. pos_weight multiplies the "
                "positive (sick) term, y log p.",
            ),
        ],
        what="the best constant probability of 'sick'",
        success=f"{c['answer']:.4f} = 60 / 140: the weight 3 multiplies the odds 20/80 = 0.25 "
        "to 0.75, so the model says 0.43 for an event of 20%.",
    )


def _smoothed_candidates():
    k, eps = SMOOTH_CLASSES, SMOOTH_EPSILON
    top, rest = 1 - eps + eps / k, eps / k
    return {
        "answer": [top, np.log(top / rest)],
        "no share": [1 - eps, np.log((1 - eps) / rest)],
        "other classes only": [1 - eps, np.log((1 - eps) / (eps / (k - 1)))],
        "ratio": [top, top / rest],
        "against the rest together": [top, np.log(top / (1 - top))],
        "bits": [top, np.log2(top / rest)],
    }


def check_smoothed_minimum(answer):
    """Exercise 10.7 (b): [p̂ of the true class, logit gap] at the smoothed loss's minimum."""
    c = {name: [float(v) for v in values] for name, values in _smoothed_candidates().items()}
    return check_value(
        "Exercise 10.7 (b)",
        answer,
        expected=c["answer"],
        mistakes=[
            Mistake(
                c["no share"],
                "The true class gets 1 - eps and also its own share eps / k of the spread "
                "mass: 1 - 0.1 + 0.02 = 0.92.",
            ),
            Mistake(
                c["other classes only"],
                "You spread eps over the other k - 1 classes (another convention). "
                "lossbook, PyTorch and Keras spread it over all k classes: eps / k = 0.02 each.",
            ),
            Mistake(
                c["ratio"],
                "46 is the ratio of the two probabilities; the logit gap is its log, "
                "since softmax turns a gap g into a ratio e^g.",
            ),
            Mistake(
                c["against the rest together"],
                "That compares the true class with the four others together (0.08). The gap "
                "is between the true class's logit and each other logit: log(0.92 / 0.02).",
            ),
            Mistake(
                c["bits"],
                "Your gap uses log base 2. Logits are natural logs: softmax uses e^z.",
            ),
        ],
        what="the list [p̂ of the true class, gap]",
        success=f"p̂ = {c['answer'][0]:.2f} on the true class and a gap of "
        f"log 46 = {c['answer'][1]:.4f}: at the minimum the model's distribution equals the "
        "smoothed target, a finite gap.",
    )


# -- the quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch10",
    [
        quiz_question(
            "Quiz 10.1",
            'A Keras model ends in Dense(10, activation="softmax") and its labels are the '
            "integers 0 to 9. Which loss string?",
            {
                "A": '"categorical_crossentropy"',
                "B": '"sparse_categorical_crossentropy"',
                "C": '"binary_crossentropy"',
            },
            "B",
            {
                "A": "That is the same loss, but it expects one-hot labels, rows of 10 numbers; "
                "these labels are integers.",
                "C": "Binary cross-entropy treats the 10 outputs as 10 independent yes/no "
                "labels: that is the multi-label row, not one digit out of ten.",
            },
            success='"sparse_categorical_crossentropy": categorical cross-entropy that reads '
            "integer labels.",
        ),
        quiz_question(
            "Quiz 10.2",
            "A line trained with MAE has a larger MSE on the training data than the line "
            "trained with MSE. Is it the worse line?",
            {"A": "Yes: its MSE is larger", "B": "Not necessarily"},
            "B",
            {
                "A": "Each line is best under the loss it was trained on (the chapter's table: "
                "4.7560 against 3.8133 in MSE, but 0.8458 against 1.2435 in MAE). Which is "
                "better depends on which errors matter, judged on data neither line saw."
            },
            success="Not necessarily: the MAE line has the smaller MAE. Which loss matters is "
            "a question about the task, judged on held-out data.",
        ),
        quiz_question(
            "Quiz 10.3",
            "A sigmoid classifier trained with squared error on its probability sits at "
            "p̂ = 0.9999 on an example whose label is 0. How hard does the loss push its logit?",
            {"A": "About 0.0002", "B": "About 0.9999", "C": "Not at all: the gradient is 0"},
            "A",
            {
                "B": "0.9999 is p̂ - y, the push of cross-entropy. Squared error multiplies "
                "2(p̂ - y) by the sigmoid's slope p̂(1 - p̂) = 0.0001.",
                "C": "Small is not zero: 2 * 0.9999 * 0.9999 * 0.0001 = 0.0002. The gradient "
                "only reaches 0 in the limit p̂ -> 1.",
            },
            success="2(p̂ - y) p̂(1 - p̂) = 2 * 0.9999 * 0.9999 * 0.0001 = 0.0002: hardly at all.",
        ),
        quiz_question(
            "Quiz 10.4",
            "Over 100 predictions, which loss is indifferent between one error of 100 and a "
            "hundred errors of 1?",
            {"A": "MSE", "B": "MAE", "C": "Huber with delta = 1"},
            "B",
            {
                "A": "MSE gives 100.0 for the one error of 100 and 1.0 for the hundred "
                "errors of 1.",
                "C": "Huber gives 0.9950 against 0.5000: the small errors fall on its "
                "quadratic part, at half their square.",
            },
            success="MAE: 1.0 either way, the total distance divided by 100.",
        ),
        quiz_question(
            "Quiz 10.5",
            "Under plain binary cross-entropy, which costs more: a sick patient given "
            "p̂ = 0.001 (a missed diagnosis) or a healthy patient given p̂ = 0.999 (a false alarm)?",
            {"A": "The missed diagnosis", "B": "The false alarm", "C": "They cost the same"},
            "C",
            {
                "A": "The loss knows nothing about patients: -log 0.001 and -log(1 - 0.999) are "
                "both 6.9078. A miss costs more only if you say so, e.g. with pos_weight.",
                "B": "Both cost -log 0.001 = 6.9078: binary cross-entropy is symmetric in the "
                "two classes.",
            },
            success="The same, 6.9078 each: plain cross-entropy prices a missed diagnosis "
            "like a false alarm; pos_weight or class weights change that.",
        ),
        quiz_question(
            "Quiz 10.6",
            "At the margin m = yz = -10 (confidently wrong), which loss is the largest?",
            {"A": "Cross-entropy", "B": "The exponential loss", "C": "The hinge loss"},
            "B",
            {
                "A": "Cross-entropy is log(1 + e^10) = 10.0000: it grows only linearly in the "
                "margin. The exponential loss is e^10 = 22026.",
                "C": "The hinge is 1 - m = 11, linear like cross-entropy. The exponential "
                "loss is e^10 = 22026.",
            },
            success="The exponential loss, e^10 = 22026.4658, against 10.0000 for cross-entropy "
            "and 11 for the hinge.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
