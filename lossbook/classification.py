"""Classification losses and their gradients.

Binary losses (:func:`binary_cross_entropy`, :func:`binary_cross_entropy_with_logits`,
:func:`hinge`, :func:`focal_loss`) are element-wise: ``"mean"`` averages over elements.
Row-wise losses (:func:`categorical_cross_entropy`, :func:`softmax_cross_entropy`) take the
classes on the last axis: ``"mean"`` averages over rows (samples), as PyTorch does.
Each ``f_grad`` returns the gradient of the reduced loss (of the sum for ``"none"``) with
respect to the prediction (``p``, ``logits``, ``q`` or ``y_pred``), same shape and dtype.
"""

import numpy as np

from lossbook import _validation as _v
from lossbook._blocks import blockwise, grad_scale, quiet, reduce, row_blocks
from lossbook._docs import doc
from lossbook.activations import _log_sigmoid, _sigmoid

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "categorical_cross_entropy",
    "categorical_cross_entropy_grad",
    "focal_loss",
    "focal_loss_grad",
    "hinge",
    "hinge_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]

LOG_CLAMP = -100.0  # PyTorch clamps log(p) at -100 so that p = 0 gives a finite loss
_Q_CLAMP = float(np.exp(LOG_CLAMP))  # below this probability the clamped log is constant
_BCE_EPS = float(np.float32(1e-12))  # PyTorch's EPSILON in binary_cross_entropy_backward


def _binary(y_true, pred, name, reduction):
    _v.check_reduction(reduction)
    y_true, pred = _v.check_pair(y_true, pred, "y_true", name)
    _v.check_probabilities(y_true, "y_true")
    return y_true, pred


# --------------------------------------------------------------------------- binary, probabilities


def _log1m(p):
    """log(1 - p), accurate for tiny p, at the price of ``log`` rather than ``log1p``.

    Goldberg's trick: with u = 1 - p rounded, log(1 - p) = -p log(u) / (u - 1), exact to a
    few ulps (u - 1 is computed exactly); where u == 1 (p < 1.1e-16) the ratio log(u) / (u - 1)
    is its limit 1. NumPy's float64 ``log1p`` has no SIMD loop on AVX2 machines and costs
    2.5x ``log``.
    """
    u = 1.0 - p
    d = u - 1.0  # exactly -(p rounded into u)
    p_survives = d != 0  # where p is lost in 1 - p, the ratio takes its limit 1 (no 0 / 0)
    return -p * np.where(p_survives, np.log(u) / np.where(p_survives, d, 1.0), 1.0)


def _clamped_logs(p):
    """max(log p, -100) and max(log(1 - p), -100): PyTorch's clamp keeps p = 0 or 1 finite."""
    return np.maximum(np.log(p), LOG_CLAMP), np.maximum(_log1m(p), LOG_CLAMP)


def _bce(y, p):
    log_p, log_not_p = _clamped_logs(p)
    return -(y * log_p + (1.0 - y) * log_not_p)


def _bce_slope(y, p):
    # the epsilon keeps p = 0 and p = 1 finite, as PyTorch's backward does
    return (p - y) / np.maximum((1.0 - p) * p, _BCE_EPS)


@doc
@quiet
def binary_cross_entropy(y_true, p, *, reduction="mean"):
    r"""Binary cross-entropy on probabilities (log terms clamped at -100, as PyTorch does).

    .. math::

        \ell_i = -\left[y_i \max(\log p_i, -100) + (1 - y_i) \max(\log(1 - p_i), -100)\right]

    The surprise, in nats, of seeing label :math:`y_i` when the model said "1 with
    probability :math:`p_i`". The clamp keeps :math:`p = 0` or :math:`1` finite (loss 100).

    {probabilities}

    {returns_loss}

    >>> round(float(binary_cross_entropy([1.0, 0.0], [0.9, 0.2])), 6)
    0.164252
    """
    _v.check_reduction(reduction)
    y_true, p = _v.check_probability_pair(y_true, p)
    return blockwise(_bce, (y_true, p), reduction)


