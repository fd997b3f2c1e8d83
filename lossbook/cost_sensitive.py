"""Cost-sensitive classification losses (chapter 11): losses that weigh each kind of
mistake by what it costs in the real world.

The real-world-weight cross-entropy of Ho and Wookey (2020, "The Real-World-Weight
Cross-Entropy Loss Function: Modeling the Costs of Mislabeling", IEEE Access 8) is binary
cross-entropy with one weight per kind of mislabeling: the term that punishes a low
probability for a positive (the road to a false negative) is scaled by ``fn_cost``, the
term that punishes a high probability for a negative (the road to a false positive) by
``fp_cost``. In the paper the weights are *marginal* costs: what a false negative costs
beyond a true positive, and what a false positive costs beyond a true negative.

Two forms, as for binary cross-entropy: on probabilities
(:func:`real_world_weight_cross_entropy`, logs clamped at -100 as
:func:`lossbook.binary_cross_entropy` does) and on logits
(:func:`real_world_weight_cross_entropy_with_logits`, exact through
:func:`lossbook.log_sigmoid`). Both are element-wise: ``"mean"`` averages over elements.
Each ``_grad`` twin returns the gradient of the reduced loss (of the sum for ``"none"``)
with respect to the prediction, same shape and dtype.
"""

import numpy as np

from lossbook import _validation as _v
from lossbook._blocks import blockwise, grad_scale, quiet
from lossbook._docs import doc
from lossbook.activations import _log_sigmoid, _sigmoid
from lossbook.classification import _BCE_EPS, _clamped_logs

__all__ = [
    "real_world_weight_cross_entropy",
    "real_world_weight_cross_entropy_grad",
    "real_world_weight_cross_entropy_with_logits",
    "real_world_weight_cross_entropy_with_logits_grad",
]


def _check_costs(fn_cost, fp_cost, reduction):
    """Validate in the order every lossbook loss does: reduction, hyper-parameters (the
    arrays come next)."""
    _v.check_reduction(reduction)
    return _v.check_positive(fn_cost, "fn_cost"), _v.check_positive(fp_cost, "fp_cost")


def _logit_pair(y_true, logits):
    y, x = _v.check_pair(y_true, logits, "y_true", "logits")
    _v.check_probabilities(y, "y_true")
    return y, x


_COSTS = """fn_cost : float
        What a false negative costs (beyond a true positive); finite and > 0, keyword-only.
    fp_cost : float
        What a false positive costs (beyond a true negative); finite and > 0, keyword-only."""


def _doc(func):
    func.__doc__ = func.__doc__.replace("{costs}", _COSTS)
    return doc(func)


# --------------------------------------------------------------------------- probabilities


def _rwwce(y, p, fn_cost, fp_cost):
    log_p, log_not_p = _clamped_logs(p)
    return -(y * (fn_cost * log_p) + (1.0 - y) * (fp_cost * log_not_p))


def _rwwce_slope(y, p, fn_cost, fp_cost):
    # -c_FN y / p + c_FP (1 - y) / (1 - p) on one denominator, bounded below by the epsilon
    # of binary_cross_entropy_grad so that p of 0 or 1 stays finite
    numerator = (1.0 - y) * p * fp_cost - (1.0 - p) * y * fn_cost
    return numerator / np.maximum((1.0 - p) * p, _BCE_EPS)


# --------------------------------------------------------------------------- logits
# log sigma(-x) and sigma(-x) are computed as such, not as log(1 - sigma(x)) or 1 - sigma(x):
# each stays accurate where 1 - sigma(x) would round to 0 (large x).


def _rwwce_logits(y, x, fn_cost, fp_cost):
    return -(fn_cost * y * _log_sigmoid(x) + fp_cost * (1.0 - y) * _log_sigmoid(-x))


def _rwwce_logits_slope(y, x, fn_cost, fp_cost):
    return fp_cost * (1.0 - y) * _sigmoid(x) - fn_cost * y * _sigmoid(-x)


@_doc
@quiet
def real_world_weight_cross_entropy(y_true, p, *, fn_cost, fp_cost, reduction="mean"):
    r"""Real-world-weight cross-entropy (Ho & Wookey 2020), binary, on probabilities.

    .. math::

        \ell_i = -\left[c_{\mathrm{FN}}\, y_i \max(\log p_i, -100)
                 + c_{\mathrm{FP}}\, (1 - y_i) \max(\log(1 - p_i), -100)\right]

    :math:`c_{\mathrm{FN}}` (``fn_cost``) is what a false negative costs (beyond a true
    positive), :math:`c_{\mathrm{FP}}` (``fp_cost``) what a false positive costs (beyond a
    true negative); both must be finite and > 0. With both costs 1 this is
    :func:`lossbook.binary_cross_entropy`; in general it equals
    :math:`c_{\mathrm{FP}}` times binary cross-entropy with ``pos_weight``
    :math:`= c_{\mathrm{FN}} / c_{\mathrm{FP}}`. The model that minimises it predicts
    :math:`c_{\mathrm{FN}} \pi / (c_{\mathrm{FN}} \pi + c_{\mathrm{FP}} (1 - \pi))` where the
    true probability is :math:`\pi`, which crosses 0.5 exactly at the cost-optimal threshold
    :math:`\pi = c_{\mathrm{FP}} / (c_{\mathrm{FP}} + c_{\mathrm{FN}})`. The logs are clamped
    at -100 as in :func:`lossbook.binary_cross_entropy`, so ``p`` of 0 or 1 stays finite.

    {probabilities}
    {costs}

    {returns_loss}

    >>> round(float(real_world_weight_cross_entropy(
    ...     [1.0, 0.0], [0.9, 0.2], fn_cost=10.0, fp_cost=1.0)), 6)
    0.638374
    """
    c_fn, c_fp = _check_costs(fn_cost, fp_cost, reduction)
    y, p = _v.check_probability_pair(y_true, p)
    return blockwise(_rwwce, (y, p), reduction, fn_cost=c_fn, fp_cost=c_fp)


