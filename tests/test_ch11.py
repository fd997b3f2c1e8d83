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


# -- second edition: the focal loss where easy negatives dominate --------------------------


@pytest.fixture(scope="module")
def boxes():
    x, y = ch11.screening_data(**ch11.BOXES, seed=ch11.BOXES_TRAIN_SEED)
    x_test, y_test = ch11.screening_data(**ch11.BOXES, seed=ch11.BOXES_TEST_SEED)
    runs = {
        gamma: ch11.fit_logistic(
            x, y, loss="focal", gamma=gamma, alpha=None, learning_rate=4.0, steps=100
        )
        for gamma in (0.0, 2.0)
    }
    return x, y, x_test, y_test, runs


def found(params, x, y):
    w, b = params
    return ch11.confusion_counts(y, lb.sigmoid(w * x + b) >= 0.5)


def test_focal_with_gamma_zero_trains_exactly_like_bce(boxes):
    x, y, *_, runs = boxes
    bce = ch11.fit_logistic(x, y, loss="bce", learning_rate=4.0, steps=100)
    np.testing.assert_allclose(runs[0.0].params, bce.params, rtol=1e-12, atol=1e-12)


def test_easy_boxes_dominate_cross_entropy_but_not_the_focal_loss(boxes):
    x, y, x_test, y_test, runs = boxes
    assert 0.005 < y.mean() < 0.015 and int(y_test.sum()) == 41
    early = runs[0.0].params[10]
    ce = ch11.training_focus(x, y, early, gamma=0.0)
    fl = ch11.training_focus(x, y, early, gamma=2.0)
    assert ce["easy"] > 0.95 and ce["easy loss share"] > 0.5  # "most of the loss"
    assert ce["positive gradient share"] < 0.25 and fl["positive gradient share"] > 0.95
    assert fl["easy loss share"] < 0.01
    for step in (30, 100):  # the focal run finds more objects for the same budget
        assert (
            found(runs[2.0].params[step], x_test, y_test)["TP"]
            > 2 * found(runs[0.0].params[step], x_test, y_test)["TP"] - 2
        )
    assert found(runs[0.0].params[100], x_test, y_test)["TP"] == 9
    assert found(runs[2.0].params[100], x_test, y_test)["TP"] == 17


def test_training_focus_counts_by_hand():
    x, y = np.array([-3.0, 0.0, 3.0]), np.array([0.0, 1.0, 1.0])
    focus = ch11.training_focus(x, y, (1.0, 0.0))
    p = 1 / (1 + np.exp(-x))
    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    easy = np.array([True, False, True])  # p_t = 0.953, 0.5, 0.953
    assert focus["easy"] == pytest.approx(2 / 3)
    assert focus["easy loss share"] == pytest.approx(loss[easy].sum() / loss.sum())
    grad = np.abs(p - y)
    assert focus["positive gradient share"] == pytest.approx(grad[1:].sum() / grad.sum())


def test_alpha_default_is_the_papers_and_turns_the_positives_down(boxes):
    import inspect

    x, y, x_test, y_test, runs = boxes
    defaults = inspect.signature(lb.focal_loss).parameters
    assert (defaults["gamma"].default, defaults["alpha"].default) == (2.0, 0.25)
    paper = ch11.fit_logistic(
        x, y, loss="focal", gamma=2.0, alpha=0.25, learning_rate=4.0, steps=100
    )
    with_alpha = ch11.training_focus(x, y, paper.final_params, gamma=2.0, alpha=0.25)
    without = ch11.training_focus(x, y, runs[2.0].final_params, gamma=2.0)
    assert with_alpha["positive gradient share"] < without["positive gradient share"]
    assert found(paper.final_params, x_test, y_test)["TP"] < 5


def test_easy_negatives_carry_at_most_about_half_of_bce_at_its_minimum(story):
    x, y, *_ = story
    w, b = ch11.screening_model()
    p = lb.sigmoid(w * x + b)
    assert p.sum() == pytest.approx(y.sum(), rel=1e-6)  # the intercept gradient is ~0
    loss = lb.binary_cross_entropy_with_logits(y, w * x + b, reduction="none")
    easy_negatives = (y == 0) & (p < 0.1)
    assert loss[easy_negatives].sum() < 0.55 * loss.sum()


