"""What a network computes over the input plane: the output map and every neuron's map.

For 2-D data the app draws, as TensorFlow Playground does, the output (and
each neuron's activation) over a grid of points (x1, x2); the features of
each grid point are computed as for the data, and the whole grid goes
through the network as one batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data.dataset import apply_features
from core.engine.network import Network
from core.engine.trainer import quiet

EXTENT = 6.0  # Playground's [-6, 6]^2


@dataclass(frozen=True, eq=False)
class Grid:
    """A resolution x resolution grid over [lo, hi]^2, row-major from (lo, lo).

    ``points`` has shape (resolution^2, 2): x1 varies along a row, x2 down the rows.
    """

    lo: float
    hi: float
    resolution: int
    points: np.ndarray


def has_plane(session) -> bool:
    """Whether a session's data are 2-D built-in points, so that every neuron has a map."""
    points = session.dataset.points_train
    return points is not None and points.shape[1] == 2 and "builtin" in session.data


def grid(resolution: int = 100, lo: float = -EXTENT, hi: float = EXTENT) -> Grid:
    """Cell-centred grid points over the square [lo, hi]^2."""
    step = (hi - lo) / resolution
    axis = lo + step * (np.arange(resolution) + 0.5)
    x1, x2 = np.meshgrid(axis, axis)
    return Grid(lo, hi, resolution, np.column_stack([x1.ravel(), x2.ravel()]))


def layer_maps(network: Network, features: list[str], g: Grid) -> list[np.ndarray]:
    """a^l of every layer over the grid, each shaped (n_l, resolution, resolution).

    Layer 0 holds the input features themselves.
    """
    x = apply_features(g.points, features)
    with quiet():
        a = network.forward(x).a
    r = g.resolution
    return [layer.T.reshape(-1, r, r) for layer in a]


def output_map(network: Network, features: list[str], g: Grid) -> np.ndarray:
    """The output a^L over the grid, shaped (k, resolution, resolution)."""
    x = apply_features(g.points, features)
    with quiet():
        out = network.predict(x)
    return out.T.reshape(-1, g.resolution, g.resolution)
