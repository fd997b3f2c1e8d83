"""Chapter 03, mean squared error: the story's claims, the explorer and the checkers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch03

# -- the story ---------------------------------------------------------------------------


def test_fifty_thousand_off_costs_a_hundred_times_five_thousand_off():
    house = np.array([300_000.0])
    ratio = lb.mse(house, house + 50_000) / lb.mse(house, house + 5_000)
    assert ratio == pytest.approx(100.0)
    assert lb.mae(house, house + 50_000) / lb.mae(house, house + 5_000) == pytest.approx(10.0)


def test_the_mean_minimises_mse_over_a_grid_and_by_the_derivative():
    y = ch03.commute_times()
    constants = np.round(np.arange(10.0, 40.001, 0.1), 1)
    losses = ch03.constant_losses(y, constants)
    best = constants[np.argmin(losses)]
    assert abs(best - y.mean()) <= 0.05
    # the slope in c, from lb.mse_grad, is 2 (c - mean): zero only at the mean
    for c in (15.0, y.mean(), 30.0):
        slope = lb.mse_grad(y, np.full_like(y, c)).sum()
        assert slope == pytest.approx(2 * (c - y.mean()), abs=1e-9)
    assert lb.mse(y, np.full_like(y, y.mean())) == pytest.approx(y.var())
    # and the median does worse than the mean (the commutes are skewed)
    assert lb.mse(y, np.full_like(y, np.median(y))) > lb.mse(y, np.full_like(y, y.mean()))


def test_constant_losses_agree_with_lb_one_constant_at_a_time():
    y = ch03.commute_times()
    constants = np.array([12.0, 22.5, 31.0])
    expected = [lb.mse(y, np.full_like(y, c)) for c in constants]
    np.testing.assert_allclose(ch03.constant_losses(y, constants), expected)
    expected_mae = [lb.mae(y, np.full_like(y, c)) for c in constants]
    np.testing.assert_allclose(ch03.constant_losses(y, constants, loss=lb.mae), expected_mae)


def test_least_squares_line_is_numpy_polyfit_and_the_outlier_drags_it():
    x, y = ch03.noisy_line()
    w, b = ch03.least_squares_line(x, y)
    np.testing.assert_allclose([w, b], np.polyfit(x, y, 1))
    w_out, _ = ch03.least_squares_line(x, ch03.with_outlier(y))
    assert w_out > 1.5 * w


def test_gradient_descent_reaches_least_squares_and_generates_similar_points():
    x, y = ch03.samples()
    history = ch03.fit_polynomial(x, y)
    exact, *_ = np.linalg.lstsq(ch03.features(x, 3), y, rcond=None)
    np.testing.assert_allclose(history.final_params, exact, atol=1e-6)
    assert history.losses[-1] < history.losses[0] / 20
    n, p = x.size, history.final_params.size
    noise = np.sqrt(n / (n - p) * history.final_loss)
    assert noise == pytest.approx(ch03.NOISE, rel=0.1)
    x_new, y_new = ch03.generate(history.final_params, noise)
    # the generated points sit as far from the hidden function as the given ones
    given = lb.mse(ch03.hidden_function(x), y)
    generated = lb.mse(ch03.hidden_function(x_new), y_new)
    assert generated == pytest.approx(given, rel=0.3)
    assert y_new.std() == pytest.approx(y.std(), rel=0.1)


def test_training_mse_is_biased_low_by_n_minus_p_over_n_on_average():
    # many training sets from the true cubic's neighbourhood: the mean training MSE of a
    # cubic is close to (n - p) / n sigma^2, and the corrected one to sigma^2
    mses = []
    for seed in range(300, 700):
        x, y = ch03.samples(seed=seed)
        coef = ch03.exact_polynomial(x, y, 3)
        mses.append(lb.mse(y, ch03.polynomial_prediction(coef, x)))
    n, p = 40, 4
    assert np.mean(mses) == pytest.approx((n - p) / n * ch03.NOISE**2, rel=0.03)
    assert np.mean(mses) * n / (n - p) == pytest.approx(ch03.NOISE**2, rel=0.03)


def test_gaussian_nll_is_mse_over_two_sigma_squared_plus_a_constant():
    x, y = ch03.samples()
    y_hat = ch03.polynomial_prediction(ch03.exact_polynomial(x, y, 3), x)
    for sigma in (0.1, 0.3, 2.0):
        density = np.exp(-((y - y_hat) ** 2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))
        expected = lb.mse(y, y_hat) / (2 * sigma**2) + np.log(sigma * np.sqrt(2 * np.pi))
        assert np.mean(-np.log(density)) == pytest.approx(expected, rel=1e-12)


def test_held_out_mse_draws_a_u_and_training_mse_falls():
    x, y = ch03.samples()
    x_test, y_test = ch03.held_out()
    table = ch03.train_and_test_mse(x, y, x_test, y_test, degrees=(1, 3, 5, 9, 15))
    train = [t for t, _ in table.values()]
    test = [t for _, t in table.values()]
    assert all(a > b for a, b in itertools.pairwise(train))
    assert min(test) == test[1] and test[-1] > 2 * test[1]


def test_bias_falls_and_variance_rises_with_the_degree():
    (b1, v1), (b3, v3), (b9, v9) = (
        ch03.bias_and_variance(ch03.fitted_curves(d)) for d in (1, 3, 9)
    )
    assert b1 > 100 * b3 and v9 > 5 * v3
    assert b3 + v3 < min(b1 + v1, b9 + v9)


def test_targets_in_dollars_scale_the_gradient_by_1000_and_the_loss_by_a_million():
    price, pred = np.array([250.0, 310.0, 420.0]), np.array([260.0, 300.0, 380.0])
    np.testing.assert_allclose(
        lb.mse_grad(1000 * price, 1000 * pred), 1000 * lb.mse_grad(price, pred)
    )
    assert lb.mse(1000 * price, 1000 * pred) == pytest.approx(1e6 * lb.mse(price, pred))


# -- the explorer --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return ch03.residual_share_explorer()


def test_explorer_caption_numbers(explorer):
    for residual in (0.0, 1.0, 4.0, 6.0):
        caption = explorer.update(residual=residual)
        r = ch03.SHARE_RESIDUALS.copy()
        r[ch03.MOVING] = residual
        sq_share = r[ch03.MOVING] ** 2 / np.sum(r**2)
        abs_share = abs(r[ch03.MOVING]) / np.sum(np.abs(r))
        assert f"{sq_share:.1%} of the squared error (MSE {np.mean(r**2):.4f})" in caption
        assert f"{abs_share:.1%} of the absolute error (MAE {np.mean(np.abs(r)):.4f})" in caption


def test_squared_share_grows_faster_than_absolute_share():
    for residual in ch03.RESIDUAL_VALUES[3:]:  # from 1.5 on
        shares = ch03.loss_shares(ch03.share_residuals(residual))
        assert shares["squared"][ch03.MOVING] > shares["absolute"][ch03.MOVING]
        assert shares["squared"].sum() == pytest.approx(1.0)


def test_explorer_render_changes_with_the_slider(explorer):
    assert explorer.render(residual=1.0) != explorer.render(residual=5.0)


# -- exercise 3.1 ------------------------------------------------------------------------------


def test_gradient_reference_passes():
    def mse_gradient(y_true, y_pred):
        y_true = np.asarray(y_true, dtype=float)
        y_pred = np.asarray(y_pred, dtype=float)
        return 2 * (y_pred - y_true) / y_pred.size

    assert ch03.check_mse_gradient(mse_gradient).passed
    assert ch03.check_mse_gradient(lb.mse_grad).passed


def _d(t, p):
    return np.subtract(p, t)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda t, p: 2 * _d(p, t) / np.size(p), "sign"),
        (lambda t, p: _d(t, p) / np.size(p), "factor 2"),
        (lambda t, p: 2 * _d(t, p), "divide by n"),
        (lambda t, p: np.mean(2 * _d(t, p)), "averaged"),
        (lambda t, p: np.mean(_d(t, p) ** 2), "loss itself"),
        (lambda t, p: np.sign(_d(t, p)) / np.size(p), "absolute"),
    ],
)
def test_gradient_typical_mistakes_get_their_hint(wrong, word):
    feedback = ch03.check_mse_gradient(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 3.2 ------------------------------------------------------------------------------


def test_share_reference_and_mistakes():
    errors = np.array([5_000.0] * 9 + [50_000.0])
    assert ch03.check_big_miss_share((errors**2)[-1] / (errors**2).sum()).passed
    assert ch03.check_big_miss_share(2500 / 2725).passed
    assert "absolute" in ch03.check_big_miss_share(50 / 95).hint
    assert "percentage" in ch03.check_big_miss_share(100 * 2500 / 2725).hint
    assert "other nine" in ch03.check_big_miss_share(2500 / 225).hint
    assert "by count" in ch03.check_big_miss_share(0.1).hint


@pytest.mark.parametrize(
    ("answer", "word"),
    [
        (0.917, "rounded"),
        (0.9174, "rounded"),
        (np.array(0.92), "rounded"),
        (91.7, "rounded percentage"),
        (92, "rounded percentage"),
        (0.526, "absolute error"),
        (0.5, "Recompute"),
    ],
)
def test_share_typed_by_hand_gets_told_so(answer, word):
    feedback = ch03.check_big_miss_share(answer)
    assert not feedback.passed and word in feedback.hint, feedback


def test_explorer_speaks_its_value_and_describes_itself(explorer):
    (slider,) = explorer.controls
    assert slider.spoken(2.0) == "residual of point 6: 2.0"
    assert "share" in explorer.description


# -- exercise 3.3 ------------------------------------------------------------------------------


def _commutes():
    return ch03.commute_times()


def test_mse_at_30_right_rounded_and_mistakes():
    y = _commutes()
    right = lb.mse(y, np.full_like(y, 30.0))
    assert ch03.check_mse_at_30(right).passed
    assert "rounded" in ch03.check_mse_at_30(round(right, 2)).hint
    cases = {
        (30 - y.mean()) ** 2: "extra part",
        lb.mse(y, np.full_like(y, y.mean())): "at the mean",
        np.sqrt(right): "RMSE",
        15 * right: "sum",
        lb.mae(y, np.full_like(y, 30.0)): "absolute",
    }
    for answer, word in cases.items():
        feedback = ch03.check_mse_at_30(answer)
        assert not feedback.passed and word in feedback.hint, (answer, feedback)


# -- exercise 3.4 ------------------------------------------------------------------------------


def test_mse_unit_choice():
    assert ch03.check_mse_unit("dollars squared").passed
    assert "RMSE" in ch03.check_mse_unit("dollars").hint
    assert "100,000,000" in ch03.check_mse_unit("no unit").hint


# -- exercise 3.5 ------------------------------------------------------------------------------


def test_noise_variance_right_rounded_and_mistakes():
    x, y = ch03.samples()
    mse = ch03.fit_polynomial(x, y).final_loss
    right = 40 / 36 * mse
    assert ch03.check_noise_variance(right).passed
    assert "rounded" in ch03.check_noise_variance(round(right, 4)).hint
    cases = {
        mse: "training MSE itself",
        36 / 40 * mse: "other way",
        40 / 39 * mse: "n - 1",
        40 / 37 * mse: "four coefficients",
        np.sqrt(right): "standard deviation",
        np.sqrt(mse): "square root of the training MSE",
        0.09: "hidden",
        lb.mse(
            ch03.held_out()[1],
            ch03.polynomial_prediction(ch03.exact_polynomial(x, y, 3), ch03.held_out()[0]),
        ): "held-out",
    }
    # the chapter's printed numbers, copied by hand: the training MSE, the held-out MSE, sigma
    cases |= {0.0877: "training MSE (rounded)", 0.0945: "held-out MSE (rounded)", 0.3122: "sigma"}
    for answer, word in cases.items():
        feedback = ch03.check_noise_variance(answer)
        assert not feedback.passed and word in feedback.hint, (answer, feedback)


# -- no two candidate answers coincide ----------------------------------------------------------

VALUE_CHECKERS = [ch03.check_big_miss_share, ch03.check_mse_at_30, ch03.check_noise_variance]


@pytest.mark.parametrize("checker", VALUE_CHECKERS, ids=lambda c: c.__name__)
def test_no_mistake_coincides_with_the_answer_or_another_mistake(checker):
    data = checker(None).web.definition()
    expected = float(data["expected"])
    values = [float(m["value"]) for m in data["mistakes"]]
    for m in data["mistakes"]:
        if m["atol"] >= 1e-6:
            continue  # a rounded-copy catch, centred on a value on purpose (checked after it)
        # an exact mistake must be far from the right answer, beyond the checker's tolerance
        assert abs(expected - float(m["value"])) > 1e-3 * abs(expected), m
    exact = [v for v, m in zip(values, data["mistakes"], strict=True) if m["atol"] < 1e-6]
    assert len({round(v, 9) for v in exact}) == len(exact)


def test_gradient_mistakes_differ_from_the_reference_on_the_cases():
    for mistake in ch03.GRADIENT_MISTAKES:
        assert any(
            np.shape(mistake.behaves_like(*case)) != np.shape(ch03._mse_gradient(*case))
            or not np.allclose(mistake.behaves_like(*case), ch03._mse_gradient(*case))
            for case in ch03.GRADIENT_CASES
        )


# -- quiz -----------------------------------------------------------------------------------


@pytest.mark.parametrize("question", sorted(ch03.QUIZ.questions))
def test_quiz_right_answer_passes_and_every_wrong_one_gets_a_specific_hint(question):
    q = ch03.QUIZ.questions[question]
    assert ch03.quiz(question, q.correct).passed
    hints = []
    for key in q.options:
        if key != q.correct:
            feedback = ch03.quiz(question, key)
            assert not feedback.passed and feedback.hint
            hints.append(feedback.hint)
    assert "Quiz 3." in ch03.quiz_field(question)._repr_html_()