# -- calibration ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calibration(story):
    x, y, x_test, y_test, plain, costly = story
    pos_weight = (y == 0).sum() / (y == 1).sum()
    fits = {
        "bce": plain,
        "weighted": ch11.fit_logistic(
            x, y, loss="bce", pos_weight=pos_weight, learning_rate=0.6, steps=300
        ),
        "rwwce": costly,
        "focal": ch11.fit_logistic(
            x, y, loss="focal", gamma=2.0, alpha=None, learning_rate=4.0, steps=300
        ),
    }
    probs = {k: lb.sigmoid(h.final_params[0] * x_test + h.final_params[1]) for k, h in fits.items()}
    return pos_weight, y_test, fits, probs


def test_reweighted_losses_shift_the_mean_probability(calibration):
    _, y_test, fits, probs = calibration
    for history in fits.values():
        assert not history.diverged and abs(history.losses[-1] - history.losses[-2]) < 1e-8
    base = y_test.mean()
    assert abs(probs["bce"].mean() - base) < 0.02
    assert probs["weighted"].mean() > 2 * base and probs["rwwce"].mean() > 3 * base
    assert probs["focal"].mean() > 1.8 * base
    log_loss = {k: lb.binary_cross_entropy(y_test, p) for k, p in probs.items()}
    assert all(log_loss[k] > log_loss["bce"] + 0.05 for k in ("weighted", "rwwce", "focal"))


def test_prior_correction_undoes_a_class_weight(calibration):
    pos_weight, y_test, _, probs = calibration
    for name, weight in [("weighted", pos_weight), ("rwwce", ch11.FN_COST / ch11.FP_COST)]:
        corrected = ch11.prior_correction(probs[name], weight)
        assert abs(corrected.mean() - probs["bce"].mean()) < 0.005
        assert lb.binary_cross_entropy(y_test, corrected) == pytest.approx(
            lb.binary_cross_entropy(y_test, probs["bce"]), abs=1e-3
        )
    p = np.array([0.01, 0.3, 0.6, 0.99])
    logit = np.log(p / (1 - p))
    q = ch11.prior_correction(p, 6.0)
    np.testing.assert_allclose(np.log(q / (1 - q)), logit - np.log(6.0), rtol=1e-12)
    assert ch11.prior_correction(0.6, 6.0) == pytest.approx(0.2)


def test_focal_changes_the_slope_not_only_the_intercept(calibration):
    _, _, fits, _ = calibration
    assert fits["focal"].final_params[0] < 0.5 * fits["bce"].final_params[0]


def test_reliability_table():
    y = np.array([0, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.1, 0.2, 0.5, 1.0, 0.95])
    rows = ch11.reliability_table(y, p, edges=(0.0, 0.1, 0.6, 1.0))
    assert [r[2] for r in rows] == [1, 3, 2]  # 0.1 goes up, 1.0 into the last bin
    assert rows[1][3] == pytest.approx((0.1 + 0.2 + 0.5) / 3) and rows[1][4] == pytest.approx(2 / 3)
    assert rows[2][4] == pytest.approx(0.5)
    empty = ch11.reliability_table(y, p, edges=(0.0, 0.01, 1.0))
    assert empty[0][2] == 0 and math.isnan(empty[0][3])


# -- writing and testing a loss ------------------------------------------------------------


def test_relative_error_is_scale_free_and_guarded():
    g = np.array([1e-7, 2.0, -3e4])
    assert ch11.relative_error(g, g) == 0.0
    assert ch11.relative_error(g, g * (1 + 1e-6)) == pytest.approx(1e-6, rel=1e-3)
    assert ch11.relative_error(1e3 * g, 1e3 * g * (1 + 1e-6)) == pytest.approx(1e-6, rel=1e-3)
    assert ch11.relative_error([0.0], [0.0]) == 0.0
    assert ch11.relative_error([1.0], [2.0]) == 0.5
    # the chapter's numbers: the right gradient ~1e-8, the forgotten weight 2/3
    rng = np.random.default_rng(7)
    demand = rng.uniform(10, 50, 8)
    forecast = demand + rng.normal(0, 5, 8)
    num = ch11.numerical_gradient(ch11.asymmetric_squared_error, demand, forecast)
    assert ch11.relative_error(ch11.asymmetric_squared_error_grad(demand, forecast), num) < 1e-6
    e = demand - forecast
    assert ch11.relative_error(-2 * e / e.size, num) == pytest.approx(2 / 3, rel=1e-6)


