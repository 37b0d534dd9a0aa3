"""The engine against PyTorch: forward passes, gradients, activations and losses.

Every number the app shows is recomputed here by an independent autograd library on the
same float64 tensors. Tolerances are 1e-12 (relative and absolute) unless a test says why.
Where the two differ only in rounding (another summation order, lerp instead of a weighted
sum), the difference measured stays below 1e-14; 1e-12 leaves room for that and nothing else.
"""

from __future__ import annotations

import zlib
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core.engine import activations, losses
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.trainer import Trainer
from tests.core.torch_reference import (
    ATOL,
    RTOL,
    TORCH_ACTIVATIONS,
    F,
    TorchNet,
    assert_close,
    exactly,
    random_network,
    t,
    targets,
)

torch = pytest.importorskip("torch")

# dL/dz of bce and cce is a difference (a - y) / n; where a is close to y the two libraries'
# sigmoid/softmax differ in the last bit of a (~1e-17), so the absolute floor is that, not 0.
# Below ~1e-304 the engine's sigmoid is capped (SIGMOID_CLIP) while torch's is exp(z): both
# are "0" and the floor covers it too.
DELTA_ATOL = 1e-15
# A loss of ~1e-322 is subnormal: there both libraries keep only a few bits, so relative
# agreement means nothing; below this floor two losses count as the same zero.
SUBNORMAL = 1e-300
HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
LOSS_OUTPUTS = [(loss, out) for loss in ("mse", "sse") for out in HIDDEN] + [
    ("bce", "sigmoid"),
    ("cce", "softmax"),
]


def compare_network(net: Network, x: np.ndarray, y: np.ndarray, loss: str) -> None:
    """Forward z and a, Loss.value, delta, dW and db of ``net`` against autograd."""
    fp = net.forward(x)
    grads = net.backward(fp, y, losses.get(loss))
    ref = TorchNet(net)
    z, a, value = ref.loss(x, y, loss)
    value.backward()
    assert losses.get(loss).value(fp.z[-1], fp.a[-1], y) == pytest.approx(
        value.item(), rel=RTOL, abs=ATOL
    )
    for l in range(len(net.weights)):
        assert_close(fp.z[l], z[l])
        assert_close(fp.a[l + 1], a[l + 1])
        assert_close(grads.delta[l], z[l].grad)
        assert_close(grads.dW[l], ref.weights[l].grad)
        assert_close(grads.db[l], ref.biases[l].grad)


# --- 1. losses, forward passes and backprop on random shapes ---


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("loss", "output"), LOSS_OUTPUTS)
def test_network_matches_autograd(loss: str, output: str, seed: int) -> None:
    rng = np.random.default_rng([seed, zlib.crc32(f"{loss}/{output}".encode())])
    n = int(rng.integers(1, 8))
    k = int(rng.integers(2 if output == "softmax" else 1, 6))
    hidden = [int(h) for h in rng.integers(1, 7, size=seed % 4)]  # 0..3 hidden layers
    layers = [int(rng.integers(1, 7)), *hidden, k]
    names = [str(f) for f in rng.choice(HIDDEN, size=len(hidden))] + [output]
    net = random_network(rng, layers, names)
    compare_network(net, rng.normal(size=(n, layers[0])), targets(rng, loss, output, n, k), loss)


@pytest.mark.parametrize("output", ["relu", "leaky_relu"])
def test_kinks_at_exactly_zero_follow_torch(output: str) -> None:
    """relu'(0) = 0 and leaky_relu'(0) = 0.01, in hidden layers and on a one-neuron output."""
    rng = np.random.default_rng(3)
    for layers in ([3, 4, 3, 3], [3, 4, 3, 1]):
        net = random_network(rng, layers, ["relu", "leaky_relu", output])
        net.weights[-1][-1], net.biases[-1][-1] = 0.0, 0.0  # the last output neuron sits at 0
        net.weights[-1][1:-1] = np.abs(net.weights[-1][1:-1])  # and the others are live
        net.biases[-1][1:-1] = 1.0
        x = rng.normal(size=(5, 3))
        fp = net.forward(x)
        for z, i in zip(fp.z, (0, 0, -1)):
            np.testing.assert_array_equal(z[:, i], 0.0)
        compare_network(net, x, rng.normal(size=(5, layers[-1])), "mse")


