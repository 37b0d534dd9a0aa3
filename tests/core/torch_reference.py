"""PyTorch references for the cross-checks: the same network in torch, and exact comparisons.

Importing this module skips the importing test module where torch is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.engine import activations
from core.engine.network import Network

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL = ATOL = 1e-12
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