def test_pinball_is_the_cheapest_order_for_per_unit_costs():
    days = np.random.default_rng(5).gamma(4.0, 8.0, 1000)
    orders = np.round(np.arange(10.0, 80.0, 0.05), 2)
    short = days[None, :] - orders[:, None]
    real = np.mean(3.0 * np.maximum(short, 0) + np.maximum(-short, 0), axis=1)
    pinball = np.array([lb.quantile(days, np.full_like(days, o), q=0.75) for o in orders])
    np.testing.assert_allclose(real, 4 * pinball, rtol=1e-12)
    best_pinball = orders[np.argmin(pinball)]
    best_asym = orders[
        np.argmin([ch11.asymmetric_squared_error(days, np.full_like(days, o)) for o in orders])
    ]
    assert abs(best_pinball - np.quantile(days, 0.75)) < 0.05
    assert best_asym < best_pinball - 1
    assert real[np.argmin(pinball)] < real[orders == best_asym][0]


def test_the_notebooks_pytorch_cell_runs_gradcheck(monkeypatch, capsys):
    """The chapter skips its PyTorch cell unless asked (import torch alone costs more than
    the rest of the chapter); here that very cell runs, wherever PyTorch is installed."""
    import json
    from pathlib import Path

    pytest.importorskip("torch")
    notebook = Path(__file__).resolve().parents[1] / "chapters" / "11_custom_losses.ipynb"
    cells = {c.get("id"): "".join(c["source"]) for c in json.loads(notebook.read_text())["cells"]}
    rng = np.random.default_rng(7)
    demand = rng.uniform(10, 50, 8)
    forecast = demand + rng.normal(0, 5, 8)
    namespace = {
        "np": np,
        "ch11": ch11,
        "demand": demand,
        "forecast": forecast,
        "analytic": ch11.asymmetric_squared_error_grad(demand, forecast),
    }
    monkeypatch.setenv("LOSSBOOK_TORCH", "1")
    exec(cells["ch11-code-17"], namespace)
    out = capsys.readouterr().out
    assert "torch.autograd.gradcheck passed: True" in out, out
    error = float(re.search(r"relative error (\S+)", out).group(1))
    assert error < 1e-12, out
    monkeypatch.delenv("LOSSBOOK_TORCH")
    exec(cells["ch11-code-17"], namespace)
    assert capsys.readouterr().out.startswith("PyTorch check not run here")


def test_the_same_loss_in_pytorch_passes_gradcheck():
    torch = pytest.importorskip("torch")

    def asymmetric_squared_error_torch(y_true, y_pred, under=3.0):
        e = y_true - y_pred
        return torch.mean(torch.where(e > 0, under, 1.0) * e**2)

    rng = np.random.default_rng(7)
    demand = rng.uniform(10, 50, 8)
    forecast = demand + rng.normal(0, 5, 8)
    y_true = torch.tensor(demand)
    y_pred = torch.tensor(forecast, requires_grad=True)
    asymmetric_squared_error_torch(y_true, y_pred).backward()
    ours = ch11.asymmetric_squared_error_grad(demand, forecast)
    assert ch11.relative_error(y_pred.grad.numpy(), ours) < 1e-12
    assert torch.autograd.gradcheck(lambda p: asymmetric_squared_error_torch(y_true, p), (y_pred,))


# -- the new checkers and the quiz ---------------------------------------------------------