@doc
@quiet
def binary_cross_entropy_grad(y_true, p, *, reduction="mean"):
    r"""Gradient of :func:`binary_cross_entropy` with respect to ``p``, as PyTorch computes it.

    .. math::

        \frac{\partial \ell_i}{\partial p_i} =
        \frac{p_i - y_i}{\max\left(p_i (1 - p_i), \epsilon\right)}, \qquad \epsilon = 10^{-12}

    The :math:`\epsilon` (PyTorch's, a float32 ``1e-12``) keeps :math:`p = 0` or :math:`1`
    finite; it is not the derivative of the clamped loss there (which would be 0).

    {probabilities}

    {returns_grad}

    >>> binary_cross_entropy_grad([1.0], [0.5]).tolist()
    [-2.0]
    """
    _v.check_reduction(reduction)
    y_true, p = _v.check_probability_pair(y_true, p)
    scale = grad_scale(p.size, reduction)
    return blockwise(_bce_slope, (y_true, p), "none", scale=scale)


# --------------------------------------------------------------------------- binary, logits


# log sigma(-x) = log sigma(x) - x, so the loss needs one stable log sigma(x) (never exp of a
# large number) and no clamp.


def _bce_logits(y, x):
    return (1.0 - y) * x - _log_sigmoid(x)


def _bce_logits_weighted(y, w, x):
    return (1.0 - y) * x - (1.0 + (w - 1.0) * y) * _log_sigmoid(x)


def _bce_logits_slope(y, x):
    return _sigmoid(x) - y


def _bce_logits_weighted_slope(y, w, x):
    wy = w * y
    return (wy - y + 1.0) * _sigmoid(x) - wy


def _logits_args(y_true, logits, pos_weight, reduction):
    y_true, logits = _binary(y_true, logits, "logits", reduction)
    return y_true, logits, _v.check_pos_weight(pos_weight, logits)


@doc
@quiet
def binary_cross_entropy_with_logits(y_true, logits, *, reduction="mean", pos_weight=None):
    r"""Binary cross-entropy on logits (scores before the sigmoid), PyTorch semantics.

    .. math::

        \ell_i = -\left[w\, y_i \log\sigma(x_i) + (1 - y_i) \log\sigma(-x_i)\right]
               = (1 - y_i)\, x_i - \left(1 + (w - 1) y_i\right) \log\sigma(x_i)

    :func:`binary_cross_entropy` of :math:`p = \sigma(x)`, computed from :math:`x` without
    forming :math:`p`: no clamp needed and exact for :math:`|x|` up to 1e4 and beyond.
    ``pos_weight`` :math:`w` (scalar, or one per class along the last axis) scales the
    positive term, to rebalance rare positives.

    {logits}
    pos_weight : float or array_like of shape (k,), optional
        Weight :math:`w \ge 0` of the positive term, one value or one per class along the
        last axis (``k = logits.shape[-1]``); None means 1.

    {returns_loss}

    >>> round(float(binary_cross_entropy_with_logits([1.0], [0.0])), 6)
    0.693147
    """
    y_true, x, w = _logits_args(y_true, logits, pos_weight, reduction)
    if w is None:
        return blockwise(_bce_logits, (y_true, x), reduction)
    return blockwise(_bce_logits_weighted, (y_true, w, x), reduction)


