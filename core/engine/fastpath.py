"""The tuned training step: the equations of :mod:`core.engine.network`, in place.

Every array a step needs is allocated once per batch size, so a step makes
no new arrays: forward z^l = a^(l-1) W^l^T + b^l, a^l = f(z^l); the output
delta; dW^l = delta^l^T a^(l-1), db^l = sum delta^l; delta^(l-1) =
(delta^l W^l) * f'(z^(l-1)).  Derivatives of sigmoid and tanh are taken from
a (a(1 - a), 1 - a^2), which is the same number as from z.  The tests hold
this module to the readable :class:`core.engine.network.Network` to 1e-12.
"""

from __future__ import annotations

import math

import numpy as np

from core.engine.activations import LEAKY_SLOPE
from core.engine.losses import bce_elements


def _sigmoid(z: np.ndarray, a: np.ndarray) -> None:
    # called under trainer.quiet(): for z < -709, exp(-z) = inf and a = 1/(1 + inf) = 0
    np.negative(z, out=a)
    np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)


def _sigmoid_df(z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    np.subtract(1.0, a, out=out)
    out *= a


def _tanh(z: np.ndarray, a: np.ndarray) -> None:
    np.tanh(z, out=a)


def _tanh_df(z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)


def _relu(z: np.ndarray, a: np.ndarray) -> None:
    np.maximum(z, 0.0, out=a)


def _relu_df(z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    np.greater(z, 0.0, out=out)


def _leaky(z: np.ndarray, a: np.ndarray) -> None:
    np.multiply(z, LEAKY_SLOPE, out=a)
    np.maximum(z, a, out=a)


def _leaky_df(z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    np.greater(z, 0.0, out=out)
    out *= 1.0 - LEAKY_SLOPE
    out += LEAKY_SLOPE


def _linear(z: np.ndarray, a: np.ndarray) -> None:
    np.copyto(a, z)


def _softmax(z: np.ndarray, a: np.ndarray) -> None:
    np.subtract(z, z.max(axis=1, keepdims=True), out=a)
    np.exp(a, out=a)
    a /= a.sum(axis=1, keepdims=True)


# name -> (a = f(z) into a, f'(z) into out given z and a; None where f' = 1 or unused)
KERNELS = {
    "sigmoid": (_sigmoid, _sigmoid_df),
    "tanh": (_tanh, _tanh_df),
    "relu": (_relu, _relu_df),
    "leaky_relu": (_leaky, _leaky_df),
    "linear": (_linear, None),
    "softmax": (_softmax, None),
}


class Workspace:
    """Buffers for one batch size m: z, a, delta of every layer and a scratch.

    ``forward_plan`` and ``backward_plan`` bind, once, each layer's buffers to
    the network's arrays, so a step only walks two short lists of tuples.
    """

    def __init__(self, net: FastNet, layers: list[int], m: int) -> None:
        self.m = m
        self.z = [np.empty((m, n)) for n in layers[1:]]
        self.a = [None] + [np.empty((m, n)) for n in layers[1:]]
        self.delta = [np.empty((m, n)) for n in layers[1:]]
        self.tmp = [np.empty((m, n)) for n in layers[1:]]
        self.x = np.empty((m, layers[0]))
        self.y = np.empty((m, layers[-1]))
        self.forward_plan = [
            (w.T, b, self.z[l], self.a[l + 1], f)
            for l, (w, b, (f, _)) in enumerate(zip(net.weights, net.biases, net.kernels))
        ]
        self.backward_plan = []
        for l in range(len(net.weights) - 1, -1, -1):
            d = self.delta[l]
            hidden = None
            if l > 0:
                df = net.kernels[l - 1][1]
                hidden = (net.weights[l], self.delta[l - 1], df, self.z[l - 1], self.a[l])
                hidden += (self.tmp[l - 1],)
            self.backward_plan.append((l, d, d.T, net.dW[l], net.db[l], hidden))


class FastNet:
    """In-place forward/backward over a network's own weight arrays.

    ``weights`` and ``biases`` are the network's arrays (updated in place by
    the optimiser); ``dW`` and ``db`` hold the last data-loss gradients.
    """

    def __init__(
        self,
        weights: list[np.ndarray],
        biases: list[np.ndarray],
        activation_names: list[str],
        dW: list[np.ndarray],
        db: list[np.ndarray],
    ) -> None:
        self.weights = weights
        self.biases = biases
        self.kernels = [KERNELS[name] for name in activation_names]
        self.dW = dW
        self.db = db

    def workspace(self, m: int) -> Workspace:
        """New buffers for batches of m rows, bound to this network."""
        return Workspace(self, [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights], m)

    def forward(self, ws: Workspace, x: np.ndarray) -> np.ndarray:
        """Fill ws.z and ws.a for inputs x (m rows); returns a^L."""
        ws.a[0] = a = x
        for w_T, b, z, a_out, f in ws.forward_plan:
            np.dot(a, w_T, out=z)
            z += b
            f(z, a_out)
            a = a_out
        return a

    def loss_and_delta(self, ws: Workspace, y: np.ndarray, loss: str) -> float:
        """The batch data loss, and delta^L = dL/dz^L into ws.delta[-1]."""
        a, z, d = ws.a[-1], ws.z[-1], ws.delta[-1]
        np.subtract(a, y, out=d)
        if loss == "sse":
            value = 0.5 * float(np.vdot(d, d))
        elif loss == "mse":
            value = float(np.vdot(d, d)) / d.size
            d *= 2.0 / d.size
        elif loss == "bce":
            value = bce_value(z, y)
            d *= 1.0 / d.size
        else:
            value = cce_value(z, y)
            d *= 1.0 / d.shape[0]
        df = self.kernels[-1][1]
        if loss in ("mse", "sse") and df is not None:
            df(z, a, ws.tmp[-1])
            d *= ws.tmp[-1]
        return value

    def backward(self, ws: Workspace) -> None:
        """dW, db of every layer and the hidden deltas, from ws.delta[-1] back."""
        a = ws.a
        for l, d, d_T, dW, db, hidden in ws.backward_plan:
            np.dot(d_T, a[l], out=dW)
            np.add.reduce(d, axis=0, out=db)
            if hidden is not None:
                w, d_prev, df, z_prev, a_prev, tmp = hidden
                np.dot(d, w, out=d_prev)
                if df is not None:
                    df(z_prev, a_prev, tmp)
                    d_prev *= tmp


def bce_value(z: np.ndarray, y: np.ndarray) -> float:
    """The bce loss from logits, summed element by element (see losses.bce_elements)."""
    return float(bce_elements(z, y).sum()) / z.size


def cce_value(z: np.ndarray, y: np.ndarray) -> float:
    """-1/n sum y log softmax(z), with log softmax = z - max - log sum exp(z - max)."""
    shifted = z - z.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -float(np.vdot(y, log_softmax)) / z.shape[0]


def norm(x: np.ndarray) -> float:
    """Euclidean (Frobenius) norm."""
    return math.sqrt(float(np.vdot(x, x)))
