"""The network: weights, biases and activations; forward, backward and edits.

Notation (the app's): layer 0 is the input, and for l = 1..L

    z^l = a^(l-1) W^l^T + b^l,    a^l = f_l(z^l)

on a batch whose rows are samples.  ``weights[l-1]`` is W^l, of shape
(n_l, n_(l-1)): ``weights[l-1][i, j]`` is the weight from neuron j of layer
l-1 to neuron i of layer l.  Backward, with delta^l = dL/dz^l:

    delta^L = dL/da^L * f_L'(z^L)          (or the direct bce/cce form)
    dW^l = delta^l^T a^(l-1),  db^l = sum over samples of delta^l
    delta^(l-1) = (delta^l W^l) * f_(l-1)'(z^(l-1))

This module is the readable reference; :mod:`core.engine.trainer` runs a tuned copy
of the same equations, and the tests hold the two together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine import activations, initializers
from core.engine.losses import Loss

MAX_NEURONS = 4096
MAX_PARAMETERS = 10_000_000
MAX_HIDDEN_LAYERS = 16
MAX_MEMORY = 2 * 10**9  # bytes of arrays training may hold: a laptop's share for one app
PREDICT_BYTES = 64 * 2**20  # z and a of one forward pass in predict (a map's grid, say)


@dataclass(frozen=True)
class ForwardPass:
    """z and a of every layer for one batch: ``a[0]`` is the input x.

    ``z[l-1]`` and ``a[l]`` belong to layer l, each of shape (n, n_l).
    """

    z: list[np.ndarray]
    a: list[np.ndarray]


@dataclass(frozen=True)
class Gradients:
    """delta = dL/dz of every non-input layer and the parameter gradients."""

    delta: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]


class TooLarge(ValueError):
    """Training or evaluation would need more memory than MAX_MEMORY (said in the text)."""


def check_size(layers: list[int]) -> None:
    """Refuse, before allocating, networks too big to draw or train here."""
    if len(layers) < 2:
        raise ValueError("a network needs an input and an output layer")
    if len(layers) > MAX_HIDDEN_LAYERS + 2:
        raise ValueError(
            f"{len(layers) - 2} hidden layers; at most {MAX_HIDDEN_LAYERS} are allowed"
        )
    for l, n in enumerate(layers):
        if not 1 <= n <= MAX_NEURONS:
            raise ValueError(f"layer {l} has {n} neurons; each layer needs 1 to {MAX_NEURONS}")
    count = parameter_count(layers)
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"the network would have {count:,} parameters; at most {MAX_PARAMETERS:,} are allowed"
        )


def parameter_count(layers: list[int]) -> int:
    """Number of weights and biases of a network with these layer sizes."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layers, layers[1:]))


def rows_bytes(layers: list[int], rows: int) -> int:
    """Bytes of the arrays one pass over ``rows`` rows needs (core.engine.fastpath's
    Workspace): z, a, delta and a scratch array per non-input layer, the inputs, targets."""
    return 8 * rows * (4 * sum(layers[1:]) + layers[0] + layers[-1])


def memory_estimate(layers: list[int], batch_rows: int, eval_rows: int, data_rows: int) -> int:
    """Bytes a trainer's arrays need at their peak, estimated before anything is allocated.

    Two workspaces of a batch (a full one and the epoch's last, shorter one), two of an
    evaluation chunk per split, the parameters seven times (values, gradient, the step's
    gradient, the last finite copy, Adam's two moments, the network's own), and the data
    twice (the data set's arrays and the trainer's contiguous copies).
    """
    passes = 2 * rows_bytes(layers, batch_rows) + 4 * rows_bytes(layers, eval_rows)
    return passes + 8 * 7 * parameter_count(layers) + 16 * data_rows * (layers[0] + layers[-1])


def check_memory(layers: list[int], batch_rows: int, eval_rows: int, data_rows: int) -> None:
    """Raise TooLarge, saying how much, when training would need more than MAX_MEMORY."""
    need = memory_estimate(layers, batch_rows, eval_rows, data_rows)
    if need > MAX_MEMORY:
        raise TooLarge(
            f"training would need about {need / 1e9:.1f} GB of memory, more than the "
            f"{MAX_MEMORY / 1e9:.0f} GB allowed (a batch of {batch_rows:,} rows through "
            f"layers {layers}); use smaller batches or fewer, narrower layers"
        )


