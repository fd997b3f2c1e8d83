"""The Parameters/Returns wording that many losses share, written once.

A loss's docstring holds marks such as ``{regression}`` on lines of their own; the
:data:`doc` decorator replaces each by its text below. A mark for the arrays opens the
Parameters section; the loss's own hyper-parameters follow on the next lines.
"""

_REDUCTION = """reduction : {"mean", "sum", "none"}, default "mean"
        How the per-element losses are combined."""
_REDUCTION_ROWS = """reduction : {"mean", "sum", "none"}, default "mean"
        How the per-row losses are combined: ``"mean"`` averages over rows (samples)."""


def _parameters(arrays, reduction=_REDUCTION):
    return f"Parameters\n    ----------\n    {arrays}\n    {reduction}"


TEXTS = {
    "regression": _parameters(
        """y_true : array_like
        Targets, the shape of ``y_pred``.
    y_pred : array_like
        Predictions, any shape; finite."""
    ),
    "probabilities": _parameters(
        """y_true : array_like
        Targets in [0, 1] (hard labels 0/1 or soft labels), the shape of ``p``.
    p : array_like
        Predicted probabilities of the positive class in [0, 1], any shape."""
    ),
    "logits": _parameters(
        """y_true : array_like
        Targets in [0, 1] (hard labels 0/1 or soft labels), the shape of ``logits``.
    logits : array_like
        Scores before the sigmoid, any shape; finite."""
    ),
    "signs": _parameters(
        """y_true : array_like
        Labels in {-1, +1} (or in {0, 1}, read as -1 and +1), the shape of ``y_pred``.
    y_pred : array_like
        Scores :math:`f_i`, any shape; finite."""
    ),
    "probability_rows": _parameters(
        """y_true : array_like
        Target rows, probability distributions along the last axis; the shape of ``q``.
    q : array_like, shape (..., k)
        Predicted probability rows (each sums to 1), at least one axis.""",
        _REDUCTION_ROWS,
    ),
    "logit_rows": _parameters(
        """y_true : array_like
        Class labels, integers in [0, k) of shape ``logits.shape[:-1]``, or probability
        rows of the shape of ``logits``.
    logits : array_like, shape (..., k)
        Scores before the softmax, classes on the last axis; finite.""",
        _REDUCTION_ROWS,
    ),
    "distribution_pair": """Parameters
    ----------
    p, q : array_like, shape (..., k)
        Probability vectors along the last axis, of the same shape (>= 0, summing to 1
        within rounding).

    Returns
    -------
    ndarray or scalar
        One value in nats per pair of vectors, shape ``p.shape[:-1]``; ``inf`` where
        ``p > 0`` and ``q = 0``.

    Examples
    --------""",
    "returns_loss": """Returns
    -------
    loss : scalar or ndarray
        A scalar of the prediction's float dtype (float32 stays float32) for ``"mean"`` and
        ``"sum"``; for ``"none"``, one loss per element, the prediction's shape.

    Examples
    --------""",
    "returns_rows": """Returns
    -------
    loss : scalar or ndarray
        A scalar of the prediction's float dtype for ``"mean"`` and ``"sum"``; for
        ``"none"``, one loss per row, of shape ``prediction.shape[:-1]``.

    Examples
    --------""",
    "returns_grad": """Returns
    -------
    grad : ndarray
        The gradient of the reduced loss (of the sum for ``"none"``) with respect to the
        prediction, its shape and float dtype.

    Examples
    --------""",
}


def doc(func):
    """Decorator: replace each ``{name}`` mark in ``func``'s docstring by ``TEXTS[name]``."""
    for name, text in TEXTS.items():
        func.__doc__ = func.__doc__.replace("{" + name + "}", text)
    return func