@doc
@quiet
def binary_cross_entropy_with_logits_grad(y_true, logits, *, reduction="mean", pos_weight=None):
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to ``logits``.

    .. math::

        \frac{\partial \ell_i}{\partial x_i} = \left(w y_i + 1 - y_i\right) \sigma(x_i) - w y_i

    Without ``pos_weight`` (:math:`w = 1`): the famous :math:`\sigma(x_i) - y_i`.

    {logits}
    pos_weight : float or array_like of shape (k,), optional
        As in :func:`binary_cross_entropy_with_logits`; >= 0.

    {returns_grad}

    >>> binary_cross_entropy_with_logits_grad([1.0], [0.0]).tolist()
    [-0.5]
    """
    y_true, x, w = _logits_args(y_true, logits, pos_weight, reduction)
    scale = grad_scale(x.size, reduction)
    if w is None:
        return blockwise(_bce_logits_slope, (y_true, x), "none", scale=scale)
    return blockwise(_bce_logits_weighted_slope, (y_true, w, x), "none", scale=scale)


# --------------------------------------------------------------------------- hinge


def _hinge(y, f):
    return np.maximum(1.0 - y * f, 0.0)


def _hinge_slope(y, f):
    return -y * (y * f < 1.0)  # -y where the margin is short of 1, 0 beyond


def _hinge_args(y_true, y_pred, reduction):
    _v.check_reduction(reduction)
    y_true, y_pred = _v.check_pair(y_true, y_pred)
    return _v.check_binary_labels(y_true, "y_true"), y_pred


@doc
@quiet
def hinge(y_true, y_pred, *, reduction="mean"):
    r"""Hinge loss (the SVM loss) on labels in {-1, +1} ({0, 1} is accepted and mapped).

    .. math::

        \ell_i = \max(0, 1 - y_i f_i)

    Zero once the score has the right sign with a margin of 1; linear otherwise.

    {signs}

    {returns_loss}

    >>> float(hinge([1, -1], [0.5, -2.0]))
    0.25
    """
    y, f = _hinge_args(y_true, y_pred, reduction)
    return blockwise(_hinge, (y, f), reduction)


@doc
@quiet
def hinge_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`hinge` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial f_i} = \begin{cases} -y_i & y_i f_i < 1 \\
        0 & y_i f_i \ge 1 \end{cases}

    At the kink :math:`y_i f_i = 1` we take 0 (as ``relu`` does in PyTorch).

    {signs}

    {returns_grad}

    >>> hinge_grad([1, -1], [0.5, -2.0], reduction="sum").tolist()
    [-1.0, 0.0]
    """
    y, f = _hinge_args(y_true, y_pred, reduction)
    scale = grad_scale(f.size, reduction)
    return blockwise(_hinge_slope, (y, f), "none", scale=scale)


# --------------------------------------------------------------------------- focal


def _focal_args(y_true, logits, gamma, alpha, reduction):
    gamma = _v.check_non_negative(gamma, "gamma")
    if alpha is not None:
        if not isinstance(alpha, str) and np.ndim(alpha) == 0 and float(alpha) < 0:
            raise ValueError(
                f"alpha must be in [0, 1] or None (no class weighting), got {alpha}; "
                "torchvision's negative alpha means None"
            )
        alpha = _v.check_closed_unit(alpha, "alpha")
    y_true, x = _binary(y_true, logits, "logits", reduction)
    return y_true, x, gamma, alpha


def _focal_terms(y, x):
    """Per element: e = exp(-|x|), the cross-entropy ce, u = 1 - p_t and p - y.

    Both sigmoids come from e: sigmoid(|x|) = 1 / (1 + e) and sigmoid(-|x|) = e / (1 + e),
    each accurate (no 1 - p rounding), so 1 - p_t stays accurate even when it is tiny
    (torchvision's 1 - p_t loses it).
    """
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    ce = np.log1p(e) + np.maximum(x, 0.0) - y * x  # BCE with logits, in its stable form
    sigmoid_abs = 1.0 / (1.0 + e)
    sigmoid_neg_abs = e * sigmoid_abs
    negative = x < 0
    p = np.where(negative, sigmoid_neg_abs, sigmoid_abs)
    not_p = np.where(negative, sigmoid_abs, sigmoid_neg_abs)  # 1 - p, accurate
    if_negative, if_positive = (1.0 - y) * p, y * not_p
    return e, ce, if_negative + if_positive, if_negative - if_positive


def _alpha_t(y, alpha):
    """alpha y + (1 - alpha)(1 - y), written as (1 - alpha) + (2 alpha - 1) y: one multiply."""
    return (2.0 * alpha - 1.0) * y + (1.0 - alpha)