def test_fraud_checkers():
    right = [10 / 500, 9.7, 14.7]
    assert ch11.check_fraud_costs(right).passed
    assert ch11.check_fraud_costs(np.array(right)).passed
    assert ch11.check_fraud_costs([0.02, 9.70, 14.70]).passed  # p* rounded is p* itself
    for wrong, word in [
        ([490 / 500, 9.7, 14.7], "swapped"),
        ([10 / 500, 0.3, 475.3], "probabilities are swapped"),
        ([10 / 500, 10.0, 490.0], "expected values"),
        ([10 / 490, 9.7, 14.7], "odds"),
        ([10 / 500, 14.7, 9.7], "order"),
        ([0.02004, 9.7, 14.7], "rounded"),
        ([0.5, 1.0], "3 numbers"),
    ]:
        fb = ch11.check_fraud_costs(wrong)
        assert not fb.passed and word in fb.hint, (wrong, fb)
    assert ch11.check_fraud_decision("A").passed
    assert ch11.check_fraud_decision("a").passed
    fb = ch11.check_fraud_decision("B")
    assert not fb.passed and "above the threshold" in fb.hint


def test_prior_correction_checker():
    assert ch11.check_prior_correction(0.2).passed
    assert ch11.check_prior_correction(ch11.prior_correction(0.6, 6.0)).passed
    for wrong, word in [
        (0.25, "odds"),
        (0.1, "ODDS"),
        (0.9, "once more"),
        (float(lb.sigmoid(np.log(1.5) - 6)), "log 6"),
        (0.8, "negative class"),
        (0.2004, "rounded"),
        (0.6, "own output"),
        (0.3, "Recompute"),
    ]:
        fb = ch11.check_prior_correction(wrong)
        assert not fb.passed and word in fb.hint, (wrong, fb)


def test_stock_quantile_checker():
    assert ch11.check_stock_quantile(0.75).passed
    for wrong, word in [
        (0.25, "swapped"),
        (3.0, "between 0 and 1"),
        (1 / 3, "ratio"),
        (0.5, "median"),
        (0.7502, "rounded"),
        (75.0, "percentage"),
    ]:
        fb = ch11.check_stock_quantile(wrong)
        assert not fb.passed and word in fb.hint, (wrong, fb)


VALUE_CHECKERS = [
    ch11.check_focal_factors,
    ch11.check_fraud_costs,
    ch11.check_prior_correction,
    ch11.check_stock_quantile,
]


@pytest.mark.parametrize("checker", VALUE_CHECKERS, ids=lambda c: c.__name__)
def test_no_two_candidate_answers_coincide(checker):
    """The right answer and every typical mistake must be told apart, even when rounded."""
    from lossbook.checks import ROUNDED_ATOL, ROUNDED_RTOL

    data = checker(None).web.definition()
    candidates = [np.asarray(data["expected"], float)]
    candidates += [np.asarray(m["value"], float) for m in data["mistakes"]]
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            assert a.shape != b.shape or not np.allclose(
                a, b, rtol=ROUNDED_RTOL, atol=ROUNDED_ATOL
            ), (a, b)
        # each mistake gets its own verdict, never "Correct"
        if i:
            assert not checker(a.tolist() if a.ndim else float(a)).passed


