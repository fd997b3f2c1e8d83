"""The one engine every element-wise loss runs on: evaluate its formula block by block.

A loss body is a plain NumPy formula of whole arrays, ``e = y_pred - y_true; return e * e``.
Applied to ten million elements at once, each operation of the formula reads and writes
main memory and allocates a temporary of the input's size. :func:`blockwise` applies the
same formula to blocks of :data:`BLOCK` elements instead: every operation then works in the
CPU cache, the temporaries are small, and the plain formula becomes as fast as a fused
kernel. The reductions, the factor of a reduced gradient and the floating-point error
policy live here too.
"""

import functools

import numpy as np

BLOCK = 1 << 14  # elements per block: 128 KiB per float64 temporary, a few stay in the L2 cache
ROW_BLOCK = 1 << 15  # elements per block of rows for the row-wise losses (256 KiB of float64)


def reduce(loss, reduction):
    """Apply the reduction to an array of per-element (or per-row) losses."""
    if reduction == "mean":
        return np.mean(loss)
    if reduction == "sum":
        return np.sum(loss)
    return loss


def grad_scale(count, reduction):
    """d(reduced)/d(per-item loss): 1/count for "mean", 1 for "sum" and "none"."""
    return 1.0 / count if reduction == "mean" else 1.0


def blockwise(kernel, arrays, reduction, *, scale=1.0, **hyper):
    """Evaluate the element-wise formula ``kernel(*blocks, **hyper)`` block by block, then reduce.

    ``kernel`` returns the per-element values of the blocks it is given. The last array is
    the prediction: it fixes the shape and dtype. Other arrays have its shape, or are 0-d
    (passed whole), or have shape ``(k,)`` with ``k`` its last axis (per-column values such
    as ``pos_weight``: blocks then hold whole rows so that they line up). ``scale``
    multiplies the result (1/n for the gradient of a mean).
    """
    like = arrays[-1]
    n = like.size
    k = like.shape[-1] if like.ndim else 1
    kinds = [
        "scalar" if a.ndim == 0 and n != 1 else "column" if a.size != n else "full" for a in arrays
    ]
    step = BLOCK
    if "column" in kinds:
        step = k if k > BLOCK else (BLOCK // k) * k  # blocks start at a row boundary
    width = min(step, n)
    flats = [
        a if kind == "scalar" else np.tile(a, width // k) if kind == "column" else np.ravel(a)
        for a, kind in zip(arrays, kinds, strict=True)
    ]
    full = reduction == "none"
    out = np.empty(n, dtype=like.dtype) if full else None
    total = 0.0
    for start in range(0, n, step):
        m = min(step, n - start)
        blocks = [
            f if kind == "scalar" else f[:m] if kind == "column" else f[start : start + m]
            for f, kind in zip(flats, kinds, strict=True)
        ]
        values = kernel(*blocks, **hyper)
        if full:
            np.multiply(values, scale, out=out[start : start + m])  # scale 1 is a plain copy
        else:
            total += float(np.sum(values))  # a float64 accumulator, also for float32 input
    if full:
        return out.reshape(like.shape)
    if reduction == "mean":
        total /= n
    return like.dtype.type(total * scale)


def row_blocks(rows, k):
    """Slices of whole rows, about :data:`ROW_BLOCK` elements each, for row-wise losses."""
    step = max(1, ROW_BLOCK // k)
    return [slice(start, start + step) for start in range(0, rows, step)]


def quiet(func):
    """Decorator: underflow to 0 (exp(-1e4)) and log(0) = -inf are intended in the stable
    formulas; overflow and invalid operations are not silenced, so a bug would still show."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with np.errstate(under="ignore", divide="ignore"):
            return func(*args, **kwargs)

    return wrapper
