"""Classification losses and their gradients.

Binary losses (:func:`binary_cross_entropy`, :func:`binary_cross_entropy_with_logits`,
:func:`hinge`, :func:`focal_loss`) are element-wise: ``"mean"`` averages over elements.
Row-wise losses (:func:`categorical_cross_entropy`, :func:`softmax_cross_entropy`) take the
classes on the last axis: ``"mean"`` averages over rows (samples), as PyTorch does.
Each ``f_grad`` returns the gradient of the reduced loss (of the sum for ``"none"``) with
respect to the prediction (``p``, ``logits``, ``q`` or ``y_pred``), same shape and dtype.
"""

import functools

import numpy as np

from lossbook import _validation as _v
from lossbook.activations import _exp_neg_abs, _log_sigmoid, _sigmoid

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


def _bce(y, p, out):
    np.subtract(y, 1.0, out=out)  # (y - 1)
    t = _log1p_neg(p)  # log(1 - p) without rounding 1 - p first
    np.maximum(t, LOG_CLAMP, out=t)
    out *= t  # (y - 1) max(log(1 - p), -100)
    np.log(p, out=t)
    np.maximum(t, LOG_CLAMP, out=t)
    t *= y
    out -= t  # same order of operations as PyTorch
    return out


def _bce_slope(y, p, out):
    den = np.subtract(1.0, p)
    den *= p
    np.maximum(den, _BCE_EPS, out=den)
    np.subtract(p, y, out=out)
    out /= den
    return out


def _log1p_neg(p):
    """log(1 - p), accurate for tiny p, at the price of ``log`` rather than ``log1p``.

    Goldberg's trick: with u = 1 - p rounded, log(1 - p) = log(u) * (-p) / (u - 1), exact to
    a few ulps (u - 1 is computed exactly); where u == 1 (p < 1.1e-16) it is -p. NumPy's
    float64 ``log1p`` has no SIMD loop on AVX2 machines and costs 2.5x ``log``.
    """
    u = np.subtract(1.0, p, out=np.empty_like(p))
    d = np.subtract(u, 1.0, out=np.empty_like(p))  # exactly -(p rounded into u)
    np.log(u, out=u)
    np.divide(u, d, out=u, where=d != 0)  # log(u) / (u - 1); where d == 0, u = log(1) = 0
    np.copyto(u, 1.0, where=d == 0)  # the ratio log(u) / (u - 1) tends to 1
    u *= p
    np.negative(u, out=u)
    return u


@_v.quiet
def binary_cross_entropy(y_true, p, *, reduction="mean"):
    r"""Binary cross-entropy on probabilities (log terms clamped at -100, as PyTorch does).

    .. math::

        \ell_i = -\left[y_i \max(\log p_i, -100) + (1 - y_i) \max(\log(1 - p_i), -100)\right]

    The surprise, in nats, of seeing label :math:`y_i` when the model said "1 with
    probability :math:`p_i`". The clamp keeps :math:`p = 0` or :math:`1` finite (loss 100).

    >>> round(float(binary_cross_entropy([1.0, 0.0], [0.9, 0.2])), 6)
    0.164252
    """
    _v.check_reduction(reduction)
    y_true, p = _v.check_probability_pair(y_true, p)
    return _v.blockwise(_bce, (y_true, p), reduction)


@_v.quiet
def binary_cross_entropy_grad(y_true, p, *, reduction="mean"):
    r"""Gradient of :func:`binary_cross_entropy` with respect to ``p``, as PyTorch computes it.

    .. math::

        \frac{\partial \ell_i}{\partial p_i} =
        \frac{p_i - y_i}{\max\left(p_i (1 - p_i), \epsilon\right)}, \qquad \epsilon = 10^{-12}

    The :math:`\epsilon` (PyTorch's, a float32 ``1e-12``) keeps :math:`p = 0` or :math:`1`
    finite; it is not the derivative of the clamped loss there (which would be 0).

    >>> binary_cross_entropy_grad([1.0], [0.5]).tolist()
    [-2.0]
    """
    _v.check_reduction(reduction)
    y_true, p = _v.check_probability_pair(y_true, p)
    scale = _v.grad_scale(p.size, reduction)
    return _v.blockwise(_bce_slope, (y_true, p), "none", scale=scale)


