"""Chapter 04, mean absolute error: the story's claims, the explorer and the checkers."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch03, ch04
from lossbook.training import fit_line

# -- the story ---------------------------------------------------------------------------


def test_the_median_minimises_mae_over_a_grid_and_by_the_subgradient():
    y = ch04.commute_times()
    constants = np.round(np.arange(10.0, 40.001, 0.1), 1)
    losses = ch03.constant_losses(y, constants, loss=lb.mae)
    assert constants[np.argmin(losses)] == pytest.approx(np.median(y))
    # the slope from lb.mae_grad is (below - above) / n, zero at the median only
    for c in (15.0, 19.0, np.median(y), 20.0, 25.0):
        assert lb.mae_grad(y, np.full_like(y, c)).sum() == pytest.approx(ch04.mae_slope(y, c))
    assert ch04.mae_slope(y, np.median(y)) == 0
    assert ch04.mae_slope(y, 19.4) < 0 < ch04.mae_slope(y, 19.6)


def test_with_an_even_count_every_value_between_the_middle_two_minimises_mae():
    y = np.array([1.0, 2.0, 6.0, 10.0])
    losses = ch03.constant_losses(y, [2.0, 3.0, 4.5, 6.0], loss=lb.mae)
    np.testing.assert_allclose(losses, losses[0])
    assert ch03.constant_losses(y, [1.9, 6.1], loss=lb.mae).min() > losses[0]


def test_one_outlier_moves_the_mean_far_and_the_median_little():
    y = ch04.commute_times()
    broken = np.append(y, 180.0)
    assert broken.mean() - y.mean() > 9
    assert np.median(broken) - np.median(y) < 0.5


def test_least_absolute_line_is_optimal():
    x, y = ch04.noisy_line()
    y = ch04.with_outlier(y)
    w, b = ch04.least_absolute_line(x, y)
    best = lb.mae(y, w * x + b)
    # no nearby line does better, and gradient descent does not beat it
    rng = np.random.default_rng(0)
    for dw, db in rng.normal(scale=[0.05, 0.3], size=(200, 2)):
        assert lb.mae(y, (w + dw) * x + (b + db)) >= best - 1e-12
    assert fit_line(x, y, loss="mae", learning_rate=0.02, steps=2000).final_loss >= best


def test_the_mae_line_shrugs_off_the_outlier_and_the_mse_line_does_not():
    x, y = ch04.noisy_line()
    y_out = ch04.with_outlier(y)
    mse_change = ch04.least_squares_line(x, y_out)[0] - ch04.least_squares_line(x, y)[0]
    mae_change = ch04.least_absolute_line(x, y_out)[0] - ch04.least_absolute_line(x, y)[0]
    assert abs(mse_change) > 0.25 and abs(mae_change) < 0.02


def test_mae_prefers_one_big_mistake_mse_prefers_many_small():
    prices = np.full(10, 300_000.0)
    a = prices + 5_000
    b = prices + np.array([0.0] * 9 + [40_000.0])
    assert lb.mae(prices, b) < lb.mae(prices, a)
    assert lb.mse(prices, b) == pytest.approx(6.4 * lb.mse(prices, a))


def test_mae_steps_do_not_shrink_mse_steps_do():
    x, y = ch04.noisy_line()
    y = ch04.with_outlier(y)
    mse_steps = ch04.step_sizes(fit_line(x, y, loss="mse", learning_rate=0.02, steps=2000))
    mae_steps = ch04.step_sizes(fit_line(x, y, loss="mae", learning_rate=0.02, steps=2000))
    assert mse_steps[-1] < 1e-9
    assert mae_steps[-100:].max() > 0.01


# -- the explorer --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return ch04.outlier_explorer()


def test_explorer_caption_numbers(explorer):
    for ox, oy in [(9.0, 5.0), (1.0, 20.0), (5.0, 0.0), (20.0, 20.0), (50.0, 4.0)]:
        caption = explorer.update(outlier_x=ox, outlier_y=oy)
        x, y = ch04.noisy_line()
        x, y = x.copy(), y.copy()
        x[ch04.OUTLIER], y[ch04.OUTLIER] = ox, oy
        wm, bm = np.polyfit(x, y, 1)
        assert f"MSE line {wm:.4f} x {'-' if bm < 0 else '+'} {abs(bm):.4f}" in caption
        wa, ba = ch04.least_absolute_line(x, y)
        assert f"MAE line {wa:.4f} x {'-' if ba < 0 else '+'} {abs(ba):.4f}" in caption


def test_explorer_mae_line_stays_put_as_a_far_outlier_moves_inside_the_range():
    fits = [ch04.both_fits(ox, 20.0) for ox in ch04.OUTLIER_X if ox <= 10]
    mae = {fit["mae"] for fit in fits}
    mse = {round(fit["mse"][0], 6) for fit in fits}
    assert len(mae) == 1 and len(mse) == len(fits)


def test_a_leverage_point_moves_the_mae_line_too():
    x, y = ch04.noisy_line()
    x_far, y_far = ch04.leverage_points(50.0)
    np.testing.assert_array_equal(y_far, y)
    assert x_far[ch04.OUTLIER] == 50.0
    assert ch04.least_absolute_line(x, y)[0] == pytest.approx(0.4415, abs=5e-5)
    assert ch04.least_absolute_line(x_far, y)[0] == pytest.approx(0.2385, abs=5e-5)
    assert ch04.least_squares_line(x_far, y)[0] == pytest.approx(0.0760, abs=5e-5)
    # and the explorer shows it at x = 50
    assert ch04.both_fits(50.0, 4.0)["mae"][0] == pytest.approx(0.2385, abs=5e-5)


def test_laplace_nll_is_mae_over_b_plus_log_2b():
    x, y = ch04.noisy_line()
    y_hat = 0.4 * x + 1.5
    for b in (0.1, 0.5, 3.0):
        expected = lb.mae(y, y_hat) / b + np.log(2 * b)
        assert ch04.laplace_nll(y, y_hat, b=b) == pytest.approx(expected, rel=1e-12)


def test_adam_takes_eta_sized_first_steps_and_keeps_hopping_on_mae():
    x, y = ch04.noisy_line()
    y = ch04.with_outlier(y)
    for loss in ("mse", "mae"):
        steps = np.linalg.norm(np.diff(ch04.adam_line(x, y, loss=loss), axis=0), axis=1)
        assert steps[0] == pytest.approx(0.02 * np.sqrt(2), rel=1e-6)
        late = steps[-200:].max()
        assert (late < 1e-10) if loss == "mse" else (late > 1e-3)


def test_explorer_speaks_its_values_and_describes_itself(explorer):
    height, position = explorer.controls
    assert height.spoken(4.0) == "outlier at height y = 4"
    assert position.spoken(50.0) == "outlier at position x = 50"
    assert "least-squares" in explorer.description


def test_explorer_render_changes_with_each_slider(explorer):
    start = explorer.render(outlier_x=9.5, outlier_y=16.0)
    assert explorer.render(outlier_x=9.5, outlier_y=4.0) != start
    assert explorer.render(outlier_x=0.5, outlier_y=16.0) != start


# -- exercise 4.1 ------------------------------------------------------------------------------


def test_subgradient_reference_passes():
    def mae_subgradient(y_true, y_pred):
        return np.sign(np.asarray(y_pred, float) - np.asarray(y_true, float)) / np.size(y_pred)

    assert ch04.check_mae_subgradient(mae_subgradient).passed
    assert ch04.check_mae_subgradient(lb.mae_grad).passed


def _e(t, p):
    return np.subtract(p, t)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda t, p: -np.sign(_e(t, p)) / np.size(p), "sign is flipped"),
        (lambda t, p: np.sign(_e(t, p)), "divide by n"),
        (lambda t, p: 2 * _e(t, p) / np.size(p), "squared error"),
        (lambda t, p: np.where(_e(t, p) >= 0, 1.0, -1.0) / np.size(p), "ties"),
        (lambda t, p: np.mean(np.sign(_e(t, p))), "averaged"),
        (lambda t, p: np.mean(np.abs(_e(t, p))), "loss itself"),
        (lambda t, p: np.abs(_e(t, p)) / np.size(p), "share of the loss"),
        # e / |e| is right away from the ties and 0 / 0 = nan at them
        (lambda t, p: _e(t, p) / np.abs(_e(t, p)) / np.size(p), "np.sign"),
    ],
)
def test_subgradient_typical_mistakes_get_their_hint(wrong, word):
    feedback = ch04.check_mae_subgradient(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 4.2 ------------------------------------------------------------------------------


def test_best_constant_reference_passes():
    assert ch04.check_best_constant(lambda y: np.sort(y)[len(y) // 2]).passed
    assert ch04.check_best_constant(np.median).passed


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (np.mean, "mean"),
        (lambda y: np.asarray(y)[len(y) // 2], "Sort"),
        (lambda y: np.sort(y)[max(len(y) // 2 - 1, 0)], "Off by one"),
        (lambda y: np.sort(y)[(len(y) + 1) // 2], "index n // 2"),
        (lambda y: np.mean(np.sort(y)[len(y) // 2 - 1 : len(y) // 2 + 1]), "even count"),
        (lambda y: (np.min(y) + np.max(y)) / 2, "largest error"),
    ],
)
def test_best_constant_typical_mistakes_get_their_hint(wrong, word):
    feedback = ch04.check_best_constant(wrong)
    assert not feedback.passed and word in feedback.hint


# -- exercise 4.3 ------------------------------------------------------------------------------


def test_mae_prefers_b():
    zero = np.zeros(5)
    assert lb.mae(zero, ch04.ERRORS_B) < lb.mae(zero, ch04.ERRORS_A)
    assert lb.mse(zero, ch04.ERRORS_A) < lb.mse(zero, ch04.ERRORS_B)
    assert ch04.check_mae_prefers("B").passed
    assert "MSE prefers" in ch04.check_mae_prefers("A").hint
    assert not ch04.check_mae_prefers("tie").passed


# -- exercise 4.5 ------------------------------------------------------------------------------


def test_leverage_fit_right_rounded_and_mistakes():
    x, y = ch04.noisy_line()
    x_far, _ = ch04.leverage_points(50.0)
    w, b = ch04.least_absolute_line(x_far, y)
    mae = lb.mae(y, w * x_far + b)
    assert ch04.check_leverage_fit([w, mae]).passed
    assert ch04.check_leverage_fit((w, mae)).passed
    assert "rounded" in ch04.check_leverage_fit([round(w, 4), round(mae, 4)]).hint
    assert "2 numbers" in ch04.check_leverage_fit(w).hint

    def moved(i):
        xx = x.copy()
        xx[i] = 50.0
        wi, bi = ch04.least_absolute_line(xx, y)
        return [wi, lb.mae(y, wi * xx + bi)]

    w_ls, b_ls = ch04.least_squares_line(x_far, y)
    wc, bc = ch04.least_absolute_line(x, y)
    y_up = ch04.with_outlier(y)
    wu, bu = ch04.least_absolute_line(x, y_up)
    cases = {
        tuple(moved(17)): "moving point 17",
        tuple(moved(19)): "moving point 19",
        (w, lb.mae(y, w * x + b)): "unmoved inputs",
        (w, lb.mse(y, w * x_far + b)): "MSE of the line",
        (w, 20 * mae): "sum of the absolute errors",
        (mae, w): "Swapped",
        (b, mae): "intercept",
        (wc, lb.mae(y, wc * x + bc)): "before the move",
        (w_ls, lb.mae(y, w_ls * x_far + b_ls)): "least-squares (MSE) line with the moved",
        (w_ls, lb.mse(y, w_ls * x_far + b_ls)): "and its MSE",
        (wu, lb.mae(y_up, wu * x + bu)): "moved in y",
    }
    # the slope alone cannot tell point 18 from its neighbours; the pair can
    assert moved(17)[0] == pytest.approx(w, abs=1e-12) and moved(19)[0] == pytest.approx(w)
    rounded = {tuple(np.round(v, 6)) for v in cases} | {(round(w, 6), round(mae, 6))}
    assert len(rounded) == len(cases) + 1
    for answer, word in cases.items():
        feedback = ch04.check_leverage_fit(list(answer))
        assert not feedback.passed and word in feedback.hint, (answer, feedback)


def test_the_clean_mae_line_is_a_family_the_others_are_unique():
    x, y = ch04.noisy_line()
    low, high = ch04.least_absolute_slopes(x, y)
    assert (round(low, 4), round(high, 4)) == (0.4415, 0.4672)
    # every line between the two ends is as good: the MAE is piecewise linear in (w, b)
    w_all, b_all, errors = ch04._pair_lines(x, y)
    b0, b1 = b_all[w_all == low][0], b_all[w_all == high][0]
    best = errors.min()
    for t in (0.0, 0.3, 0.5, 1.0):
        w_t, b_t = (1 - t) * low + t * high, (1 - t) * b0 + t * b1
        assert lb.mae(y, w_t * x + b_t) == pytest.approx(best, rel=1e-12)
    # the line with the y outlier is one of them, and unique; so is the leverage line
    w_up = ch04.least_absolute_line(x, ch04.with_outlier(y))[0]
    assert low < w_up < high
    assert ch04.least_absolute_slopes(x, ch04.with_outlier(y)) == (w_up, w_up)
    x_far, _ = ch04.leverage_points(50.0)
    w_far = ch04.least_absolute_line(x_far, y)[0]
    assert ch04.least_absolute_slopes(x_far, y) == (w_far, w_far)


def test_subgradient_and_constant_mistakes_differ_from_the_reference_on_the_cases():
    for mistakes, reference, cases in [
        (ch04.SUBGRADIENT_MISTAKES, ch04._mae_subgradient, ch04.SUBGRADIENT_CASES),
        (ch04.CONSTANT_MISTAKES, ch04._best_constant, ch04.CONSTANT_CASES),
    ]:
        for mistake in mistakes:
            assert any(
                np.shape(mistake.behaves_like(*case)) != np.shape(reference(*case))
                or not np.allclose(mistake.behaves_like(*case), reference(*case))
                for case in cases
            )


# -- quiz -----------------------------------------------------------------------------------


@pytest.mark.parametrize("question", sorted(ch04.QUIZ.questions))
def test_quiz_right_answer_passes_and_every_wrong_one_gets_a_hint(question):
    q = ch04.QUIZ.questions[question]
    assert ch04.quiz(question, q.correct).passed
    for key in q.options:
        if key != q.correct:
            feedback = ch04.quiz(question, key)
            assert not feedback.passed and feedback.hint
    assert "Quiz 4." in ch04.quiz_field(question)._repr_html_()
