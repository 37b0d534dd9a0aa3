"""Small session dictionaries shared by the session tests."""

from __future__ import annotations

from core.session.format import (
    FORMAT,
)

XOR_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_TARGETS = [[0], [1], [1], [0]]


def minimal() -> dict:
    """The smallest valid session: a 2-2-1 network on inline XOR data."""
    return {
        "format": FORMAT,
        "network": {"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"]},
        "data": {"inline": {"inputs": XOR_INPUTS, "targets": XOR_TARGETS}},
    }


def with_weights(weights: list, biases: list) -> dict:
    d = minimal()
    d["network"]["weights"], d["network"]["biases"] = weights, biases
    return d