def _focal(y, x, gamma, alpha):
    _, ce, u, _ = _focal_terms(y, x)
    loss = u**gamma * ce
    return loss if alpha is None else _alpha_t(y, alpha) * loss


def _focal_slope(y, x, gamma, alpha):
    e, ce, u, p_minus_y = _focal_terms(y, x)
    sigmoid_slope = e / ((1.0 + e) * (1.0 + e))  # p (1 - p), symmetric: no cancellation
    # where u = 0 (p rounded to 0 or 1 on a hard label) p (1 - p) is 0 too: dividing by the
    # smallest positive number instead gives 0 there rather than 0 / 0, and changes nothing else
    slope_over_u = sigmoid_slope / np.maximum(u, np.finfo(u.dtype).smallest_subnormal)
    grad = (p_minus_y + slope_over_u * ce * gamma * (1.0 - 2.0 * y)) * u**gamma
    return grad if alpha is None else _alpha_t(y, alpha) * grad


@doc
@quiet
def focal_loss(y_true, logits, *, reduction="mean", gamma=2.0, alpha=0.25):
    r"""Sigmoid focal loss (Lin et al. 2017), as torchvision's ``sigmoid_focal_loss``.

    .. math::

        \ell_i = \alpha_t\, (1 - p_t)^\gamma\, \mathrm{BCE}(x_i, y_i), \qquad
        p_t = p_i y_i + (1 - p_i)(1 - y_i), \quad p_i = \sigma(x_i), \quad
        \alpha_t = \alpha y_i + (1 - \alpha)(1 - y_i)

    Binary cross-entropy with the easy examples (:math:`p_t` near 1) turned down by
    :math:`(1 - p_t)^\gamma`, so that training focuses on the hard ones. ``gamma = 0`` and
    ``alpha=None`` give :func:`binary_cross_entropy_with_logits`. ``alpha=None`` turns the
    class weighting off (torchvision's ``alpha=-1``); a negative ``alpha`` is an error.

    {logits}
    gamma : float, default 2.0
        The focusing exponent, >= 0 (0: no down-weighting of easy examples).
    alpha : float or None, default 0.25
        Weight of the positive class in [0, 1] (negatives get ``1 - alpha``); None: no
        class weighting.

    {returns_loss}

    >>> round(float(focal_loss([1.0], [0.0])), 6)
    0.043322
    """
    y, x, gamma, alpha = _focal_args(y_true, logits, gamma, alpha, reduction)
    return blockwise(_focal, (y, x), reduction, gamma=gamma, alpha=alpha)


@doc
@quiet
def focal_loss_grad(y_true, logits, *, reduction="mean", gamma=2.0, alpha=0.25):
    r"""Gradient of :func:`focal_loss` with respect to ``logits``.

    .. math::

        \frac{\partial \ell_i}{\partial x_i} = \alpha_t\, u_i^\gamma \left[(p_i - y_i)
        + \gamma\, \mathrm{BCE}_i\, (1 - 2 y_i)\, \frac{p_i (1 - p_i)}{u_i}\right],
        \qquad u_i = 1 - p_t

    {logits}
    gamma : float, default 2.0
        As in :func:`focal_loss`; >= 0.
    alpha : float or None, default 0.25
        As in :func:`focal_loss`; in [0, 1] or None.

    {returns_grad}

    >>> round(float(focal_loss_grad([1.0], [0.0])[0]), 6)
    -0.074572
    """
    y, x, gamma, alpha = _focal_args(y_true, logits, gamma, alpha, reduction)
    scale = grad_scale(x.size, reduction)
    return blockwise(_focal_slope, (y, x), "none", scale=scale, gamma=gamma, alpha=alpha)


# --------------------------------------------------------------------------- row-wise


def _prob_rows(y_true, q, reduction):
    _v.check_reduction(reduction)
    y_true, q = _v.check_pair(y_true, q, "y_true", "q")
    _v.check_rows(q, "q")
    _v.check_distribution(y_true, "y_true")
    _v.check_distribution(q, "q")
    return y_true, q


