"""Small cases worked out by hand."""

import math

import numpy as np
import pytest

import lossbook as lb

LN2 = math.log(2)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_regression_by_hand():
    y, p = [0.0, 0.0, 1.0], [1.0, -3.0, 1.0]  # errors 1, -3, 0
    close(lb.mse(y, p), 10 / 3)
    close(lb.mse(y, p, reduction="sum"), 10)
    close(lb.mse(y, p, reduction="none"), [1, 9, 0])
    close(lb.mae(y, p), 4 / 3)
    close(lb.huber(y, p, reduction="none"), [0.5, 2.5, 0])  # 3 - 1/2 beyond delta = 1
    close(lb.huber(y, p, delta=2.0, reduction="none"), [0.5, 4.0, 0])  # 2 (3 - 1)
    close(lb.log_cosh(y, p, reduction="none"), np.log(np.cosh([1.0, 3.0, 0.0])))
    # e = y - p = -1, 3, 0 ; q = 0.25: max(q e, (q - 1) e) = 0.75, 0.75, 0
    close(lb.quantile(y, p, q=0.25, reduction="none"), [0.75, 0.75, 0])


def test_regression_grads_by_hand():
    y, p = [0.0, 0.0, 1.0], [1.0, -3.0, 1.0]
    close(lb.mse_grad(y, p, reduction="sum"), [2, -6, 0])
    close(lb.mse_grad(y, p), np.array([2, -6, 0]) / 3)
    close(lb.mae_grad(y, p, reduction="none"), [1, -1, 0])
    close(lb.huber_grad(y, p, reduction="sum"), [1, -1, 0])
    close(lb.log_cosh_grad(y, p, reduction="sum"), np.tanh([1.0, -3.0, 0.0]))
    close(lb.quantile_grad(y, p, q=0.25, reduction="sum"), [0.75, -0.25, 0.25])


def test_binary_by_hand():
    close(lb.binary_cross_entropy([1.0, 0.0], [0.5, 0.5]), LN2)
    close(lb.binary_cross_entropy([1.0, 0.0], [0.0, 1.0], reduction="none"), [100, 100])
    close(lb.binary_cross_entropy([1.0, 0.0], [1.0, 0.0], reduction="none"), [0, 0])
    close(lb.binary_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0]), LN2)
    close(lb.binary_cross_entropy_with_logits([1.0], [0.0], pos_weight=3.0), 3 * LN2)
    close(
        lb.binary_cross_entropy_with_logits([0.0, 1.0], [1e4, -1e4], reduction="none"), [1e4, 1e4]
    )
    close(
        lb.binary_cross_entropy_with_logits_grad([1.0, 0.0], [0.0, 0.0], reduction="sum"),
        [-0.5, 0.5],
    )
    close(lb.binary_cross_entropy_grad([1.0], [0.5]), [-2.0])


def test_hinge_by_hand():
    close(lb.hinge([1, -1, 1], [2.0, 0.5, 0.0], reduction="none"), [0, 1.5, 1])
    close(lb.hinge([1, 0, 1], [2.0, 0.5, 0.0], reduction="none"), [0, 1.5, 1])  # {0,1} mapped
    close(lb.hinge_grad([1, -1, 1], [2.0, 0.5, 0.0], reduction="sum"), [0, 1, -1])


def test_focal_by_hand():
    # x = 0: p = 1/2, ce = ln 2, (1 - p_t)^2 = 1/4, alpha_t = 0.25 (y = 1) or 0.75 (y = 0)
    close(lb.focal_loss([1.0, 0.0], [0.0, 0.0], reduction="none"), [0.25 * LN2 / 4, 0.75 * LN2 / 4])
    close(lb.focal_loss([1.0], [0.0], gamma=0.0, alpha=None), LN2)


def test_row_losses_by_hand():
    close(
        lb.categorical_cross_entropy([[0, 1.0], [1.0, 0]], [[0.5, 0.5], [0.25, 0.75]]),
        (LN2 + math.log(4)) / 2,
    )
    close(lb.categorical_cross_entropy([[1.0, 0]], [[0.0, 1.0]]), 100.0)  # clamped
    close(lb.softmax_cross_entropy([0, 1], [[0.0, 0.0], [0.0, 0.0]]), LN2)
    close(lb.softmax_cross_entropy([[0.5, 0.5]], [[0.0, 0.0]]), LN2)
    # label smoothing 1: target uniform, loss = log K - mean log softmax... for equal logits log K
    close(lb.softmax_cross_entropy([0], [[1.0, 1.0, 1.0]], label_smoothing=1.0), math.log(3))
    close(lb.softmax_cross_entropy_grad([1], [[0.0, 0.0]]), [[0.5, -0.5]])
    close(lb.softmax_cross_entropy(2, [1.0, 2.0, 3.0]), lb.logsumexp([1.0, 2.0, 3.0]) - 3.0)
    close(lb.categorical_cross_entropy_grad([[0.0, 1.0]], [[0.5, 0.5]]), [[0.0, -2.0]])


def test_activations_by_hand():
    close(lb.sigmoid([0.0, 1e4, -1e4]), [0.5, 1, 0])
    close(lb.log_sigmoid([0.0, -1e4]), [-LN2, -1e4])
    close(lb.softmax([[0.0, 0.0]]), [[0.5, 0.5]])
    close(lb.log_softmax([1e4, 0.0]), [0.0, -1e4])
    close(lb.logsumexp([1e4, 1e4]), 1e4 + LN2)
    close(lb.logsumexp([[0.0, 0.0], [1.0, 1.0]], axis=0), [1 + math.log(1 + math.exp(-1))] * 2)
    close(lb.one_hot([0, 2], 3), [[1, 0, 0], [0, 0, 1]])


def test_scalar_input_elementwise():
    assert float(lb.mse(1.0, 3.0)) == 4.0
    assert lb.mse(1.0, 3.0, reduction="none").shape == ()
    assert lb.mse_grad(1.0, 3.0).shape == ()


@pytest.mark.parametrize("red", ["mean", "sum", "none"])
def test_reductions_consistent(red):
    y, p = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    full = lb.mse(y, p, reduction="none")
    expect = {"mean": full.mean(), "sum": full.sum(), "none": full}[red]
    close(lb.mse(y, p, reduction=red), expect)


def test_pinball_loss_at_a_perfect_prediction_is_plus_zero():
    loss = lb.quantile([10.0, 10.0], [10.0, 10.0], q=0.9, reduction="none")
    assert not np.signbit(loss).any()


def test_log_cosh_keeps_its_digits_near_zero():
    # log cosh(e) = e^2/2 - e^4/12 + ...: the loss of a tiny error is tiny, not 0 or noise
    e = np.array([1e-8, 1e-6, 1e-4, 0.5, 0.999999, 1.000001])
    series = e**2 / 2 - e**4 / 12 + e**6 / 45 - 17 * e**8 / 2520
    exact = np.where(e < 0.01, series, np.log(np.cosh(e)))
    got = lb.log_cosh(np.zeros_like(e), e, reduction="none")
    np.testing.assert_allclose(got, exact, rtol=1e-15)