# --------------------------------------------------------------------------- binary, logits


def _bce_logits(y, x, out):
    ls = _log_sigmoid(x)  # min(x, 0) - log1p(exp(-|x|)): never exp of a large number
    np.subtract(1.0, y, out=out)
    out *= x
    out -= ls  # (1 - y) x - log sigmoid(x)
    return out


def _bce_logits_weighted(y, w, x, out):
    ls = _log_sigmoid(x)
    weight = np.multiply(y, w - 1.0)
    weight += 1.0  # 1 + (w - 1) y
    ls *= weight
    np.subtract(1.0, y, out=out)
    out *= x
    out -= ls
    return out


def _bce_logits_slope(y, x, out):
    _sigmoid(x, out=out)
    out -= y
    return out


def _bce_logits_weighted_slope(y, w, x, out):
    _sigmoid(x, out=out)
    wy = np.multiply(y, w)
    t = np.subtract(wy, y)
    t += 1.0  # w y + 1 - y
    out *= t
    out -= wy
    return out


def _logits_args(y_true, logits, pos_weight, reduction):
    y_true, logits = _binary(y_true, logits, "logits", reduction)
    return y_true, logits, _v.check_pos_weight(pos_weight, logits)


@_v.quiet
def binary_cross_entropy_with_logits(y_true, logits, *, reduction="mean", pos_weight=None):
    r"""Binary cross-entropy on logits (scores before the sigmoid), PyTorch semantics.

    .. math::

        \ell_i = -\left[w\, y_i \log\sigma(x_i) + (1 - y_i) \log\sigma(-x_i)\right]
               = (1 - y_i)\, x_i - \left(1 + (w - 1) y_i\right) \log\sigma(x_i)

    :func:`binary_cross_entropy` of :math:`p = \sigma(x)`, computed from :math:`x` without
    forming :math:`p`: no clamp needed and exact for :math:`|x|` up to 1e4 and beyond.
    ``pos_weight`` :math:`w` (scalar, or one per class along the last axis) scales the
    positive term, to rebalance rare positives.

    >>> round(float(binary_cross_entropy_with_logits([1.0], [0.0])), 6)
    0.693147
    """
    y_true, x, w = _logits_args(y_true, logits, pos_weight, reduction)
    if w is None:
        return _v.blockwise(_bce_logits, (y_true, x), reduction)
    return _v.blockwise(_bce_logits_weighted, (y_true, w, x), reduction)


