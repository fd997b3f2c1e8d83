"""Regression losses: ``f(y_true, y_pred, *, reduction="mean", ...)`` and their gradients.

Each ``f_grad`` returns the gradient of the reduced loss with respect to ``y_pred``
(for ``reduction="none"``, the gradient of the sum), with the shape and dtype of ``y_pred``.
"""

import numpy as np

from lossbook import _validation as _v

__all__ = ["mae", "mae_grad", "mse", "mse_grad"]


def _prepare(y_true, y_pred, reduction):
    _v.check_reduction(reduction)
    return _v.check_pair(y_true, y_pred)


def mse(y_true, y_pred, *, reduction="mean"):
    r"""Mean squared error.

    .. math::

        \ell_i = (\hat y_i - y_i)^2

    The squared distance between prediction and target: big errors cost a lot more
    than small ones, so the fit chases outliers.

    >>> float(mse([0.0, 1.0], [1.0, 1.0]))
    0.5
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    out = np.subtract(y_pred, y_true, out=np.empty_like(y_pred))
    np.square(out, out=out)  # in place: one buffer the size of the input
    return _v.reduce(out, reduction)


def mse_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`mse` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = 2 (\hat y_i - y_i)

    >>> mse_grad([0.0, 1.0], [1.0, 1.0]).tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    out = np.subtract(y_pred, y_true, out=np.empty_like(y_pred))
    out *= 2.0 * _v.grad_scale(out.size, reduction)
    return out


def mae(y_true, y_pred, *, reduction="mean"):
    r"""Mean absolute error.

    .. math::

        \ell_i = |\hat y_i - y_i|

    Every unit of error costs the same: the fit is robust to outliers and aims at
    the median rather than the mean.

    >>> float(mae([0.0, 1.0], [2.0, 1.0]))
    1.0
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    out = np.subtract(y_pred, y_true, out=np.empty_like(y_pred))
    np.abs(out, out=out)
    return _v.reduce(out, reduction)


def mae_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`mae` with respect to ``y_pred`` (subgradient 0 at a tie, like torch).

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = \operatorname{sign}(\hat y_i - y_i)

    >>> mae_grad([0.0, 1.0], [2.0, 1.0]).tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    out = np.subtract(y_pred, y_true, out=np.empty_like(y_pred))
    np.sign(out, out=out)
    out *= _v.grad_scale(out.size, reduction)
    return out
