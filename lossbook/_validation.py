"""Input validation shared by every loss (one place, like scikit-learn's ``check_array``).

Every public function of :mod:`lossbook` calls these helpers first, so that bad
input gets a clear error naming the argument, never a wrong number:

* non-numeric input (strings, objects, ``None``, complex numbers) -> ``TypeError``;
* shapes that differ (lossbook never broadcasts), empty input, nan or inf,
  probabilities outside [0, 1], class labels that are not integers in [0, k),
  an unknown reduction, hyper-parameters out of range -> ``ValueError``.

Conversion rule: float32 stays float32, float64 stays float64, integers, booleans
and other floats (float16, longdouble) become float64. When two arrays are checked
together they are converted to one common floating dtype; an integer array (for
example class labels) does not promote a float32 partner to float64.
"""

import numbers

import numpy as np

REDUCTIONS = ("mean", "sum", "none")

_KEEP = (np.dtype(np.float32), np.dtype(np.float64))


def _raw(x, name):
    """``np.asarray`` that refuses what is not a real number (TypeError)."""
    if x is None:
        raise TypeError(f"{name} must be a numeric array, got None")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a numeric array: {exc}") from None
    if arr.dtype.kind not in "biuf":
        what = "complex numbers" if arr.dtype.kind == "c" else f"dtype {arr.dtype}"
        raise TypeError(f"{name} must be a real numeric array, got {what}")
    return arr


def _float_dtype(*arrays):
    """Common float dtype: float32/float64 kept, everything else -> float64."""
    floats = [a.dtype for a in arrays if a.dtype.kind == "f"]
    if not floats:
        return np.dtype(np.float64)
    dt = np.result_type(*floats)
    return dt if dt in _KEEP else np.dtype(np.float64)


def check_finite(arr, name):
    """ValueError if ``arr`` holds nan or inf (one pass, no big temporary)."""
    with np.errstate(all="ignore"):
        total = np.sum(arr)  # nan/inf propagate; finite overflow is double-checked below
    if not np.isfinite(total) and not np.isfinite(arr).all():
        bad = "nan" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} contains {bad}; lossbook needs finite numbers")


def check_not_empty(arr, name):
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one element")


def as_float_array(x, name, *, dtype=None, finite=True):
    """Convert ``x`` to a float array (see module doc), refuse empty / non-finite input."""
    arr = _raw(x, name)
    dt = _float_dtype(arr) if dtype is None else dtype
    arr = np.asarray(arr, dtype=dt)
    check_not_empty(arr, name)
    if finite:
        check_finite(arr, name)
    return arr


def check_same_shape(a, name_a, b, name_b):
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b} has shape {b.shape} but {name_a} has shape {a.shape}; "
            "pass arrays of the same shape (lossbook does not broadcast)"
        )


def check_pair(y_true, y_pred, name_true="y_true", name_pred="y_pred"):
    """Target and prediction: numeric, same shape, non-empty, finite, one float dtype."""
    t = _raw(y_true, name_true)
    p = _raw(y_pred, name_pred)
    check_same_shape(t, name_true, p, name_pred)
    dt = _float_dtype(p) if t.dtype.kind in "biu" else _float_dtype(t, p)
    return as_float_array(t, name_true, dtype=dt), as_float_array(p, name_pred, dtype=dt)


def check_reduction(reduction):
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        valid = ", ".join(repr(r) for r in REDUCTIONS)
        raise ValueError(f"reduction must be one of {valid}; got {reduction!r}")
    return reduction


def check_probabilities(arr, name):
    """ValueError unless every entry is in [0, 1] (nan is caught here too: min/max propagate it,
    so arrays checked here can skip ``check_finite``, one pass fewer)."""
    lo, hi = np.min(arr), np.max(arr)
    if np.isnan(lo) or np.isnan(hi):
        raise ValueError(f"{name} contains nan; lossbook needs finite numbers")
    if lo < 0 or hi > 1:
        bad = lo if lo < 0 else hi
        raise ValueError(f"{name} must hold probabilities in [0, 1]; found {bad!r}")


def check_probability_pair(y_true, p, name_true="y_true", name_pred="p"):
    """Targets and predictions that are both probabilities in [0, 1]."""
    t = _raw(y_true, name_true)
    q = _raw(p, name_pred)
    check_same_shape(t, name_true, q, name_pred)
    dt = _float_dtype(q) if t.dtype.kind in "biu" else _float_dtype(t, q)
    t = as_float_array(t, name_true, dtype=dt, finite=False)
    q = as_float_array(q, name_pred, dtype=dt, finite=False)
    check_probabilities(t, name_true)
    check_probabilities(q, name_pred)
    return t, q


