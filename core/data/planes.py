"""What a network computes over its input plane: the output map and every neuron's map.

For 2-D data the app draws, as TensorFlow Playground does, the output (and
each neuron's activation) over a grid of points (x1, x2); the features of
each grid point are computed as for the data, and the whole grid goes
through the network as one batch.  Built-in 2-D sets use Playground's square
[-6, 6]^2; truth tables and inline or CSV data the box around their points.
1-D data gives each neuron a line: its activation along x1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data.dataset import Dataset, apply_features
from core.data.generators import GATES
from core.engine.network import Network
from core.engine.trainer import quiet

EXTENT = 6.0  # Playground's [-6, 6]^2
TABLE_PAD = 0.25  # a table's map extends 25% of its span beyond its points ...
TABLE_MIN_PAD = 0.5  # ... and at least 0.5, so the XOR truth table gets [-0.5, 1.5]^2

Extent = tuple[float, float, float, float]  # x_lo, x_hi, y_lo, y_hi


@dataclass(frozen=True, eq=False)
class Grid:
    """A resolution x resolution grid over [lo, hi]^2, row-major from (lo, lo).

    ``points`` has shape (resolution^2, 2): x1 varies along a row, x2 down the rows.
    """

    lo: float
    hi: float
    resolution: int
    points: np.ndarray


def grid(resolution: int = 100, lo: float = -EXTENT, hi: float = EXTENT) -> Grid:
    """Cell-centred grid points over the square [lo, hi]^2."""
    step = (hi - lo) / resolution
    axis = lo + step * (np.arange(resolution) + 0.5)
    x1, x2 = np.meshgrid(axis, axis)
    return Grid(lo, hi, resolution, np.column_stack([x1.ravel(), x2.ravel()]))


def grid_over(extent: Extent, resolution: int) -> Grid:
    """A grid over ``extent``: row-major, x1 along a row, x2 down the rows.

    A non-square extent stretches the unit grid per axis (Grid's lo/hi then
    describe x1 only; the maps need only ``points`` and ``resolution``).
    """
    x_lo, x_hi, y_lo, y_hi = extent
    if (x_lo, x_hi) == (y_lo, y_hi):
        return grid(resolution, x_lo, x_hi)
    unit = grid(resolution, 0.0, 1.0)
    points = np.array([x_lo, y_lo]) + unit.points * np.array([x_hi - x_lo, y_hi - y_lo])
    return Grid(x_lo, x_hi, resolution, points)


def padded_extent(train: np.ndarray, test: np.ndarray | None) -> Extent:
    """The points' bounding box, each axis padded by max(25% of its span, 0.5)."""
    both = train if test is None or not len(test) else np.vstack([train, test])
    lo, hi = both.min(axis=0), both.max(axis=0)
    pad = np.maximum(TABLE_PAD * (hi - lo), TABLE_MIN_PAD)
    lo, hi = lo - pad, hi + pad
    if both.shape[1] == 1:
        return float(lo[0]), float(hi[0]), 0.0, 1.0
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def raw_points(dataset: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """The training and test points before features: a built-in set's (x1, x2), or a
    table's inputs as given."""
    if dataset.points_train is not None:
        return dataset.points_train, dataset.points_test
    return dataset.x_train, dataset.x_test


def input_extent(dataset: Dataset, builtin: str | None) -> Extent:
    """Where the maps are drawn: Playground's [-6, 6] (per axis) for a built-in set other
    than a truth table, else the box around the points (train and test), padded."""
    train, test = raw_points(dataset)
    if builtin is not None and builtin not in GATES:
        return (
            (-EXTENT, EXTENT, -EXTENT, EXTENT) if train.shape[1] == 2 else (-EXTENT, EXTENT, 0, 1)
        )
    return padded_extent(train, test)


def neuron_maps(
    network: Network, dataset: Dataset, features: list[str], builtin: str | None, resolution: int
) -> list[np.ndarray] | None:
    """a^l of every layer over the data's own input plane (2 inputs) or line (1 input),
    each shaped (n_l, resolution, resolution), layer 0 the inputs; None for other data.

    A table's inputs go in as given; a built-in set's points through ``features``.  On a
    line, x1 runs along each row and every row is the same.
    """
    train, _ = raw_points(dataset)
    if train.shape[1] not in (1, 2):
        return None
    features = (
        list(features) if dataset.points_train is not None else ["x1", "x2"][: train.shape[1]]
    )
    extent = input_extent(dataset, builtin)
    if train.shape[1] == 2:
        return layer_maps(network, features, grid_over(extent, resolution))
    step = (extent[1] - extent[0]) / resolution
    line = extent[0] + step * (np.arange(resolution) + 0.5)
    with quiet():
        a = network.forward(apply_features(line[:, None], features)).a
    return [np.repeat(layer.T[:, None, :], resolution, axis=1) for layer in a]


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
