"""Chapter 11, Custom losses: the story's claims, the threshold explorer, the checkers."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import lossbook as lb
from lossbook.course import ch11

# -- the data and the story --------------------------------------------------------------


@pytest.fixture(scope="module")
def story():
    x_train, y_train = ch11.screening_data(seed=ch11.TRAIN_SEED)
    x_test, y_test = ch11.screening_data(seed=ch11.TEST_SEED)
    plain = ch11.fit_logistic(x_train, y_train, loss="bce", learning_rate=1.0, steps=1000)
    costly = ch11.fit_logistic(
        x_train,
        y_train,
        loss="rwwce",
        fn_cost=ch11.FN_COST,
        fp_cost=ch11.FP_COST,
        learning_rate=0.1,
        steps=1000,
    )
    return x_train, y_train, x_test, y_test, plain, costly


def decisions(history, x, threshold):
    w, b = history.final_params
    return lb.sigmoid(w * x + b) >= threshold


def test_data_are_seeded_and_imbalanced():
    x, y = ch11.screening_data(seed=ch11.TRAIN_SEED)
    x2, y2 = ch11.screening_data(seed=ch11.TRAIN_SEED)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert 0.10 < y.mean() < 0.18  # about one sick patient in seven
    assert x[y == 1].mean() > x[y == 0].mean() + 1  # sick patients score higher


def test_both_trainings_converge(story):
    *_, plain, costly = story
    for history in (plain, costly):
        assert not history.diverged
        assert abs(history.losses[-1] - history.losses[-2]) < 1e-10


def test_screening_model_is_the_plain_fit(story):
    *_, plain, _ = story
    np.testing.assert_allclose(ch11.screening_model(), plain.final_params)


def test_rwwce_lowers_the_real_world_cost_by_making_cheaper_mistakes(story):
    _, _, x_test, y_test, plain, costly = story
    kw = {"fn_cost": ch11.FN_COST, "fp_cost": ch11.FP_COST}
    c_plain = ch11.confusion_counts(y_test, decisions(plain, x_test, 0.5))
    c_costly = ch11.confusion_counts(y_test, decisions(costly, x_test, 0.5))
    assert ch11.real_world_cost(c_costly, **kw) < ch11.real_world_cost(c_plain, **kw) / 3
    assert c_costly["FN"] < c_plain["FN"] and c_costly["FP"] > c_plain["FP"]
    assert c_costly["FN"] + c_costly["FP"] > c_plain["FN"] + c_plain["FP"]  # more mistakes


def test_rwwce_at_one_half_decides_like_bce_at_p_star(story):
    _, _, x_test, _, plain, costly = story
    p_star = ch11.cost_optimal_threshold(ch11.FN_COST, ch11.FP_COST)
    assert np.array_equal(decisions(costly, x_test, 0.5), decisions(plain, x_test, p_star))
    shift = costly.final_params[1] - plain.final_params[1]
    assert shift == pytest.approx(math.log(ch11.FN_COST / ch11.FP_COST), abs=0.05)
    assert costly.final_params[0] == pytest.approx(plain.final_params[0], rel=0.05)


def test_logistic_gradient_matches_finite_differences(story):
    x, y, *_ = story
    for loss, kw in [("bce", {}), ("rwwce", {"fn_cost": 20.0, "fp_cost": 3.0})]:
        f = ch11.logistic_loss_and_grad(x, y, loss=loss, **kw)
        params = np.array([0.7, -1.3])
        _, grad = f(params)
        h = 1e-6
        num = [(f(params + h * e)[0] - f(params - h * e)[0]) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(grad, num, rtol=1e-6)
    with pytest.raises(ValueError, match="loss"):
        ch11.logistic_loss_and_grad(x, y, loss="mse")


def test_p_star_minimises_the_expected_cost():
    for fn_cost, fp_cost in [(20.0, 1.0), (1.0, 1.0), (2.0, 7.0)]:
        p = np.linspace(0, 1, 1001)
        say_positive = (1 - p) * fp_cost
        say_negative = p * fn_cost
        first_positive = p[np.argmax(say_positive <= say_negative)]
        assert first_positive == pytest.approx(
            ch11.cost_optimal_threshold(fn_cost, fp_cost), abs=1e-3
        )


def test_confusion_and_cost():
    counts = ch11.confusion_counts([1, 1, 0, 0, 0], [True, False, True, False, False])
    assert counts == {"TP": 1, "FN": 1, "FP": 1, "TN": 2}
    assert ch11.real_world_cost(counts, fn_cost=20.0, fp_cost=1.0) == 21.0
    assert ch11.describe(counts) == "TP   1, FN   1, FP   1, TN   2"


def test_pos_weight_gives_the_rare_class_half_the_loss():
    _, y = ch11.screening_data(seed=ch11.TRAIN_SEED)
    w = (y == 0).sum() / (y == 1).sum()
    per = lb.binary_cross_entropy_with_logits(y, np.zeros_like(y), pos_weight=w, reduction="none")
    assert per[y == 1].sum() / per.sum() == pytest.approx(0.5)


def test_focal_loss_turns_down_the_easy_patients():
    x, y = ch11.screening_data(seed=ch11.TRAIN_SEED)
    w, b = ch11.screening_model()
    z = w * x + b
    p = lb.sigmoid(z)
    easy = np.where(y == 1, p, 1 - p) > 0.9
    shares = []
    for gamma in (0, 2):
        per = lb.focal_loss(y, z, gamma=gamma, alpha=None, reduction="none")
        shares.append(per[easy].sum() / per.sum())
    assert easy.mean() > 0.5 and shares[0] > 0.05 and shares[1] < shares[0] / 50


def test_asymmetric_loss_and_gradient():
    rng = np.random.default_rng(3)
    t, p = rng.normal(size=9), rng.normal(size=9)
    assert ch11.asymmetric_squared_error(t, p) >= 0
    assert ch11.asymmetric_squared_error(t, t) == 0
    assert ch11.asymmetric_squared_error(t, p, under=1.0) == pytest.approx(lb.mse(t, p))
    assert ch11.asymmetric_squared_error([2.0], [0.0]) == 3 * ch11.asymmetric_squared_error(
        [0.0], [2.0]
    )
    num = ch11.numerical_gradient(ch11.asymmetric_squared_error, t, p)
    np.testing.assert_allclose(ch11.asymmetric_squared_error_grad(t, p), num, atol=1e-8)
    # the check must be able to fail: the weight forgotten
    assert np.max(np.abs(-2 * (t - p) / t.size - num)) > 0.01


# -- the explorer -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return ch11.threshold_explorer()


@pytest.mark.parametrize(("fn_cost", "fp_cost"), [(20.0, 1.0), (1.0, 1.0), (1.0, 10.0), (5.0, 2.0)])
def test_explorer_caption_numbers(explorer, fn_cost, fp_cost):
    caption = explorer.update(fn_cost=fn_cost, fp_cost=fp_cost)
    # recompute independently: the plain model, the test patients, the threshold
    w, b = ch11.screening_model()
    x, y = ch11.screening_data(seed=ch11.TEST_SEED)
    p = 1 / (1 + np.exp(-(w * x + b)))
    p_star = fp_cost / (fp_cost + fn_cost)
    say = p >= p_star
    tp, fn = int(np.sum(say & (y == 1))), int(np.sum(~say & (y == 1)))
    fp, tn = int(np.sum(say & (y == 0))), int(np.sum(~say & (y == 0)))
    half = fn_cost * np.sum((p < 0.5) & (y == 1)) + fp_cost * np.sum((p >= 0.5) & (y == 0))
    assert f"p* = {p_star:.3f}" in caption
    assert f"TP {tp}, FN {fn}, FP {fp}, TN {tn}" in caption
    assert f"cost {fn_cost * fn + fp_cost * fp:g} (at 0.5: {half:g})" in caption
    at_p_star, at_half = map(float, re.search(r"cost (\d+) \(at 0\.5: (\d+)\)", caption).groups())
    assert at_p_star <= at_half  # p* never does worse than 0.5 here


def test_explorer_renders_and_moves(explorer):
    first = explorer.render(fn_cost=20.0, fp_cost=1.0)
    second = explorer.render(fn_cost=1.0, fp_cost=10.0)
    assert first.startswith(b"\x89PNG") and first != second
    assert explorer.render(fn_cost=20.0, fp_cost=1.0) == first


# -- the checkers ---------------------------------------------------------------------------


def test_threshold_checker():
    assert ch11.check_cost_optimal_threshold(lambda fn, fp: fp / (fp + fn)).passed


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda fn, fp: fn / (fn + fp), "swapped"),
        (lambda fn, fp: fp / fn, "odds"),
        (lambda fn, fp: 0.5, "ignores the costs"),
        (lambda fn, fp: 1 / (1 + fn), "fp_cost = 1"),
        (lambda fn, fp: None, "return"),
    ],
)
def test_threshold_checker_hints(wrong, word):
    fb = ch11.check_cost_optimal_threshold(wrong)
    assert not fb.passed and word in fb.hint


def test_gradient_checker():
    def good(t, p):
        e = np.asarray(t, float) - np.asarray(p, float)
        return -2 * np.where(e > 0, 3.0, 1.0) * e / e.size

    assert ch11.check_asymmetric_gradient(good).passed


def _w(t, p, side=1):
    e = np.asarray(t, float) - np.asarray(p, float)
    return e, np.where(side * e > 0, 3.0, 1.0)


@pytest.mark.parametrize(
    ("wrong", "word"),
    [
        (lambda t, p: 2 * np.prod(_w(t, p), axis=0) / len(t), "sign"),
        (lambda t, p: -2 * np.prod(_w(t, p), axis=0), "divide"),
        (lambda t, p: -np.prod(_w(t, p), axis=0) / len(t), "factor 2"),
        (lambda t, p: -2 * np.prod(_w(t, p, -1), axis=0) / len(t), "wrong side"),
        (lambda t, p: -2 * _w(t, p)[0] / len(t), "plain MSE"),
        (lambda t, p: ch11.asymmetric_squared_error(t, p), "loss itself"),
    ],
)
def test_gradient_checker_hints(wrong, word):
    fb = ch11.check_asymmetric_gradient(wrong)
    assert not fb.passed and word in fb.hint, fb


def test_focal_checker():
    assert ch11.check_focal_factors([100, 4]).passed
    assert ch11.check_focal_factors(np.array([100.0, 4.0])).passed
    assert "1 / factor" in ch11.check_focal_factors([0.01, 0.25]).hint
    assert "gamma = 1" in ch11.check_focal_factors([10, 2]).hint
    assert "(1 - p_t)" in ch11.check_focal_factors([1 / 0.81, 4]).hint
    assert "order" in ch11.check_focal_factors([4, 100]).hint