class Network:
    """A fully connected network, with one activation per non-input layer."""

    def __init__(
        self,
        weights: list[np.ndarray],
        biases: list[np.ndarray],
        activation_names: list[str],
    ) -> None:
        if not weights:
            raise ValueError("a network needs at least one weight matrix")
        layers = [np.shape(weights[0])[1]] + [np.shape(w)[0] for w in weights]
        check_size(layers)
        if len(biases) != len(weights) or len(activation_names) != len(weights):
            raise ValueError("need one bias vector and one activation per non-input layer")
        self.weights = [np.array(w, dtype=float) for w in weights]
        self.biases = [np.array(b, dtype=float).reshape(-1) for b in biases]
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            if w.shape != (layers[l + 1], layers[l]) or b.shape != (layers[l + 1],):
                raise ValueError(f"weights[{l}] and biases[{l}] do not chain with layer sizes")
        self.activation_names = list(activation_names)
        self._check_activations()

    @classmethod
    def initialized(
        cls, layers: list[int], activation_names: list[str], scheme: str, seed: int
    ) -> Network:
        """A network of ``layers`` sizes drawn from initialiser ``scheme`` with ``seed``."""
        check_size(layers)
        weights, biases = initializers.init_parameters(scheme, layers, seed)
        return cls(weights, biases, activation_names)

    def _check_activations(self) -> None:
        for l, name in enumerate(self.activation_names):
            activations.get(name)
            if name == "softmax" and l != len(self.weights) - 1:
                raise ValueError("softmax is only allowed on the output layer")

    @property
    def layers(self) -> list[int]:
        """Neurons per layer, input first."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    @property
    def functions(self) -> list[activations.Activation]:
        """The activation of each non-input layer."""
        return [activations.get(name) for name in self.activation_names]

    @property
    def n_parameters(self) -> int:
        """Number of weights and biases."""
        return parameter_count(self.layers)

    def parameters(self) -> list[np.ndarray]:
        """W^1, b^1, W^2, b^2, ...: the arrays themselves, in this order."""
        return [p for wb in zip(self.weights, self.biases) for p in wb]

    def copy(self) -> Network:
        """An independent copy (arrays copied)."""
        return Network(self.weights, self.biases, self.activation_names)

    def forward(self, x: np.ndarray) -> ForwardPass:
        """z^l = a^(l-1) W^l^T + b^l and a^l = f(z^l) for every layer."""
        a = [np.asarray(x, dtype=float)]
        z = []
        for w, b, f in zip(self.weights, self.biases, self.functions):
            z.append(a[-1] @ w.T + b)
            a.append(f.f(z[-1]))
        return ForwardPass(z, a)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The output a^L for inputs x; many rows through a wide network go in chunks,
        so that the forward pass's z and a of every layer stay within PREDICT_BYTES."""
        rows = max(1, PREDICT_BYTES // (16 * sum(self.layers)))
        if len(x) <= rows:
            return self.forward(x).a[-1]
        return np.concatenate([self.forward(x[i : i + rows]).a[-1] for i in range(0, len(x), rows)])

    def backward(self, fp: ForwardPass, y: np.ndarray, loss: Loss) -> Gradients:
        """delta, dW and db of the batch data loss by the chain rule, layer by layer."""
        fs = self.functions
        delta = loss.delta(fp.z[-1], fp.a[-1], y, fs[-1])
        deltas, dW, db = [], [], []
        for l in reversed(range(len(self.weights))):
            deltas.append(delta)
            dW.append(delta.T @ fp.a[l])
            db.append(delta.sum(axis=0))
            if l > 0:
                delta = (delta @ self.weights[l]) * fs[l - 1].df(fp.z[l - 1])
        return Gradients(deltas[::-1], dW[::-1], db[::-1])

    # --- architecture edits: keep every trained weight that still fits ---

    def insert_layer(
        self, index: int, size: int, activation: str, scheme: str, rng: np.random.Generator
    ) -> None:
        """Insert a hidden layer of ``size`` neurons so that it becomes layer ``index``.

        The matrices into and out of the new layer are new, from ``scheme``;
        every other weight and bias is kept.
        """
        layers = self.layers
        if not 1 <= index <= len(layers) - 1:
            raise ValueError(f"a hidden layer can be inserted at 1..{len(layers) - 1}, not {index}")
        if activation == "softmax":
            raise ValueError("softmax is only allowed on the output layer")
        new_layers = layers[:index] + [size] + layers[index:]
        check_size(new_layers)
        w_in = initializers.init_matrix(scheme, layers[index - 1], size, rng)
        w_out = initializers.init_matrix(scheme, size, layers[index], rng)
        self.weights[index - 1 : index] = [w_in, w_out]
        self.biases.insert(index - 1, np.zeros(size))
        self.activation_names.insert(index - 1, activation)

    def remove_layer(self, index: int, scheme: str, rng: np.random.Generator) -> None:
        """Remove hidden layer ``index``; its neighbours are joined by new weights."""
        layers = self.layers
        if not 1 <= index <= len(layers) - 2:
            raise ValueError(f"hidden layers are 1..{len(layers) - 2}; cannot remove layer {index}")
        joined = initializers.init_matrix(scheme, layers[index - 1], layers[index + 1], rng)
        self.weights[index - 1 : index + 1] = [joined]
        del self.biases[index - 1]
        del self.activation_names[index - 1]

    def add_neuron(self, layer: int, index: int, scheme: str, rng: np.random.Generator) -> None:
        """Add a neuron at position ``index`` of ``layer``; its own weights are new."""
        layers = self.layers
        if not 0 <= layer < len(layers):
            raise ValueError(f"layers are 0..{len(layers) - 1}, not {layer}")
        if not 0 <= index <= layers[layer]:
            raise ValueError(f"layer {layer} has {layers[layer]} neurons; cannot insert at {index}")
        new_layers = list(layers)
        new_layers[layer] += 1
        check_size(new_layers)
        if layer > 0:  # a new row of incoming weights and a new bias
            fresh = initializers.init_matrix(scheme, layers[layer - 1], layers[layer] + 1, rng)
            self.weights[layer - 1] = np.insert(
                self.weights[layer - 1], index, fresh[index], axis=0
            )
            self.biases[layer - 1] = np.insert(self.biases[layer - 1], index, 0.0)
        if layer < len(layers) - 1:  # a new column of outgoing weights
            fresh = initializers.init_matrix(scheme, layers[layer] + 1, layers[layer + 1], rng)
            self.weights[layer] = np.insert(self.weights[layer], index, fresh[:, index], axis=1)

    def remove_neuron(self, layer: int, index: int) -> None:
        """Remove neuron ``index`` of ``layer`` with its incoming and outgoing weights."""
        layers = self.layers
        if not 0 <= layer < len(layers):
            raise ValueError(f"layers are 0..{len(layers) - 1}, not {layer}")
        if layers[layer] <= 1:
            raise ValueError(f"layer {layer} has only one neuron; remove the layer instead")
        if not 0 <= index < layers[layer]:
            raise ValueError(f"layer {layer} has no neuron {index}")
        if layer > 0:
            self.weights[layer - 1] = np.delete(self.weights[layer - 1], index, axis=0)
            self.biases[layer - 1] = np.delete(self.biases[layer - 1], index)
        if layer < len(layers) - 1:
            self.weights[layer] = np.delete(self.weights[layer], index, axis=1)

    def set_activation(self, layer: int, name: str) -> None:
        """Change the activation of non-input layer ``layer`` (1..L); weights are kept."""
        if not 1 <= layer <= len(self.weights):
            raise ValueError(f"activations belong to layers 1..{len(self.weights)}, not {layer}")
        old = self.activation_names[layer - 1]
        self.activation_names[layer - 1] = name
        try:
            self._check_activations()
        except ValueError:
            self.activation_names[layer - 1] = old
            raise
