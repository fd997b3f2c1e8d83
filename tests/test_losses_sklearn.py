"""Agreement with scikit-learn's metrics."""

import numpy as np
import pytest
from sklearn.metrics import (
    log_loss,
    mean_absolute_error,
    mean_pinball_loss,
    mean_squared_error,
)

import lossbook as lb

_G = np.random.default_rng(42)
Y, P = _G.normal(size=200), _G.normal(size=200)
del _G


@pytest.fixture
def rng():
    """A fresh seeded generator per test: its data do not depend on which tests ran before."""
    return np.random.default_rng(43)


def test_mse_mae():
    np.testing.assert_allclose(lb.mse(Y, P), mean_squared_error(Y, P), rtol=1e-12)
    np.testing.assert_allclose(lb.mae(Y, P), mean_absolute_error(Y, P), rtol=1e-12)


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_pinball(q):
    np.testing.assert_allclose(lb.quantile(Y, P, q=q), mean_pinball_loss(Y, P, alpha=q), rtol=1e-12)


def test_log_loss_binary(rng):
    y = (rng.random(200) < 0.4).astype(float)
    p = rng.uniform(0.01, 0.99, 200)
    np.testing.assert_allclose(lb.binary_cross_entropy(y, p), log_loss(y, p), rtol=1e-12)
    x = np.log(p / (1 - p))
    np.testing.assert_allclose(lb.binary_cross_entropy_with_logits(y, x), log_loss(y, p), rtol=1e-9)


def test_log_loss_multiclass(rng):
    labels = rng.integers(0, 4, 100)
    labels[:4] = np.arange(4)  # every class present
    z = rng.normal(size=(100, 4))
    q = lb.softmax(z)
    expect = log_loss(labels, q, labels=[0, 1, 2, 3])
    np.testing.assert_allclose(lb.softmax_cross_entropy(labels, z), expect, rtol=1e-10)
    np.testing.assert_allclose(
        lb.categorical_cross_entropy(lb.one_hot(labels, 4), q), expect, rtol=1e-10
    )