def _row_dot(a, b):
    """Sum over the last axis of a * b, without a temporary of the full size."""
    return np.einsum("...k,...k->...", a, b)


@doc
@quiet
def categorical_cross_entropy(y_true, q, *, reduction="mean"):
    r"""Categorical cross-entropy on rows of probabilities (log clamped at -100).

    .. math::

        \ell_n = -\sum_k y_{nk} \max(\log q_{nk}, -100)

    Targets :math:`y_n` are one-hot rows or soft (probability) rows; ``q`` holds the
    predicted probabilities, classes on the last axis. ``"mean"`` averages over rows.

    {probability_rows}

    {returns_rows}

    >>> round(float(categorical_cross_entropy([[0.0, 1.0]], [[0.2, 0.8]])), 6)
    0.223144
    """
    y_true, q = _prob_rows(y_true, q, reduction)
    k = q.shape[-1]
    y2, q2 = y_true.reshape(-1, k), q.reshape(-1, k)
    loss = np.empty(q2.shape[0], dtype=q.dtype)
    for block in row_blocks(q2.shape[0], k):  # temporaries of a block stay in the cache
        loss[block] = -_row_dot(y2[block], np.maximum(np.log(q2[block]), LOG_CLAMP))
    return reduce(loss.reshape(q.shape[:-1]), reduction)