@pytest.mark.parametrize("checker", VALUE_CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("digits", [2, 3, 4])
def test_a_rounded_right_answer_never_gets_a_mistakes_hint(checker, digits):
    """A learner who types the right answer rounded (to 2, 3 or 4 decimals, or significant
    digits) must never be told about a mistake they did not make."""
    data = checker(None).web.definition()
    expected = np.asarray(data["expected"], float)
    hints = {m["hint"] for m in data["mistakes"]}
    for rounded in (
        np.round(expected, digits),
        np.vectorize(lambda v: float(f"{v:.{digits}g}"))(expected),
    ):
        fb = checker(rounded.tolist() if rounded.ndim else float(rounded))
        assert fb.passed or fb.hint not in hints, (rounded, fb)


@pytest.mark.parametrize(
    ("mistakes", "cases", "reference"),
    [
        (ch11.THRESHOLD_MISTAKES, ch11.THRESHOLD_CASES, ch11.cost_optimal_threshold),
        (ch11.ASYM_MISTAKES, ch11.ASYM_CASES, ch11.asymmetric_squared_error_grad),
    ],
    ids=["threshold", "gradient"],
)
def test_function_mistakes_differ_from_the_answer_and_each_other(mistakes, cases, reference):
    candidates = [reference, *(m.behaves_like for m in mistakes)]
    for i, f in enumerate(candidates):
        for g in candidates[i + 1 :]:
            differs = False
            for case in cases:
                a, b = np.asarray(f(*case), float), np.asarray(g(*case), float)
                differs |= a.shape != b.shape or not np.allclose(a, b, rtol=1e-6, atol=1e-9)
            assert differs, (f, g)


def test_quiz_questions():
    answers = {
        "Quiz 11.1": "A",
        "Quiz 11.2": "B",
        "Quiz 11.3": "B",
        "Quiz 11.4": "B",
        "Quiz 11.5": "B",
        "Quiz 11.6": "B",
    }
    assert set(ch11.QUIZ.questions) == set(answers)
    for name, right in answers.items():
        assert ch11.quiz(name, right).passed
        question = ch11.QUIZ.questions[name]
        for key in question.options:
            if key != right:
                fb = ch11.quiz(name, key)
                assert not fb.passed and len(fb.hint) > 30, (name, key)
        page = ch11.quiz_field(name)._repr_html_()
        assert question.question in page and 'type="radio"' in page
    assert "entropy H(y)" in ch11.quiz("Quiz 11.5", "A").hint
    assert not ch11.quiz("Quiz 11.9", "A").passed


def test_lowest_cost_in_hindsight():
    y = np.array([0.0, 0.0, 1.0, 0.0, 1.0])
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.9])
    # thresholds 0.1 .. 0.9 and above all: catch both sick at 0.3 (1 false alarm)
    assert ch11.lowest_cost_in_hindsight(y, p, fn_cost=5.0, fp_cost=1.0) == (0.3, 1.0)
    # false alarms dear: threshold 0.9 misses one sick patient, no false alarm
    assert ch11.lowest_cost_in_hindsight(y, p, fn_cost=1.0, fp_cost=5.0) == (0.9, 1.0)
    x, y = ch11.screening_data(seed=ch11.TEST_SEED)
    w, b = ch11.screening_model()
    p = lb.sigmoid(w * x + b)
    for fn_cost, fp_cost in [(20.0, 1.0), (50.0, 1.0)]:  # the chapter's story
        threshold, cost = ch11.lowest_cost_in_hindsight(y, p, fn_cost=fn_cost, fp_cost=fp_cost)
        at_p_star = ch11.real_world_cost(
            ch11.confusion_counts(y, p >= ch11.cost_optimal_threshold(fn_cost, fp_cost)),
            fn_cost=fn_cost,
            fp_cost=fp_cost,
        )
        assert cost < at_p_star and threshold > ch11.cost_optimal_threshold(fn_cost, fp_cost)


def test_cross_entropy_needs_about_twice_the_steps(boxes):
    """The chapter's reading of the focal-loss run: with one feature, the runs differ in
    where p = 0.5 falls; cross-entropy after 200 steps is about where focal was after 100."""
    x, y, x_test, y_test, _ = boxes
    runs = {
        g: ch11.fit_logistic(x, y, loss="focal", gamma=g, alpha=None, learning_rate=4.0, steps=300)
        for g in (0.0, 2.0)
    }

    def boundary(g, step):
        w, b = runs[g].params[step]
        return -b / w

    assert abs(boundary(0.0, 200) - boundary(2.0, 100)) < 0.05
    assert boundary(0.0, 100) > boundary(2.0, 100) + 0.15
    assert abs(boundary(0.0, 300) - boundary(2.0, 300)) < 0.1
    assert found(runs[0.0].params[300], x_test, y_test)["TP"] == 18
    assert found(runs[2.0].params[300], x_test, y_test)["TP"] == 18


def test_given_many_more_steps_both_runs_end_close_together(boxes):
    x, y, x_test, y_test, _ = boxes
    long = {
        gamma: ch11.fit_logistic(
            x, y, loss="focal", gamma=gamma, alpha=None, learning_rate=4.0, steps=3000
        ).final_params
        for gamma in (0.0, 2.0)
    }
    ce, fl = (found(long[g], x_test, y_test) for g in (0.0, 2.0))
    assert ce["TP"] == fl["TP"] == 19 and abs(ce["FP"] - fl["FP"]) <= 2
