"""Network shapes, initialisers, optimiser rules, architecture edits and size limits."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from core.engine import activations, initializers
from core.engine.network import MAX_NEURONS, Network, check_size
from core.engine.optimizers import Optimizer


def _net() -> Network:
    return Network.initialized([2, 3, 4, 1], ["tanh", "relu", "sigmoid"], "xavier_uniform", 0)


def test_notation_weights_l_i_j_is_from_j_to_i():
    net = Network([np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])], [np.zeros(3)], ["linear"])
    assert net.layers == [2, 3]
    z = net.forward(np.array([[1.0, 0.0]])).z[0]
    np.testing.assert_array_equal(z, [[1.0, 3.0, 5.0]])  # column j = 0 of W feeds every i


@pytest.mark.parametrize("scheme", initializers.SCHEMES)
def test_initialisers_are_seeded_and_scaled(scheme):
    a = initializers.init_parameters(scheme, [50, 40, 30], seed=3)
    b = initializers.init_parameters(scheme, [50, 40, 30], seed=3)
    c = initializers.init_parameters(scheme, [50, 40, 30], seed=4)
    for u, v in zip(a[0], b[0]):
        np.testing.assert_array_equal(u, v)
    assert all(np.all(bias == 0) for bias in a[1])
    w = a[0][0]
    assert w.shape == (40, 50)
    if scheme == "zeros":
        assert np.all(w == 0)
        return
    assert not np.array_equal(w, c[0][0])
    if scheme == "uniform01":
        assert w.min() >= 0 and w.max() < 1
    elif scheme == "uniform":
        assert w.min() >= -0.5 and w.max() < 0.5
    elif scheme == "xavier_uniform":
        assert np.abs(w).max() <= np.sqrt(6 / 90)
    elif scheme == "he_uniform":
        assert np.abs(w).max() <= np.sqrt(6 / 50)
    elif scheme == "xavier_normal":
        assert np.std(w) == pytest.approx(np.sqrt(2 / 90), rel=0.1)
    elif scheme == "he_normal":
        assert np.std(w) == pytest.approx(np.sqrt(2 / 50), rel=0.1)


def test_activation_derivatives_at_zero_follow_pytorch():
    z = np.array([0.0])
    assert activations.get("relu").df(z)[0] == 0.0
    assert activations.get("leaky_relu").df(z)[0] == 0.01
    assert activations.get("sigmoid").df(z)[0] == 0.25
    with np.errstate(over="raise"):
        s = activations.sigmoid(np.array([-1e308, -800.0, 800.0, 1e308]))
    assert s[0] < 1e-300 and s[-1] == 1.0


def test_unknown_names_are_refused_clearly():
    with pytest.raises(ValueError, match="unknown activation 'sigmoidd'"):
        activations.get("sigmoidd")
    with pytest.raises(ValueError, match="unknown initialiser"):
        initializers.init_parameters("glorot", [2, 1], 0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        Optimizer("rmsprop")
    with pytest.raises(ValueError, match="only allowed on the output layer"):
        Network.initialized([2, 3, 1], ["softmax", "sigmoid"], "zeros", 0)


def test_optimiser_rules_by_hand():
    g1, g2 = np.array([0.5, -1.0]), np.array([0.25, 2.0])
    w = np.array([1.0, 2.0])
    opt = Optimizer("sgd", lr=0.1)
    opt.step([w], [g1])
    np.testing.assert_allclose(w, [0.95, 2.1])

    w = np.array([1.0, 2.0])
    opt = Optimizer("momentum", lr=0.1, momentum=0.9)
    opt.step([w], [g1])
    opt.step([w], [g2])
    v = 0.9 * g1 + g2
    np.testing.assert_allclose(w, np.array([1.0, 2.0]) - 0.1 * g1 - 0.1 * v)

    w0 = np.array([1.0, 2.0])
    w = w0.copy()
    opt = Optimizer("adam", lr=0.01)
    records = opt.step([w], [g1], record=True)
    m, v = 0.1 * g1, 0.001 * g1**2
    m_hat, v_hat = m / 0.1, v / 0.001
    np.testing.assert_allclose(w, w0 - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-15)
    np.testing.assert_allclose(records[0].update, w - w0, rtol=1e-15)
    np.testing.assert_allclose(records[0].internals["m_hat"], m_hat)
    np.testing.assert_allclose(records[0].internals["v_hat"], v_hat)


def test_insert_and_remove_hidden_layers_keep_what_fits():
    net = _net()
    old = net.copy()
    net.insert_layer(2, 5, "tanh", "xavier_uniform", np.random.default_rng(0))
    assert net.layers == [2, 3, 5, 4, 1]
    assert net.activation_names == ["tanh", "tanh", "relu", "sigmoid"]
    np.testing.assert_array_equal(net.weights[0], old.weights[0])
    np.testing.assert_array_equal(net.weights[3], old.weights[2])
    np.testing.assert_array_equal(net.biases[2], old.biases[1])
    net.remove_layer(2, "xavier_uniform", np.random.default_rng(1))
    assert net.layers == [2, 3, 4, 1]
    net.remove_layer(1, "xavier_uniform", np.random.default_rng(1))
    net.remove_layer(1, "xavier_uniform", np.random.default_rng(1))
    assert net.layers == [2, 1]  # zero hidden layers is a valid network
    assert net.forward(np.ones((3, 2))).a[-1].shape == (3, 1)
    with pytest.raises(ValueError, match="cannot remove layer 1"):
        net.remove_layer(1, "zeros", np.random.default_rng(0))
    net.insert_layer(1, 2, "relu", "zeros", np.random.default_rng(0))
    assert net.layers == [2, 2, 1]


def test_add_and_remove_neurons_keep_the_other_weights():
    net = _net()
    old = net.copy()
    net.add_neuron(2, 1, "xavier_uniform", np.random.default_rng(0))
    assert net.layers == [2, 3, 5, 1]
    np.testing.assert_array_equal(net.weights[1][[0, 2, 3, 4]], old.weights[1])
    np.testing.assert_array_equal(net.weights[2][:, [0, 2, 3, 4]], old.weights[2])
    assert net.biases[1][1] == 0.0
    net.remove_neuron(2, 1)
    for u, v in zip(net.parameters(), old.parameters()):
        np.testing.assert_array_equal(u, v)
    net.add_neuron(0, 2, "xavier_uniform", np.random.default_rng(0))  # a new input feature
    assert net.layers == [3, 3, 4, 1]
    np.testing.assert_array_equal(net.weights[0][:, :2], old.weights[0])
    with pytest.raises(ValueError, match="only one neuron"):
        net.remove_neuron(3, 0)


def test_change_activation_keeps_weights():
    net = _net()
    before = [p.copy() for p in net.parameters()]
    net.set_activation(1, "sigmoid")
    assert net.activation_names[0] == "sigmoid"
    for u, v in zip(net.parameters(), before):
        np.testing.assert_array_equal(u, v)
    with pytest.raises(ValueError):
        net.set_activation(2, "softmax")
    assert net.activation_names[1] == "relu"


def test_size_limits_refuse_before_allocating():
    check_size([MAX_NEURONS, 10])
    with pytest.raises(ValueError, match="1 to 4096"):
        check_size([MAX_NEURONS + 1, 10])
    tracemalloc.start()
    with pytest.raises(ValueError, match="50,343,936 parameters; at most 10,000,000"):
        Network.initialized([4096, 4096, 4096, 4096], ["relu"] * 3, "he_normal", 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000  # refused from the sizes alone, nothing allocated
    net = Network.initialized([4096, 2000, 1], ["relu", "linear"], "zeros", 0)
    with pytest.raises(ValueError, match="parameters"):
        net.insert_layer(2, 4096, "relu", "zeros", np.random.default_rng(0))
    assert net.layers == [4096, 2000, 1]