@_v.quiet
def binary_cross_entropy_with_logits_grad(y_true, logits, *, reduction="mean", pos_weight=None):
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to ``logits``.

    .. math::

        \frac{\partial \ell_i}{\partial x_i} = \left(w y_i + 1 - y_i\right) \sigma(x_i) - w y_i

    Without ``pos_weight`` (:math:`w = 1`): the famous :math:`\sigma(x_i) - y_i`.

    >>> binary_cross_entropy_with_logits_grad([1.0], [0.0]).tolist()
    [-0.5]
    """
    y_true, x, w = _logits_args(y_true, logits, pos_weight, reduction)
    scale = _v.grad_scale(x.size, reduction)
    if w is None:
        return _v.blockwise(_bce_logits_slope, (y_true, x), "none", scale=scale)
    return _v.blockwise(_bce_logits_weighted_slope, (y_true, w, x), "none", scale=scale)


# --------------------------------------------------------------------------- hinge


def _hinge(y, f, out):
    np.multiply(y, f, out=out)
    np.subtract(1.0, out, out=out)
    return np.maximum(out, 0.0, out=out)


def _hinge_slope(y, f, out):
    active = np.multiply(y, f, out=out) < 1.0
    np.negative(y, out=out)
    out *= active
    return out


def _hinge_args(y_true, y_pred, reduction):
    _v.check_reduction(reduction)
    y_true, y_pred = _v.check_pair(y_true, y_pred)
    return _v.check_binary_labels(y_true, "y_true"), y_pred


@_v.quiet
def hinge(y_true, y_pred, *, reduction="mean"):
    r"""Hinge loss (the SVM loss) on labels in {-1, +1} ({0, 1} is accepted and mapped).

    .. math::

        \ell_i = \max(0, 1 - y_i f_i)

    Zero once the score has the right sign with a margin of 1; linear otherwise.

    >>> float(hinge([1, -1], [0.5, -2.0]))
    0.25
    """
    y, f = _hinge_args(y_true, y_pred, reduction)
    return _v.blockwise(_hinge, (y, f), reduction)


@_v.quiet
def hinge_grad(y_true, y_pred, *, reduction="mean"):
    r"""Gradient of :func:`hinge` with respect to ``y_pred``.

    .. math::

        \frac{\partial \ell_i}{\partial f_i} = \begin{cases} -y_i & y_i f_i < 1 \\
        0 & y_i f_i \ge 1 \end{cases}

    At the kink :math:`y_i f_i = 1` we take 0 (as ``relu`` does in PyTorch).

    >>> hinge_grad([1, -1], [0.5, -2.0], reduction="sum").tolist()
    [-1.0, 0.0]
    """
    y, f = _hinge_args(y_true, y_pred, reduction)
    scale = _v.grad_scale(f.size, reduction)
    return _v.blockwise(_hinge_slope, (y, f), "none", scale=scale)


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


def _focal_parts(y, x, out):
    """ce = BCE-with-logits (into out), a = (1 - y) sigmoid(x), b = y sigmoid(-x), so that
    1 - p_t = a + b and p - y = a - b.

    Both sigmoids come from e = exp(-|x|): sigmoid(|x|) = 1 / (1 + e) and
    sigmoid(-|x|) = e / (1 + e), each accurate (no 1 - p rounding), so 1 - p_t stays
    accurate even when it is tiny (torchvision's 1 - p_t loses it).
    """
    e = _exp_neg_abs(x)
    ce = np.log1p(e, out=out)  # softplus(-|x|)
    t = np.maximum(x, 0.0)
    ce += t
    np.multiply(y, x, out=t)
    ce -= t  # ce = max(x, 0) - y x + log1p(exp(-|x|))
    r = np.add(e, 1.0, out=t)
    np.divide(1.0, r, out=r)  # sigmoid(|x|)
    e *= r  # sigmoid(-|x|)
    neg = x < 0
    a = np.where(neg, e, r)  # sigmoid(x)
    b = e
    np.copyto(b, r, where=neg)  # sigmoid(-x)
    a *= np.subtract(1.0, y, out=r)  # r is free again
    b *= y
    return ce, a, b


def _alpha_t(y, alpha):
    """alpha y + (1 - alpha)(1 - y), written as (1 - alpha) + (2 alpha - 1) y: one buffer."""
    out = np.multiply(y, 2.0 * alpha - 1.0)
    out += 1.0 - alpha
    return out


def _power(u, gamma):
    """u ** gamma in place, with the common cases spelled out (np.power is slow)."""
    if gamma == 2.0:
        return np.square(u, out=u)
    if gamma == 0.0:
        u.fill(1.0)
        return u
    if gamma != 1.0:
        np.power(u, gamma, out=u)
    return u


def _focal(y, x, out, gamma, alpha):
    ce, a, b = _focal_parts(y, x, out)
    a += b  # 1 - p_t
    ce *= _power(a, gamma)
    if alpha is not None:
        ce *= _alpha_t(y, alpha)
    return ce


def _focal_slope(y, x, out, gamma, alpha):
    ce, a, b = _focal_parts(y, x, np.empty_like(out))
    u = np.add(a, b, out=out)  # 1 - p_t, in out
    a -= b  # p - y = (1 - y) p - y (1 - p), accurate for hard labels
    if gamma != 0.0:
        # p (1 - p) = e / (1 + e)^2 with e = exp(-|x|): symmetric, no cancellation
        pq = _exp_neg_abs(x, b)
        d = np.add(pq, 1.0)
        np.square(d, out=d)
        np.divide(pq, d, out=pq)
        np.divide(pq, u, out=pq, where=u > 0)  # p (1 - p) / u, bounded; 0 where u = 0
        np.copyto(pq, 0.0, where=u == 0)
        pq *= ce
        pq *= gamma
        np.multiply(y, -2.0, out=d)
        d += 1.0  # 1 - 2y
        pq *= d
        a += pq
        a *= _power(u, gamma)
    if alpha is not None:
        a *= _alpha_t(y, alpha)
    np.copyto(out, a)
    return out


@_v.quiet
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

    >>> round(float(focal_loss([1.0], [0.0])), 6)
    0.043322
    """
    y, x, gamma, alpha = _focal_args(y_true, logits, gamma, alpha, reduction)
    kernel = functools.partial(_focal, gamma=gamma, alpha=alpha)
    return _v.blockwise(kernel, (y, x), reduction)


@_v.quiet
def focal_loss_grad(y_true, logits, *, reduction="mean", gamma=2.0, alpha=0.25):
    r"""Gradient of :func:`focal_loss` with respect to ``logits``.

    .. math::

        \frac{\partial \ell_i}{\partial x_i} = \alpha_t\, u_i^\gamma \left[(p_i - y_i)
        + \gamma\, \mathrm{BCE}_i\, (1 - 2 y_i)\, \frac{p_i (1 - p_i)}{u_i}\right],
        \qquad u_i = 1 - p_t

    >>> round(float(focal_loss_grad([1.0], [0.0])[0]), 6)
    -0.074572
    """
    y, x, gamma, alpha = _focal_args(y_true, logits, gamma, alpha, reduction)
    kernel = functools.partial(_focal_slope, gamma=gamma, alpha=alpha)
    scale = _v.grad_scale(x.size, reduction)
    return _v.blockwise(kernel, (y, x), "none", scale=scale)


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


@_v.quiet
def categorical_cross_entropy(y_true, q, *, reduction="mean"):
    r"""Categorical cross-entropy on rows of probabilities (log clamped at -100).

    .. math::

        \ell_n = -\sum_k y_{nk} \max(\log q_{nk}, -100)

    Targets :math:`y_n` are one-hot rows or soft (probability) rows; ``q`` holds the
    predicted probabilities, classes on the last axis. ``"mean"`` averages over rows.

    >>> round(float(categorical_cross_entropy([[0.0, 1.0]], [[0.2, 0.8]])), 6)
    0.223144
    """
    y_true, q = _prob_rows(y_true, q, reduction)
    t = np.log(q, out=np.empty_like(q))
    np.maximum(t, LOG_CLAMP, out=t)
    out = _row_dot(y_true, t)
    np.negative(out, out=out)
    return _v.reduce(out, reduction)


@_v.quiet
def categorical_cross_entropy_grad(y_true, q, *, reduction="mean"):
    r"""Gradient of :func:`categorical_cross_entropy` with respect to ``q``.

    .. math::

        \frac{\partial \ell_n}{\partial q_{nk}} = -\frac{y_{nk}}{q_{nk}} \quad
        (0 \text{ where the clamp is active, } q_{nk} < e^{-100})

    >>> categorical_cross_entropy_grad([[0.0, 1.0]], [[0.5, 0.5]]).tolist()
    [[-0.0, -2.0]]
    """
    y_true, q = _prob_rows(y_true, q, reduction)
    out = np.zeros_like(q)
    np.divide(y_true, q, out=out, where=q > _Q_CLAMP)
    out *= -_v.grad_scale(out.size // q.shape[-1], reduction)
    return out


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


@_v.quiet
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

    >>> round(float(softmax_cross_entropy([1], [[0.0, 0.0]])), 6)
    0.693147
    """
    kind, t, x, eps = _softmax_args(y_true, logits, label_smoothing, reduction, finite=False)
    k = x.shape[-1]
    x2 = x.reshape(-1, k)
    t2 = t.reshape(-1) if kind == "labels" else t.reshape(-1, k)
    out = np.empty(x2.shape[0], dtype=x.dtype)
    # Blocks of rows that fit in the CPU cache: the same vectorised formula, but the shifted
    # logits never travel to main memory and no buffer of the input's size is allocated.
    rows = max(1, _BLOCK // k)
    buf = np.empty((min(rows, x2.shape[0]), k), dtype=x.dtype)
    for start in range(0, x2.shape[0], rows):
        block = slice(start, start + rows)
        xb = x2[block]
        _v.check_finite(xb, "logits")  # here, while the block is in cache: no extra pass
        out[block] = _softmax_ce_rows(kind, t2[block], xb, eps, buf[: xb.shape[0]])
    return _v.reduce(out.reshape(x.shape[:-1]), reduction)


_BLOCK = 1 << 15  # elements per block of rows: 256 KiB of float64


def _softmax_ce_rows(kind, t, x, eps, z):
    """Per-row softmax cross-entropy of a 2-D block ``x``, using ``z`` as scratch space."""
    k = x.shape[-1]
    np.subtract(x, np.max(x, axis=-1, keepdims=True), out=z)  # z <= 0
    if kind == "labels":
        out = _picked(z, t)
        out *= eps - 1.0  # -(1 - eps) z_y >= 0
    else:
        out = _row_dot(t, z)
        out *= eps - 1.0
    if eps > 0:
        out -= (eps / k) * _row_sum(z)
    np.exp(z, out=z)
    log_s = np.log(_row_sum(z))  # >= 0 since the largest term is exp(0) = 1
    if kind == "probs":
        log_s *= (1.0 - eps) * np.sum(t, axis=-1) + eps  # sum_k t_nk: 1 for distributions
    out += log_s
    return out


@_v.quiet
def softmax_cross_entropy_grad(y_true, logits, *, reduction="mean", label_smoothing=0.0):
    r"""Gradient of :func:`softmax_cross_entropy` with respect to ``logits``.

    .. math::

        \frac{\partial \ell_n}{\partial x_{nk}} = \operatorname{softmax}(x_n)_k \sum_j t_{nj}
        - t_{nk}

    (:math:`\operatorname{softmax}(x_n) - t_n` when the targets sum to 1.)

    >>> softmax_cross_entropy_grad([1], [[0.0, 0.0]]).tolist()
    [[0.5, -0.5]]
    """
    kind, t, x, eps = _softmax_args(y_true, logits, label_smoothing, reduction)
    k = x.shape[-1]
    out = np.subtract(x, np.max(x, axis=-1, keepdims=True))
    np.exp(out, out=out)
    s = _row_sum(out)[..., None]
    if kind == "probs":
        s /= ((1.0 - eps) * np.sum(t, axis=-1) + eps)[..., None]
    out /= s
    if eps > 0:
        out -= eps / k
    if kind == "labels":
        flat = out.reshape(-1, k)  # a view: out is freshly allocated, C-contiguous
        flat[np.arange(flat.shape[0]), t.reshape(-1)] -= 1.0 - eps
    else:
        t = np.multiply(t, 1.0 - eps)
        out -= t
    out *= _v.grad_scale(out.size // k, reduction)
    return out
