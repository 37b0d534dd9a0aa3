"""Losses: the value L of a batch and the output delta dL/dz, side by side.

For a batch of n samples with k outputs, z and a are the output layer's
pre-activations and activations (shape (n, k)) and y the targets:

- ``mse``: L = 1/(n k) sum (y - a)^2
- ``sse``: L = 1/2 sum (y - a)^2, the textbook E = 1/2 sum (t - o)^2
- ``bce``: L = -1/(n k) sum [y log a + (1 - y) log(1 - a)], a = sigmoid(z),
  computed from the logits z (see :func:`bce_elements`)
- ``cce``: L = -1/n sum_samples sum_k y_k log softmax(z)_k, via log-sum-exp

``delta`` is dL/dz of that batch loss, so it carries the 1/n (or 1/(n k))
factor: dL/dW = delta^T a_prev needs no further averaging.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.engine.activations import Activation


def _mse_terms(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (y - a) ** 2 / y.size


def _mse_grad_a(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 2.0 * (a - y) / y.size


def _sse_terms(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 0.5 * (y - a) ** 2


def _sse_grad_a(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return a - y


def bce_elements(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """-[y log sigma(z) + (1 - y) log(1 - sigma(z))] element by element, from the logits:

    (1 - y) max(z, 0) + y max(-z, 0) + log(1 + e^(-|z|)), a sum of non-negative
    terms (for 0 <= y <= 1), so nothing cancels for any z or target.
    """
    return (1.0 - y) * np.maximum(z, 0.0) + y * np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def _bce_terms(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return bce_elements(z, y) / y.size


def _bce_delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (a - y) / y.size


def _cce_terms(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -y * log_softmax / y.shape[0]


def _cce_delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (a - y) / y.shape[0]


@dataclass(frozen=True)
class Loss:
    """A loss: its per-element terms (which sum to L) and its output delta.

    Losses that pair with one output activation (bce with sigmoid, cce with
    softmax) give dL/dz directly from the logits; the others give dL/da,
    and the output delta is dL/da * f'(z).
    """

    name: str
    formula: str
    terms: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    grad_a: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
    direct_delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
    needs_output: str | None = None

    def value(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
        """The data loss L of the batch."""
        return float(self.terms(z, a, y).sum())

    def target_problem(self, y: np.ndarray) -> tuple[int, int, str] | None:
        """The first target of ``y`` (n, k) this loss is not defined for, as (row, column,
        why), or None: bce needs y in [0, 1], cce one-hot rows (one 1, the rest 0)."""
        if self.name == "bce":
            bad = (y < 0) | (y > 1)
            why = "binary cross-entropy needs targets from 0 to 1 (labels 0 and 1)"
        elif self.name == "cce":
            hot = y == 1
            bad = ~(hot | (y == 0)) | (hot.sum(axis=1, keepdims=True) != 1)
            why = "cross-entropy needs one-hot targets: one 1 per row, every other value 0"
        else:
            return None
        if not bad.any():
            return None
        i, j = np.argwhere(bad)[0]
        return int(i), int(j), f"{y[i, j]:g} is not allowed: {why}"

    def delta(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, f: Activation) -> np.ndarray:
        """Output delta dL/dz = dL/da * f'(z), or the direct form for bce/cce."""
        if self.direct_delta is not None:
            return self.direct_delta(z, a, y)
        return self.grad_a(a, y) * f.df(z)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "1/(n k) sum (y - a)^2", _mse_terms, grad_a=_mse_grad_a),
        Loss("sse", "1/2 sum (y - a)^2", _sse_terms, grad_a=_sse_grad_a),
        Loss(
            "bce",
            "-1/(n k) sum [y log a + (1 - y) log(1 - a)]",
            _bce_terms,
            direct_delta=_bce_delta,
            needs_output="sigmoid",
        ),
        Loss(
            "cce",
            "-1/n sum y log softmax(z)",
            _cce_terms,
            direct_delta=_cce_delta,
            needs_output="softmax",
        ),
    )
}


def get(name: str) -> Loss:
    """The loss called ``name``; a clear ValueError for an unknown name."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None


def pairing_problem(loss: str, output_activation: str, n_outputs: int) -> str | None:
    """Why ``loss`` cannot follow an output layer of ``output_activation``, or None."""
    if output_activation == "softmax" and loss != "cce":
        return f"a softmax output needs the cce loss, not {loss}"
    if loss == "cce" and output_activation != "softmax":
        return f"the cce loss needs a softmax output layer, not {output_activation}"
    if loss == "bce" and output_activation != "sigmoid":
        return f"the bce loss needs a sigmoid output layer, not {output_activation}"
    if output_activation == "softmax" and n_outputs < 2:
        return "a softmax output layer needs at least 2 neurons"
    return None
