"""The shared training loop: it descends, records its history, and says when it diverges."""

import numpy as np
import pytest

import lossbook as lb
from lossbook.training import (
    REGRESSION_LOSSES,
    fit_line,
    gradient_descent,
    line_loss_and_grad,
    linear_model_loss_and_grad,
)


@pytest.fixture
def line_data():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 50)
    return x, 2 * x + 1 + 0.1 * rng.standard_normal(50)


def test_quadratic_bowl_halves_each_step():
    history = gradient_descent(lambda p: (float(p @ p), 2 * p), [1.0], learning_rate=0.25, steps=3)
    assert history.params[:, 0].tolist() == [1.0, 0.5, 0.25, 0.125]
    assert history.losses.tolist() == [1.0, 0.25, 0.0625, 0.015625]
    assert not history.diverged


def test_mse_fit_matches_least_squares(line_data):
    x, y = line_data
    history = fit_line(x, y, loss="mse", learning_rate=0.5, steps=500)
    w, b = np.polyfit(x, y, 1)
    np.testing.assert_allclose(history.final_params, [w, b], rtol=1e-6)
    assert np.all(np.diff(history.losses) <= 1e-15)  # never goes up at this rate


@pytest.mark.parametrize("loss", REGRESSION_LOSSES)
def test_gradient_matches_finite_differences(line_data, loss):
    x, y = line_data
    loss_and_grad = line_loss_and_grad(x, y, loss=loss)
    params = np.array([0.7, -0.3])
    _, grad = loss_and_grad(params)
    h = 1e-6
    numeric = [
        (loss_and_grad(params + h * e)[0] - loss_and_grad(params - h * e)[0]) / (2 * h)
        for e in np.eye(2)
    ]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


LINEAR_MODEL_PAIRS = [
    (lb.mse, lb.mse_grad, {}, "reg"),
    (lb.huber, lb.huber_grad, {"delta": 0.5}, "reg"),
    (lb.binary_cross_entropy_with_logits, lb.binary_cross_entropy_with_logits_grad, {}, "bin"),
    (lb.focal_loss, lb.focal_loss_grad, {"gamma": 2.0}, "bin"),
    (
        lb.real_world_weight_cross_entropy_with_logits,
        lb.real_world_weight_cross_entropy_with_logits_grad,
        {"fn_cost": 5.0, "fp_cost": 1.0},
        "bin",
    ),
]


@pytest.mark.parametrize(("loss", "grad", "kwargs", "kind"), LINEAR_MODEL_PAIRS)
def test_linear_model_gradient_matches_finite_differences(loss, grad, kwargs, kind):
    rng = np.random.default_rng(1)
    features = np.column_stack([rng.normal(size=(30, 2)), np.ones(30)])
    y = rng.normal(size=30) if kind == "reg" else (rng.random(30) < 0.4).astype(float)
    loss_and_grad = linear_model_loss_and_grad(features, y, loss, grad, **kwargs)
    params = np.array([0.4, -0.8, 0.2])
    value, gradient = loss_and_grad(params)
    assert value == pytest.approx(float(loss(y, features @ params, **kwargs)))
    h = 1e-6
    numeric = [
        (loss_and_grad(params + h * e)[0] - loss_and_grad(params - h * e)[0]) / (2 * h)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def test_linear_model_that_overflows_has_infinite_loss():
    loss_and_grad = linear_model_loss_and_grad([[1e200, 1.0]], [0.0], lb.mse, lb.mse_grad)
    loss, grad = loss_and_grad(np.array([1e200, 0.0]))
    assert loss == np.inf and grad.tolist() == [0.0, 0.0]


def test_too_large_a_learning_rate_diverges_and_stops(line_data):
    x, y = line_data
    history = fit_line(x, y, learning_rate=5.0, steps=1000)
    assert history.diverged
    assert len(history.losses) == len(history.params) < 1000


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"steps": -1}, "steps"),
        ({"steps": 1.5}, "steps"),
    ],
)
def test_bad_settings_are_refused(kwargs, word):
    settings = {"learning_rate": 0.1, "steps": 10} | kwargs
    with pytest.raises(ValueError, match=word):
        gradient_descent(lambda p: (0.0, 0 * p), [0.0], **settings)


def test_unknown_loss_is_refused(line_data):
    with pytest.raises(ValueError, match="loss must be one of"):
        fit_line(*line_data, loss="hinge")
