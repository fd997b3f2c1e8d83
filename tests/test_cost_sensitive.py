"""What is particular to the real-world-weight cross-entropy (lossbook.cost_sensitive): values
by hand, its costs, its relations to binary cross-entropy, and what the chapter says about it.

The contract every loss keeps (validation, reductions, float32, non-negative, zero at a
perfect prediction, gradients against finite differences) is tested over the shared table
tests/_losses_common.ALL, which holds these losses too."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb
import lossbook.cost_sensitive as cs

PROB = (lb.real_world_weight_cross_entropy, lb.real_world_weight_cross_entropy_grad)
LOGIT = (
    lb.real_world_weight_cross_entropy_with_logits,
    lb.real_world_weight_cross_entropy_with_logits_grad,
)
BOTH = {"probabilities": PROB, "logits": LOGIT}
COSTS = {"fn_cost": 20.0, "fp_cost": 1.0}

SET = settings(max_examples=30, deadline=None)
labels = st.floats(0, 1)
costs = st.floats(0.01, 100)
logits = st.floats(-40, 40, allow_nan=False)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_exported():
    for name in cs.__all__:
        assert getattr(lb, name) is getattr(cs, name)
    assert len(cs.__all__) == 4


# -- values by hand ---------------------------------------------------------------------


def test_by_hand():
    # -[20 log 0.9], -[log 0.8]
    close(
        lb.real_world_weight_cross_entropy([1.0, 0.0], [0.9, 0.2], reduction="none", **COSTS),
        [-20 * math.log(0.9), -math.log(0.8)],
    )
    close(
        lb.real_world_weight_cross_entropy([1.0, 0.0], [0.5, 0.5], fn_cost=3.0, fp_cost=2.0),
        (3 + 2) * math.log(2) / 2,
    )
    # soft label 0.25: -[3 * 0.25 log 0.5 + 2 * 0.75 log 0.5]
    close(
        lb.real_world_weight_cross_entropy([0.25], [0.5], fn_cost=3.0, fp_cost=2.0),
        (0.75 + 1.5) * math.log(2),
    )
    close(
        lb.real_world_weight_cross_entropy_with_logits(
            [1.0, 0.0], [0.0, 0.0], fn_cost=3.0, fp_cost=2.0, reduction="sum"
        ),
        5 * math.log(2),
    )
    close(
        lb.real_world_weight_cross_entropy_grad(
            [1.0, 0.0], [0.5, 0.5], fn_cost=3.0, fp_cost=2.0, reduction="sum"
        ),
        [-6.0, 4.0],
    )
    close(
        lb.real_world_weight_cross_entropy_with_logits_grad(
            [1.0, 0.0], [0.0, 0.0], fn_cost=3.0, fp_cost=2.0, reduction="sum"
        ),
        [-1.5, 1.0],
    )


def test_clamp_and_extremes_stay_finite():
    y = np.array([1.0, 0.0, 1.0, 0.0])
    p = np.array([0.0, 1.0, 1.0, 0.0])
    with np.errstate(all="raise"):
        close(
            lb.real_world_weight_cross_entropy(y, p, reduction="none", **COSTS), [2000, 100, 0, 0]
        )
        assert np.all(np.isfinite(lb.real_world_weight_cross_entropy_grad(y, p, **COSTS)))
        x = np.array([-1e4, 1e4, 1e4, -1e4])
        close(
            lb.real_world_weight_cross_entropy_with_logits(y, x, reduction="none", **COSTS),
            [2e5, 1e4, 0, 0],
        )
        g = lb.real_world_weight_cross_entropy_with_logits_grad(y, x, reduction="sum", **COSTS)
        close(g, [-20, 1, 0, 0])


# -- the contract -------------------------------------------------------------------------


@pytest.mark.parametrize("form", sorted(BOTH))
@pytest.mark.parametrize("func", [0, 1])
@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"fn_cost": 0.0, "fp_cost": 1.0}, ValueError, ["fn_cost", "> 0"]),
        ({"fn_cost": 1.0, "fp_cost": -2.0}, ValueError, ["fp_cost", "> 0"]),
        ({"fn_cost": math.inf, "fp_cost": 1.0}, ValueError, ["fn_cost", "finite"]),
        ({"fn_cost": 1.0, "fp_cost": math.nan}, ValueError, ["fp_cost", "finite"]),
        ({"fn_cost": "20", "fp_cost": 1.0}, TypeError, ["fn_cost"]),
        ({"fn_cost": None, "fp_cost": 1.0}, TypeError, ["fn_cost"]),
        ({"fn_cost": 1.0, "fp_cost": 1.0, "reduction": "avg"}, ValueError, ["reduction"]),
    ],
)
def test_bad_hyper_parameters_are_named(form, func, kwargs, error, words):
    f = BOTH[form][func]
    with pytest.raises(error) as info:
        f([1.0, 0.0], [0.5, 0.5], **kwargs)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("form", sorted(BOTH))
@pytest.mark.parametrize("func", [0, 1])
def test_costs_are_keyword_only_and_required(form, func):
    f = BOTH[form][func]
    with pytest.raises(TypeError):
        f([1.0], [0.5], 20.0, 1.0)
    with pytest.raises(TypeError):
        f([1.0], [0.5], fn_cost=20.0)


# -- properties ---------------------------------------------------------------------------


@SET
@given(data=st.data())
def test_equals_binary_cross_entropy_when_both_costs_are_1(data):
    x = data.draw(arrays(np.float64, st.integers(1, 8), elements=logits))
    y = data.draw(arrays(np.float64, x.shape, elements=labels))
    p = lb.sigmoid(x)
    ones = {"fn_cost": 1.0, "fp_cost": 1.0}
    for red in ("mean", "sum", "none"):
        np.testing.assert_allclose(
            lb.real_world_weight_cross_entropy(y, p, reduction=red, **ones),
            lb.binary_cross_entropy(y, p, reduction=red),
            rtol=1e-14,
        )
        np.testing.assert_allclose(
            lb.real_world_weight_cross_entropy_grad(y, p, reduction=red, **ones),
            lb.binary_cross_entropy_grad(y, p, reduction=red),
            rtol=1e-12,
        )
        # the logits forms round differently: for y = 0, x = -9 BCE-with-logits computes
        # (1 - y) x - log sigma(x) = -9 + 9.000123... (absolute error ~1e-16, relative ~1e-12
        # on a loss of 1e-4); log sigma(-x) here is accurate to the last digit
        np.testing.assert_allclose(
            lb.real_world_weight_cross_entropy_with_logits(y, x, reduction=red, **ones),
            lb.binary_cross_entropy_with_logits(y, x, reduction=red),
            rtol=1e-9,
            atol=1e-13,
        )
        np.testing.assert_allclose(
            lb.real_world_weight_cross_entropy_with_logits_grad(y, x, reduction=red, **ones),
            lb.binary_cross_entropy_with_logits_grad(y, x, reduction=red),
            rtol=1e-9,
            atol=1e-13,
        )


@SET
@given(data=st.data(), fn_cost=costs, fp_cost=costs)
def test_is_fp_cost_times_bce_with_pos_weight(data, fn_cost, fp_cost):
    x = data.draw(arrays(np.float64, st.integers(1, 8), elements=logits))
    y = data.draw(arrays(np.float64, x.shape, elements=labels))
    w = fn_cost / fp_cost
    np.testing.assert_allclose(
        lb.real_world_weight_cross_entropy_with_logits(y, x, fn_cost=fn_cost, fp_cost=fp_cost),
        fp_cost * lb.binary_cross_entropy_with_logits(y, x, pos_weight=w),
        rtol=1e-9,
        atol=1e-13 * (fn_cost + fp_cost),
    )
    np.testing.assert_allclose(
        lb.real_world_weight_cross_entropy_with_logits_grad(y, x, fn_cost=fn_cost, fp_cost=fp_cost),
        fp_cost * lb.binary_cross_entropy_with_logits_grad(y, x, pos_weight=w),
        rtol=1e-9,
        atol=1e-13 * (fn_cost + fp_cost),
    )


@SET
@given(x=arrays(np.float64, st.integers(1, 8), elements=st.floats(-15, 15)), fn_cost=costs)
def test_probability_and_logit_forms_agree(x, fn_cost):
    y = (np.arange(x.size) % 2).astype(float)
    kw = {"fn_cost": fn_cost, "fp_cost": 2.5, "reduction": "none"}
    p = lb.sigmoid(x)
    np.testing.assert_allclose(
        lb.real_world_weight_cross_entropy(y, p, **kw),
        lb.real_world_weight_cross_entropy_with_logits(y, x, **kw),
        rtol=1e-7,
        atol=1e-12,
    )
    # chain rule: d/dx = d/dp * p (1 - p)
    np.testing.assert_allclose(
        lb.real_world_weight_cross_entropy_grad(y, p, **kw) * p * (1 - p),
        lb.real_world_weight_cross_entropy_with_logits_grad(y, x, **kw),
        rtol=1e-7,
        atol=1e-12,
    )


def test_matches_pytorch_weighted_bce():
    """torch's binary_cross_entropy_with_logits(weight=..., pos_weight=...) spells the same loss."""
    torch = pytest.importorskip("torch")  # imported here: it takes seconds
    rng = np.random.default_rng(5)
    y = (rng.random(50) < 0.3).astype(float)
    x = 4 * rng.normal(size=50)
    ours = lb.real_world_weight_cross_entropy_with_logits(y, x, fn_cost=7.0, fp_cost=2.0)
    theirs = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(x),
        torch.tensor(y),
        pos_weight=torch.tensor(3.5),
        weight=torch.tensor(2.0),
    )
    np.testing.assert_allclose(ours, theirs.item(), rtol=1e-10)


def test_minimiser_crosses_one_half_at_the_cost_optimal_threshold():
    """Expected loss at true probability pi is minimised by p = c_FN pi / (c_FN pi + c_FP (1 - pi));
    that p is 0.5 exactly when pi = c_FP / (c_FP + c_FN)."""
    fn_cost, fp_cost = 20.0, 1.0
    grid = np.linspace(1e-4, 1 - 1e-4, 20001)
    for pi in (0.01, 0.2, fp_cost / (fp_cost + fn_cost), 0.7):
        expected = pi * lb.real_world_weight_cross_entropy(
            np.ones_like(grid), grid, fn_cost=fn_cost, fp_cost=fp_cost, reduction="none"
        ) + (1 - pi) * lb.real_world_weight_cross_entropy(
            np.zeros_like(grid), grid, fn_cost=fn_cost, fp_cost=fp_cost, reduction="none"
        )
        best = grid[np.argmin(expected)]
        assert best == pytest.approx(fn_cost * pi / (fn_cost * pi + fp_cost * (1 - pi)), abs=1e-4)
    assert 0.5 == pytest.approx(20 * (1 / 21) / (20 * (1 / 21) + 1 * (20 / 21)))