def check_distribution(arr, name, *, atol=None):
    """ValueError unless each vector along the last axis is a probability distribution.

    The sums may be off by ``atol`` (default 1e-6 in float64, 1e-4 in float32: rounding).
    """
    if atol is None:
        atol = 1e-6 if arr.dtype == np.float64 else 1e-4
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one axis (the distribution), got a scalar")
    if np.min(arr) < 0:
        raise ValueError(f"{name} has negative entries; probabilities must be >= 0")
    sums = np.sum(arr, axis=-1)
    worst = np.max(np.abs(sums - 1))
    if worst > atol:
        raise ValueError(
            f"{name} must sum to 1 along the last axis (within {atol:g}); "
            f"a sum is off by {float(worst):.3g}"
        )


def check_rows(arr, name):
    """Row-wise losses need at least one axis: (k,) is one sample, (n, k) is n samples."""
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one axis (the classes), got a scalar")


def check_labels(labels, name, num_classes):
    """Integer class labels in [0, num_classes); returned as an int64 array."""
    arr = _raw(labels, name)
    check_not_empty(arr, name)
    if arr.dtype.kind == "f":
        check_finite(arr, name)
        if not np.array_equal(arr, np.round(arr)):
            raise ValueError(f"{name} must hold integer class labels; found non-integer values")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    lo, hi = np.min(arr), np.max(arr)
    if lo < 0 or hi >= num_classes:
        bad = lo if lo < 0 else hi
        raise ValueError(
            f"{name} must hold class labels in [0, {num_classes}); found {bad!r} "
            f"({num_classes} classes)"
        )
    return arr.astype(np.int64, copy=False)


def check_binary_labels(y, name):
    """Labels in {-1, +1}, or in {0, 1} (mapped to {-1, +1}); returns the signed labels."""
    if np.min(y) >= 0:  # must be {0, 1}
        ok = np.count_nonzero(y == 0) + np.count_nonzero(y == 1) == y.size
        signed = False
    else:  # must be {-1, +1}
        ok = np.count_nonzero(y == -1) + np.count_nonzero(y == 1) == y.size
        signed = True
    if not ok:
        bad = y[(y != 1) & (y != (-1 if signed else 0))].flat[0]
        raise ValueError(
            f"{name} must hold labels in {{-1, +1}} (or in {{0, 1}}, mapped to -1 and +1); "
            f"found {bad!r}"
        )
    return y if signed else 2.0 * y - 1.0


def check_pos_weight(pos_weight, logits):
    """pos_weight: None, a scalar, or shape (k,) with k the last axis of logits; >= 0."""
    if pos_weight is None:
        return None
    w = as_float_array(pos_weight, "pos_weight", dtype=logits.dtype)
    k = logits.shape[-1] if logits.ndim else None
    if w.ndim != 0 and not (w.ndim == 1 and w.shape[0] == k):
        want = "a scalar" if k is None else f"a scalar or shape ({k},) (the last axis of logits)"
        raise ValueError(f"pos_weight has shape {w.shape}; it must be {want}")
    if np.min(w) < 0:
        raise ValueError(f"pos_weight must be >= 0; found {np.min(w)!r}")
    return w


def check_class_targets(y_true, logits, name="y_true"):
    """Targets for row-wise losses: class labels of shape logits.shape[:-1] (returns
    ("labels", int64 array)) or probability rows of logits' shape ("probs", float array)."""
    t = _raw(y_true, name)
    if t.shape == logits.shape:
        t = as_float_array(t, name, dtype=logits.dtype)
        check_distribution(t, name)
        return "probs", t
    if t.shape == logits.shape[:-1]:
        return "labels", check_labels(t, name, logits.shape[-1])
    raise ValueError(
        f"{name} has shape {t.shape} but logits has shape {logits.shape}; pass class labels "
        f"of shape {logits.shape[:-1]} or probability rows of shape {logits.shape} "
        "(lossbook does not broadcast)"
    )


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive(value, name):
    """Hyper-parameter > 0."""
    value = _number(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def check_non_negative(value, name):
    """Hyper-parameter >= 0."""
    value = _number(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_open_unit(value, name):
    """Hyper-parameter in the open interval (0, 1)."""
    value = _number(value, name)
    if not 0 < value < 1:
        raise ValueError(f"{name} must be in the open interval (0, 1), got {value}")
    return value


def check_closed_unit(value, name):
    """Hyper-parameter in the closed interval [0, 1]."""
    value = _number(value, name)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be in [0, 1], got {value}")
    return value
