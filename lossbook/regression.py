"""Regression losses: ``f(y_true, y_pred, *, reduction="mean", ...)`` and their gradients.

Every function takes ``y_true`` and ``y_pred`` of the same shape (any shape, lossbook never
broadcasts; finite numbers, not empty). float32 input gives float32 output; integers and
other floats become float64. ``reduction`` is ``"mean"`` (a scalar: the mean over all
elements), ``"sum"`` (a scalar) or ``"none"`` (one loss per element, the shape of
``y_pred``). Each ``f_grad`` returns the gradient of the reduced loss with respect to
``y_pred`` (for ``"none"``, the gradient of the sum), with the shape and dtype of ``y_pred``.
"""

import numpy as np

from lossbook import _validation as _v
from lossbook._blocks import blockwise, grad_scale, quiet
from lossbook._docs import doc

__all__ = [
    "gaussian_nll",
    "gaussian_nll_grad",
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
_HALF_LOG_2PI = float(0.5 * np.log(2.0 * np.pi))


# The per-element formulas. ``blockwise`` applies each to cache-sized blocks of the arrays.


def _error(y, x):
    return x - y


def _squared_error(y, x):
    e = x - y
    return e * e


def _absolute_error(y, x):
    return np.abs(x - y)


def _sign_error(y, x):
    return np.sign(x - y)  # sign(0) = 0: the subgradient PyTorch picks


def _huber(y, x, delta):
    # One formula for both branches, no abs and no mask: with c = clip(e, -delta, delta),
    # c (e - c / 2) is e^2 / 2 where |e| <= delta (exactly) and delta (|e| - delta / 2) beyond.
    e = x - y
    c = np.clip(e, -delta, delta)
    return (e - 0.5 * c) * c


def _clipped_error(y, x, delta):
    return np.clip(x - y, -delta, delta)


def _log_cosh(y, x):
    a = np.abs(x - y)
    # Far from 0: log cosh(e) = |e| + log(1 + exp(-2|e|)) - log 2, where exp only sees
    # numbers <= 0 (cosh itself overflows for |e| > 710). Near 0 that form takes log 2 from
    # about log 2 and loses the digits of e^2/2 (all of them at |e| = 1e-8); there
    # cosh(e) = 1 + 2 sinh(e/2)^2 keeps them. The min keeps sinh finite in the far branch.
    near = np.log1p(2.0 * np.sinh(np.minimum(a, 1.0) / 2.0) ** 2)
    far = a + np.log1p(np.exp(-2.0 * a)) - _LOG2
    return np.where(a < 1.0, near, far)


def _tanh_error(y, x):
    return np.tanh(x - y)  # saturates at +-1: stable for any size


def _pinball(y, x, q):
    e = y - x
    # + 0.0: at e = 0 the maximum of 0.0 and -0.0 can be -0.0; a loss should print as 0
    return np.maximum(q * e, (q - 1.0) * e) + 0.0


def _pinball_slope(y, x, q):
    # sign -1, 0, +1  ->  -q, 1/2 - q, 1 - q (the middle of the subgradient at a tie)
    return np.sign(x - y) * 0.5 + (0.5 - q)


def _prepare(y_true, y_pred, reduction):
    _v.check_reduction(reduction)
    return _v.check_pair(y_true, y_pred)


@doc
@quiet
def mse(y_true, y_pred, *, reduction="mean"):
    r"""Mean squared error.

    .. math::

        \ell_i = (\hat y_i - y_i)^2

    The squared distance between prediction and target: big errors cost a lot more
    than small ones, so the fit chases outliers.

    {regression}

    {returns_loss}

    >>> float(mse([0.0, 1.0], [1.0, 1.0]))
    0.5
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    return blockwise(_squared_error, (y_true, y_pred), reduction)


@doc
@quiet
def mse_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`mse` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = 2 (\hat y_i - y_i)

    {regression}

    {returns_grad}

    >>> mse_grad([0.0, 1.0], [1.0, 1.0]).tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = 2.0 * grad_scale(y_pred.size, reduction)
    return blockwise(_error, (y_true, y_pred), "none", scale=scale)


@doc
@quiet
def mae(y_true, y_pred, *, reduction="mean"):
    r"""Mean absolute error.

    .. math::

        \ell_i = |\hat y_i - y_i|

    Every unit of error costs the same: the fit is robust to outliers and aims at
    the median rather than the mean.

    {regression}

    {returns_loss}

    >>> float(mae([0.0, 1.0], [2.0, 1.0]))
    1.0
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    return blockwise(_absolute_error, (y_true, y_pred), reduction)


@doc
@quiet
def mae_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`mae` with respect to ``y_pred`` (subgradient 0 at a tie, like torch).

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = \operatorname{sign}(\hat y_i - y_i)

    {regression}

    {returns_grad}

    >>> mae_grad([0.0, 1.0], [2.0, 1.0], reduction="sum").tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = grad_scale(y_pred.size, reduction)
    return blockwise(_sign_error, (y_true, y_pred), "none", scale=scale)


@doc
@quiet
def huber(y_true, y_pred, *, reduction="mean", delta=1.0):
    r"""Huber loss: squared near the target, linear far from it.

    .. math::

        \ell_i = \begin{cases} \tfrac12 e_i^2 & |e_i| \le \delta \\
                 \delta \left(|e_i| - \tfrac12 \delta\right) & |e_i| > \delta \end{cases}
        \qquad e_i = \hat y_i - y_i

    The best of :func:`mse` (smooth at 0) and :func:`mae` (robust to outliers); ``delta``
    is where one hands over to the other. Same as ``torch.nn.functional.huber_loss``.
    Both branches are one formula: :math:`\ell_i = c_i (e_i - \tfrac12 c_i)` with
    :math:`c_i = \operatorname{clip}(e_i, -\delta, \delta)`.

    {regression}
    delta : float, default 1.0
        Where the square hands over to the line; finite and > 0.

    {returns_loss}

    >>> float(huber([0.0, 0.0], [0.5, 3.0]))
    1.3125
    """
    delta = _v.check_positive(delta, "delta")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    return blockwise(_huber, (y_true, y_pred), reduction, delta=delta)


@doc
@quiet
def huber_grad(y_true, y_pred, *, reduction="mean", delta=1.0):
    r"""Gradient of :func:`huber` with respect to ``y_pred``: the error clipped to ±delta.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = \operatorname{clip}(e_i, -\delta, \delta)

    {regression}
    delta : float, default 1.0
        As in :func:`huber`; finite and > 0.

    {returns_grad}

    >>> huber_grad([0.0, 0.0], [0.5, 3.0], reduction="sum").tolist()
    [0.5, 1.0]
    """
    delta = _v.check_positive(delta, "delta")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = grad_scale(y_pred.size, reduction)
    return blockwise(_clipped_error, (y_true, y_pred), "none", scale=scale, delta=delta)


@doc
@quiet
def log_cosh(y_true, y_pred, *, reduction="mean"):
    r"""Log-cosh loss.

    .. math::

        \ell_i = \log\cosh(e_i) = |e_i| + \log\left(1 + e^{-2|e_i|}\right) - \log 2

    Behaves like :math:`e^2/2` for small errors and like :math:`|e| - \log 2` for large
    ones: a smooth Huber with no hyper-parameter. ``cosh`` itself overflows for
    :math:`|e| > 710`; the form above only exponentiates non-positive numbers. For
    :math:`|e| < 1` it is evaluated as :math:`\log(1 + 2\sinh^2(e/2))` instead, which
    keeps full relative precision where the loss is tiny.

    {regression}

    {returns_loss}

    >>> round(float(log_cosh([0.0], [1.0])), 6)
    0.433781
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    return blockwise(_log_cosh, (y_true, y_pred), reduction)


@doc
@quiet
def log_cosh_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`log_cosh` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} = \tanh(e_i)

    {regression}

    {returns_grad}

    >>> round(float(log_cosh_grad([0.0], [1.0])[0]), 6)
    0.761594
    """
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = grad_scale(y_pred.size, reduction)
    return blockwise(_tanh_error, (y_true, y_pred), "none", scale=scale)


@doc
@quiet
def quantile(y_true, y_pred, *, reduction="mean", q=0.5):
    r"""Quantile (pinball) loss.

    .. math::

        \ell_i = \max\left(q\, e_i, (q - 1)\, e_i\right) \qquad e_i = y_i - \hat y_i

    Under-predictions cost ``q`` per unit, over-predictions ``1 - q``: the minimiser is
    the ``q``-quantile of the target (``q = 0.5``: the median, half of :func:`mae`).
    Same as scikit-learn's ``mean_pinball_loss(alpha=q)``.

    {regression}
    q : float, default 0.5
        The quantile aimed at, in the open interval (0, 1).

    {returns_loss}

    >>> float(quantile([1.0, 1.0], [0.0, 2.0], q=0.9))
    0.5
    """
    q = _v.check_open_unit(q, "q")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    return blockwise(_pinball, (y_true, y_pred), reduction, q=q)


@doc
@quiet
def quantile_grad(y_true, y_pred, *, reduction="mean", q=0.5):
    r"""Gradient of :func:`quantile` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial \hat y_i} =
        \begin{cases} -q & \hat y_i < y_i \\ 1 - q & \hat y_i > y_i \\
        \tfrac12 - q & \hat y_i = y_i \end{cases}

    At a tie the loss has a kink; we return the middle of the subgradient interval
    :math:`[-q, 1 - q]`, which is what PyTorch's ``maximum`` gives, and 0 for ``q = 0.5``
    (as :func:`mae_grad`).

    {regression}
    q : float, default 0.5
        As in :func:`quantile`; in the open interval (0, 1).

    {returns_grad}

    >>> quantile_grad([1.0, 1.0], [0.0, 2.0], q=0.75, reduction="sum").tolist()
    [-0.75, 0.25]
    """
    q = _v.check_open_unit(q, "q")
    y_true, y_pred = _prepare(y_true, y_pred, reduction)
    scale = grad_scale(y_pred.size, reduction)
    return blockwise(_pinball_slope, (y_true, y_pred), "none", scale=scale, q=q)


# -- Gaussian negative log-likelihood: a predicted mean and a predicted variance ----------


def _gaussian_nll(y, mean, var, constant):
    e = y - mean
    return 0.5 * (e * e / var + np.log(var)) + constant


def _gaussian_nll_mean_slope(y, mean, var):
    return (mean - y) / var


def _gaussian_nll_var_slope(y, mean, var):
    e = y - mean
    return 0.5 * (var - e * e) / (var * var)


def _prepare_gaussian(y_true, mean, var, reduction, full):
    _v.check_reduction(reduction)
    if not isinstance(full, (bool, np.bool_)):
        raise TypeError(f"full must be True or False; got {full!r}")
    y_true, mean = _v.check_pair(y_true, mean, "y_true", "mean")
    var = _v.as_float_array(var, "var", dtype=mean.dtype)
    _v.check_same_shape(mean, "mean", var, "var")
    if np.min(var) <= 0:
        raise ValueError(f"var must hold variances > 0; found {float(np.min(var))!r}")
    return y_true, mean, var


@quiet
def gaussian_nll(y_true, mean, var, *, reduction="mean", full=True):
    r"""Gaussian negative log-likelihood with a predicted mean and a predicted variance.

    .. math::

        \ell_i = -\log \mathcal N(y_i \mid \mu_i, \sigma_i^2)
              = \frac{(y_i - \mu_i)^2}{2 \sigma_i^2} + \tfrac12 \log \sigma_i^2
                + \tfrac12 \log 2\pi

    A model that predicts a variance ``var`` beside its ``mean`` is judged by how likely
    it makes the target: a small variance pays off where the errors are small and is
    punished where they are large. With one fixed variance for every point the loss is
    the MSE, scaled and shifted. It is a negative log of a *density*, which can exceed 1:
    the loss is negative when the variance and the error are both small enough.
    ``full=False`` leaves out the constant :math:`\tfrac12 \log 2\pi`, as
    ``torch.nn.functional.gaussian_nll_loss`` does by default (that function also clamps
    ``var`` at ``eps``; lossbook refuses a variance that is not > 0 instead).

    Parameters
    ----------
    y_true : array_like
        Targets, the shape of ``mean``.
    mean : array_like
        Predicted means, any shape; finite.
    var : array_like
        Predicted variances, the shape of ``mean``; finite and > 0.
    reduction : {"mean", "sum", "none"}, default "mean"
        How the per-element losses are combined.
    full : bool, default True
        Include the constant :math:`\tfrac12 \log 2\pi` (the exact negative log-density).

    Returns
    -------
    loss : scalar or ndarray
        A scalar of the prediction's float dtype (float32 stays float32) for ``"mean"`` and
        ``"sum"``; for ``"none"``, one loss per element, the shape of ``mean``.

    Examples
    --------
    >>> round(float(gaussian_nll([0.0], [0.0], [1.0])), 6)  # 0.5 log(2 pi)
    0.918939
    >>> round(float(gaussian_nll([2.05], [2.0], [0.01])), 6)  # a density above 1
    -1.258647
    """
    y_true, mean, var = _prepare_gaussian(y_true, mean, var, reduction, full)
    constant = _HALF_LOG_2PI if full else 0.0
    return blockwise(_gaussian_nll, (y_true, mean, var), reduction, constant=constant)


@quiet
def gaussian_nll_grad(y_true, mean, var, *, reduction="mean", full=True):
    r"""Gradient of :func:`gaussian_nll` with respect to ``mean`` and to ``var``.

    .. math::

        \frac{\partial \ell_i}{\partial \mu_i} = \frac{\mu_i - y_i}{\sigma_i^2}, \qquad
        \frac{\partial \ell_i}{\partial \sigma_i^2}
            = \frac{\sigma_i^2 - (y_i - \mu_i)^2}{2 \sigma_i^4}

    The variance's gradient is zero where the predicted variance equals the squared
    error: the loss asks the variance to match the size of the errors. ``full`` does not
    change the gradient (the constant has none); it is accepted so that the two functions
    take the same arguments.

    Parameters
    ----------
    y_true, mean, var, reduction, full
        As in :func:`gaussian_nll`.

    Returns
    -------
    (grad_mean, grad_var) : tuple of ndarray
        The gradients of the reduced loss (of the sum for ``"none"``) with respect to
        ``mean`` and to ``var``, each of their shape and float dtype.

    Examples
    --------
    >>> g_mean, g_var = gaussian_nll_grad([1.0], [0.0], [0.5], reduction="sum")
    >>> g_mean.tolist(), g_var.tolist()
    ([-2.0], [-1.0])
    """
    y_true, mean, var = _prepare_gaussian(y_true, mean, var, reduction, full)
    scale = grad_scale(mean.size, reduction)
    arrays = (y_true, mean, var)
    return (
        blockwise(_gaussian_nll_mean_slope, arrays, "none", scale=scale),
        blockwise(_gaussian_nll_var_slope, arrays, "none", scale=scale),
    )
