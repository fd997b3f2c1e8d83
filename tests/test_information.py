"""Information measures: KL >= 0, H(p, q) = H(p) + KL(p || q), asymmetry, 0 log 0 = 0."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

vec = arrays(np.float64, 4, elements=st.floats(0.0, 1.0)).filter(lambda a: a.sum() > 1e-3)


def normalise(a):
    return a / a.sum()


@settings(max_examples=60, deadline=None)
@given(vec, vec)
def test_kl_non_negative_and_decomposition(a, b):
    p, q = normalise(a), normalise(b)
    with np.errstate(all="raise"):
        kl = lb.kl_divergence(p, q)
        h_pq = lb.cross_entropy(p, q)
        h_p = lb.entropy(p)
    assert kl >= -1e-12
    assert h_p >= 0
    if np.isfinite(kl):
        np.testing.assert_allclose(h_pq, h_p + kl, rtol=1e-9, atol=1e-12)
    else:
        assert h_pq == np.inf  # p > 0 where q = 0


@settings(max_examples=30, deadline=None)
@given(vec)
def test_kl_zero_on_itself(a):
    p = normalise(a)
    assert abs(lb.kl_divergence(p, p)) < 1e-12
    np.testing.assert_allclose(lb.cross_entropy(p, p), lb.entropy(p), rtol=1e-12, atol=1e-15)


def test_asymmetric():
    p, q = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    assert abs(lb.cross_entropy(p, q) - lb.cross_entropy(q, p)) > 0.1
    assert abs(lb.kl_divergence(p, q) - lb.kl_divergence(q, p)) > 0.01


def test_known_values_and_conventions():
    assert lb.entropy([1.0, 0.0]) == 0.0  # 0 log 0 = 0, and not -0.0
    np.testing.assert_allclose(lb.entropy([0.25] * 4), math.log(4))
    with np.errstate(all="raise"):
        assert lb.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
        assert lb.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
        assert lb.kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    np.testing.assert_allclose(lb.kl_divergence([1.0, 0.0], [0.5, 0.5]), math.log(2))


def test_batches_over_last_axis():
    p = np.array([[0.5, 0.5], [1.0, 0.0]])
    np.testing.assert_allclose(lb.entropy(p), [math.log(2), 0.0])
    assert lb.kl_divergence(p, p).shape == (2,)
    assert lb.entropy(p.astype(np.float32)).dtype == np.float32
