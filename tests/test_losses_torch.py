"""Values and gradients against PyTorch (autograd) in float64, on random and extreme inputs."""

import numpy as np
import pytest

import lossbook as lb

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL = 1e-10
REDUCTIONS = ["mean", "sum", "none"]


def reduce(t, r):
    return t.mean() if r == "mean" else t.sum() if r == "sum" else t


def torchvision_focal(x, y, reduction, gamma=2.0, alpha=0.25):
    """torchvision.ops.sigmoid_focal_loss, written out (torchvision is not installed)."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha is not None and alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return reduce(loss, reduction)


def check(ours, ours_grad, theirs, y, x, reduction, atol=0.0, **kw):
    """Compare value and gradient; atol (scaled by the largest reference) only where the
    reference itself loses relative accuracy (documented at the call)."""
    value = ours(y, x, reduction=reduction, **kw)
    grad = ours_grad(y, x, reduction=reduction, **kw)
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ty = torch.as_tensor(y)
    tv = theirs(ty, tx, reduction)
    (tv if reduction != "none" else tv.sum()).backward()
    tv = tv.detach().numpy()
    tg = tx.grad.numpy()
    np.testing.assert_allclose(value, tv, rtol=RTOL, atol=atol * np.max(np.abs(tv)))
    np.testing.assert_allclose(grad, tg, rtol=RTOL, atol=atol * np.max(np.abs(tg)))
    assert np.shape(grad) == x.shape


SHAPE = (40, 7)


def _fixed_inputs(seed=7):
    """The arrays the parametrised tests share, from their own seeded generator."""
    g = np.random.default_rng(seed)
    y_reg = g.normal(size=SHAPE)
    x = g.normal(size=SHAPE) * 4
    x_extreme = np.concatenate([x, x * 2500, np.full((1, 7), 1e4), np.full((1, 7), -1e4)])
    y_bin = (g.random(SHAPE) < 0.5).astype(float)
    y_bin_extreme = (g.random(x_extreme.shape) < 0.5).astype(float)
    return y_reg, x, x_extreme, y_bin, y_bin_extreme, g.random(SHAPE)


Y_REG, X, X_EXTREME, Y_BIN, Y_BIN_EXTREME, Y_SOFT = _fixed_inputs()


@pytest.fixture
def rng():
    """A fresh seeded generator per test: its data do not depend on which tests ran before."""
    return np.random.default_rng(8)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("x", [X, X_EXTREME[:40] * 10], ids=["random", "large"])
def test_regression(reduction, x):
    check(lb.mse, lb.mse_grad, lambda t, a, r: F.mse_loss(a, t, reduction=r), Y_REG, x, reduction)
    check(lb.mae, lb.mae_grad, lambda t, a, r: F.l1_loss(a, t, reduction=r), Y_REG, x, reduction)
    for delta in (1.0, 0.3, 5.0):
        check(
            lb.huber,
            lb.huber_grad,
            lambda t, a, r, delta=delta: F.huber_loss(a, t, reduction=r, delta=delta),
            Y_REG,
            x,
            reduction,
            delta=delta,
        )
    for q in (0.1, 0.5, 0.8):
        check(
            lb.quantile,
            lb.quantile_grad,
            lambda t, a, r, q=q: reduce(torch.maximum(q * (t - a), (q - 1) * (t - a)), r),
            Y_REG,
            x,
            reduction,
            q=q,
        )


def test_mae_and_quantile_ties_like_torch():
    y = np.array([1.0, 2.0, 3.0])
    for q in (0.3, 0.5):
        check(
            lb.quantile,
            lb.quantile_grad,
            lambda t, a, r, q=q: reduce(torch.maximum(q * (t - a), (q - 1) * (t - a)), r),
            y,
            y.copy(),
            "sum",
            q=q,
        )
    check(lb.mae, lb.mae_grad, lambda t, a, r: F.l1_loss(a, t, reduction=r), y, y.copy(), "sum")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_log_cosh(reduction):
    # log(cosh) is exact in torch for moderate errors; the stable form for huge ones.
    check(
        lb.log_cosh,
        lb.log_cosh_grad,
        lambda t, a, r: reduce(torch.log(torch.cosh(a - t)), r),
        Y_REG,
        X,
        reduction,
        atol=1e-14,  # log(cosh e) for tiny e: both sides lose digits to 1 + e^2/2 rounding
    )
    big = X_EXTREME * 100
    value = lb.log_cosh(np.zeros_like(big), big, reduction=reduction)
    a = torch.tensor(big).abs()
    ref = reduce(a + F.softplus(-2 * a) - np.log(2), reduction).numpy()
    np.testing.assert_allclose(value, ref, rtol=RTOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(reduction, rng):
    p = rng.random(SHAPE)
    p[0] = [0.0, 1.0, 1e-12, 1 - 1e-12, 1e-300, 0.5, 1.0]
    p[1] = [1.0, 0.0, 0.0, 1.0, 1e-45, 1e-44, 1 - 1e-16]
    for y in (Y_BIN, Y_SOFT):
        check(
            lb.binary_cross_entropy,
            lb.binary_cross_entropy_grad,
            lambda t, a, r: F.binary_cross_entropy(a, t, reduction=r),
            y,
            p,
            reduction,
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("x,y", [(X, Y_BIN), (X, Y_SOFT), (X_EXTREME, Y_BIN_EXTREME)])
def test_bce_with_logits(reduction, x, y, rng):
    check(
        lb.binary_cross_entropy_with_logits,
        lb.binary_cross_entropy_with_logits_grad,
        lambda t, a, r: F.binary_cross_entropy_with_logits(a, t, reduction=r),
        y,
        x,
        reduction,
    )
    for pw in (rng.random(7) * 3, 2.5, np.zeros(7)):
        # torch's gradient (w y + 1 - y) sigmoid(x) - w y leaves rounding noise (1e-16) where
        # the exact gradient is 0 (x = 1e4, y = 1); lossbook gives the 0: allow that noise.
        check(
            lb.binary_cross_entropy_with_logits,
            lb.binary_cross_entropy_with_logits_grad,
            lambda t, a, r, pw=pw: F.binary_cross_entropy_with_logits(
                a, t, reduction=r, pos_weight=torch.as_tensor(pw, dtype=torch.float64)
            ),
            y,
            x,
            reduction,
            atol=1e-15,
            pos_weight=pw,
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_like_relu(reduction):
    check(
        lb.hinge,
        lb.hinge_grad,
        lambda t, a, r: reduce(F.relu(1 - (2 * t - 1) * a), r),
        Y_BIN,
        X,
        reduction,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "kw", [{}, {"gamma": 0.0, "alpha": None}, {"gamma": 1.5, "alpha": 0.6}, {"gamma": 3.0}]
)
@pytest.mark.parametrize("x,y", [(X, Y_BIN), (X, Y_SOFT), (X_EXTREME, Y_BIN_EXTREME)])
def test_focal(reduction, kw, x, y):
    # torchvision forms 1 - p_t by subtraction, which loses all digits when p_t is near 1
    # (easy examples, tiny losses); lossbook keeps them (checked against mpmath below). So the
    # comparison allows an absolute error of 1e-12 of the largest value.
    check(
        lb.focal_loss,
        lb.focal_loss_grad,
        lambda t, a, r: torchvision_focal(a, t, r, **kw),
        y,
        x,
        reduction,
        atol=1e-12,
        **kw,
    )


def test_focal_tiny_values_exact():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    x, y = -15.531684006416457, 0.0

    def f(z):
        p = 1 / (1 + mpmath.exp(-z))
        return 0.75 * -mpmath.log(1 - p) * p**2

    np.testing.assert_allclose(lb.focal_loss([y], [x]), float(f(mpmath.mpf(x))), rtol=1e-13)
    np.testing.assert_allclose(
        lb.focal_loss_grad([y], [x])[0], float(mpmath.diff(f, mpmath.mpf(x))), rtol=1e-13
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_categorical_cross_entropy(reduction, rng):
    q = lb.softmax(rng.normal(size=SHAPE) * 3)
    t = lb.softmax(rng.normal(size=SHAPE))
    for target in (t, lb.one_hot(rng.integers(0, 7, 40), 7)):
        check(
            lb.categorical_cross_entropy,
            lb.categorical_cross_entropy_grad,
            lambda a, b, r: reduce(-(a * torch.clamp(torch.log(b), min=-100)).sum(-1), r),
            target,
            q,
            reduction,
        )
    q0 = np.eye(7)[rng.integers(0, 7, 40)]  # exact zeros: values clamped like torch
    value = lb.categorical_cross_entropy(t, q0, reduction=reduction)
    ref = reduce(
        -(torch.tensor(t) * torch.clamp(torch.log(torch.tensor(q0)), min=-100)).sum(-1), reduction
    )
    np.testing.assert_allclose(value, ref.numpy(), rtol=RTOL)


LOGITS = [X, X_EXTREME]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("eps", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("x", LOGITS, ids=["random", "extreme"])
def test_softmax_cross_entropy(reduction, eps, x, rng):
    labels = rng.integers(0, x.shape[1], x.shape[0])
    probs = lb.softmax(rng.normal(size=x.shape) * 2)
    for target in (labels, probs):
        # atol: rows of equal logits have an exactly-0 gradient for eps = 1; torch leaves 1e-16
        check(
            lb.softmax_cross_entropy,
            lb.softmax_cross_entropy_grad,
            lambda t, a, r: F.cross_entropy(a, t, reduction=r, label_smoothing=eps),
            target,
            x,
            reduction,
            atol=1e-15,
            label_smoothing=eps,
        )


def test_softmax_cross_entropy_single_row(rng):
    x = rng.normal(size=5)
    check(
        lb.softmax_cross_entropy,
        lb.softmax_cross_entropy_grad,
        lambda t, a, r: F.cross_entropy(a, t, reduction=r),
        np.int64(3),
        x,
        "mean",
    )


def test_activations():
    z = X_EXTREME
    tz = torch.tensor(z)
    np.testing.assert_allclose(lb.sigmoid(z), torch.sigmoid(tz).numpy(), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(lb.log_sigmoid(z), F.logsigmoid(tz).numpy(), rtol=RTOL)
    np.testing.assert_allclose(lb.softmax(z), torch.softmax(tz, -1).numpy(), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(lb.log_softmax(z), torch.log_softmax(tz, -1).numpy(), rtol=RTOL)
    np.testing.assert_allclose(lb.logsumexp(z), torch.logsumexp(tz, -1).numpy(), rtol=RTOL)
    np.testing.assert_allclose(
        lb.softmax(z, axis=0), torch.softmax(tz, 0).numpy(), rtol=RTOL, atol=1e-300
    )


@pytest.mark.parametrize("eps", [0.0, 0.2])
def test_softmax_cross_entropy_many_rows(eps, rng):
    # more rows than one cache block (lossbook works through the rows block by block)
    x = rng.normal(size=(2, 2500, 10)) * 5
    labels = rng.integers(0, 10, (2, 2500))
    probs = lb.softmax(rng.normal(size=x.shape))
    for target in (labels, probs):
        value = lb.softmax_cross_entropy(target, x, reduction="none", label_smoothing=eps)
        ref = F.cross_entropy(
            torch.tensor(x.reshape(-1, 10)),
            torch.tensor(target.reshape(-1) if target is labels else target.reshape(-1, 10)),
            reduction="none",
            label_smoothing=eps,
        )
        np.testing.assert_allclose(value, ref.numpy().reshape(2, 2500), rtol=RTOL)
        assert lb.softmax_cross_entropy(target, x, label_smoothing=eps).shape == ()


@pytest.mark.parametrize("pw", [2.5, "vector"])
def test_bce_with_logits_many_blocks(pw, rng):
    # more elements than one cache block; pos_weight scalar or per column (k = 7, 100, 40000)
    for shape in [(5000, 7), (400, 100), (2, 40000)]:
        x = rng.normal(size=shape) * 4
        y = (rng.random(shape) < 0.5).astype(float)
        w = rng.random(shape[-1]) * 3 if pw == "vector" else pw
        tw = torch.as_tensor(w, dtype=torch.float64)
        for reduction in REDUCTIONS:
            check(
                lb.binary_cross_entropy_with_logits,
                lb.binary_cross_entropy_with_logits_grad,
                lambda t, a, r, tw=tw: F.binary_cross_entropy_with_logits(
                    a, t, reduction=r, pos_weight=tw
                ),
                y,
                x,
                reduction,
                atol=1e-15,
                pos_weight=w,
            )


def test_regression_many_blocks(rng):
    x, y = rng.normal(size=(300, 300)), rng.normal(size=(300, 300))
    for reduction in REDUCTIONS:
        check(lb.mse, lb.mse_grad, lambda t, a, r: F.mse_loss(a, t, reduction=r), y, x, reduction)
        check(
            lb.huber,
            lb.huber_grad,
            lambda t, a, r: F.huber_loss(a, t, reduction=r, delta=0.5),
            y,
            x,
            reduction,
            delta=0.5,
        )
