"""Shared lists of the losses for the lossbook loss tests."""

import functools

import numpy as np

import lossbook as lb

# name -> (loss, grad, kind): kind says which targets and predictions make sense
ELEMENTWISE = {
    "mse": (lb.mse, lb.mse_grad, "reg"),
    "mae": (lb.mae, lb.mae_grad, "reg"),
    "huber": (lb.huber, lb.huber_grad, "reg"),
    "log_cosh": (lb.log_cosh, lb.log_cosh_grad, "reg"),
    "quantile": (lb.quantile, lb.quantile_grad, "reg"),
    "binary_cross_entropy": (lb.binary_cross_entropy, lb.binary_cross_entropy_grad, "prob"),
    "binary_cross_entropy_with_logits": (
        lb.binary_cross_entropy_with_logits,
        lb.binary_cross_entropy_with_logits_grad,
        "logit",
    ),
    "hinge": (lb.hinge, lb.hinge_grad, "sign"),
    "focal_loss": (lb.focal_loss, lb.focal_loss_grad, "logit"),
}
# The cost-sensitive losses need their (keyword-only, required) costs: unequal ones, so that
# a cost applied to the wrong term shows.
COSTS = {"fn_cost": 3.0, "fp_cost": 0.5}
for _name, _kind in (
    ("real_world_weight_cross_entropy", "prob"),
    ("real_world_weight_cross_entropy_with_logits", "logit"),
):
    ELEMENTWISE[_name] = (
        functools.partial(getattr(lb, _name), **COSTS),
        functools.partial(getattr(lb, f"{_name}_grad"), **COSTS),
        _kind,
    )
ROWWISE = {
    "categorical_cross_entropy": (
        lb.categorical_cross_entropy,
        lb.categorical_cross_entropy_grad,
        "rows",
    ),
    "softmax_cross_entropy": (lb.softmax_cross_entropy, lb.softmax_cross_entropy_grad, "logits"),
}
ALL = {**ELEMENTWISE, **ROWWISE}


def make_inputs(kind, rng, shape=(4, 5), dtype=np.float64):
    """A (y_true, prediction) pair that suits the loss kind."""
    if kind == "reg":
        return rng.normal(size=shape).astype(dtype), rng.normal(size=shape).astype(dtype)
    if kind == "prob":
        return rng.random(shape).astype(dtype), rng.uniform(0.05, 0.95, shape).astype(dtype)
    if kind == "logit":
        return (rng.random(shape) < 0.5).astype(dtype), (3 * rng.normal(size=shape)).astype(dtype)
    if kind == "sign":
        return (2.0 * (rng.random(shape) < 0.5) - 1).astype(dtype), rng.normal(size=shape).astype(
            dtype
        )
    if kind == "rows":
        return lb.softmax(rng.normal(size=shape)).astype(dtype), lb.softmax(
            rng.normal(size=shape)
        ).astype(dtype)
    if kind == "logits":
        return rng.integers(0, shape[-1], size=shape[:-1]), rng.normal(size=shape).astype(dtype)
    raise ValueError(kind)
