"""Layers that have stopped learning: saturated (tanh, sigmoid) or dead (ReLU).

Backpropagation multiplies every delta by f'(z).  Where a layer's z are so large that
f'(z) is about 0 for nearly every training row and neuron (tanh and sigmoid at their
flat ends), or exactly 0 (a ReLU whose z is negative on every row), almost no gradient
flows through that layer: the loss stays flat while nothing diverges.  The hints here
say which layer, how much, and what usually helps, in one line each.
"""

from __future__ import annotations

import numpy as np

from core.engine.network import Network
from core.engine.trainer import quiet

SATURATED = 0.9  # a layer is saturated when this share of its f'(z) is about 0 ...
FLAT = 1e-3  # ... "about 0": below this share of f' at its steepest
STEEPEST = {"tanh": 1.0, "sigmoid": 0.25}
ROWS = 2_000  # enough rows to judge a layer, few enough to stay quick on large sets


def layer_hints(network: Network, x: np.ndarray) -> list[str]:
    """At most two lines: the hidden layers that have stopped passing gradients back on
    the rows ``x`` (saturated tanh or sigmoid layers; ReLU layers whose every neuron is
    dead), with what usually helps; [] when every layer is healthy."""
    if len(x) == 0:
        return []
    with quiet():
        fp = network.forward(x[:ROWS])
    saturated, dead = [], []
    for l in range(1, len(network.layers) - 1):  # the hidden layers
        name, z = network.activation_names[l - 1], fp.z[l - 1]
        if name in STEEPEST:
            flat = network.functions[l - 1].df(z) < FLAT * STEEPEST[name]
            if (share := float(np.mean(flat))) >= SATURATED:
                saturated.append((l, share))
        elif name == "relu" and not np.any(z > 0):
            dead.append(l)
    hints = []
    if saturated:
        shares = " and ".join(f"{share:.0%}" for _, share in saturated)
        hints.append(
            f"{_layers([l for l, _ in saturated])} saturated: {shares} of the outputs sit "
            "where f′(z) ≈ 0, so almost no gradient flows back. A smaller learning rate or "
            "new, smaller weights usually help."
        )
    if dead:
        hints.append(
            f"{_layers(dead)} dead: every ReLU outputs 0 on every training row, so no "
            "gradient flows back. A smaller learning rate, new weights or leaky ReLU usually "
            "help."
        )
    return hints


def _layers(numbers: list[int]) -> str:
    """'Hidden layer 2 is', 'Hidden layers 1 and 2 are', 'Hidden layers 1, 2 and 3 are'."""
    if len(numbers) == 1:
        return f"Hidden layer {numbers[0]} is"
    listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
    return f"Hidden layers {listed} are"
