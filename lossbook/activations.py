"""Activations and their log forms, stable for inputs of any finite size (1e4 and beyond).

The trick everywhere: never call ``exp`` on a large positive number. ``exp(-|x|)`` is
in (0, 1] and can only underflow to 0, which is harmless; the shift by the maximum in
log-sum-exp makes every exponent <= 0 for the same reason.
"""

import numpy as np

from lossbook import _validation as _v
from lossbook._blocks import quiet

__all__ = ["log_sigmoid", "log_softmax", "logsumexp", "one_hot", "sigmoid", "softmax"]


def _sigmoid(x):
    # exp(-|x|) is in (0, 1]: it never overflows. x >= 0: 1 / (1 + exp(-x));
    # x < 0: exp(x) / (1 + exp(x)), the same number written without exp of a large number.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def _log_sigmoid(x):
    # log1p keeps the tiny values exactly when exp(-|x|) << 1
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


@quiet
def sigmoid(x):
    r"""Logistic sigmoid.

    .. math::

        \sigma(x) = \frac{1}{1 + e^{-x}}

    Squashes any real number into (0, 1): a logit becomes a probability.

    >>> float(sigmoid(0.0))
    0.5
    """
    return np.asarray(_sigmoid(_v.as_float_array(x, "x")))  # 0-d in, 0-d array out


@quiet
def log_sigmoid(x):
    r"""Logarithm of the sigmoid, computed without forming the sigmoid.

    .. math::

        \log \sigma(x) = \min(x, 0) - \log\left(1 + e^{-|x|}\right)

    ``np.log(sigmoid(x))`` gives ``-inf`` for ``x = -1e4``; this form gives ``-1e4``.

    >>> round(float(log_sigmoid(0.0)), 6)
    -0.693147
    """
    return np.asarray(_log_sigmoid(_v.as_float_array(x, "x")))


def _rows(z, axis):
    z = _v.as_float_array(z, "z")
    _v.check_rows(z, "z")
    return z, np.max(z, axis=axis, keepdims=True)


@quiet
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
    return np.squeeze(m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True)), axis=axis)


@quiet
def log_softmax(z, axis=-1):
    r"""Log-probabilities of the softmax along ``axis``.

    .. math::

        \log \operatorname{softmax}(z)_i = (z_i - m) - \log \sum_j e^{z_j - m}

    >>> np.round(log_softmax([0.0, 0.0]), 6).tolist()
    [-0.693147, -0.693147]
    """
    z, m = _rows(z, axis)
    shifted = z - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


@quiet
def softmax(z, axis=-1):
    r"""Softmax along ``axis``: exponentials normalised to sum to 1.

    .. math::

        \operatorname{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}

    Turns a row of scores (logits) into a probability distribution.

    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    z, m = _rows(z, axis)
    e = np.exp(z - m)
    return e / np.sum(e, axis=axis, keepdims=True)


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
