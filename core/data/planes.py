"""What a network computes over its input plane: the output map and every neuron's map.

For 2-D data the app draws, as TensorFlow Playground does, the output (and
each neuron's activation) over a grid of points (x1, x2); the features of
each grid point are computed as for the data, and the whole grid goes
through the network as one batch.  Built-in 2-D sets use Playground's square
[-6, 6]^2; truth tables and inline or CSV data the box around their points.
1-D data gives each neuron a line: its activation along x1.  A table of more than two
inputs is drawn over a 2-D slice (:class:`Slice`): two inputs vary, every other one is held
at a value (by default its mean over the training rows).

The training process computes them (:func:`plane_maps`), so that drawing never waits for
a forward pass: the neurons' maps as bytes over the activation colour scale (a colour table
turns them into pictures), the output map as it is.  The grids are as fine as a budget of
multiply-adds allows, so the largest networks get coarser maps rather than a frozen window.
"""

from __future__ import annotations

import math
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

MAP_RESOLUTION = 100  # cells across the output map, for a network small enough
THUMBNAIL_RESOLUTION = 24  # cells across a neuron's map
LEAST_MAP_RESOLUTION = 20  # coarser than these says nothing: the budget gives way
LEAST_THUMBNAIL_RESOLUTION = 8
MAP_BUDGET = 50_000_000  # multiply-adds a grid's forward pass may take (~20-50 ms on one core)
CODE_STEPS = 127  # a neuron map's byte: 0..254 for a = -1..1 in steps of 1/127; 255 is NaN
NAN_CODE = 255


@dataclass(frozen=True)
class Slice:
    """The plane through a table's inputs that the maps show: inputs ``axes`` = (i, j)
    vary (i across, j up), every other input k is held at ``held[k]``."""

    axes: tuple[int, int]
    held: tuple[float, ...]

    def __post_init__(self) -> None:
        i, j = self.axes
        d = len(self.held)
        if i == j or not (0 <= i < d and 0 <= j < d):
            raise ValueError(f"a slice needs two different inputs of the {d}, not {i} and {j}")
        if not all(math.isfinite(v) for v in self.held):
            raise ValueError("a slice's held values must be finite numbers")

    def points(self, plane: np.ndarray) -> np.ndarray:
        """The inputs of the plane's points (n, 2): the held values, the axes set."""
        full = np.tile(np.asarray(self.held, dtype=float), (len(plane), 1))
        full[:, list(self.axes)] = plane
        return full


def default_slice(dataset: Dataset) -> Slice | None:
    """Inputs 1 and 2 across and up, the others at their training mean (None: the data
    has a plane or a line of its own, or its inputs are a picture's pixels)."""
    train = raw_points(dataset)[0]
    if train.shape[1] <= 2 or dataset.input_shape is not None:
        return None
    return Slice((0, 1), tuple(float(v) for v in train.mean(axis=0)))


def network_inputs(plane: np.ndarray, features: list[str], cut: Slice | None) -> np.ndarray:
    """What the network takes in at the plane's points: a slice's inputs (a table's, as
    given), else the features of (x1, x2)."""
    return apply_features(plane, features) if cut is None else cut.points(plane)


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


def input_extent(dataset: Dataset, builtin: str | None, cut: Slice | None = None) -> Extent:
    """Where the maps are drawn: Playground's [-6, 6] (per axis) for a built-in set other
    than a truth table, else the box around the points (train and test; a slice's two
    inputs), padded."""
    if dataset.extent is not None and cut is None:
        return dataset.extent  # points drawn on the map: it stays where it was
    train, test = raw_points(dataset)
    if cut is not None:
        train, test = train[:, list(cut.axes)], test[:, list(cut.axes)]
    if builtin is not None and builtin not in GATES:
        return (
            (-EXTENT, EXTENT, -EXTENT, EXTENT) if train.shape[1] == 2 else (-EXTENT, EXTENT, 0, 1)
        )
    return padded_extent(train, test)


def has_plane(dataset: Dataset) -> bool:
    """Whether the data has a plane (2 inputs, or a slice of more, unless they are a
    picture's pixels) or a line (1 input) to draw maps over."""
    return raw_points(dataset)[0].shape[1] >= 1 and dataset.input_shape is None


def neuron_maps(
    network: Network,
    dataset: Dataset,
    features: list[str],
    builtin: str | None,
    resolution: int,
    cut: Slice | None = None,
) -> list[np.ndarray] | None:
    """a^l of every layer over the data's own input plane (2 inputs, or the slice ``cut``
    of more) or line (1 input), each shaped (n_l, resolution, resolution), layer 0 the
    inputs; None for other data.

    A table's inputs go in as given; a built-in set's points through ``features``.  On a
    line, x1 runs along each row and every row is the same.
    """
    train, _ = raw_points(dataset)
    if not has_plane(dataset):
        return None
    features = (
        list(features) if dataset.points_train is not None else ["x1", "x2"][: train.shape[1]]
    )
    if train.shape[1] > 2:
        cut = cut or default_slice(dataset)
        if cut is None:
            return None  # a picture's pixels: no plane of two of them says anything
    extent = input_extent(dataset, builtin, cut)
    if train.shape[1] > 2:  # each input over its training range, -1 to 1, so it shows
        maps = layer_maps(network, features, grid_over(extent, resolution), cut)
        lo, hi = train.min(axis=0), train.max(axis=0)
        span = np.where(hi > lo, hi - lo, 1.0)[:, None, None]
        maps[0] = 2 * (maps[0] - lo[:, None, None]) / span - 1
        return maps
    if train.shape[1] == 2:
        return layer_maps(network, features, grid_over(extent, resolution))
    step = (extent[1] - extent[0]) / resolution
    line = extent[0] + step * (np.arange(resolution) + 0.5)
    with quiet():
        a = network.forward(apply_features(line[:, None], features)).a
    return [np.repeat(layer.T[:, None, :], resolution, axis=1) for layer in a]


