"""Backprop against central differences, for every activation x loss pair."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.checks.gradcheck import gradcheck
from core.engine import activations, losses
from core.engine.network import Network

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
PAIRS = [(loss, out) for loss in ("mse", "sse") for out in HIDDEN] + [
    ("bce", "sigmoid"),
    ("cce", "softmax"),
]


def _targets(rng: np.random.Generator, loss: str, out: str, n: int, k: int) -> np.ndarray:
    if loss == "cce":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "bce":
        return rng.random((n, k))  # soft targets are valid for bce too
    f = activations.get(out)
    return rng.uniform(f.lo, f.hi, (n, k))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pair=st.sampled_from(PAIRS),
    hidden=st.lists(st.integers(1, 5), min_size=0, max_size=3),
    hidden_act=st.sampled_from(HIDDEN),
    n_in=st.integers(1, 4),
    k=st.integers(1, 4),
    n=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_backprop_matches_central_differences(pair, hidden, hidden_act, n_in, k, n, seed):
    loss, out = pair
    if out == "softmax":
        k = max(k, 2)
    rng = np.random.default_rng(seed)
    layers = [n_in, *hidden, k]
    net = Network.initialized(layers, [hidden_act] * len(hidden) + [out], "xavier_normal", seed)
    for b in net.biases:
        b[:] = rng.normal(0, 0.5, b.shape)
    x = rng.normal(0, 1, (n, n_in))
    y = _targets(rng, loss, out, n, k)
    report = gradcheck(net, loss, x, y)
    assert report.passed, report.format()
    assert sum(r.checked for r in report.layers) > 0


@pytest.mark.parametrize(("loss", "out"), PAIRS)
def test_every_pair_on_a_fixed_net(loss, out):
    rng = np.random.default_rng(7)
    k = 3
    net = Network.initialized([3, 4, 3, k], ["tanh", "leaky_relu", out], "xavier_uniform", 1)
    x = rng.normal(size=(5, 3))
    report = gradcheck(net, loss, x, _targets(rng, loss, out, 5, k))
    assert report.passed, report.format()


def test_relu_kinks_are_skipped_and_counted():
    # a hidden relu neuron with z exactly 0 for the sample: its derivative there is a convention
    net = Network([np.array([[1.0, -1.0], [0.5, 0.2]]), np.array([[1.0, 1.0]])],
                  [np.zeros(2), np.zeros(1)], ["relu", "linear"])  # fmt: skip
    x = np.array([[1.0, 1.0]])  # z_1 = 1 - 1 = 0
    report = gradcheck(net, "mse", x, np.array([[0.3]]))
    assert report.passed
    assert report.layers[0].skipped > 0
    assert "skipped" in report.format()


def test_a_wrong_gradient_fails(monkeypatch):
    net = Network.initialized([2, 3, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    x = np.random.default_rng(0).normal(size=(4, 2))
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    real = activations.ACTIVATIONS["tanh"]
    wrong = activations.Activation("tanh", real.f, lambda z: 0.9 * real.df(z), "", "", -1, 1)
    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", wrong)
    report = gradcheck(net, "sse", x, y)
    assert not report.passed
    assert report.layers[0].failures > 0
    assert "FAILED" in report.format()


@pytest.mark.parametrize("z", [-1e3, -745.0, -50.0, 0.0, 50.0, 745.0, 1e3])
def test_stable_losses_for_extreme_logits(z):
    zz = np.array([[z]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        a = activations.sigmoid(zz)
        for y in (0.0, 1.0):
            value = losses.get("bce").value(zz, a, np.array([[y]]))
            expected = max(z, 0.0) - z * y + np.log1p(np.exp(-abs(z)))
            assert np.isfinite(value)
            assert value == pytest.approx(expected, rel=1e-15)


def test_cce_is_stable_for_huge_logits():
    z = np.array([[1e3, -1e3, 0.0]])
    y = np.array([[0.0, 1.0, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = losses.get("cce").value(z, activations.softmax(z), y)
    assert value == pytest.approx(2e3)
