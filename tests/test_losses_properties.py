"""Properties of every loss: non-negative, zero at a perfect prediction, gradients match
central finite differences, extreme inputs give no warning and no nan, float32 preserved."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb
from tests._losses_common import ALL, ELEMENTWISE, make_inputs

SET = settings(max_examples=25, deadline=None)
finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
vectors = arrays(np.float64, st.integers(1, 6), elements=finite)


@SET
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_non_negative(name, data):
    loss, _, kind = ELEMENTWISE[name]
    x = data.draw(vectors)
    if kind == "reg":
        y = data.draw(arrays(np.float64, x.shape, elements=finite))
    elif kind == "prob":
        y = data.draw(arrays(np.float64, x.shape, elements=st.floats(0, 1)))
        x = 1 / (1 + np.exp(-np.clip(x, -30, 30)))
    elif kind == "sign":
        y = data.draw(arrays(np.float64, x.shape, elements=st.sampled_from([-1.0, 1.0])))
    else:
        y = data.draw(arrays(np.float64, x.shape, elements=st.floats(0, 1)))
    with np.errstate(all="raise"):
        values = loss(y, x, reduction="none")
    assert values.shape == x.shape
    assert np.all(values >= -1e-12)


@SET
@given(a=vectors)
@pytest.mark.parametrize("name", ["mse", "mae", "huber", "log_cosh", "quantile"])
def test_regression_zero_at_perfect_prediction(name, a):
    loss, grad, _ = ELEMENTWISE[name]
    assert loss(a, a.copy()) == 0
    assert np.all(grad(a, a.copy()) == 0)  # quantile too: its default q = 0.5 gives 1/2 - q = 0


def test_classification_zero_at_perfect_prediction():
    y = np.array([0.0, 1.0, 1.0, 0.0])
    assert lb.binary_cross_entropy(y, y) == 0
    assert lb.binary_cross_entropy_with_logits(y, np.where(y > 0, 1e4, -1e4)) == 0
    assert lb.hinge(2 * y - 1, 3 * (2 * y - 1)) == 0
    assert lb.focal_loss(y, np.where(y > 0, 1e4, -1e4)) == 0
    rwwce, rwwce_grad, _ = ELEMENTWISE["real_world_weight_cross_entropy"]
    assert rwwce(y, y) == 0
    assert np.all(rwwce_grad(y, y) == 0)
    rwwce_logits, _, _ = ELEMENTWISE["real_world_weight_cross_entropy_with_logits"]
    assert rwwce_logits(y, np.where(y > 0, 1e4, -1e4)) == 0
    eye = np.eye(3)
    assert lb.categorical_cross_entropy(eye, eye) == 0
    assert lb.softmax_cross_entropy([0, 1, 2], 1e4 * eye) == 0


def central_difference(loss, y, x, h, **kw):
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):  # fine in a test: a handful of elements
        old = flat[i]
        flat[i] = old + h
        up = loss(y, x, **kw)
        flat[i] = old - h
        down = loss(y, x, **kw)
        flat[i] = old
        gflat[i] = (up - down) / (2 * h)
    return g


HYPER = {
    "huber": [{"delta": 0.7}],
    "quantile": [{"q": 0.2}],
    "binary_cross_entropy_with_logits": [{}, {"pos_weight": np.array([0.5, 1.0, 2.0, 3.0, 0.0])}],
    "focal_loss": [{}, {"gamma": 0.5, "alpha": None}, {"gamma": 3.0, "alpha": 0.9}],
    "softmax_cross_entropy": [{}, {"label_smoothing": 0.2}],
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("seed", [0, 1])
def test_grad_matches_finite_differences(name, reduction, seed):
    loss, grad, kind = ALL[name]
    rng = np.random.default_rng(seed)
    y, x = make_inputs(kind, rng)
    if name in ("mae", "huber", "quantile", "hinge"):  # keep away from the kinks
        x = np.where(np.abs(x - y) < 0.05, x + 0.2, x)
        if name == "hinge":
            x = np.where(np.abs(1 - y * x) < 0.05, x + 0.2 * y, x)
        if name == "huber":
            x = np.where(np.abs(np.abs(x - y) - 0.7) < 0.05, x + 0.2, x)
    if kind == "prob":
        x = np.clip(x, 0.1, 0.9)
    # rows of probabilities: a step of 1e-7 keeps each row's sum within the 1e-6 that the
    # validation allows, so the loss itself can be differentiated off the simplex
    h = 1e-7 if kind == "rows" else 1e-6
    for kw in HYPER.get(name, [{}]):
        total = lambda a, b, kw=kw: np.sum(loss(a, b, reduction=reduction, **kw))  # noqa: E731
        g = grad(y, x, reduction=reduction, **kw)
        num = central_difference(total, y, x.copy(), h)
        assert g.shape == x.shape and g.dtype == x.dtype
        np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-7, err_msg=f"{name} {kw}")


@pytest.mark.parametrize("name", sorted(ALL))
def test_reductions_agree(name):
    """ "sum" and "mean" reduce the "none" values; a gradient of "none" is that of the sum."""
    loss, grad, kind = ALL[name]
    y, x = make_inputs(kind, np.random.default_rng(4))
    per_item = loss(y, x, reduction="none")
    assert per_item.shape == (x.shape if name in ELEMENTWISE else x.shape[:-1])
    np.testing.assert_allclose(loss(y, x, reduction="sum"), per_item.sum(), rtol=1e-12)
    np.testing.assert_allclose(loss(y, x), per_item.mean(), rtol=1e-12)
    np.testing.assert_array_equal(grad(y, x, reduction="none"), grad(y, x, reduction="sum"))
    np.testing.assert_allclose(grad(y, x), grad(y, x, reduction="sum") / per_item.size, rtol=1e-12)


EXTREME = np.array([-1e6, -1e4, -800.0, -40.0, -1e-300, 0.0, 1e-300, 40.0, 800.0, 1e4, 1e6])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_extreme_inputs_no_warning_no_nan(name):
    loss, grad, kind = ELEMENTWISE[name]
    x = EXTREME.copy()
    if kind == "reg":
        y = EXTREME[::-1].copy()
    elif kind == "prob":
        x = np.array([0.0, 1.0, 1e-300, 1 - 1e-16, 0.5, 1e-20, 1.0, 0.0, 1e-12, 0.3, 1.0])
        y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.5, 0.2, 1.0])
    elif kind == "sign":
        y = np.where(np.arange(x.size) % 2, 1.0, -1.0)
    else:
        y = (np.arange(x.size) % 2).astype(float)
    with np.errstate(all="raise"):
        for red in ("mean", "sum", "none"):
            v = loss(y, x, reduction=red)
            g = grad(y, x, reduction=red)
            assert not np.any(np.isnan(v)) and not np.any(np.isnan(g))
            if kind != "reg":  # squared 1e6 errors are large but finite; all finite here
                assert np.all(np.isfinite(v)) and np.all(np.isfinite(g))


def test_extreme_rows_no_warning():
    z = np.array([[1e4, -1e4, 0.0], [-1e6, 1e6, 3.0], [0.0, 0.0, 0.0]])
    with np.errstate(all="raise"):
        for kw in ({}, {"label_smoothing": 0.3}):
            v = lb.softmax_cross_entropy([0, 0, 2], z, reduction="none", **kw)
            g = lb.softmax_cross_entropy_grad([0, 0, 2], z, **kw)
            assert np.all(np.isfinite(v)) and np.all(np.isfinite(g))
            v = lb.softmax_cross_entropy(lb.softmax(z[::-1]), z, **kw)
            assert np.isfinite(v)
        q = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
        assert lb.categorical_cross_entropy(q[::-1], q) == 100.0
        assert np.all(np.isfinite(lb.categorical_cross_entropy_grad(q[::-1], q)))
        for f in (lb.sigmoid, lb.log_sigmoid):
            assert np.all(np.isfinite(f(EXTREME)))
        for f in (lb.softmax, lb.log_softmax, lb.logsumexp):
            assert np.all(np.isfinite(f(z)))


@pytest.mark.parametrize("name", sorted(ALL))
def test_float32_preserved(name):
    loss, grad, kind = ALL[name]
    y, x = make_inputs(kind, np.random.default_rng(3), dtype=np.float32)
    for red in ("mean", "sum", "none"):
        assert np.asarray(loss(y, x, reduction=red)).dtype == np.float32
        assert grad(y, x, reduction=red).dtype == np.float32
    x64 = x.astype(np.float64)
    y64 = y.astype(np.float64) if kind != "logits" else y
    np.testing.assert_allclose(loss(y, x), loss(y64, x64), rtol=1e-5)


def test_float32_activations_and_int_inputs():
    x32 = np.linspace(-1e4, 1e4, 7, dtype=np.float32)
    for f in (lb.sigmoid, lb.log_sigmoid, lb.softmax, lb.log_softmax, lb.logsumexp):
        assert np.asarray(f(x32)).dtype == np.float32
    assert lb.mse([1, 2], [3, 4]).dtype == np.float64  # ints -> float64
    assert lb.mse(np.array([1, 2]), np.array([3, 4], dtype=np.float32)).dtype == np.float32
