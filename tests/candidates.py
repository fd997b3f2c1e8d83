"""Telling candidate answers apart, for the chapters' checker tests."""

import numpy as np

from lossbook import checks


def distinct(a, b) -> bool:
    """Not the same answer, not even as a rounded copy (the checker's widest tolerance)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape != b.shape or not np.allclose(
        a, b, rtol=checks.ROUNDED_RTOL, atol=checks.ROUNDED_ATOL
    )