@doc
@quiet
def categorical_cross_entropy_grad(y_true, q, *, reduction="mean"):
    r"""Gradient of :func:`categorical_cross_entropy` with respect to ``q``.

    .. math::

        \frac{\partial \ell_n}{\partial q_{nk}} = -\frac{y_{nk}}{q_{nk}} \quad
        (0 \text{ where the clamp is active, } q_{nk} < e^{-100})

    {probability_rows}

    {returns_grad}

    >>> categorical_cross_entropy_grad([[0.0, 1.0]], [[0.5, 0.5]]).tolist()
    [[-0.0, -2.0]]
    """
    y_true, q = _prob_rows(y_true, q, reduction)
    active = q > _Q_CLAMP  # below, the clamped log is constant: slope 0 (and no 0 / 0)
    ratio = np.where(active, y_true / np.where(active, q, 1.0), 0.0)
    return ratio * -grad_scale(q.size // q.shape[-1], reduction)


def _softmax_args(y_true, logits, label_smoothing, reduction, *, finite=True):
    _v.check_reduction(reduction)
    eps = _v.check_closed_unit(label_smoothing, "label_smoothing")
    x = _v.as_float_array(logits, "logits", finite=finite)
    _v.check_rows(x, "logits")
    kind, t = _v.check_class_targets(y_true, x)
    return kind, t, x, eps


def _row_sum(a):
    """Sum over the last axis as a matrix-vector product: BLAS is ~2x faster than
    ``np.sum(axis=-1)`` on short rows, with no temporary."""
    return np.matmul(a, np.ones(a.shape[-1], dtype=a.dtype))


def _picked(z, labels):
    """z[n, labels[n]] for each row n of a contiguous 2-D block: the true class's logit."""
    index = np.arange(0, z.size, z.shape[-1])
    index += labels
    return z.reshape(-1)[index]


@doc
@quiet
def softmax_cross_entropy(y_true, logits, *, reduction="mean", label_smoothing=0.0):
    r"""Softmax cross-entropy on logits, as ``torch.nn.functional.cross_entropy``.

    .. math::

        \ell_n = -\sum_k t_{nk} \log \operatorname{softmax}(x_n)_k, \qquad
        t_{nk} = (1 - \varepsilon)\, y_{nk} + \varepsilon / K

    ``y_true`` is either class labels (shape ``logits.shape[:-1]``, read as one-hot rows)
    or probability rows (the shape of ``logits``); :math:`\varepsilon` is
    ``label_smoothing``. Computed as :math:`\sum_k t_{nk}(\log S_n - z_{nk})` with
    :math:`z = x - \max_k x` and :math:`S_n = \sum_k e^{z_{nk}}`: every term is >= 0 (no
    cancellation) and no exponent is positive (no overflow). ``"mean"`` averages over rows.

    {logit_rows}
    label_smoothing : float, default 0.0
        :math:`\varepsilon` in [0, 1]: the share of the target spread evenly over the classes.

    {returns_rows}

    >>> round(float(softmax_cross_entropy([1], [[0.0, 0.0]])), 6)
    0.693147
    """
    kind, t, x, eps = _softmax_args(y_true, logits, label_smoothing, reduction, finite=False)
    k = x.shape[-1]
    x2 = x.reshape(-1, k)
    t2 = t.reshape(-1) if kind == "labels" else t.reshape(-1, k)
    out = np.empty(x2.shape[0], dtype=x.dtype)
    # Blocks of rows that fit in the CPU cache, as ``blockwise`` does for element-wise losses.
    for block in row_blocks(x2.shape[0], k):
        xb = x2[block]
        _v.check_finite(xb, "logits")  # here, while the block is in cache: no extra pass
        out[block] = _softmax_ce_rows(kind, t2[block], xb, eps)
    return reduce(out.reshape(x.shape[:-1]), reduction)


def _softmax_ce_rows(kind, t, x, eps):
    """Per-row softmax cross-entropy of a 2-D block ``x``."""
    z = x - np.max(x, axis=-1, keepdims=True)  # z <= 0: exp never overflows
    target_z = _picked(z, t) if kind == "labels" else _row_dot(t, z)  # sum_k y_nk z_nk
    loss = (eps - 1.0) * target_z  # -(1 - eps) sum_k y_nk z_nk >= 0
    if eps > 0:
        loss = loss - (eps / x.shape[-1]) * _row_sum(z)  # the uniform part of the target
    log_s = np.log(_row_sum(np.exp(z)))  # >= 0 since the largest term is exp(0) = 1
    if kind == "probs":
        log_s = log_s * ((1.0 - eps) * np.sum(t, axis=-1) + eps)  # sum_k t_nk: 1 usually
    return loss + log_s


@doc
@quiet
def softmax_cross_entropy_grad(y_true, logits, *, reduction="mean", label_smoothing=0.0):
    r"""Gradient of :func:`softmax_cross_entropy` with respect to ``logits``.

    .. math::

        \frac{\partial \ell_n}{\partial x_{nk}} = \operatorname{softmax}(x_n)_k \sum_j t_{nj}
        - t_{nk}

    (:math:`\operatorname{softmax}(x_n) - t_n` when the targets sum to 1.)

    {logit_rows}
    label_smoothing : float, default 0.0
        As in :func:`softmax_cross_entropy`; in [0, 1].

    {returns_grad}

    >>> softmax_cross_entropy_grad([1], [[0.0, 0.0]]).tolist()
    [[0.5, -0.5]]
    """
    kind, t, x, eps = _softmax_args(y_true, logits, label_smoothing, reduction)
    k = x.shape[-1]
    x2 = x.reshape(-1, k)
    t2 = t.reshape(-1) if kind == "labels" else t.reshape(-1, k)
    scale = grad_scale(x2.shape[0], reduction)
    grad = np.empty_like(x2)
    for block in row_blocks(x2.shape[0], k):  # as the loss: temporaries stay in the cache
        grad[block] = _softmax_ce_grad_rows(kind, t2[block], x2[block], eps) * scale
    return grad.reshape(x.shape)


def _softmax_ce_grad_rows(kind, t, x, eps):
    """Per-row gradient of a 2-D block ``x``: softmax(x_n) sum_j t_nj - t_nk."""
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))  # exponents <= 0: no overflow
    total = _row_sum(e)[:, None]
    if kind == "probs":
        total = total / ((1.0 - eps) * np.sum(t, axis=-1) + eps)[:, None]
    grad = e / total
    if eps > 0:
        grad -= eps / x.shape[-1]
    if kind == "labels":
        grad[np.arange(grad.shape[0]), t] -= 1.0 - eps
    else:
        grad -= (1.0 - eps) * t
    return grad
