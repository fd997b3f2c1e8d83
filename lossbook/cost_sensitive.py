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

__all__ = [
    "real_world_weight_cross_entropy",
    "real_world_weight_cross_entropy_grad",
    "real_world_weight_cross_entropy_with_logits",
    "real_world_weight_cross_entropy_with_logits_grad",
]


LOG_CLAMP = -100.0  # as lossbook.binary_cross_entropy (and PyTorch): log p clamped at -100
_EPS = float(np.float32(1e-12))  # as lossbook.binary_cross_entropy_grad: p (1 - p) >= eps


def _log_sigmoid(x):
    """log sigma(x) = min(x, 0) - log1p(exp(-|x|)): exp never sees a positive number."""
    out = np.abs(x, out=np.empty_like(x))
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    return np.subtract(np.minimum(x, 0.0), out, out=out)


def _sigmoid_pair(x):
    """(sigma(x), sigma(-x)), each accurate (no 1 - s rounding), from one exp(-|x|)."""
    e = np.abs(x, out=np.empty_like(x))
    np.negative(e, out=e)
    np.exp(e, out=e)  # exp(-|x|) in (0, 1]
    big = np.add(e, 1.0, out=np.empty_like(x))
    np.divide(1.0, big, out=big)  # sigma(|x|)
    e *= big  # sigma(-|x|)
    neg = x < 0
    return np.where(neg, e, big), np.where(neg, big, e)


def _rwwce_args(y_true, pred, name, fn_cost, fp_cost, reduction):
    """Validate in the order every lossbook loss does: reduction, hyper-parameters, arrays."""
    _v.check_reduction(reduction)
    fn_cost = _v.check_positive(fn_cost, "fn_cost")
    fp_cost = _v.check_positive(fp_cost, "fp_cost")
    y_true, pred = _v.check_pair(y_true, pred, "y_true", name)
    _v.check_probabilities(y_true, "y_true")
    return y_true, pred, fn_cost, fp_cost


# --------------------------------------------------------------------------- probabilities


@_v.quiet
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

    >>> round(float(real_world_weight_cross_entropy(
    ...     [1.0, 0.0], [0.9, 0.2], fn_cost=10.0, fp_cost=1.0)), 6)
    0.638374
    """
    y, p, c_fn, c_fp = _rwwce_args(y_true, p, "p", fn_cost, fp_cost, reduction)
    _v.check_probabilities(p, "p")
    out = np.subtract(y, 1.0, out=np.empty_like(p))  # (y - 1)
    t = np.negative(p, out=np.empty_like(p))
    np.log1p(t, out=t)  # log(1 - p) without rounding 1 - p first
    np.maximum(t, LOG_CLAMP, out=t)
    t *= c_fp
    out *= t  # c_FP (y - 1) max(log(1 - p), -100)
    np.log(p, out=t)
    np.maximum(t, LOG_CLAMP, out=t)
    t *= c_fn
    t *= y
    out -= t  # the order of operations of binary_cross_entropy (and PyTorch)
    return _v.reduce(out, reduction)


def real_world_weight_cross_entropy_grad(y_true, p, *, fn_cost, fp_cost, reduction="mean"):
    r"""Gradient of :func:`real_world_weight_cross_entropy` with respect to ``p``.

    .. math::

        \frac{\partial \ell_i}{\partial p_i}
        = -\frac{c_{\mathrm{FN}} y_i}{p_i} + \frac{c_{\mathrm{FP}} (1 - y_i)}{1 - p_i}
        = \frac{c_{\mathrm{FP}} (1 - y_i)\, p_i - c_{\mathrm{FN}}\, y_i (1 - p_i)}
               {\max\left(p_i (1 - p_i), \epsilon\right)}, \qquad \epsilon = 10^{-12}

    The second form, with the :math:`\epsilon` of :func:`lossbook.binary_cross_entropy_grad`,
    keeps ``p`` of 0 or 1 finite; with both costs 1 its numerator is :math:`p_i - y_i`.

    >>> real_world_weight_cross_entropy_grad([1.0, 0.0], [0.5, 0.5], fn_cost=3.0, fp_cost=1.0,
    ...                                      reduction="sum").tolist()
    [-6.0, 2.0]
    """
    y, p, c_fn, c_fp = _rwwce_args(y_true, p, "p", fn_cost, fp_cost, reduction)
    _v.check_probabilities(p, "p")
    den = np.subtract(1.0, p, out=np.empty_like(p))
    out = np.multiply(den, y, out=np.empty_like(p))
    out *= -c_fn  # -c_FN y (1 - p)
    den *= p
    np.maximum(den, _EPS, out=den)
    t = np.subtract(1.0, y, out=np.empty_like(p))
    t *= p
    t *= c_fp  # c_FP (1 - y) p
    out += t
    out /= den
    out *= _v.grad_scale(out.size, reduction)
    return out


# --------------------------------------------------------------------------- logits


@_v.quiet
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

    >>> round(float(real_world_weight_cross_entropy_with_logits(
    ...     [1.0, 0.0], [0.0, 0.0], fn_cost=3.0, fp_cost=1.0)), 6)
    1.386294
    """
    y, x, c_fn, c_fp = _rwwce_args(y_true, logits, "logits", fn_cost, fp_cost, reduction)
    out = _log_sigmoid(x)  # log sigma(x)
    out *= y
    out *= c_fn
    neg = np.negative(x, out=np.empty_like(x))
    neg = _log_sigmoid(neg)  # log sigma(-x) = log(1 - sigma(x)), accurate for large x
    t = np.subtract(1.0, y, out=np.empty_like(x))
    t *= c_fp
    neg *= t
    out += neg
    np.negative(out, out=out)
    return _v.reduce(out, reduction)


@_v.quiet
def real_world_weight_cross_entropy_with_logits_grad(
    y_true, logits, *, fn_cost, fp_cost, reduction="mean"
):
    r"""Gradient of :func:`real_world_weight_cross_entropy_with_logits` w.r.t. ``logits``.

    .. math::

        \frac{\partial \ell_i}{\partial x_i}
        = c_{\mathrm{FP}} (1 - y_i)\, \sigma(x_i) - c_{\mathrm{FN}}\, y_i\, \sigma(-x_i)

    With both costs 1: the famous :math:`\sigma(x_i) - y_i`.

    >>> real_world_weight_cross_entropy_with_logits_grad(
    ...     [1.0, 0.0], [0.0, 0.0], fn_cost=3.0, fp_cost=1.0, reduction="sum").tolist()
    [-1.5, 0.5]
    """
    y, x, c_fn, c_fp = _rwwce_args(y_true, logits, "logits", fn_cost, fp_cost, reduction)
    s, s_neg = _sigmoid_pair(x)  # sigma(x), sigma(-x), each accurate (no 1 - s rounding)
    t = np.subtract(1.0, y, out=np.empty_like(x))
    t *= c_fp
    s *= t  # c_FP (1 - y) sigma(x)
    s_neg *= y
    s_neg *= c_fn
    s -= s_neg
    s *= _v.grad_scale(s.size, reduction)
    return s