def layer_maps(
    network: Network, features: list[str], g: Grid, cut: Slice | None = None
) -> list[np.ndarray]:
    """a^l of every layer over the grid (through the slice ``cut``, if given), each
    shaped (n_l, resolution, resolution).  Layer 0 holds the network's inputs themselves.
    """
    x = network_inputs(g.points, features, cut)
    with quiet():
        a = network.forward(x).a
    r = g.resolution
    return [layer.T.reshape(-1, r, r) for layer in a]


def neuron_map(
    network: Network, features: list[str], g: Grid, layer: int, index: int, cut: Slice | None = None
) -> np.ndarray:
    """a_index^layer over the grid (through the slice ``cut``), shaped (resolution,
    resolution): through the first ``layer`` layers only (layer 0: the input itself)."""
    values = network_inputs(g.points, features, cut)
    if layer:
        head = Network(
            network.weights[:layer], network.biases[:layer], network.activation_names[:layer]
        )
        with quiet():
            values = head.predict(values)
    return values[:, index].reshape(g.resolution, g.resolution)


def output_map(
    network: Network, features: list[str], g: Grid, cut: Slice | None = None
) -> np.ndarray:
    """The output a^L over the grid (through the slice ``cut``), shaped (k, resolution,
    resolution)."""
    x = network_inputs(g.points, features, cut)
    with quiet():
        out = network.predict(x)
    return out.T.reshape(-1, g.resolution, g.resolution)


def multiply_adds(layers: list[int] | tuple[int, ...]) -> int:
    """Multiply-adds of one point's forward pass: sum of n_(l-1) n_l."""
    return sum(a * b for a, b in zip(layers, layers[1:]))


def resolution_for(
    layers: list[int] | tuple[int, ...], finest: int, least: int, budget: int = MAP_BUDGET
) -> int:
    """The finest grid (cells across, at most ``finest``) whose forward pass through a
    network of ``layers`` costs at most ``budget`` multiply-adds; never below ``least``."""
    cells = math.isqrt(budget // max(1, multiply_adds(layers)))
    return max(least, min(finest, cells))


def codes(values: np.ndarray) -> np.ndarray:
    """Activations as bytes for a colour table: rint(127 (clip(a, -1, 1) + 1)), so that
    0 is a = -1, 127 is 0 and 254 is +1; NaN is NAN_CODE."""
    with quiet():
        t = np.clip(np.asarray(values, dtype=float), -1.0, 1.0)
    missing = np.isnan(t)
    out = np.rint((np.where(missing, 0.0, t) + 1.0) * CODE_STEPS).astype(np.uint8)
    out[missing] = NAN_CODE
    return out


def code_values() -> np.ndarray:
    """The activation each byte stands for (NaN for NAN_CODE): for the colour table."""
    return np.append(np.arange(2 * CODE_STEPS + 1) / CODE_STEPS - 1.0, np.nan)


@dataclass(frozen=True, eq=False)
class Maps:
    """What one network's parameters compute over the data's plane (or line), for the views.

    ``neurons[l]`` has shape (n_l, r, r), layer 0 the inputs: :func:`codes` of a^l.
    ``output`` has shape (k, R, R): a^L itself over the output map's grid (None unless the
    data has two inputs).
    """

    neurons: tuple[np.ndarray, ...]
    output: np.ndarray | None


def plane_maps(
    network: Network,
    dataset: Dataset,
    features: list[str],
    builtin: str | None,
    cut: Slice | None = None,
) -> Maps | None:
    """The neurons' maps and the output map of ``network`` on ``dataset`` (None if the data
    has no input plane or line; more than two inputs: over the slice ``cut``, by default
    :func:`default_slice`), each grid as fine as MAP_BUDGET allows."""
    layers = network.layers
    d = raw_points(dataset)[0].shape[1]
    cut = (cut or default_slice(dataset)) if d > 2 else None
    if d > 2 and cut is None:
        return None
    thumb = resolution_for(layers, THUMBNAIL_RESOLUTION, LEAST_THUMBNAIL_RESOLUTION)
    maps = neuron_maps(network, dataset, features, builtin, thumb, cut)
    if maps is None:
        return None
    output = None
    if d >= 2:  # the output view's map, on the same grid
        names = list(features) if dataset.points_train is not None else ["x1", "x2"]
        g = grid_over(input_extent(dataset, builtin, cut), output_resolution(layers))
        output = output_map(network, names, g, cut)
    return Maps(tuple(codes(m) for m in maps), output)


def output_resolution(layers: list[int] | tuple[int, ...]) -> int:
    """Cells across the output map of a network of ``layers``."""
    return resolution_for(layers, MAP_RESOLUTION, LEAST_MAP_RESOLUTION)
