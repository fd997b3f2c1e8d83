"""Bad input gets a clear error naming the argument, never a wrong number."""

import numpy as np
import pytest

import lossbook as lb
from tests._losses_common import ALL, make_inputs

PRED_NAME = {
    "binary_cross_entropy": "p",
    "binary_cross_entropy_with_logits": "logits",
    "focal_loss": "logits",
    "categorical_cross_entropy": "q",
    "softmax_cross_entropy": "logits",
    "real_world_weight_cross_entropy": "p",
    "real_world_weight_cross_entropy_with_logits": "logits",
}
FUNCS = [(name, i) for name in sorted(ALL) for i in (0, 1)]  # each loss and its gradient
IDS = [f"{name}{'_grad' if i else ''}" for name, i in FUNCS]


def good(name):
    return make_inputs(ALL[name][2], np.random.default_rng(0))


def call(name, i, y, x, **kw):
    return ALL[name][i](y, x, **kw)


@pytest.mark.parametrize("name,i", FUNCS, ids=IDS)
@pytest.mark.parametrize("bad", ["abc", None, [1 + 2j, 3j], {"a": 1}, [[1.0], [2.0, 3.0]]])
def test_non_numeric_prediction_is_type_error(name, i, bad):
    y, _ = good(name)
    with pytest.raises(TypeError, match=PRED_NAME.get(name, "y_pred")):
        call(name, i, y, bad)


@pytest.mark.parametrize("name,i", FUNCS, ids=IDS)
def test_non_numeric_target_is_type_error(name, i):
    _, x = good(name)
    with pytest.raises(TypeError, match="y_true"):
        call(name, i, np.full(x.shape, "a"), x)


@pytest.mark.parametrize("name,i", FUNCS, ids=IDS)
def test_shape_mismatch_names_both(name, i):
    y, x = good(name)
    with pytest.raises(ValueError, match=r"shape .* but .* shape .*does not broadcast") as err:
        call(name, i, y, x[..., None])
    assert "y_true" in str(err.value) and PRED_NAME.get(name, "y_pred") in str(err.value)


def test_column_vs_row_is_refused():
    with pytest.raises(ValueError, match=r"y_pred has shape \(3, 1\) but y_true has shape \(3,\)"):
        lb.mse(np.zeros(3), np.zeros((3, 1)))


@pytest.mark.parametrize("name,i", FUNCS, ids=IDS)
def test_empty(name, i):
    shape = (0, 3) if name in ("categorical_cross_entropy", "softmax_cross_entropy") else (0,)
    x = np.zeros(shape)
    y = np.zeros(shape[:-1], int) if name == "softmax_cross_entropy" else np.zeros(shape)
    with pytest.raises(ValueError, match="empty"):
        call(name, i, y, x)


@pytest.mark.parametrize("name,i", FUNCS, ids=IDS)
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_nan_inf_in_prediction(name, i, value):
    y, x = good(name)
    x = x.copy()
    x.flat[1] = value
    pred = PRED_NAME.get(name, "y_pred")
    with pytest.raises(ValueError, match=pred):
        call(name, i, y, x)


@pytest.mark.parametrize("name,i", FUNCS, ids=IDS)
def test_nan_in_target(name, i):
    y, x = good(name)
    y = y.astype(float)
    y.flat[0] = np.nan
    with pytest.raises(ValueError, match="y_true"):
        call(name, i, y, x)


@pytest.mark.parametrize("name,i", FUNCS, ids=IDS)
@pytest.mark.parametrize("reduction", ["avg", "MEAN", None, 1])
def test_unknown_reduction_lists_valid(name, i, reduction):
    y, x = good(name)
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none'"):
        call(name, i, y, x, reduction=reduction)


@pytest.mark.parametrize("name", ["binary_cross_entropy", "real_world_weight_cross_entropy"])
@pytest.mark.parametrize("i", [0, 1])
def test_probabilities_out_of_range(name, i):
    f = ALL[name][i]
    with pytest.raises(ValueError, match=r"p must hold probabilities in \[0, 1\]"):
        f([0.0, 1.0], [0.5, 1.5])
    with pytest.raises(ValueError, match=r"y_true must hold probabilities"):
        f([0.0, -1.0], [0.5, 0.5])


@pytest.mark.parametrize("name", sorted(n for n, (_, _, kind) in ALL.items() if kind == "logit"))
@pytest.mark.parametrize("i", [0, 1])
def test_targets_of_logit_losses_must_be_probabilities(name, i):
    with pytest.raises(ValueError, match=r"y_true must hold probabilities"):
        ALL[name][i]([2.0, 0.0], [0.5, 0.5])


@pytest.mark.parametrize("f", [lb.categorical_cross_entropy, lb.categorical_cross_entropy_grad])
def test_rows_must_be_distributions(f):
    good_rows = np.array([[0.5, 0.5], [0.1, 0.9]])
    with pytest.raises(ValueError, match="q must sum to 1"):
        f(good_rows, np.array([[0.5, 0.4], [0.1, 0.9]]))
    with pytest.raises(ValueError, match="q has negative"):
        f(good_rows, np.array([[1.5, -0.5], [0.1, 0.9]]))
    with pytest.raises(ValueError, match="y_true must sum to 1"):
        f(np.array([[1.0, 1.0], [0.0, 1.0]]), good_rows)
    with pytest.raises(ValueError, match="q must have at least one axis"):
        f(1.0, 1.0)


