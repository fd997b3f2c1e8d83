"""Activations and their log forms, stable for inputs of any finite size (1e4 and beyond).

The trick everywhere: never call ``exp`` on a large positive number. ``exp(-|x|)`` is
in (0, 1] and can only underflow to 0, which is harmless; the shift by the maximum in
log-sum-exp makes every exponent <= 0 for the same reason.
"""

import numpy as np

from lossbook import _validation as _v

__all__ = ["log_sigmoid", "log_softmax", "logsumexp", "one_hot", "sigmoid", "softmax"]


def _exp_neg_abs(x, out=None):
    """exp(-|x|), in (0, 1]: the one exponential every stable sigmoid form needs."""
    e = np.abs(x, out=np.empty_like(x) if out is None else out)  # out= keeps 0-d an array
    np.negative(e, out=e)
    return np.exp(e, out=e)


def _sigmoid_pair(x):
    """(sigmoid(x), sigmoid(-x)), both accurate (no 1 - s cancellation), from one exp."""
    e = _exp_neg_abs(x)
    big = np.add(e, 1.0, out=np.empty_like(x))
    np.divide(1.0, big, out=big)  # 1 / (1 + exp(-|x|)) = sigmoid(|x|)
    e *= big  # exp(-|x|) / (1 + exp(-|x|)) = sigmoid(-|x|)
    neg = x < 0
    s = np.where(neg, e, big)
    np.copyto(big, e, where=~neg)  # reuse: big becomes sigmoid(-x)
    return s, big


def _sigmoid(x, out=None):
    e = _exp_neg_abs(x)
    out = np.add(e, 1.0, out=np.empty_like(x) if out is None else out)
    # x >= 0: 1 / (1 + exp(-x));  x < 0: exp(x) / (1 + exp(x)), the same number written safely
    np.divide(1.0, out, out=out, where=x >= 0)
    np.divide(e, out, out=out, where=x < 0)
    return out


def _log_sigmoid(x, out=None):
    out = _exp_neg_abs(x, out)
    np.log1p(out, out=out)  # log1p keeps the tiny values exactly when exp(-|x|) << 1
    return np.subtract(np.minimum(x, 0.0), out, out=out)


@_v.quiet
def sigmoid(x):
    r"""Logistic sigmoid.

    .. math::

        \sigma(x) = \frac{1}{1 + e^{-x}}

    Squashes any real number into (0, 1): a logit becomes a probability.

    >>> float(sigmoid(0.0))
    0.5
    """
    return _sigmoid(_v.as_float_array(x, "x"))


@_v.quiet
def log_sigmoid(x):
    r"""Logarithm of the sigmoid, computed without forming the sigmoid.

    .. math::

        \log \sigma(x) = \min(x, 0) - \log\left(1 + e^{-|x|}\right)

    ``np.log(sigmoid(x))`` gives ``-inf`` for ``x = -1e4``; this form gives ``-1e4``.

    >>> round(float(log_sigmoid(0.0)), 6)
    -0.693147
    """
    return _log_sigmoid(_v.as_float_array(x, "x"))


def _rows(z, axis):
    z = _v.as_float_array(z, "z")
    _v.check_rows(z, "z")
    return z, np.max(z, axis=axis, keepdims=True)


@_v.quiet
def logsumexp(z, axis=-1):
    r"""Log of the sum of exponentials along ``axis``, shifted by the maximum.

    .. math::

        \operatorname{logsumexp}(z) = m + \log \sum_j e^{z_j - m}, \qquad m = \max_j z_j

    A smooth maximum. The shift makes every exponent <= 0 (no overflow) and the
    largest term exactly 1 (the sum is >= 1, so the log never sees 0).

    >>> round(float(logsumexp([0.0, 0.0])), 6)
    0.693147
    """
    z, m = _rows(z, axis)
    e = np.subtract(z, m)
    np.exp(e, out=e)
    s = np.log(np.sum(e, axis=axis, keepdims=True))
    return np.squeeze(s + m, axis=axis)


@_v.quiet
def log_softmax(z, axis=-1):
    r"""Log-probabilities of the softmax along ``axis``.

    .. math::

        \log \operatorname{softmax}(z)_i = (z_i - m) - \log \sum_j e^{z_j - m}

    >>> np.round(log_softmax([0.0, 0.0]), 6).tolist()
    [-0.693147, -0.693147]
    """
    z, m = _rows(z, axis)
    out = np.subtract(z, m)
    e = np.exp(out)
    out -= np.log(np.sum(e, axis=axis, keepdims=True))
    return out


@_v.quiet
def softmax(z, axis=-1):
    r"""Softmax along ``axis``: exponentials normalised to sum to 1.

    .. math::

        \operatorname{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}

    Turns a row of scores (logits) into a probability distribution.

    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    z, m = _rows(z, axis)
    out = np.subtract(z, m)
    np.exp(out, out=out)
    out /= np.sum(out, axis=axis, keepdims=True)
    return out


def one_hot(labels, num_classes):
    r"""One-hot encoding: label ``c`` becomes the row with a 1 in column ``c``.

    .. math::

        \operatorname{one\_hot}(c)_j = [j = c]

    >>> one_hot([2, 0], 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"num_classes must be an int, got {type(num_classes).__name__}")
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    labels = _v.check_labels(labels, "labels", num_classes)
    return (labels[..., None] == np.arange(num_classes)).astype(np.float64)
