"""Seeded weight initialisers.

A weight matrix W of shape (fan_out, fan_in) is drawn from:

- ``zeros``: W = 0 (shows the symmetry problem: hidden neurons never differ)
- ``uniform01``: U[0, 1)
- ``uniform``: U(-0.5, 0.5)
- ``xavier_uniform``: U(-r, r), r = sqrt(6 / (fan_in + fan_out))
- ``xavier_normal``: N(0, s^2), s = sqrt(2 / (fan_in + fan_out))
- ``he_uniform``: U(-r, r), r = sqrt(6 / fan_in)
- ``he_normal``: N(0, s^2), s = sqrt(2 / fan_in)

Biases start at 0 for every scheme.  Layers are drawn in order from one
``numpy.random.default_rng(seed)``, so a seed fixes the whole network.
"""

from __future__ import annotations

import numpy as np

SCHEMES = (
    "zeros",
    "uniform01",
    "uniform",
    "xavier_uniform",
    "xavier_normal",
    "he_uniform",
    "he_normal",
)


def init_matrix(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """A (fan_out, fan_in) weight matrix drawn from ``scheme``."""
    shape = (fan_out, fan_in)
    if scheme == "zeros":
        return np.zeros(shape)
    if scheme == "uniform01":
        return rng.random(shape)
    if scheme == "uniform":
        return rng.uniform(-0.5, 0.5, shape)
    if scheme == "xavier_uniform":
        r = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-r, r, shape)
    if scheme == "xavier_normal":
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), shape)
    if scheme == "he_uniform":
        r = np.sqrt(6.0 / max(fan_in, 1))
        return rng.uniform(-r, r, shape)
    if scheme == "he_normal":
        return rng.normal(0.0, np.sqrt(2.0 / max(fan_in, 1)), shape)
    raise ValueError(f"unknown initialiser {scheme!r}; choose one of {', '.join(SCHEMES)}")


def init_parameters(
    scheme: str, layers: list[int], seed: int
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights and biases for a network of ``layers`` sizes, from one seed."""
    rng = np.random.default_rng(seed)
    weights = [init_matrix(scheme, n_in, n_out, rng) for n_in, n_out in zip(layers, layers[1:])]
    biases = [np.zeros(n_out) for n_out in layers[1:]]
    return weights, biases
