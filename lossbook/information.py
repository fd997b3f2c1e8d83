"""Information measures in nats over the last axis, with 0 log 0 = 0.

``p`` and ``q`` are probability vectors along the last axis (non-negative, summing to 1
within rounding); leading axes are batches, and the result has shape ``p.shape[:-1]``.
Where ``p > 0`` and ``q = 0``, :func:`cross_entropy` and :func:`kl_divergence` are ``inf``
(the event that ``q`` calls impossible happens): a value, not a warning.
"""

import numpy as np

from lossbook import _validation as _v
from lossbook._blocks import quiet
from lossbook._docs import doc

__all__ = ["cross_entropy", "entropy", "kl_divergence"]


def _dist(p, name):
    p = _v.as_float_array(p, name)
    _v.check_distribution(p, name)
    return p


def _pair(p, q):
    p, q = _v.check_pair(p, q, "p", "q")
    _v.check_distribution(p, "p")
    _v.check_distribution(q, "q")
    return p, q


@quiet
def _log_where(a, mask):
    """log(a) where mask, 0 elsewhere: the 0 log 0 = 0 convention without 0 * -inf."""
    return np.log(np.where(mask, a, 1.0))


@quiet
def entropy(p):
    r"""Shannon entropy in nats.

    .. math::

        H(p) = -\sum_k p_k \log p_k \qquad (0 \log 0 = 0)

    The average surprise of outcomes drawn from :math:`p`: 0 for a sure thing,
    :math:`\log K` for a uniform choice among :math:`K`.

    Parameters
    ----------
    p : array_like, shape (..., k)
        Probability vectors along the last axis (>= 0, summing to 1 within rounding).

    Returns
    -------
    ndarray or scalar
        One value in nats per vector, shape ``p.shape[:-1]``, of ``p``'s float dtype.

    Examples
    --------
    >>> round(float(entropy([0.5, 0.5])), 6)
    0.693147
    """
    p = _dist(p, "p")
    return 0.0 - np.sum(p * _log_where(p, p > 0), axis=-1)  # 0.0 - : no -0.0


@doc
@quiet
def cross_entropy(p, q):
    r"""Cross-entropy of ``q`` relative to ``p``, in nats.

    .. math::

        H(p, q) = -\sum_k p_k \log q_k \qquad (\text{terms with } p_k = 0 \text{ are } 0)

    The average surprise when outcomes come from :math:`p` but we expect :math:`q`.
    Not symmetric; :math:`H(p, q) = H(p) + D_{KL}(p \| q)`.

    {distribution_pair}

    >>> round(float(cross_entropy([1.0, 0.0], [0.5, 0.5])), 6)
    0.693147
    """
    p, q = _pair(p, q)
    return 0.0 - np.sum(p * _log_where(q, p > 0), axis=-1)


@doc
@quiet
def kl_divergence(p, q):
    r"""Kullback-Leibler divergence :math:`D_{KL}(p \| q)` in nats.

    .. math::

        D_{KL}(p \| q) = \sum_k p_k \log \frac{p_k}{q_k} \qquad
        (\text{terms with } p_k = 0 \text{ are } 0)

    The extra surprise paid for expecting :math:`q` when the truth is :math:`p`:
    always >= 0, 0 only when :math:`p = q`.

    {distribution_pair}

    >>> round(float(kl_divergence([1.0, 0.0], [0.5, 0.5])), 6)
    0.693147
    """
    p, q = _pair(p, q)
    mask = p > 0
    return np.sum(p * (_log_where(p, mask) - _log_where(q, mask)), axis=-1)
