"""Chapter 10, Choosing a loss: the story's claims, the explorer's numbers, the checkers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

import lossbook as lb
from lossbook.checks import Feedback
from lossbook.course import ch10
from lossbook.training import fit_line
from tests.candidates import distinct


def least_absolute_deviations(x, y):
    """The exact MAE line, as a linear programme: min sum(u + v), y - (w x + b) = u - v."""
    n = x.size
    cost = np.concatenate([[0.0, 0.0], np.ones(2 * n)])
    equality = np.hstack([np.column_stack([x, np.ones(n)]), np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * 2 + [(0, None)] * (2 * n)
    result = linprog(cost, A_eq=equality, b_eq=y, bounds=bounds, method="highs")
    return result.x[:2]


# -- the regression story ----------------------------------------------------------------


def test_data_are_seeded_and_the_outliers_sit_high():
    x, y, is_outlier = ch10.line_data()
    x2, y2, _ = ch10.line_data()
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert is_outlier.sum() == 3 and np.all(x[is_outlier] > 2)
    residual = y - (ch10.TRUE_SLOPE * x + ch10.TRUE_INTERCEPT)
    assert np.all(residual[is_outlier] > 6) and np.all(np.abs(residual[~is_outlier]) < 1.5)


def test_mse_fit_is_least_squares():
    x, y, _ = ch10.line_data()
    assert ch10.fitted_line("mse") == pytest.approx(tuple(np.polyfit(x, y, 1)), abs=1e-6)


def test_mae_fit_is_near_the_exact_least_absolute_deviations_line():
    x, y, _ = ch10.line_data()
    w, b = ch10.fitted_line("mae")
    exact = least_absolute_deviations(x, y)
    assert np.abs(np.array([w, b]) - exact).max() < 0.02  # "within 0.02"
    assert ch10.loss_of_line("mae", (w, b)) - lb.mae(y, exact[0] * x + exact[1]) < 1e-3


def test_huber_fit_has_zero_gradient():
    x, y, _ = ch10.line_data()
    w, b = ch10.fitted_line("huber")
    g = lb.huber_grad(y, w * x + b)
    assert abs(np.sum(g * x)) < 1e-5 and abs(np.sum(g)) < 1e-5


def test_the_losses_learn_different_lines_and_mse_follows_the_outliers():
    w = {loss: ch10.fitted_line(loss)[0] for loss in ch10.LOSSES}
    assert w["mse"] > 1.2 > 0.9 > w["huber"] > w["mae"] > 0.75


def test_each_line_is_best_under_its_own_loss():
    for measured in ch10.LOSSES:
        scores = {t: ch10.loss_of_line(measured, ch10.fitted_line(t)) for t in ch10.LOSSES}
        assert min(scores, key=scores.get) == measured


def test_mse_slope_grows_linearly_and_robust_slopes_stop_moving():
    sizes = ch10.OUTLIER_SIZES
    mse = np.array([ch10.fitted_line("mse", s)[0] for s in sizes])
    assert np.allclose(np.diff(mse, 2), 0, atol=1e-8) and np.all(np.diff(mse) > 0.1)
    for loss in ("mae", "huber"):
        w = [ch10.fitted_line(loss, s) for s in sizes[1:]]
        assert all(p == w[0] for p in w), loss


# -- the classification story --------------------------------------------------------


def test_logit_gradients_match_finite_differences():
    y = np.array([0.0, 1.0, 0.0, 1.0])
    z = np.array([-2.0, 0.3, 4.0, -6.0])
    h = 1e-6

    def squared(zz):
        return (lb.sigmoid(zz) - y) ** 2

    def bce(zz):
        return lb.binary_cross_entropy_with_logits(y, zz, reduction="none")

    for fn, grad in [
        (squared, ch10.squared_error_logit_grad),
        (bce, ch10.cross_entropy_logit_grad),
    ]:
        numeric = (fn(z + h) - fn(z - h)) / (2 * h)
        assert np.allclose(grad(y, z), numeric, atol=1e-7)


def test_squared_error_gradient_vanishes_when_confidently_wrong():
    p = np.array([0.9, 0.99, 0.999, 0.9999])
    z = np.log(p / (1 - p))
    sq = ch10.squared_error_logit_grad(np.zeros(4), z)
    ce = ch10.cross_entropy_logit_grad(np.zeros(4), z)
    assert np.allclose(sq, 2 * p * p * (1 - p)) and np.all(np.diff(sq) < 0) and sq[-1] < 3e-4
    assert np.allclose(ce, p) and np.all(ce > 0.89)


@pytest.mark.parametrize("loss", ch10.CLASSIFICATION_LOSSES)
def test_logistic_gradient_is_right(loss):
    x, y = ch10.class_data()
    f = ch10.logistic_loss_and_grad(x, y, loss)
    params = np.array([-1.3, 0.4])
    h = 1e-6
    numeric = [(f(params + h * e)[0] - f(params - h * e)[0]) / (2 * h) for e in np.eye(2)]
    assert np.allclose(f(params)[1], numeric, atol=1e-7)
    with pytest.raises(ValueError, match="loss"):
        ch10.logistic_loss_and_grad(x, y, "hinge")


def test_cross_entropy_learns_fast_and_squared_error_stalls():
    x, y = ch10.class_data()
    assert ch10.accuracy(ch10.LOGISTIC_START, x, y) < 0.1
    ce = ch10.accuracy_curve(ch10.train_logistic("cross_entropy"), x, y)
    sq = ch10.accuracy_curve(ch10.train_logistic("squared_error"), x, y)
    assert ce[10] >= 0.9 and sq[100] < 0.1 and sq[-1] >= 0.9
    assert np.argmax(ce >= 0.9) < 10 < 100 < np.argmax(sq >= 0.9)


def test_accuracy_curve_agrees_with_accuracy():
    x, y = ch10.class_data()
    history = ch10.train_logistic("cross_entropy")
    curve = ch10.accuracy_curve(history, x, y)
    assert curve[7] == ch10.accuracy(history.params[7], x, y)


# -- the medical-diagnosis numbers -----------------------------------------------------


def test_many_small_errors_against_one_big_one():
    truth, steady, spiky = np.zeros(100), np.ones(100), np.zeros(100)
    spiky[0] = 100.0
    assert lb.mse(truth, steady) == 1.0 and lb.mse(truth, spiky) == 100.0
    assert lb.mae(truth, steady) == 1.0 and lb.mae(truth, spiky) == 1.0
    assert lb.huber(truth, steady) == 0.5 and lb.huber(truth, spiky) == pytest.approx(0.995)
    miss = lb.binary_cross_entropy(np.ones(1), np.array([0.001]))
    hedge = lb.binary_cross_entropy(np.ones(1), np.array([0.6]))
    assert miss / hedge == pytest.approx(-np.log(0.001) / -np.log(0.6))


# -- the explorer ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return ch10.loss_explorer()


@pytest.mark.parametrize(("loss", "size"), [("mse", 0.0), ("mae", 6.0), ("huber", 12.0)])
def test_explorer_caption_is_a_fresh_training_run(explorer, loss, size):
    x, y, _ = ch10.line_data(size)
    kwargs = {"delta": 1.0} if loss == "huber" else {}
    w, b = fit_line(x, y, loss=loss, learning_rate=0.1, steps=150, **kwargs).final_params
    caption = explorer.update(loss=loss, outlier_size=size)
    assert f"w = {w:.4f}, b = {b:.4f}" in caption and f"+{size:.0f}" in caption


def test_explorer_render_changes_with_each_control(explorer):
    base = explorer.render(loss="mse", outlier_size=4.0)
    assert explorer.render(loss="mse", outlier_size=10.0) != base
    assert explorer.render(loss="huber", outlier_size=4.0) != base
    assert explorer.frame_count == 21


# -- exercise 10.1: choose the loss ----------------------------------------------------

RIGHT = {
    "temperature": "mse",
    "delivery": "huber",
    "spam": "binary_cross_entropy_with_logits",
    "digit": "softmax_cross_entropy",
    "tags": "binary_cross_entropy_with_logits",
}


def test_choices_reference_passes_in_any_spelling():
    assert ch10.check_loss_choices(RIGHT).passed
    assert ch10.check_loss_choices({**RIGHT, "delivery": "MAE"}).passed
    assert ch10.check_loss_choices({**RIGHT, "temperature": "lb.mse"}).passed


@pytest.mark.parametrize(
    ("task", "wrong", "word"),
    [
        ("tags", "softmax_cross_entropy", "compete"),
        ("delivery", "mse", "dominate"),
        ("spam", "mse", "confidently wrong"),
        ("digit", "binary_cross_entropy_with_logits", "softmax"),
        ("digit", "mse", "class"),
        ("temperature", "mae", "squares"),
        ("spam", "huber", "decision table"),
        ("tags", "mse", "own sigmoid"),
        ("spam", "binary_cross_entropy", "logits form"),
        ("digit", "categorical_cross_entropy", "softmax_cross_entropy"),
        ("digit", "sparse_categorical_crossentropy", "Keras name"),
        ("temperature", "mean_squared_error", "Keras name"),
    ],
)
def test_choices_wrong_answers_get_their_hint(task, wrong, word):
    feedback = ch10.check_loss_choices({**RIGHT, task: wrong})
    assert not feedback.passed and word in feedback.hint and task in feedback.message


@pytest.mark.parametrize(
    "answer",
    [{}, dict.fromkeys(RIGHT, ...), {**RIGHT, "spam": 5}, {**RIGHT, "tags": "focal"}],
)
def test_choices_nonsense_gets_feedback(answer):
    feedback = ch10.check_loss_choices(answer)
    assert isinstance(feedback, Feedback) and not feedback.passed and feedback.hint


# -- exercise 10.2: the gradient of squared error on a probability -------------------


def test_gradient_reference_passes():
    def sq_grad(y, z):
        p = lb.sigmoid(np.asarray(z, float))
        return 2 * (p - y) * p * (1 - p)

    assert ch10.check_squared_error_gradient(sq_grad).passed


def sig(z):
    return lb.sigmoid(np.asarray(z, float))


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda y, z: 2 * (sig(z) - y), "chain rule"),
        (lambda y, z: sig(z) - y, "cross-entropy"),
        (lambda y, z: (sig(z) - y) * sig(z) * (1 - sig(z)), "factor 2"),
        (lambda y, z: 2 * (y - sig(z)) * sig(z) * (1 - sig(z)), "sign"),
        (lambda y, z: 2 * (z - y) * sig(z) * (1 - sig(z)), "logit"),
        (lambda y, z: 2 * (sig(z) - y) * sig(z), "factor (1 - p̂)"),
        (lambda y, z: 2 * (sig(z) - y) * (1 - sig(z)), "factor p̂"),
        (lambda y, z: (sig(z) - y) ** 2, "the loss"),
        (lambda y, z: np.mean(2 * (sig(z) - y) * sig(z) * (1 - sig(z))), "averaged"),
        (lambda y, z: 2 * (sig(z) - y) * sig(z) * (1 - sig(z)) / z.size, "divided"),
        (lambda y, z: None, "return"),
    ],
)
def test_gradient_typical_mistakes_get_their_hint(wrong, word):
    feedback = ch10.check_squared_error_gradient(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 10.3: steady or spiky ----------------------------------------------------


def test_medical_reference_passes_and_mistakes_get_hints():
    assert ch10.check_medical_losses([4.0, 8.0, 2.0, 0.4]).passed
    assert "summed" in ch10.check_medical_losses([200, 400, 100, 20]).hint
    assert "49" in ch10.check_medical_losses([4, 400, 2, 20]).hint
    assert "order" in ch10.check_medical_losses([4, 2, 8, 0.4]).hint
    assert "squared the mean" in ch10.check_medical_losses([4, 0.16, 2, 0.4]).hint
    assert "swapped" in ch10.check_medical_losses([8, 4, 0.4, 2]).hint
    assert ch10.check_mse_prefers("steady").passed
    assert "400" in ch10.check_mse_prefers("spiky").hint
    assert not ch10.check_mse_prefers("tie").passed
    # two parts of one exercise: each reply names its part
    assert ch10.check_medical_losses(None).exercise == "Exercise 10.3 (a)"
    assert ch10.check_mse_prefers(None).exercise == "Exercise 10.3 (b)"


@pytest.mark.parametrize("answer", [[4.0, 8.0]])
def test_medical_nonsense_gets_feedback(answer):
    for checker in (ch10.check_medical_losses, ch10.check_mse_prefers):
        feedback = checker(answer)
        assert isinstance(feedback, Feedback) and not feedback.passed and feedback.hint


# -- maximum likelihood: each loss of the table is a negative log-likelihood --------------


def test_each_loss_is_a_negative_log_likelihood():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    y, y_hat = rng.normal(size=7), rng.normal(size=7)
    n, q = y.size, 0.3
    gauss = -stats.norm.logpdf(y, y_hat, 1.5).sum()
    assert gauss == pytest.approx(
        n * lb.mse(y, y_hat) / (2 * 1.5**2) + n / 2 * np.log(2 * np.pi * 1.5**2)
    )
    assert -stats.laplace.logpdf(y, y_hat, 0.7).sum() == pytest.approx(
        n * lb.mae(y, y_hat) / 0.7 + n * np.log(1.4)
    )
    kappa, scale = np.sqrt(q / (1 - q)), 1 / np.sqrt(q * (1 - q))
    asym = -stats.laplace_asymmetric.logpdf(y, kappa, y_hat, scale).sum()
    assert asym == pytest.approx(n * lb.quantile(y, y_hat, q=q) - n * np.log(q * (1 - q)))
    labels, p_hat = (rng.random(7) < 0.5).astype(float), rng.uniform(0.05, 0.95, 7)
    assert -stats.bernoulli.logpmf(labels, p_hat).sum() == pytest.approx(
        n * lb.binary_cross_entropy(labels, p_hat)
    )


# -- the last two rows: imbalanced data and label smoothing ------------------------------


@pytest.mark.parametrize("weight", [1.0, 9.0, 3.0])
def test_pos_weight_multiplies_the_best_constant_odds(weight):
    optimize = pytest.importorskip("scipy.optimize")
    y = np.concatenate([np.ones(10), np.zeros(90)])
    best = optimize.minimize_scalar(
        lambda c: lb.binary_cross_entropy_with_logits(y, np.full(100, c), pos_weight=weight),
        bounds=(-6.0, 6.0),
        method="bounded",
        options={"xatol": 1e-10},
    ).x
    assert best == pytest.approx(np.log(weight * 0.1 / 0.9), abs=1e-6)  # odds times the weight


def test_label_smoothing_has_a_finite_minimiser_and_plain_cross_entropy_has_none():
    k, eps = 10, 0.1
    gaps = np.linspace(0, 20, 20001)
    logits = np.zeros((gaps.size, k))
    logits[:, 0] = gaps
    labels = np.zeros(gaps.size, dtype=int)
    plain = lb.softmax_cross_entropy(labels, logits, reduction="none")
    smooth = lb.softmax_cross_entropy(labels, logits, reduction="none", label_smoothing=eps)
    assert np.all(np.diff(plain) < 0)
    assert gaps[np.argmin(smooth)] == pytest.approx(np.log(91), abs=1e-3)
    smoothed_target = np.full(k, eps / k)
    smoothed_target[0] += 1 - eps
    assert smooth.min() == pytest.approx(lb.entropy(smoothed_target), abs=1e-7)


# -- which loss fears a confident miss most ----------------------------------------------


def test_margin_losses_match_their_formulas():
    m = np.array([-10.0, -5.0, -1.0, 0.0, 2.0])
    losses = ch10.margin_losses(m)
    p = 1 / (1 + np.exp(-m))
    assert np.allclose(losses["cross-entropy"], -np.log(p))
    assert np.allclose(losses["exponential"], (1 - p) / p)
    assert np.allclose(losses["hinge"], np.maximum(0, 1 - m))
    assert np.allclose(losses["squared error on p̂"], (1 - p) ** 2)
    assert np.allclose(losses["squared error on z"], (1 - m) ** 2)


def test_the_exponential_loss_not_cross_entropy_fears_the_confident_miss_most():
    losses = ch10.margin_losses(np.array(ch10.MARGINS))
    for j, m in enumerate(ch10.MARGINS):
        largest = max(losses, key=lambda name: losses[name][j])
        assert largest == ("squared error on z" if m == -1 else "exponential")
        assert losses["cross-entropy"][j] < losses["hinge"][j] < losses["squared error on z"][j]
    # cross-entropy is linear in the margin far on the wrong side
    assert losses["cross-entropy"][2] - 10 == pytest.approx(np.log1p(np.exp(-10)))
    assert losses["squared error on p̂"].max() < 1


# -- the medical question with sick and healthy patients ---------------------------------


def test_plain_cross_entropy_prices_a_miss_like_a_false_alarm():
    y = ch10.patients()
    assert y.sum() == ch10.SICK and (y == 0).sum() == ch10.HEALTHY
    models = ch10.patient_models()
    missed, alarmed = models["spiky, one missed"], models["spiky, one false alarm"]
    assert ch10.confusion(missed) == (1, 0) and ch10.confusion(alarmed) == (0, 1)
    assert ch10.confusion(models["steady"]) == (0, 0)
    assert ch10.patient_losses(missed) == pytest.approx(ch10.patient_losses(alarmed), rel=1e-12)
    assert ch10.patient_losses(models["steady"]) == pytest.approx(-np.log(0.7))
    weighted = [ch10.patient_losses(p, pos_weight=5.0) for p in (missed, alarmed)]
    assert weighted[0] / weighted[1] == pytest.approx(4.9, abs=0.05)
    assert weighted[0] == pytest.approx(
        (5 * (19 * -np.log(0.999) - np.log(0.001)) + 80 * -np.log(0.999)) / 100
    )


# -- exercise 10.5: the Gaussian negative log-likelihood --------------------------------


VALUE_CHECKERS = [
    ch10.check_gaussian_nll,
    ch10.check_margin_losses,
    ch10.check_medical_losses,
    ch10.check_weighted_constant,
    ch10.check_smoothed_minimum,
]


@pytest.mark.parametrize("checker", VALUE_CHECKERS, ids=lambda c: c.__name__)
def test_value_candidates_never_coincide_and_each_mistake_gets_its_hint(checker):
    exercise = checker(None).web
    candidates = [exercise.expected] + [m.behaves_like for m in exercise.mistakes]
    for i, j in itertools.combinations(range(len(candidates)), 2):
        assert distinct(candidates[i], candidates[j]), (i, j)
    for mistake in exercise.mistakes:
        feedback = checker(mistake.behaves_like)
        assert not feedback.passed and feedback.hint == mistake.hint, feedback


def test_gaussian_nll_right_rounded_and_scipy():
    stats = pytest.importorskip("scipy.stats")
    right = -stats.norm.logpdf(ch10.NLL_TARGETS, ch10.NLL_PREDICTIONS, ch10.NLL_SIGMA).sum()
    assert ch10.check_gaussian_nll(right).passed
    assert "rounded" in ch10.check_gaussian_nll(round(right, 2)).hint
    squares = np.sum(np.subtract(ch10.NLL_TARGETS, ch10.NLL_PREDICTIONS) ** 2)
    hints = {
        squares / (2 * ch10.NLL_SIGMA**2): "squared-error part",
        squares / (2 * ch10.NLL_SIGMA) + right - squares / (2 * ch10.NLL_SIGMA**2): "2 sigma = 6",
        -stats.norm.logpdf(ch10.NLL_TARGETS, ch10.NLL_PREDICTIONS, np.sqrt(3.0)).sum(): "variance",
        -right: "log-likelihood",
        right / 3: "averaged",
        -stats.norm.logpdf(ch10.NLL_TARGETS, ch10.NLL_PREDICTIONS, 1.0).sum(): "sigma = 1",
        -stats.laplace.logpdf(
            ch10.NLL_TARGETS, ch10.NLL_PREDICTIONS, ch10.NLL_SIGMA
        ).sum(): "Laplace",
    }
    for answer, word in hints.items():
        assert word in ch10.check_gaussian_nll(answer).hint, (answer, word)


# -- exercise 10.6: a confident miss under three losses ---------------------------------


def test_margin_losses_exercise():
    right = [np.log1p(np.exp(6)), np.exp(6), 7.0]
    assert ch10.check_margin_losses(right).passed
    assert ch10.check_margin_losses(np.array(right)).passed
    assert "rounded" in ch10.check_margin_losses([6.0, 403.43, 7]).hint
    assert "right* answer" in ch10.check_margin_losses([np.log1p(np.exp(-6)), np.exp(-6), 0.0]).hint
    assert "not 6" in ch10.check_margin_losses([right[0], right[1], 6.0]).hint
    assert "bits" in ch10.check_margin_losses([np.log2(1 + np.exp(6)), right[1], 7.0]).hint
    assert not ch10.check_margin_losses(right[:2]).passed


# -- exercise 10.7: pos_weight and label smoothing, in numbers -----------------------------


def test_weighted_constant_is_the_numerical_minimiser():
    minimize_scalar = pytest.importorskip("scipy.optimize").minimize_scalar
    y = ch10.patients()
    found = minimize_scalar(
        lambda c: lb.binary_cross_entropy_with_logits(
            y, np.full(y.size, c), pos_weight=ch10.RARE_WEIGHT
        ),
        bounds=(-6.0, 6.0),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert ch10.check_weighted_constant(lb.sigmoid(found.x)).passed
    assert ch10.check_weighted_constant(3 / 7).passed
    assert "base rate" in ch10.check_weighted_constant(0.2).hint
    assert "odds, not the probability" in ch10.check_weighted_constant(0.6).hint
    assert "rounded" in ch10.check_weighted_constant(0.4286).hint
    assert ch10.check_weighted_constant(None).exercise == "Exercise 10.7 (a)"


def test_smoothed_minimum_is_the_numerical_minimiser():
    minimize_scalar = pytest.importorskip("scipy.optimize").minimize_scalar
    k, eps = ch10.SMOOTH_CLASSES, ch10.SMOOTH_EPSILON
    found = minimize_scalar(
        lambda g: lb.softmax_cross_entropy(
            np.array([0]), np.array([[g] + [0.0] * (k - 1)]), label_smoothing=eps
        ),
        bounds=(0.0, 20.0),
        method="bounded",
        options={"xatol": 1e-12},
    )
    p_true = lb.softmax(np.array([found.x] + [0.0] * (k - 1)))[0]
    assert ch10.check_smoothed_minimum([p_true, found.x]).passed
    assert "k - 1" in ch10.check_smoothed_minimum([0.9, np.log(0.9 / 0.025)]).hint
    assert "its log" in ch10.check_smoothed_minimum([0.92, 46.0]).hint
    assert not ch10.check_smoothed_minimum([0.92]).passed
    assert ch10.check_smoothed_minimum(None).exercise == "Exercise 10.7 (b)"


# -- the quiz ----------------------------------------------------------------------------

QUIZ_ANSWERS = {
    "Quiz 10.1": "B",
    "Quiz 10.2": "B",
    "Quiz 10.3": "A",
    "Quiz 10.4": "B",
    "Quiz 10.5": "C",
    "Quiz 10.6": "B",
}


@pytest.mark.parametrize(("question", "right"), QUIZ_ANSWERS.items())
def test_quiz_right_answer_passes_and_every_wrong_option_has_its_own_hint(question, right):
    assert ch10.quiz(question, right).passed
    exercise = ch10.QUIZ.questions[question]
    wrong = [option for option in exercise.options if option != right]
    hints = [ch10.quiz(question, option).hint for option in wrong]
    assert all(hints) and len(set(hints)) == len(hints)
    assert not any(ch10.quiz(question, option).passed for option in wrong)


def test_quiz_numbers():
    assert 2 * 0.9999 * 0.9999 * 0.0001 == pytest.approx(0.0002, abs=1e-6)  # Quiz 10.3
    losses = ch10.margin_losses(np.array([-10.0]))
    assert f"{losses['exponential'][0]:.4f}" == "22026.4658"  # Quiz 10.6
    assert f"{losses['cross-entropy'][0]:.4f}" == "10.0000"
    assert f"{-np.log(0.001):.4f}" == "6.9078" and f"{-5 * np.log(0.001):.4f}" == "34.5388"


def test_explorer_controls_speak_their_values(explorer):
    assert explorer.description and "slope" in explorer.description
    spoken = [control.spoken(control.values[-1]) for control in explorer.controls]
    assert "units too high" in spoken[1] and "12" in spoken[1]
    loss = explorer.controls[0]
    assert [loss.spoken(v) for v in loss.values] == [
        "trained under MSE",
        "trained under MAE",
        "trained under Huber",
    ]