ACTIVATION_POINTS = [-1e3, -745, -710, -700, -40, -1, -1e-300, -0.0, 0.0, 1e-300, 1, 40, 710, 1e3]


@pytest.mark.parametrize("name", HIDDEN)
def test_activation_and_derivative_match_autograd(name: str) -> None:
    """f and f' elementwise, at 0, at +-0 and out where exp under/overflows.
    The floor 1e-300 is the sigmoid cap (sigma(z) ~ 1e-304 instead of e^z for z < -700)."""
    f = activations.get(name)
    z = t(ACTIVATION_POINTS).requires_grad_()
    a = TORCH_ACTIVATIONS[name](z)
    a.sum().backward()
    points = np.array(ACTIVATION_POINTS)
    assert_close(f.f(points), a, atol=1e-300)
    assert_close(f.df(points), z.grad, atol=1e-300)


def test_tanh_output_with_mse_on_class_codes() -> None:
    rng = np.random.default_rng(11)
    net = random_network(rng, [2, 5, 3], ["tanh", "tanh"])
    y = rng.choice([-1.0, 1.0], (9, 3))
    compare_network(net, rng.normal(size=(9, 2)), y, "mse")


def test_wide_network_on_a_hundred_points() -> None:
    rng = np.random.default_rng(12)
    x = rng.uniform(-1.0, 1.0, (100, 2))
    y = (x[:, :1] * x[:, 1:] > 0).astype(float)
    net = Network.initialized([2, 64, 64, 1], ["tanh", "relu", "sigmoid"], "xavier_uniform", 5)
    compare_network(net, x, y, "bce")
    compare_network(net, x, y, "mse")


# --- 2. and 3. bce and cce at extreme logits ---

LOGITS = st.one_of(
    st.floats(-1e3, 1e3),
    st.sampled_from([-1e3, 1e3, -745.0, 745.0, -710.0, 710.0, -36.8, 36.8, 0.0, -0.0]),
)
# The engine's term max(z, 0) - z y rounds z y, so for y = 1 - eps and z ~ 1e3 it is off by
# ~ulp(1e3) / (eps z) relative (1e-10 at eps = 1e-6); fractional targets stay in [0.05, 0.95],
# where that is < 2e-15. 0 and 1 are exact.
BCE_TARGETS = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.05, 0.95))
SHAPES = hnp.array_shapes(min_dims=2, max_dims=2, max_side=6)


def exact_bce(z: np.ndarray, y: np.ndarray) -> float:
    """mean[max(z, 0) - z y + log(1 + e^-|z|)] to ~35 digits: the linear part in exact
    rationals, log(1 + x) as a series where 40 digits would round 1 + x."""
    total = Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 40
        for zi, yi in zip(z.ravel().tolist(), y.ravel().tolist()):
            linear = max(Fraction(zi), Fraction(0)) - Fraction(zi) * Fraction(yi)
            x = Decimal(-abs(zi)).exp()
            softplus = x - x * x / 2 + x**3 / 3 if x < Decimal("1e-14") else (1 + x).ln()
            total += Decimal(linear.numerator) / Decimal(linear.denominator) + softplus
        return float(total / z.size)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), shape=SHAPES)
