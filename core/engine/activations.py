"""Activation functions a = f(z) and their derivatives f'(z), by name.

Every function works element-wise on a batch ``z`` of shape (n, k), except
softmax, which normalises each row.  Derivatives at the kinks follow PyTorch:
relu'(0) = 0 and leaky_relu'(0) = 0.01.  Softmax has no element-wise
derivative; it is only allowed on the output layer together with the
categorical cross-entropy loss, whose delta dL/dz = (softmax(z) - y) / n
is computed directly by :mod:`core.engine.losses`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01


SIGMOID_CLIP = 700.0  # exp(700) < max float64, and sigma(-700) ~ 1e-304 is 0 for our purposes


def sigmoid(z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + exp(-z)), with -z capped at 700 so exp never overflows.

    This is the classic formula (bit for bit, wherever |z| < 700), accurate to
    the last digits for every finite z; bce takes its loss from z directly.
    """
    return 1.0 / (1.0 + np.exp(np.minimum(-z, SIGMOID_CLIP)))


def sigmoid_grad(z: np.ndarray) -> np.ndarray:
    """sigma'(z) = sigma(z) (1 - sigma(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_grad(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 - tanh(z)^2."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    """relu(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def relu_grad(z: np.ndarray) -> np.ndarray:
    """relu'(z) = 1 for z > 0, else 0 (0 at the kink, as PyTorch)."""
    return (z > 0).astype(float)


def leaky_relu(z: np.ndarray) -> np.ndarray:
    """leaky_relu(z) = z for z > 0, else 0.01 z."""
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_grad(z: np.ndarray) -> np.ndarray:
    """leaky_relu'(z) = 1 for z > 0, else 0.01 (0.01 at the kink, as PyTorch)."""
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def linear(z: np.ndarray) -> np.ndarray:
    """linear(z) = z (a copy, so callers may keep it)."""
    return np.array(z, dtype=float, copy=True)


def linear_grad(z: np.ndarray) -> np.ndarray:
    """linear'(z) = 1."""
    return np.ones_like(z, dtype=float)


def softmax(z: np.ndarray) -> np.ndarray:
    """softmax(z)_k = exp(z_k - max z) / sum_j exp(z_j - max z), row by row."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _no_elementwise_grad(z: np.ndarray) -> np.ndarray:
    raise ValueError(
        "softmax has no element-wise derivative: it is only used with the cce loss, "
        "whose delta is computed from z directly"
    )


@dataclass(frozen=True)
class Activation:
    """An activation function: its name, f, f', how it is written, and its range.

    ``lo`` and ``hi`` are the two class codes the output takes for binary
    classification targets (0/1 for sigmoid and relu, -1/+1 otherwise); the
    accuracy threshold is their midpoint.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    formula: str
    derivative: str
    lo: float
    hi: float

    @property
    def threshold(self) -> float:
        """Midpoint of the output range, where a binary prediction flips."""
        return 0.5 * (self.lo + self.hi)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            sigmoid,
            sigmoid_grad,
            "1 / (1 + e^(-z))",
            "f(z) (1 - f(z))",
            0.0,
            1.0,
        ),
        Activation("tanh", np.tanh, tanh_grad, "tanh(z)", "1 - f(z)^2", -1.0, 1.0),
        Activation("relu", relu, relu_grad, "max(0, z)", "1 if z > 0 else 0", 0.0, 1.0),
        Activation(
            "leaky_relu",
            leaky_relu,
            leaky_relu_grad,
            "z if z > 0 else 0.01 z",
            "1 if z > 0 else 0.01",
            0.0,
            1.0,
        ),
        Activation("linear", linear, linear_grad, "z", "1", -1.0, 1.0),
        Activation(
            "softmax",
            softmax,
            _no_elementwise_grad,
            "e^(z_k) / sum_j e^(z_j)",
            "(used with cce: delta = a - y)",
            0.0,
            1.0,
        ),
    )
}


def get(name: str) -> Activation:
    """The activation called ``name``; a clear ValueError for an unknown name."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None


def class_codes(y: np.ndarray, output: str) -> tuple[float, float] | None:
    """The (lo, hi) class codes if every target is one, so accuracy applies; else None."""
    if len(y) == 0:
        return None
    f = get(output)
    codes = (f.lo, f.hi)
    if not np.all((y == codes[0]) | (y == codes[1])):
        return None
    if y.shape[1] > 1 and not np.all((y == codes[1]).sum(axis=1) == 1):
        return None
    return codes
