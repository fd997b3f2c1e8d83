"""The training loop of chapter 02, shared by every chapter that trains a model.

The loop is the one every neural network runs, written out so each step can be
read: start from initial parameters; forward pass (predict); compute the loss;
compute its gradient with respect to the parameters (backpropagation, here the
chain rule by hand); step against the gradient scaled by the learning rate;
repeat. :func:`gradient_descent` runs it for any model given as a function that
returns the loss and its gradient; :func:`linear_model_loss_and_grad` builds that function
for any linear model and lossbook loss; :func:`fit_line` is the loop for a line
``y_hat = w * x + b`` under any regression loss of :mod:`lossbook`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import lossbook as lb

REGRESSION_LOSSES = ("mse", "mae", "huber", "log_cosh", "quantile")


@dataclass(frozen=True)
class History:
    """What a training run went through, one row per step (row 0: the start).

    ``params[t]`` are the parameters before step ``t + 1``; ``losses[t]`` is the
    loss at ``params[t]``. A run that blew up stops early with ``diverged=True``.
    """

    params: np.ndarray
    losses: np.ndarray
    diverged: bool = False

    @property
    def final_params(self) -> np.ndarray:
        return self.params[-1]

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def gradient_descent(
    loss_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    initial_params,
    *,
    learning_rate: float,
    steps: int,
    divergence_threshold: float = 1e12,
) -> History:
    r"""Plain gradient descent: :math:`\theta_{t+1} = \theta_t - \eta \nabla L(\theta_t)`.

    ``loss_and_grad(params)`` returns the loss and its gradient (same shape as
    ``params``). The run stops early, marked diverged, once the loss passes
    ``divergence_threshold`` or stops being finite: a learning rate too large
    makes every step overshoot further than the last.

    >>> bowl = lambda p: (float(p @ p), 2 * p)  # L = p^2, gradient 2p
    >>> gradient_descent(bowl, [1.0], learning_rate=0.25, steps=2).params[:, 0].tolist()
    [1.0, 0.5, 0.25]
    """
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    params = np.array(initial_params, dtype=float)
    history_params, history_losses = [params.copy()], []
    diverged = False
    for _ in range(int(steps)):
        loss, grad = loss_and_grad(params)
        history_losses.append(float(loss))
        if not np.isfinite(loss) or abs(loss) > divergence_threshold:
            diverged = True
            break
        params = params - learning_rate * np.asarray(grad, dtype=float)
        history_params.append(params.copy())
    if not diverged:
        loss, _ = loss_and_grad(params)
        history_losses.append(float(loss))
        diverged = not np.isfinite(loss) or abs(loss) > divergence_threshold
    return History(np.array(history_params), np.array(history_losses), diverged)


def linear_model_loss_and_grad(features, y, loss, loss_grad, **loss_kwargs):
    r"""The loss of the linear model :math:`\hat y = X \theta` and its gradient in :math:`\theta`.

    ``features`` is the matrix :math:`X`, one row per example and one column per parameter
    (a column of ones gives an intercept). ``loss(y, y_hat, **loss_kwargs)`` and
    ``loss_grad(y, y_hat, **loss_kwargs)`` are a lossbook loss and its ``_grad`` twin, such
    as ``lb.mse`` and ``lb.mse_grad``; for a logistic model, :math:`X \theta` are the logits
    and the pair is ``lb.binary_cross_entropy_with_logits`` and its gradient.
    Backpropagation for a linear model is the chain rule once:
    :math:`\nabla_\theta L = X^\top \, \partial L / \partial \hat y`.

    Returns ``loss_and_grad(params) -> (loss, gradient)`` for :func:`gradient_descent`; where
    a diverging run makes :math:`\hat y` overflow, the loss is ``inf`` (the run stops).

    >>> x = np.array([0.0, 1.0, 2.0])
    >>> features = np.column_stack([x, np.ones_like(x)])  # y_hat = w x + b
    >>> loss_and_grad = linear_model_loss_and_grad(features, 2 * x, lb.mse, lb.mse_grad)
    >>> loss, grad = loss_and_grad(np.array([2.0, 0.0]))
    >>> float(loss), grad.tolist()
    (0.0, [0.0, 0.0])
    """
    features = np.asarray(features, dtype=float)
    y = np.asarray(y, dtype=float)

    def loss_and_grad(params):
        with np.errstate(over="ignore", invalid="ignore"):
            y_hat = features @ np.asarray(params, dtype=float)
        if not np.all(np.isfinite(y_hat)):
            return np.inf, np.zeros(features.shape[1])
        value = float(loss(y, y_hat, **loss_kwargs))
        return value, features.T @ loss_grad(y, y_hat, **loss_kwargs)

    return loss_and_grad


def line_features(x) -> np.ndarray:
    """The columns ``x`` and ``1`` of the line ``y_hat = w x + b``: parameters ``(w, b)``."""
    x = np.asarray(x, dtype=float)
    return np.column_stack([x, np.ones_like(x)])


def line_loss_and_grad(x, y, *, loss: str = "mse", **loss_kwargs):
    r"""The loss of the line :math:`\hat y = w x + b` on ``(x, y)`` and its gradient in ``(w, b)``.

    ``loss`` names a regression loss of lossbook (``REGRESSION_LOSSES``); its
    hyper-parameters (``delta=``, ``q=``) pass through. See :func:`linear_model_loss_and_grad`.
    """
    if loss not in REGRESSION_LOSSES:
        raise ValueError(f"loss must be one of {REGRESSION_LOSSES}, got {loss!r}")
    return linear_model_loss_and_grad(
        line_features(x), y, getattr(lb, loss), getattr(lb, f"{loss}_grad"), **loss_kwargs
    )


def fit_line(
    x,
    y,
    *,
    loss: str = "mse",
    learning_rate: float = 0.1,
    steps: int = 100,
    initial_params=(0.0, 0.0),
    **loss_kwargs,
) -> History:
    """Fit ``y_hat = w * x + b`` by gradient descent on ``loss`` (a name in ``REGRESSION_LOSSES``).

    Hyper-parameters of the loss (``delta=``, ``q=``) pass through.
    ``history.params[:, 0]`` is the slope ``w`` and ``history.params[:, 1]`` the intercept ``b``.
    """
    return gradient_descent(
        line_loss_and_grad(x, y, loss=loss, **loss_kwargs),
        initial_params,
        learning_rate=learning_rate,
        steps=steps,
    )