@pytest.mark.parametrize("f", [lb.softmax_cross_entropy, lb.softmax_cross_entropy_grad])
def test_class_labels(f):
    z = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"y_true must hold class labels in \[0, 4\)"):
        f([0, 1, 4], z)
    with pytest.raises(ValueError, match=r"y_true must hold class labels in \[0, 4\)"):
        f([0, -1, 2], z)
    with pytest.raises(ValueError, match="y_true must hold integer class labels"):
        f([0, 1.5, 2], z)
    with pytest.raises(ValueError, match=r"y_true has shape \(2,\) but logits has shape \(3, 4\)"):
        f([0, 1], z)
    with pytest.raises(ValueError, match="y_true must sum to 1"):
        f(np.ones((3, 4)), z)
    f(np.array([0.0, 1.0, 2.0]), z)  # integer-valued floats are fine


def test_one_hot_errors():
    with pytest.raises(ValueError, match=r"labels must hold class labels in \[0, 3\)"):
        lb.one_hot([0, 3], 3)
    with pytest.raises(ValueError, match="num_classes must be >= 1"):
        lb.one_hot([0], 0)
    with pytest.raises(TypeError, match="num_classes"):
        lb.one_hot([0], 2.0)
    with pytest.raises(TypeError, match="labels"):
        lb.one_hot(["a"], 2)


@pytest.mark.parametrize("f", [lb.hinge, lb.hinge_grad])
def test_hinge_labels(f):
    with pytest.raises(ValueError, match=r"y_true must hold labels in \{-1, \+1\}"):
        f([1.0, 0.5], [0.0, 0.0])
    with pytest.raises(ValueError, match=r"y_true must hold labels in \{-1, \+1\}"):
        f([1.0, -1.0, 0.0], [0.0, 0.0, 0.0])


HYPER = [
    (lb.huber, {"delta": 0.0}, "delta must be > 0"),
    (lb.huber_grad, {"delta": -1.0}, "delta must be > 0"),
    (lb.huber, {"delta": np.nan}, "delta must be finite"),
    (lb.quantile, {"q": 0.0}, r"q must be in the open interval \(0, 1\)"),
    (lb.quantile_grad, {"q": 1.0}, r"q must be in the open interval \(0, 1\)"),
    (lb.focal_loss, {"gamma": -0.5}, "gamma must be >= 0"),
    (lb.focal_loss_grad, {"gamma": -1}, "gamma must be >= 0"),
    (lb.focal_loss, {"alpha": 1.5}, r"alpha must be in \[0, 1\]"),
    (lb.focal_loss, {"alpha": -1}, "alpha must be in .* or None"),
]


@pytest.mark.parametrize("f,kw,msg", HYPER)
def test_hyper_parameters(f, kw, msg):
    with pytest.raises(ValueError, match=msg):
        f([0.0, 1.0], [0.2, 0.3], **kw)


@pytest.mark.parametrize("f", [lb.huber, lb.quantile])
def test_hyper_parameter_type(f):
    name = "delta" if f is lb.huber else "q"
    with pytest.raises(TypeError, match=name):
        f([0.0], [1.0], **{name: "big"})


@pytest.mark.parametrize("f", [lb.softmax_cross_entropy, lb.softmax_cross_entropy_grad])
@pytest.mark.parametrize("eps", [-0.1, 1.1])
def test_label_smoothing_range(f, eps):
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
        f([0], [[0.0, 1.0]], label_smoothing=eps)


@pytest.mark.parametrize(
    "f", [lb.binary_cross_entropy_with_logits, lb.binary_cross_entropy_with_logits_grad]
)
def test_pos_weight(f):
    y, x = np.zeros((4, 3)), np.zeros((4, 3))
    with pytest.raises(ValueError, match="pos_weight must be >= 0"):
        f(y, x, pos_weight=np.array([1.0, -1.0, 1.0]))
    with pytest.raises(ValueError, match=r"pos_weight has shape \(4,\).*\(3,\)"):
        f(y, x, pos_weight=np.ones(4))
    with pytest.raises(ValueError, match=r"pos_weight has shape \(4, 3\)"):
        f(y, x, pos_weight=np.ones((4, 3)))
    with pytest.raises(TypeError, match="pos_weight"):
        f(y, x, pos_weight="heavy")
    f(y, x, pos_weight=2.0)


@pytest.mark.parametrize("f", [lb.entropy])
def test_information_single(f):
    with pytest.raises(ValueError, match="p must sum to 1"):
        f([0.5, 0.6])
    with pytest.raises(ValueError, match="p has negative"):
        f([1.5, -0.5])
    with pytest.raises(TypeError, match="p"):
        f("ab")


@pytest.mark.parametrize("f", [lb.cross_entropy, lb.kl_divergence])
def test_information_pairs(f):
    with pytest.raises(ValueError, match="q must sum to 1"):
        f([0.5, 0.5], [0.5, 0.6])
    with pytest.raises(ValueError, match="p has negative"):
        f([1.5, -0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"q has shape \(3,\) but p has shape \(2,\)"):
        f([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="q contains nan"):
        f([0.5, 0.5], [np.nan, 0.5])


@pytest.mark.parametrize(
    "f", [lb.sigmoid, lb.log_sigmoid, lb.softmax, lb.log_softmax, lb.logsumexp]
)
def test_activations(f):
    name = "x" if f in (lb.sigmoid, lb.log_sigmoid) else "z"
    with pytest.raises(TypeError, match=name):
        f("a")
    with pytest.raises(ValueError, match=f"{name} contains nan"):
        f([0.0, np.nan])
    with pytest.raises(ValueError, match=f"{name} is empty"):
        f([])


def test_scalar_for_row_wise_refused():
    with pytest.raises(ValueError, match="logits must have at least one axis"):
        lb.softmax_cross_entropy(0, 1.0)
    with pytest.raises(ValueError, match="z must have at least one axis"):
        lb.softmax(1.0)
