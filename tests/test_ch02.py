"""Chapter 02: the data, the hand-derived gradient, the explorer's numbers and the checkers."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb
from lossbook.checks import Feedback
from lossbook.course import ch02
from lossbook.training import fit_line, line_loss_and_grad


@pytest.fixture(scope="module")
def data():
    return ch02.noisy_points()


@pytest.fixture(scope="module")
def explorer():
    return ch02.descent_explorer()


# -- data and the story's claims --------------------------------------------------------


def test_points_are_seeded_and_near_the_true_line(data):
    x, y = data
    again = ch02.noisy_points()
    np.testing.assert_array_equal(x, again[0])
    np.testing.assert_array_equal(y, again[1])
    assert x.shape == y.shape == (20,) and np.all(np.diff(x) >= 0)
    assert np.all((x >= 0) & (x <= 2))
    w, b = ch02.least_squares(x, y)
    assert abs(w - ch02.TRUE_W) < 0.3 and abs(b - ch02.TRUE_B) < 0.3


def test_hand_gradient_matches_the_chain_rule_and_finite_differences(data):
    x, y = data
    for w, b in [(0.0, 0.0), (0.7, -0.3), (2.5, 1.5)]:
        by_hand = ch02.mse_gradient(x, y, w, b)
        _, by_package = line_loss_and_grad(x, y, loss="mse")(np.array([w, b]))
        numeric = ch02.central_difference(lambda p: lb.mse(y, p[0] * x + p[1]), [w, b])
        np.testing.assert_allclose(by_hand, by_package, rtol=1e-12)
        np.testing.assert_allclose(by_hand, numeric, rtol=1e-7, atol=1e-9)


def test_central_difference_is_second_order():
    cube = lambda p: float(p[0] ** 3)  # noqa: E731 - derivative at 1 is 3
    errors = [abs(ch02.central_difference(cube, [1.0], h=h)[0] - 3.0) for h in (1e-2, 1e-3)]
    assert errors[1] < errors[0] / 50  # h**2: ten times smaller h, a hundred times smaller error


def test_surface_is_the_mse_and_least_squares_is_its_minimum(data):
    x, y = data
    w_grid, b_grid = np.meshgrid([0.5, 2.0], [-1.0, 1.0])
    surface = ch02.mse_surface(x, y, w_grid, b_grid)
    for index in np.ndindex(surface.shape):
        assert surface[index] == pytest.approx(lb.mse(y, w_grid[index] * x + b_grid[index]))
    best = ch02.least_squares(x, y)
    np.testing.assert_allclose(ch02.mse_gradient(x, y, *best), [0, 0], atol=1e-12)
    np.testing.assert_allclose(best, np.polyfit(x, y, 1), rtol=1e-10)


def test_one_step_from_the_start_lowers_the_loss(data):
    x, y = data
    grad = ch02.mse_gradient(x, y, *ch02.INITIAL_PARAMS)
    new = np.array(ch02.INITIAL_PARAMS) - 0.1 * grad
    history = fit_line(x, y, learning_rate=0.1, steps=1)
    np.testing.assert_allclose(history.params[1], new)
    assert history.losses[1] < history.losses[0]


def test_the_critical_learning_rate_separates_converging_from_diverging(data):
    x, _ = data
    edge = ch02.critical_learning_rate(x)
    np.testing.assert_allclose(edge, 2 / np.linalg.eigvalsh(ch02.hessian(x)).max())
    # the chapter's story: 0.4 converges, 0.5 diverges; 0.43 below the edge, 0.45 above
    assert 0.43 < edge < 0.45
    x, y = data
    assert fit_line(x, y, learning_rate=0.95 * edge, steps=500).final_loss < 0.1210
    above = fit_line(x, y, learning_rate=1.05 * edge, steps=500)
    assert above.diverged and ch02.steps_to_diverge(above) == len(above.losses) - 1


def test_the_learning_rates_show_the_three_regimes(data):
    x, y = data
    best = ch02.least_squares(x, y)
    best_loss = lb.mse(y, best[0] * x + best[1])
    runs = {lr: fit_line(x, y, learning_rate=lr, steps=100) for lr in ch02.LEARNING_RATES}
    assert runs[0.01].final_loss > best_loss + 0.01  # too small: not there yet
    for lr in (0.1, 0.2, 0.3, 0.4):
        assert runs[lr].final_loss == pytest.approx(best_loss, abs=1e-4)
    assert runs[0.5].diverged and ch02.steps_to_diverge(runs[0.5]) < 100
    assert ch02.steps_to_diverge(runs[0.1]) is None


# -- the explorer -------------------------------------------------------------------------


def test_explorer_caption_numbers(data, explorer):
    x, y = data
    for lr, steps in [(0.01, 100), (0.1, 30), (0.4, 10)]:
        run = fit_line(x, y, learning_rate=lr, steps=steps)
        w, b = run.final_params
        caption = explorer.update(learning_rate=lr, steps=steps)
        assert f"w = {w:.4f}, b = {b:.4f}, MSE {run.final_loss:.4f}" in caption
        assert "diverg" not in caption


def test_explorer_says_when_it_diverges(data, explorer):
    x, y = data
    full = fit_line(x, y, learning_rate=0.5, steps=100)
    stopped = ch02.steps_to_diverge(full)
    assert f"diverged after {stopped} steps" in explorer.update(learning_rate=0.5, steps=100)
    caption = explorer.update(learning_rate=0.5, steps=10)
    loss = fit_line(x, y, learning_rate=0.5, steps=10).final_loss
    assert f"MSE {loss:.4f} and growing: diverging" in caption


def test_explorer_takes_values_between_the_grid_points(data, explorer):
    x, y = data
    run = fit_line(x, y, learning_rate=0.25, steps=7)
    caption = explorer.update(learning_rate=0.25, steps=7.0)
    assert f"7 steps: w = {run.final_params[0]:.4f}" in caption
    assert "1 step:" in explorer.update(learning_rate=0.1, steps=1)


def test_explorer_render_changes_with_each_slider(explorer):
    base = explorer.render(learning_rate=0.1, steps=10)
    assert explorer.render(learning_rate=0.3, steps=10) != base
    assert explorer.render(learning_rate=0.1, steps=30) != base
    assert explorer.render(learning_rate=0.1, steps=10) == base


# -- exercise 2.1: the gradient -------------------------------------------------------------


def test_gradient_reference_passes():
    def line_grad(x, y, w, b):
        error = w * np.asarray(x) + b - np.asarray(y)
        return np.array([2 * np.mean(error * x), 2 * np.mean(error)])

    feedback = ch02.check_line_gradient(line_grad)
    assert feedback.passed, feedback


def _grad(x, y, w, b):
    return ch02.mse_gradient(x, y, w, b)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda x, y, w, b: -_grad(x, y, w, b), "sign"),
        (lambda x, y, w, b: _grad(x, y, w, b) / 2, "factor 2"),
        (lambda x, y, w, b: _grad(x, y, w, b) * len(x), "divide by n"),
        (lambda x, y, w, b: _grad(x, y, w, b) * len(x) / 2, "summed"),
        (lambda x, y, w, b: _grad(x, y, w, b)[::-1], "swapped"),
        (lambda x, y, w, b: np.repeat(_grad(x, y, w, b)[1], 2), "missing the x"),
        (lambda x, y, w, b: np.mean((w * np.asarray(x) + b - y) ** 2), "loss itself"),
        (lambda x, y, w, b: -_grad(x, y, w, b) * len(x) / 2, "Three things"),
        (lambda x, y, w, b: np.array([w, b]) - 0.1 * _grad(x, y, w, b), "update step"),
        (lambda x, y, w, b: None, "return"),
    ],
)
def test_gradient_mistakes_get_their_hint(wrong, word):
    feedback = ch02.check_line_gradient(wrong)
    assert not feedback.passed and word in feedback.hint, feedback


# -- exercise 2.2: one step -------------------------------------------------------------------


def test_one_step_reference_passes():
    assert ch02.check_one_step([2.0, 0.5]).passed
    np.testing.assert_allclose(ch02.one_step(), [2.0, 0.5])
    run = fit_line(
        ch02.STEP_X, ch02.STEP_Y, learning_rate=ch02.STEP_LR, steps=1, initial_params=(1, 0)
    )
    np.testing.assert_allclose(run.params[-1], [2.0, 0.5])
    np.testing.assert_allclose(run.losses, [7.5, 0.25])


@pytest.mark.parametrize(
    ("answer", "word"),
    [
        ([0.0, -0.5], "uphill"),
        ([1.5, 0.25], "factor 2"),
        ([5.0, 2.0], "summed"),
        ([3.0, 1.0], "summed instead of averaging and lost"),
        ([11.0, 5.0], "learning rate"),
        ([1.0, 0.5], "step itself"),
        ([0.5, 2.0], "swapped"),
        ([2.0, 0.0], "Recompute"),
    ],
)
def test_one_step_mistakes_get_their_hint(answer, word):
    feedback = ch02.check_one_step(answer)
    assert not feedback.passed and word in feedback.hint, feedback


@pytest.mark.parametrize("answer", [2.0, "2.0, 0.5"])
def test_one_step_checker_answers_nonsense_with_feedback(answer):
    feedback = ch02.check_one_step(answer)
    assert isinstance(feedback, Feedback) and not feedback.passed and feedback.hint


# -- second edition: the story's new claims ---------------------------------------------------


def test_central_difference_is_exact_on_the_quadratic_and_second_order_on_log_cosh(data):
    x, y = data
    mse_at = lambda p: lb.mse(y, p[0] * x + p[1])  # noqa: E731
    log_cosh_at = lambda p: lb.log_cosh(y, p[0] * x + p[1])  # noqa: E731
    slope = lb.log_cosh_grad(y, np.zeros_like(y))
    exact = np.array([np.sum(slope * x), np.sum(slope)])
    errors = []
    for h in (1e-1, 1e-2, 1e-3):
        mse_error = ch02.central_difference(mse_at, [0.0, 0.0], h=h) - ch02.mse_gradient(x, y, 0, 0)
        assert np.max(np.abs(mse_error)) < 1e-12  # no truncation error on a quadratic
        errors.append(np.max(np.abs(ch02.central_difference(log_cosh_at, [0.0, 0.0], h=h) - exact)))
    assert 90 < errors[0] / errors[1] < 110 and 90 < errors[1] / errors[2] < 110


def test_the_loss_curve_has_a_linear_rate_set_by_the_smallest_curvature(data):
    x, y = data
    best = ch02.least_squares(x, y)
    excess = fit_line(x, y, learning_rate=0.1, steps=100).losses - lb.mse(y, best[0] * x + best[1])
    lam_min = np.linalg.eigvalsh(ch02.hessian(x))[0]
    np.testing.assert_allclose(excess[51] / excess[50], (1 - 0.1 * lam_min) ** 2, rtol=1e-6)


def test_centring_and_scaling_shrink_the_condition_number(data):
    x, _ = data
    raw = ch02.condition_number(x)
    centred = ch02.condition_number(x - x.mean())
    scaled = ch02.condition_number((x - x.mean()) / x.std())
    assert raw > centred > scaled and scaled == pytest.approx(1.0)


def test_minibatch_sgd_records_full_data_losses_and_jitters(data):
    x, y = data
    run = ch02.minibatch_sgd(x, y, batch_size=4, learning_rate=0.1, epochs=20)
    assert run.params.shape == (101, 2) and run.losses.shape == (101,)
    np.testing.assert_allclose(run.losses, [lb.mse(y, w * x + b) for w, b in run.params])
    again = ch02.minibatch_sgd(x, y, batch_size=4, learning_rate=0.1, epochs=20)
    np.testing.assert_array_equal(run.losses, again.losses)
    tail = np.diff(run.losses[-20:])
    assert np.any(tail > 0) and np.any(tail < 0)  # noisy, not monotone
    # batch size n is full-batch gradient descent
    full = ch02.minibatch_sgd(x, y, batch_size=20, learning_rate=0.1, epochs=5)
    np.testing.assert_allclose(full.losses, fit_line(x, y, learning_rate=0.1, steps=5).losses)


def test_explorer_controls_have_valuetext(explorer):
    assert explorer.description and "valley" in explorer.description
    assert all(control.valuetext for control in explorer.controls)


# -- exercises 2.3 and 2.4, the quiz ----------------------------------------------------------


def test_learning_rate_choices():
    assert ch02.check_too_large("B").passed and ch02.check_too_large("b").passed
    assert "too small" in ch02.check_too_large("A").hint
    assert ch02.check_more_steps("no").passed
    assert "1 - eta" in ch02.check_more_steps("yes").hint


def test_condition_number_checker():
    # By hand: mean x = 1.2, mean x^2 = 2.8, Hessian [[5.6, 2.4], [2.4, 2]] with eigenvalues
    # (7.6 +- 6) / 2 = 6.8 and 0.8; centred, diag(2 * 1.36, 2).
    before = np.linalg.eigvalsh(ch02.hessian(ch02.CONDITION_X))
    np.testing.assert_allclose(before, [0.8, 6.8], rtol=1e-12)
    exact = [8.5, 1.36]
    assert ch02.check_condition_numbers(exact).passed
    hints = {
        (1 / 8.5, 1 / 1.36): "Upside down",
        (6.8, 2.72): "largest curvatures",
        (8.5, 8.5): "Centring changes",
        (np.sqrt(8.5), np.sqrt(1.36)): "np.linalg.cond",
        (1.36, 8.5): "swapped",
    }
    for answer, hint in hints.items():
        feedback = ch02.check_condition_numbers(list(answer))
        assert not feedback.passed and hint in feedback.hint, (answer, feedback.hint)
    assert "rounded" in ch02.check_condition_numbers([8.51, 1.36]).hint


def test_one_step_checker_names_the_gradient_and_its_negative():
    assert "gradient [dL/dw, dL/db] itself" in ch02.check_one_step([-10.0, -5.0]).hint
    assert "minus the gradient" in ch02.check_one_step([10.0, 5.0]).hint


def test_value_mistakes_never_coincide_with_the_answer():
    from lossbook.checks import _same

    for web in [ch02.check_condition_numbers(None).web, ch02.check_one_step(None).web]:
        candidates = [web.expected] + [m.behaves_like for m in web.mistakes]
        for i, a in enumerate(candidates):
            for b in candidates[i + 1 :]:
                assert not _same(np.asarray(a, float), np.asarray(b, float)), (a, b)


def test_quiz_answers_and_hints():
    answers = {"Quiz 2.1": "A", "Quiz 2.2": "B", "Quiz 2.3": "B", "Quiz 2.4": "B"}
    for question, answer in answers.items():
        assert ch02.quiz(question, answer).passed
        for key in ch02.QUIZ.questions[question].options:
            if key != answer:
                feedback = ch02.quiz(question, key)
                assert not feedback.passed and feedback.hint