@_doc
@quiet
def real_world_weight_cross_entropy_grad(y_true, p, *, fn_cost, fp_cost, reduction="mean"):
    r"""Gradient of :func:`real_world_weight_cross_entropy` with respect to ``p``.

    .. math::

        \frac{\partial \ell_i}{\partial p_i}
        = -\frac{c_{\mathrm{FN}} y_i}{p_i} + \frac{c_{\mathrm{FP}} (1 - y_i)}{1 - p_i}
        = \frac{c_{\mathrm{FP}} (1 - y_i)\, p_i - c_{\mathrm{FN}}\, y_i (1 - p_i)}
               {\max\left(p_i (1 - p_i), \epsilon\right)}, \qquad \epsilon = 10^{-12}

    The second form, with the :math:`\epsilon` of :func:`lossbook.binary_cross_entropy_grad`,
    keeps ``p`` of 0 or 1 finite; with both costs 1 its numerator is :math:`p_i - y_i`.

    {probabilities}
    {costs}

    {returns_grad}

    >>> real_world_weight_cross_entropy_grad([1.0, 0.0], [0.5, 0.5], fn_cost=3.0, fp_cost=1.0,
    ...                                      reduction="sum").tolist()
    [-6.0, 2.0]
    """
    c_fn, c_fp = _check_costs(fn_cost, fp_cost, reduction)
    y, p = _v.check_probability_pair(y_true, p)
    scale = grad_scale(p.size, reduction)
    return blockwise(_rwwce_slope, (y, p), "none", scale=scale, fn_cost=c_fn, fp_cost=c_fp)


@_doc
@quiet
def real_world_weight_cross_entropy_with_logits(
    y_true, logits, *, fn_cost, fp_cost, reduction="mean"
):
    r"""Real-world-weight cross-entropy on logits (scores before the sigmoid).

    .. math::

        \ell_i = -\left[c_{\mathrm{FN}}\, y_i \log\sigma(x_i)
                 + c_{\mathrm{FP}}\, (1 - y_i) \log\sigma(-x_i)\right]

    :func:`real_world_weight_cross_entropy` of :math:`p = \sigma(x)`, computed from
    :math:`x` with the stable :math:`\log\sigma` (no clamp needed, exact for :math:`|x|`
    up to 1e4 and beyond). Equal to :math:`c_{\mathrm{FP}}` times
    :func:`lossbook.binary_cross_entropy_with_logits` with ``pos_weight``
    :math:`= c_{\mathrm{FN}} / c_{\mathrm{FP}}`.

    {logits}
    {costs}

    {returns_loss}

    >>> round(float(real_world_weight_cross_entropy_with_logits(
    ...     [1.0, 0.0], [0.0, 0.0], fn_cost=3.0, fp_cost=1.0)), 6)
    1.386294
    """
    c_fn, c_fp = _check_costs(fn_cost, fp_cost, reduction)
    y, x = _logit_pair(y_true, logits)
    return blockwise(_rwwce_logits, (y, x), reduction, fn_cost=c_fn, fp_cost=c_fp)


@_doc
@quiet
def real_world_weight_cross_entropy_with_logits_grad(
    y_true, logits, *, fn_cost, fp_cost, reduction="mean"
):
    r"""Gradient of :func:`real_world_weight_cross_entropy_with_logits` w.r.t. ``logits``.

    .. math::

        \frac{\partial \ell_i}{\partial x_i}
        = c_{\mathrm{FP}} (1 - y_i)\, \sigma(x_i) - c_{\mathrm{FN}}\, y_i\, \sigma(-x_i)

    With both costs 1: the famous :math:`\sigma(x_i) - y_i`.

    {logits}
    {costs}

    {returns_grad}

    >>> real_world_weight_cross_entropy_with_logits_grad(
    ...     [1.0, 0.0], [0.0, 0.0], fn_cost=3.0, fp_cost=1.0, reduction="sum").tolist()
    [-1.5, 0.5]
    """
    c_fn, c_fp = _check_costs(fn_cost, fp_cost, reduction)
    y, x = _logit_pair(y_true, logits)
    scale = grad_scale(x.size, reduction)
    return blockwise(_rwwce_logits_slope, (y, x), "none", scale=scale, fn_cost=c_fn, fp_cost=c_fp)