def test_bce_from_extreme_logits_matches_torch(data: st.DataObject, shape: tuple) -> None:
    """Value to 1e-12 relative against the exact sum, and to 1e-12 absolute against torch:
    BCEWithLogitsLoss takes (1 - y) z - logsigmoid(z), which cancels for a confidently right
    negative logit (z = -40, y = 0 gives 0 instead of 4.2e-18; at z = -9 it is off by 3e-12
    relative), while the engine's form is exact there. dL/dz against autograd."""
    z = data.draw(hnp.arrays(float, shape, elements=LOGITS))
    y = data.draw(hnp.arrays(float, shape, elements=BCE_TARGETS))
    zt = t(z).requires_grad_()
    value = F.binary_cross_entropy_with_logits(zt, t(y))
    value.backward()
    bce, sigmoid = losses.get("bce"), activations.get("sigmoid")
    a = sigmoid.f(z)
    # the floor: a mean of subnormals (e^-745 / 2) has no relative precision left
    assert bce.value(z, a, y) == exactly(exact_bce(z, y), floor=1e-300)
    assert bce.value(z, a, y) == pytest.approx(value.item(), rel=0.0, abs=ATOL)
    assert_close(bce.delta(z, a, y, sigmoid), zt.grad, atol=DELTA_ATOL)


def test_trainer_bce_loss_is_exact_with_saturated_logits() -> None:
    """A confidently right classifier (logits 1000 and 20, targets 1): the loss the trainer
    reports must be the exact 1.0306e-9, as torch and Loss.value give."""
    x, y = np.array([[1000.0], [20.0]]), np.ones((2, 1))
    net = Network([np.ones((1, 1))], [np.zeros(1)], ["sigmoid"])
    expected = F.binary_cross_entropy_with_logits(t(x), t(y)).item()
    assert expected == exactly(exact_bce(x, y))
    fp = net.forward(x)
    assert losses.get("bce").value(fp.z[-1], fp.a[-1], y) == exactly(expected)
    trainer = Trainer(net, "bce", TrainingConfig(learning_rate=1e-3), x, y)
    assert trainer.history.column("train_loss")[0] == exactly(expected)
    assert trainer.step() == exactly(expected)


def probability_rows(draw_data: st.DataObject, shape: tuple) -> np.ndarray:
    weights = draw_data.draw(hnp.arrays(float, shape, elements=st.floats(0.0, 1.0)))
    weights[:, 0] += 1e-3  # no all-zero row
    return weights / weights.sum(axis=1, keepdims=True)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(1, 6), k=st.integers(2, 5), one_hot=st.booleans())
def test_cce_from_extreme_logits_matches_torch(
    data: st.DataObject, n: int, k: int, one_hot: bool
) -> None:
    z = data.draw(hnp.arrays(float, (n, k), elements=LOGITS))
    if one_hot:
        y = np.eye(k)[data.draw(hnp.arrays(int, n, elements=st.integers(0, k - 1)))]
    else:
        y = probability_rows(data, (n, k))
    zt = t(z).requires_grad_()
    value = F.cross_entropy(zt, t(y))
    value.backward()
    by_hand = -(t(y) * torch.log_softmax(t(z), dim=1)).sum(dim=1).mean()
    cce, softmax = losses.get("cce"), activations.get("softmax")
    a = softmax.f(z)
    assert_close(a, torch.softmax(t(z), dim=1))
    assert cce.value(z, a, y) == exactly(value.item(), floor=SUBNORMAL)
    assert cce.value(z, a, y) == exactly(by_hand.item(), floor=SUBNORMAL)
    assert_close(cce.delta(z, a, y, softmax), zt.grad, atol=DELTA_ATOL)


def test_cce_at_plus_minus_1e3_is_finite_and_exact() -> None:
    z = np.array([[1e3, -1e3, 0.0], [1e3, 1e3, -1e3], [-1e3, -1e3, -1e3], [-1e3, 0.0, 1e3]])
    y = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    value = losses.get("cce").value(z, activations.softmax(z), y)
    assert np.isfinite(value)
    assert value == exactly(F.cross_entropy(t(z), t(y)).item())
