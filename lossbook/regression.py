"""Regression losses: ``f(y_true, y_pred, *, reduction="mean", ...)`` and their gradients.

Each ``f_grad`` returns the gradient of the reduced loss with respect to ``y_pred``
(for ``reduction="none"``, the gradient of the sum), with the shape and dtype of ``y_pred``.
"""

import functools

import numpy as np

from lossbook import _validation as _v

__all__ = [
    "huber",
    "huber_grad",
    "log_cosh",
    "log_cosh_grad",
    "mae",
    "mae_grad",
    "mse",
    "mse_grad",
    "quantile",
    "quantile_grad",
]

_LOG2 = float(np.log(2.0))


def _prepare(y_true, y_pred, reduction):
    _v.check_reduction(reduction)
    return _v.check_pair(y_true, y_pred)


# Kernels: the per-element formulas, applied by ``_v.blockwise`` to cache-sized blocks.
# Each writes into ``out`` (in-place operations: no temporaries beyond one block).


def _error(y, x, out):
    return np.subtract(x, y, out=out)


def _squared_error(y, x, out):
    np.subtract(x, y, out=out)
    return np.square(out, out=out)


def _absolute_error(y, x, out):
    np.subtract(x, y, out=out)
    return np.abs(out, out=out)


def _sign_error(y, x, out):
    np.subtract(x, y, out=out)
    return np.sign(out, out=out)  # sign(0) = 0: the subgradient PyTorch picks


def _huber_twice(y, x, out, delta):
    """2 x Huber as c (2e - c), c = clip(e, -delta, delta): e^2 inside (exactly), and
    delta (2|e| - delta) outside; one formula for both branches, no abs, no mask."""
    np.subtract(x, y, out=out)
    c = np.clip(out, -delta, delta)
    out *= 2.0
    out -= c
    out *= c
    return out


def _clipped_error(y, x, out, delta):
    np.subtract(x, y, out=out)
    return np.clip(out, -delta, delta, out=out)


def _log_cosh(y, x, out):
    np.subtract(x, y, out=out)
    np.abs(out, out=out)
    t = np.multiply(out, -2.0)
    np.exp(t, out=t)  # exp(-2|e|) in (0, 1]: no overflow, unlike cosh
    np.log1p(t, out=t)
    out += t
    out -= _LOG2
    return out


def _tanh_error(y, x, out):
    np.subtract(x, y, out=out)
    return np.tanh(out, out=out)  # saturates at ±1: stable for any size


def _pinball(y, x, out, q):
    np.subtract(y, x, out=out)  # e = y - y_pred
    over = np.multiply(out, q - 1.0)
    out *= q
    np.maximum(out, over, out=out)
    out += 0.0  # at e = 0 the maximum of 0.0 and -0.0 can be -0.0; a loss prints as 0
    return out


def _pinball_slope(y, x, out, q):
    np.subtract(x, y, out=out)
    np.sign(out, out=out)
    out *= 0.5
    out += 0.5 - q  # sign -1, 0, +1  ->  -q, 1/2 - q, 1 - q
    return out


@_v.quiet
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
    return _v.blockwise(_squared_error, (y_true, y_pred), reduction)


@_v.quiet
def mse_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`mse` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = 2 (\hat y_i - y_i)

    >>> mse_grad([0.0, 1.0], [1.0, 1.0]).tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = 2.0 * _v.grad_scale(y_pred.size, reduction)
    return _v.blockwise(_error, (y_true, y_pred), "none", scale=scale)


@_v.quiet
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
    return _v.blockwise(_absolute_error, (y_true, y_pred), reduction)


@_v.quiet
def mae_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`mae` with respect to ``y_pred`` (subgradient 0 at a tie, like torch).

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = \operatorname{sign}(\hat y_i - y_i)

    >>> mae_grad([0.0, 1.0], [2.0, 1.0], reduction="sum").tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = _v.grad_scale(y_pred.size, reduction)
    return _v.blockwise(_sign_error, (y_true, y_pred), "none", scale=scale)


