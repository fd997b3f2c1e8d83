"""lossbook.gaussian_nll: the Gaussian negative log-likelihood with a predicted variance."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb

HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _by_hand(y, mean, var):
    """-log of the normal density, written from the textbook formula."""
    y, mean, var = (np.asarray(a, dtype=float) for a in (y, mean, var))
    density = np.exp(-((y - mean) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var)
    return -np.log(density)


def _inputs(rng, shape=(4, 5), dtype=np.float64):
    y = rng.normal(size=shape).astype(dtype)
    mean = rng.normal(size=shape).astype(dtype)
    var = rng.uniform(0.1, 3.0, size=shape).astype(dtype)
    return y, mean, var


def test_known_values_and_a_negative_loss():
    assert float(lb.gaussian_nll([0.0], [0.0], [1.0])) == pytest.approx(HALF_LOG_2PI)
    value = float(lb.gaussian_nll([2.05], [2.0], [0.01]))
    assert value == pytest.approx(0.125 + 0.5 * np.log(0.01) + HALF_LOG_2PI, rel=1e-12)
    assert value < 0  # the density there is above 1


def test_matches_the_density_and_the_reductions():
    y, mean, var = _inputs(np.random.default_rng(0))
    each = lb.gaussian_nll(y, mean, var, reduction="none")
    assert each.shape == y.shape
    assert np.allclose(each, _by_hand(y, mean, var), rtol=1e-12)
    assert lb.gaussian_nll(y, mean, var) == pytest.approx(each.mean(), rel=1e-12)
    assert lb.gaussian_nll(y, mean, var, reduction="sum") == pytest.approx(each.sum(), rel=1e-12)
    short = lb.gaussian_nll(y, mean, var, reduction="none", full=False)
    assert np.allclose(each - short, HALF_LOG_2PI, rtol=1e-12)


def test_with_one_variance_it_is_the_mse_scaled_and_shifted():
    y, mean, _ = _inputs(np.random.default_rng(1))
    var = np.full_like(y, 0.7)
    expected = lb.mse(y, mean) / (2 * 0.7) + 0.5 * np.log(0.7) + HALF_LOG_2PI
    assert lb.gaussian_nll(y, mean, var) == pytest.approx(expected, rel=1e-12)


def test_matches_torch():
    torch = pytest.importorskip("torch")
    y, mean, var = _inputs(np.random.default_rng(2))
    for full in (True, False):
        for reduction in ("mean", "sum", "none"):
            ours = lb.gaussian_nll(y, mean, var, reduction=reduction, full=full)
            theirs = torch.nn.functional.gaussian_nll_loss(
                torch.from_numpy(mean),
                torch.from_numpy(y),
                torch.from_numpy(var),
                full=full,
                eps=1e-300,
                reduction=reduction,
            ).numpy()
            assert np.allclose(ours, theirs, rtol=1e-10, atol=0)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_gradient_by_central_differences(reduction):
    y, mean, var = _inputs(np.random.default_rng(3), shape=(3, 2))
    g_mean, g_var = lb.gaussian_nll_grad(y, mean, var, reduction=reduction)
    assert g_mean.shape == mean.shape and g_var.shape == var.shape

    def total(m, v):
        return float(np.sum(lb.gaussian_nll(y, m, v, reduction=reduction)))

    h = 1e-6
    for index in np.ndindex(y.shape):
        step = np.zeros_like(y)
        step[index] = h
        d_mean = (total(mean + step, var) - total(mean - step, var)) / (2 * h)
        d_var = (total(mean, var + step) - total(mean, var - step)) / (2 * h)
        assert g_mean[index] == pytest.approx(d_mean, rel=1e-6, abs=1e-9)
        assert g_var[index] == pytest.approx(d_var, rel=1e-6, abs=1e-9)


def test_the_best_variance_is_the_squared_error():
    y, mean = np.array([1.0, -2.0, 0.5]), np.array([0.0, 0.0, 0.0])
    _, g_var = lb.gaussian_nll_grad(y, mean, (y - mean) ** 2, reduction="sum")
    assert np.allclose(g_var, 0.0)
    g_mean, _ = lb.gaussian_nll_grad(y, y, np.ones(3), reduction="sum")
    assert np.allclose(g_mean, 0.0)


def test_float32_stays_float32():
    y, mean, var = _inputs(np.random.default_rng(4), dtype=np.float32)
    assert lb.gaussian_nll(y, mean, var).dtype == np.float32
    assert lb.gaussian_nll(y, mean, var, reduction="none").dtype == np.float32
    assert all(g.dtype == np.float32 for g in lb.gaussian_nll_grad(y, mean, var))


@pytest.mark.parametrize("function", [lb.gaussian_nll, lb.gaussian_nll_grad])
def test_bad_input_gets_a_clear_error(function):
    y, mean, var = np.zeros(3), np.zeros(3), np.ones(3)
    with pytest.raises(ValueError, match="var must hold variances > 0"):
        function(y, mean, np.array([1.0, 0.0, 1.0]))
    with pytest.raises(ValueError, match="var must hold variances > 0"):
        function(y, mean, -var)
    with pytest.raises(ValueError, match="var has shape"):
        function(y, mean, np.ones((3, 1)))
    with pytest.raises(ValueError, match="mean has shape"):
        function(y, np.zeros(4), np.ones(4))
    with pytest.raises(ValueError, match="var contains nan"):
        function(y, mean, np.array([1.0, np.nan, 1.0]))
    with pytest.raises(ValueError, match="reduction"):
        function(y, mean, var, reduction="avg")
    with pytest.raises(ValueError, match="empty"):
        function([], [], [])
    with pytest.raises(TypeError, match="var"):
        function(y, mean, ["a", "b", "c"])
    with pytest.raises(TypeError, match="full must be True or False"):
        function(y, mean, var, full="no")
    with pytest.raises(ValueError, match=r"found -1\.0$"):
        function(y, mean, -var)
