"""Time every lossbook loss and gradient against the naive NumPy formula and PyTorch CPU.

    python benchmarks/losses.py          # 10^7 float64 elements (rows of 100 for row-wise)
    python benchmarks/losses.py --quick  # 10^6 elements

The three implementations run in the same process, interleaved, and each row reports the
median of the repeats. PyTorch gets as many threads as NumPy's element-wise loops use (one:
ufuncs are single-threaded, and OpenBLAS is pinned to one thread); the number is printed.
"peak" is the largest extra memory lossbook allocates during one call (tracemalloc sees
NumPy's buffers), in MB and as a multiple of the input size (y_true plus the prediction).
Budget: lossbook/torch <= 1 and peak <= 3x input.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc

# One thread everywhere, for a like-for-like comparison: NumPy's ufuncs are single-threaded,
# the BLAS matrix-vector products (row sums) are pinned to one thread here, and so is torch.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lossbook as lb

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the table still compares with naive NumPy
    torch = None

NUMPY_THREADS = 1  # NumPy ufuncs and reductions run on one thread


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _naive_focal(y, x, gamma=2.0, alpha=0.25):
    p = _sigmoid(x)
    ce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    pt = p * y + (1 - p) * (1 - y)
    return np.mean((alpha * y + (1 - alpha) * (1 - y)) * ce * (1 - pt) ** gamma)


def _torch_focal(y, x, gamma=2.0, alpha=0.25):  # torchvision.ops.sigmoid_focal_loss
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - p_t) ** gamma)
    return ((alpha * y + (1 - alpha) * (1 - y)) * loss).mean()


def _naive_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cases(n, rng):
    """(name, lossbook f, f_grad, naive value, naive grad, torch loss of (y, pred), y, pred)."""
    rows = n // 100
    y = rng.normal(size=n)
    x = rng.normal(size=n) * 3
    p = rng.uniform(0.001, 0.999, size=n)
    yb = (rng.random(n) < 0.5).astype(np.float64)
    ys = 2 * yb - 1
    z = rng.normal(size=(rows, 100)) * 3
    labels = rng.integers(0, 100, size=rows)
    q = _naive_softmax(rng.normal(size=(rows, 100)))
    t = _naive_softmax(rng.normal(size=(rows, 100)))
    m = 1.0 / n
    return [
        (
            "mse",
            lb.mse,
            lb.mse_grad,
            lambda a, b: np.mean((b - a) ** 2),
            lambda a, b: 2 * (b - a) * m,
            lambda a, b: F.mse_loss(b, a),
            y,
            x,
        ),
        (
            "mae",
            lb.mae,
            lb.mae_grad,
            lambda a, b: np.mean(np.abs(b - a)),
            lambda a, b: np.sign(b - a) * m,
            lambda a, b: F.l1_loss(b, a),
            y,
            x,
        ),
        (
            "huber",
            lb.huber,
            lb.huber_grad,
            lambda a, b: np.mean(
                np.where(np.abs(b - a) <= 1, 0.5 * (b - a) ** 2, np.abs(b - a) - 0.5)
            ),
            lambda a, b: np.clip(b - a, -1, 1) * m,
            lambda a, b: F.huber_loss(b, a),
            y,
            x,
        ),
        (
            "log_cosh",
            lb.log_cosh,
            lb.log_cosh_grad,
            lambda a, b: np.mean(np.log(np.cosh(b - a))),
            lambda a, b: np.tanh(b - a) * m,
            lambda a, b: torch.mean((b - a).abs() + F.softplus(-2 * (b - a).abs()) - np.log(2)),
            y,
            x,
        ),
        (
            "quantile",
            lb.quantile,
            lb.quantile_grad,
            lambda a, b: np.mean(np.maximum(0.5 * (a - b), -0.5 * (a - b))),
            lambda a, b: np.where(b > a, 0.5, -0.5) * m,
            lambda a, b: torch.mean(torch.maximum(0.5 * (a - b), -0.5 * (a - b))),
            y,
            x,
        ),
        (
            "binary_cross_entropy",
            lb.binary_cross_entropy,
            lb.binary_cross_entropy_grad,
            lambda a, b: -np.mean(a * np.log(b) + (1 - a) * np.log(1 - b)),
            lambda a, b: (b - a) / (b * (1 - b)) * m,
            lambda a, b: F.binary_cross_entropy(b, a),
            yb,
            p,
        ),
        (
            "bce_with_logits",
            lb.binary_cross_entropy_with_logits,
            lb.binary_cross_entropy_with_logits_grad,
            lambda a, b: np.mean(np.logaddexp(0, b) - a * b),
            lambda a, b: (_sigmoid(b) - a) * m,
            lambda a, b: F.binary_cross_entropy_with_logits(b, a),
            yb,
            x,
        ),
        (
            "hinge",
            lb.hinge,
            lb.hinge_grad,
            lambda a, b: np.mean(np.maximum(0, 1 - a * b)),
            lambda a, b: -a * (a * b < 1) * m,
            lambda a, b: torch.mean(F.relu(1 - a * b)),
            ys,
            x,
        ),
        ("focal_loss", lb.focal_loss, lb.focal_loss_grad, _naive_focal, None, _torch_focal, yb, x),
        (
            "categorical_ce",
            lb.categorical_cross_entropy,
            lb.categorical_cross_entropy_grad,
            lambda a, b: -np.mean(np.sum(a * np.log(b), axis=-1)),
            lambda a, b: -a / b / rows,
            lambda a, b: torch.mean(-(a * torch.clamp(torch.log(b), min=-100)).sum(-1)),
            t,
            q,
        ),
        (
            "softmax_ce labels",
            lb.softmax_cross_entropy,
            lb.softmax_cross_entropy_grad,
            lambda a, b: -np.mean(np.log(_naive_softmax(b))[np.arange(rows), a]),
            lambda a, b: (_naive_softmax(b) - np.eye(100)[a]) / rows,
            lambda a, b: F.cross_entropy(b, a),
            labels,
            z,
        ),
        (
            "softmax_ce probs",
            lb.softmax_cross_entropy,
            lb.softmax_cross_entropy_grad,
            lambda a, b: -np.mean(np.sum(a * np.log(_naive_softmax(b)), axis=-1)),
            lambda a, b: (_naive_softmax(b) - a) / rows,
            lambda a, b: F.cross_entropy(b, a),
            t,
            z,
        ),
    ]


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def torch_value(loss):
    return lambda a, b: loss(a, b).item()


def torch_grad(loss):
    def run(a, b):
        b = b.detach().requires_grad_()
        loss(a, b).backward()
        return b.grad

    return run


def peak_extra(fn, *args):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^6 elements instead of 10^7")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args(argv)
    n = 10**6 if args.quick else 10**7
    repeats = args.repeats or 5
    rng = np.random.default_rng(0)
    if torch is not None:
        torch.set_num_threads(NUMPY_THREADS)
    print(
        f"lossbook benchmark: {n:.0e} float64 elements (row-wise losses: rows of 100), "
        f"median of {repeats} interleaved repeats"
    )
    print(
        f"numpy {np.__version__}, element-wise loops on {NUMPY_THREADS} thread; torch "
        + (
            f"{torch.__version__} with torch.set_num_threads({torch.get_num_threads()})"
            if torch is not None
            else "not installed (no torch column)"
        )
    )
    head = (
        f"{'loss':<24}{'lossbook ms':>12}{'naive ms':>10}{'torch ms':>10}"
        f"{'lb/torch':>10}{'lb/naive':>10}{'peak MB':>9}{'peak/in':>9}"
    )
    print(head)
    print("-" * len(head))
    misses = []
    for name, f, g, nf, ng, tf, y, pred in cases(n, rng):
        in_bytes = np.asarray(y).nbytes + pred.nbytes
        ty = tp = None
        if torch is not None:
            ty, tp = torch.from_numpy(y), torch.from_numpy(pred)
        for label, ours, naive, theirs in (
            (name, f, nf, torch_value(tf)),
            (name + " grad", g, ng, torch_grad(tf)),
        ):
            times = {"lb": [], "naive": [], "torch": []}
            ours(y, pred)  # warm up
            for _ in range(repeats):
                times["lb"].append(timed(ours, y, pred))
                if naive is not None:
                    times["naive"].append(timed(naive, y, pred))
                if torch is not None:
                    times["torch"].append(timed(theirs, ty, tp))
            med = {k: statistics.median(v) * 1e3 if v else float("nan") for k, v in times.items()}
            peak = peak_extra(ours, y, pred)
            ratio_t = med["lb"] / med["torch"]
            ratio_n = med["lb"] / med["naive"]
            print(
                f"{label:<24}{med['lb']:>12.1f}{med['naive']:>10.1f}{med['torch']:>10.1f}"
                f"{ratio_t:>10.2f}{ratio_n:>10.2f}{peak / 2**20:>9.0f}{peak / in_bytes:>9.2f}",
                flush=True,
            )
            if ratio_t > 1 or peak > 3 * in_bytes:
                misses.append(label)
    print("-" * len(head))
    if torch is None:
        print("torch not installed: budget versus PyTorch not checked")
    print("over budget (slower than torch or peak > 3x input): " + (", ".join(misses) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