@_v.quiet
def huber(y_true, y_pred, *, reduction="mean", delta=1.0):
    r"""Huber loss: squared near the target, linear far from it.

    .. math::

        \ell_i = \begin{cases} \tfrac12 e_i^2 & |e_i| \le \delta \\
                 \delta \left(|e_i| - \tfrac12 \delta\right) & |e_i| > \delta \end{cases}
        \qquad e_i = \hat y_i - y_i

    The best of :func:`mse` (smooth at 0) and :func:`mae` (robust to outliers); ``delta``
    is where one hands over to the other. Same as ``torch.nn.functional.huber_loss``.

    >>> float(huber([0.0, 0.0], [0.5, 3.0]))
    1.3125
    """
    delta = _v.check_positive(delta, "delta")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    kernel = functools.partial(_huber_twice, delta=delta)
    return _v.blockwise(kernel, (y_true, y_pred), reduction, scale=0.5)  # halving is exact


@_v.quiet
def huber_grad(y_true, y_pred, *, reduction="mean", delta=1.0):
    r"""Gradient of :func:`huber` with respect to ``y_pred``: the error clipped to ±delta.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = \operatorname{clip}(e_i, -\delta, \delta)

    >>> huber_grad([0.0, 0.0], [0.5, 3.0], reduction="sum").tolist()
    [0.5, 1.0]
    """
    delta = _v.check_positive(delta, "delta")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    kernel = functools.partial(_clipped_error, delta=delta)
    scale = _v.grad_scale(y_pred.size, reduction)
    return _v.blockwise(kernel, (y_true, y_pred), "none", scale=scale)


@_v.quiet
def log_cosh(y_true, y_pred, *, reduction="mean"):
    r"""Log-cosh loss.

    .. math::

        \ell_i = \log\cosh(e_i) = |e_i| + \log\left(1 + e^{-2|e_i|}\right) - \log 2

    Behaves like :math:`e^2/2` for small errors and like :math:`|e| - \log 2` for large
    ones: a smooth Huber with no hyper-parameter. ``cosh`` itself overflows for
    :math:`|e| > 710`; the form above only exponentiates non-positive numbers.

    >>> round(float(log_cosh([0.0], [1.0])), 6)
    0.433781
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    return _v.blockwise(_log_cosh, (y_true, y_pred), reduction)


@_v.quiet
def log_cosh_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`log_cosh` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = \tanh(e_i)

    >>> round(float(log_cosh_grad([0.0], [1.0])[0]), 6)
    0.761594
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = _v.grad_scale(y_pred.size, reduction)
    return _v.blockwise(_tanh_error, (y_true, y_pred), "none", scale=scale)


@_v.quiet
def quantile(y_true, y_pred, *, reduction="mean", q=0.5):
    r"""Quantile (pinball) loss.

    .. math::

        \ell_i = \max\left(q\, e_i, (q - 1)\, e_i\right) \qquad e_i = y_i - \hat y_i

    Under-predictions cost ``q`` per unit, over-predictions ``1 - q``: the minimiser is
    the ``q``-quantile of the target (``q = 0.5``: the median, half of :func:`mae`).
    Same as scikit-learn's ``mean_pinball_loss(alpha=q)``.

    >>> float(quantile([1.0, 1.0], [0.0, 2.0], q=0.9))
    0.5
    """
    q = _v.check_open_unit(q, "q")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    return _v.blockwise(functools.partial(_pinball, q=q), (y_true, y_pred), reduction)


@_v.quiet
def quantile_grad(y_true, y_pred, *, reduction="mean", q=0.5):
    r"""Gradient of :func:`quantile` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} =
        \begin{cases} -q & \hat y_i < y_i \\ 1 - q & \hat y_i > y_i \\
        \tfrac12 - q & \hat y_i = y_i \end{cases}

    At a tie the loss has a kink; we return the middle of the subgradient interval
    :math:`[-q, 1 - q]`, which is what PyTorch's ``maximum`` gives, and 0 for ``q = 0.5``
    (as :func:`mae_grad`).

    >>> quantile_grad([1.0, 1.0], [0.0, 2.0], q=0.75, reduction="sum").tolist()
    [-0.75, 0.25]
    """
    q = _v.check_open_unit(q, "q")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = _v.grad_scale(y_pred.size, reduction)
    kernel = functools.partial(_pinball_slope, q=q)
    return _v.blockwise(kernel, (y_true, y_pred), "none", scale=scale)
