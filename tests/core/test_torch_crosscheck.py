"""The engine against PyTorch: losses, forward passes, gradients, optimiser steps, training.

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
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import Trainer, TrainingConfig

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL = ATOL = 1e-12
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
TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, negative_slope=activations.LEAKY_SLOPE),
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}


def t(x: np.ndarray | float) -> torch.Tensor:
    """A float64 tensor holding a copy of x."""
    return torch.tensor(np.asarray(x, dtype=float), dtype=torch.float64)


def assert_close(
    actual: np.ndarray | float, expected, rtol: float = RTOL, atol: float = ATOL
) -> None:
    """np.testing.assert_allclose, with a torch tensor as the expected value."""
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def exactly(expected: float, floor: float = 0.0):
    """expected to 1e-12 relative; no absolute floor unless given (pytest.approx's is 1e-12)."""
    return pytest.approx(expected, rel=RTOL, abs=floor)


def torch_loss(name: str, z: torch.Tensor, a: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The batch loss as torch's own loss functions define it."""
    if name == "mse":
        return F.mse_loss(a, y, reduction="mean")
    if name == "sse":
        return 0.5 * F.mse_loss(a, y, reduction="sum")
    if name == "bce":
        return F.binary_cross_entropy_with_logits(z, y)
    return F.cross_entropy(z, y)  # probability targets: -1/n sum y log softmax(z)


class TorchNet:
    """The same network as leaf tensors W^l, b^l, evaluated with torch ops and autograd."""

    def __init__(self, net: Network, train_biases: bool = True) -> None:
        self.weights = [t(w).requires_grad_() for w in net.weights]
        self.biases = [t(b).requires_grad_(train_biases) for b in net.biases]
        self.names = list(net.activation_names)

    def forward(self, x: np.ndarray) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """z^l = F.linear(a^(l-1), W^l, b^l), a^l = f(z^l): nn.Linear's layout."""
        a, z = [t(x)], []
        for w, b, name in zip(self.weights, self.biases, self.names):
            z.append(F.linear(a[-1], w, b))
            if z[-1].requires_grad:  # not under torch.no_grad()
                z[-1].retain_grad()
            a.append(TORCH_ACTIVATIONS[name](z[-1]))
        return z, a

    def loss(self, x: np.ndarray, y: np.ndarray, loss: str):
        z, a = self.forward(x)
        return z, a, torch_loss(loss, z[-1], a[-1], t(y))


def targets(rng: np.random.Generator, loss: str, output: str, n: int, k: int) -> np.ndarray:
    """Targets in the range of the output: classes, probabilities, or reals."""
    if loss == "cce":
        if rng.random() < 0.5:
            return np.eye(k)[rng.integers(0, k, n)]
        return rng.dirichlet(np.ones(k), size=n)
    if loss == "bce":  # classes and fractional targets, mixed
        return np.where(rng.random((n, k)) < 0.5, rng.integers(0, 2, (n, k)), rng.random((n, k)))
    if output == "sigmoid":
        return rng.random((n, k))
    if output == "tanh":
        return rng.choice([-1.0, 1.0], (n, k))
    return rng.normal(size=(n, k))


def random_network(
    rng: np.random.Generator, layers: list[int], names: list[str], kinks: bool = True
) -> Network:
    """Gaussian weights; with ``kinks``, neuron 0 of each relu/leaky_relu layer wider than one
    neuron gets zero weights and bias, so its z is exactly 0 on every sample."""
    weights = [rng.normal(0.0, 1.0, (o, i)) for i, o in zip(layers, layers[1:])]
    biases = [rng.normal(0.0, 0.5, o) for o in layers[1:]]
    for w, b, name in zip(weights, biases, names):
        if kinks and name in ("relu", "leaky_relu") and len(b) > 1:
            w[0], b[0] = 0.0, 0.0
    return Network(weights, biases, names)


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


# --- 4. optimisers, step by step, with a learning rate change ---

OPTIMIZER_CASES = {
    "sgd": {"name": "sgd"},
    "momentum-0.9": {"name": "momentum", "momentum": 0.9},
    "momentum-0.5": {"name": "momentum", "momentum": 0.5},
    "adam": {"name": "adam"},
    "adam-0.8-0.99-1e-6": {"name": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
}
TORCH_STATE = {
    "momentum": {"velocity": "momentum_buffer"},
    "adam": {"m": "exp_avg", "v": "exp_avg_sq"},
}


def torch_optimizer(
    name: str, groups: list, lr: float, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8
) -> torch.optim.Optimizer:
    """torch.optim's counterpart of the engine's optimiser ``name``."""
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr, betas=(beta1, beta2), eps=eps)
    return torch.optim.SGD(groups, lr=lr, momentum=momentum if name == "momentum" else 0.0)


@pytest.mark.parametrize("case", OPTIMIZER_CASES)
def test_optimizer_steps_match_torch(case: str) -> None:
    """20 steps with gradients over ten decades (so Adam's eps matters in some steps and not
    in others), one parameter whose gradient is 0 at first, one whose gradient is always None
    (frozen: torch skips a parameter whose .grad is None), and lr 0.05 -> 0.01 at step 10.
    Optimiser state (velocity; Adam's m and v) against torch's, after every step."""
    kwargs = dict(OPTIMIZER_CASES[case])
    rng = np.random.default_rng(zlib.crc32(case.encode()))
    params = [rng.normal(size=s) for s in [(3, 4), (3,), (1, 1), (2, 5), (2,)]]
    frozen = params[-1].copy()
    ref = [t(p).requires_grad_() for p in params]
    opt = Optimizer(lr=0.05, **kwargs)
    name = kwargs.pop("name")
    ref_opt = torch_optimizer(name, ref, lr=0.05, **kwargs)
    for step in range(20):
        if step == 10:
            opt.lr = ref_opt.param_groups[0]["lr"] = 0.01
        grads = [rng.normal(size=p.shape) * 10.0 ** rng.uniform(-9, 1) for p in params]
        if step < 5:
            grads[2][...] = 0.0
        grads[-1] = None
        for r, g in zip(ref, grads):
            r.grad = None if g is None else t(g)
        records = opt.step(params, grads, record=True)
        ref_opt.step()
        for i, (p, r) in enumerate(zip(params, ref)):
            assert_close(p, r)
            if grads[i] is None:
                assert records[i] is None
                continue
            state = ref_opt.state[r]
            for ours, theirs in TORCH_STATE.get(name, {}).items():
                assert_close(records[i].internals[ours], state[theirs])
    np.testing.assert_array_equal(params[-1], frozen)


# --- 5. the whole trainer against a hand-written torch training loop ---

TRAINER_CASES = {
    "sgd-full-batch": ("mse", ["tanh", "sigmoid"], {"optimizer": "sgd", "learning_rate": 0.5}),
    "sgd-l2": ("sse", ["relu", "linear"], {"learning_rate": 0.02, "l2": 0.01}),
    "sgd-l1-frozen-biases": (
        "bce",
        ["leaky_relu", "tanh", "sigmoid"],
        {"learning_rate": 0.3, "l1": 0.003, "train_biases": False},
    ),
    "momentum-shuffled": (
        "cce",
        ["tanh", "softmax"],
        {"optimizer": "momentum", "batch_size": 4, "shuffle": True, "seed": 7},
    ),
    "momentum-l1-l2-batches": (
        "mse",
        ["sigmoid", "relu", "tanh"],
        {"optimizer": "momentum", "momentum": 0.5, "l1": 0.001, "l2": 0.02, "batch_size": 3},
    ),
    "momentum-frozen-shuffled": (
        "bce",
        ["relu", "sigmoid"],
        {"optimizer": "momentum", "train_biases": False, "batch_size": 5, "shuffle": True},
    ),
    "adam-full-batch": ("mse", ["relu", "linear"], {"optimizer": "adam", "learning_rate": 0.01}),
    "adam-l2-shuffled": (
        "cce",
        ["leaky_relu", "softmax"],
        {"optimizer": "adam", "learning_rate": 0.01, "l2": 0.01, "batch_size": 4, "shuffle": True},
    ),
    "adam-l1-frozen-betas": (
        "sse",
        ["tanh", "tanh", "tanh"],
        {
            "optimizer": "adam",
            "learning_rate": 0.01,
            "l1": 0.001,
            "train_biases": False,
            "beta1": 0.8,
            "beta2": 0.99,
            "eps": 1e-6,
        },
    ),
    "adam-l1-l2-shuffled": (
        "bce",
        ["sigmoid", "sigmoid"],
        {"optimizer": "adam", "l1": 0.002, "l2": 0.005, "batch_size": 3, "shuffle": True},
    ),
}


@pytest.mark.parametrize("case", TRAINER_CASES)
def test_trainer_matches_torch_training_loop(case: str) -> None:
    """30 steps, lr halved at step 15, batches from trainer.next_batch(): each step's loss, the
    data-loss gradients (trainer.fast) and, at the end, the parameters, all to 1e-12. The
    rounding differences of 30 updates stay below 1e-14 over ten times as many seeds."""
    loss, names, options = TRAINER_CASES[case]
    config = TrainingConfig(**options)
    rng = np.random.default_rng(zlib.crc32(case.encode()))
    k = 3 if loss == "cce" else 2
    layers = [3] + [int(h) for h in rng.integers(2, 6, len(names) - 1)] + [k]
    net = random_network(rng, layers, names, kinks=False)
    x = rng.normal(size=(10, 3))
    y = targets(rng, loss, names[-1], 10, k)
    ref = TorchNet(net, train_biases=config.train_biases)
    groups = [{"params": ref.weights, "weight_decay": config.l2}]
    if config.train_biases:
        groups.append({"params": ref.biases, "weight_decay": 0.0})
    ref_opt = torch_optimizer(
        config.optimizer,
        groups,
        config.learning_rate,
        config.momentum,
        config.beta1,
        config.beta2,
        config.eps,
    )
    initial_biases = [b.copy() for b in net.biases]
    trainer = Trainer(net, loss, config, x, y)
    epoch_rows: list[int] = []
    for step in range(30):
        if step == 15:
            trainer.lr = config.learning_rate / 2
            for group in ref_opt.param_groups:
                group["lr"] = config.learning_rate / 2
        rows = trainer.next_batch()
        epoch_rows += rows.tolist()
        if len(epoch_rows) >= len(x):  # every epoch visits each row once
            assert sorted(epoch_rows) == list(range(len(x)))
            epoch_rows = []
        ref_opt.zero_grad()
        _, _, value = ref.loss(x[rows], y[rows], loss)
        value.backward()
        assert trainer.step() == pytest.approx(value.item(), rel=RTOL, abs=ATOL), step
        for l in range(len(names)):
            assert_close(trainer.fast.dW[l], ref.weights[l].grad)
            if config.train_biases:
                assert_close(trainer.fast.db[l], ref.biases[l].grad)
        with torch.no_grad():
            for w in ref.weights:
                w.grad += config.l1 * torch.sign(w)
        ref_opt.step()
    for l in range(len(names)):
        assert_close(trainer.network.weights[l], ref.weights[l])
        assert_close(trainer.network.biases[l], ref.biases[l])
        if not config.train_biases:
            np.testing.assert_array_equal(trainer.network.biases[l], initial_biases[l])
    with torch.no_grad():
        full = ref.loss(x, y, loss)[2].item()
    per_sample = trainer.evaluate(trainer.x_train, trainer.y_train)[0]
    assert per_sample == exactly(full / (len(x) if loss == "sse" else 1))


def test_adam_counts_steps_per_parameter_like_torch() -> None:
    """A parameter that gets its first gradient late starts its own bias correction."""
    opt = Optimizer("adam", lr=0.1)
    w, b = np.ones(1), np.ones(1)
    tw, tb = (torch.ones(1, dtype=torch.float64, requires_grad=True) for _ in range(2))
    ref = torch.optim.Adam([tw, tb], lr=0.1)
    for grads in ([np.array([0.5]), None], [np.array([0.5]), np.array([0.5])]):
        opt.step([w, b], grads)
        for p, g in zip((tw, tb), grads):
            p.grad = None if g is None else torch.tensor(g)
        ref.step()
    assert w[0] == pytest.approx(tw.item(), rel=1e-15)
    assert b[0] == pytest.approx(tb.item(), rel=1e-15)


# --- 4. what lecture mode adds to a traced step ---


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_traced_loss_after_the_step_and_per_sample_parts_match_torch(optimizer: str) -> None:
    from core.trace.iteration import trace_iteration

    rng = np.random.default_rng(7)
    net = random_network(rng, [3, 5, 4, 2], ["tanh", "sigmoid", "sigmoid"], kinks=False)
    x, y = rng.normal(size=(6, 3)), rng.random((6, 2))
    config = TrainingConfig(optimizer=optimizer, learning_rate=0.05, momentum=0.9)
    opt = Optimizer(optimizer, lr=0.05, momentum=0.9)
    trace = trace_iteration(net, "mse", opt, config, x, y)
    ref = TorchNet(net)
    params = [p for pair in zip(ref.weights, ref.biases) for p in pair]
    torch_opt = {
        "sgd": lambda: torch.optim.SGD(params, lr=0.05),
        "momentum": lambda: torch.optim.SGD(params, lr=0.05, momentum=0.9),
        "adam": lambda: torch.optim.Adam(params, lr=0.05),
    }[optimizer]()
    _, _, before = ref.loss(x, y, "mse")
    before.backward()
    torch_opt.step()
    with torch.no_grad():
        _, _, after = ref.loss(x, y, "mse")
    assert trace.loss == exactly(before.item())
    assert trace.loss_after == exactly(after.item())  # the "result" frame's L⁺
    for s in range(len(x)):  # each sample's share of dL/dw: its own loss term's gradient
        one = TorchNet(net)
        _, _, share = one.loss(x[s : s + 1], y[s : s + 1], "mse")
        (share / len(x)).backward()  # a mean loss: the batch's 1/n is in each share
        parts = trace.sample_gradients(s)
        for l in range(len(net.weights)):
            assert_close(parts[0][l], one.weights[l].grad)
            assert_close(parts[1][l], one.biases[l].grad)
