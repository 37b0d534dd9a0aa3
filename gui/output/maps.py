"""What the output view draws, as pure NumPy: the plan for a session and the map colours.

A session's data decides the picture: a heatmap over the input plane for 2-D
data (built-in sets over Playground's [-6, 6]^2, truth tables and 2-input
tables over their padded bounding box), the fitted curve for 1-D data, and a
message otherwise.  The heatmap colours come from lookup tables built once from
:mod:`gui.presentation.palette`, so a refresh is a few whole-array operations and one
``np.take`` into a reused RGBA buffer: no Python per cell.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from core.data import planes
from core.data.dataset import Dataset
from core.data.planes import Extent
from core.engine import activations
from core.engine.trainer import quiet
from gui.presentation.palette import ACTIVATIONS, GREY, DivergingScale, hex_rgb

# Okabe & Ito's colour-blind-safe categorical palette, one colour per class.
CLASS_COLORS = tuple(
    hex_rgb(c)
    for c in (
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
        "#000000",
        "#332288",  # past Okabe & Ito's eight: Tol's indigo and a brown, for up to 10 classes
        "#661100",
    )
)
NAN_RGBA = (128, 128, 128, 255)  # as palette.DivergingScale draws NaN
SHADES = 255  # entries of the diverging lookup table (odd: the middle one is exactly grey)
LEVELS = 32  # confidence levels per class in the categorical lookup table
CURVE_POINTS = 300


@dataclass(frozen=True)
class ValueScale:
    """Where values sit on the diverging scale: t = (v - centre) / half, clamped to [-1, 1]."""

    centre: float
    half: float

    @classmethod
    def for_activation(cls, name: str) -> ValueScale:
        """Centred at the midpoint of the activation's class codes lo/hi (0.5 for sigmoid)."""
        a = activations.get(name)
        return cls(0.5 * (a.lo + a.hi), 0.5 * (a.hi - a.lo))

    @classmethod
    def symmetric(cls, values: np.ndarray) -> ValueScale:
        """Centred at 0, reaching the largest |value| (for input features such as x1^2)."""
        with quiet():
            top = float(np.nanmax(np.abs(values))) if np.size(values) else 0.0
        return cls(0.0, top if np.isfinite(top) and top > 0 else 1.0)

    @property
    def lo(self) -> float:
        """The value drawn with the negative end of the scale."""
        return self.centre - self.half

    @property
    def hi(self) -> float:
        """The value drawn with the positive end of the scale."""
        return self.centre + self.half

    def position(self, values: np.ndarray) -> np.ndarray:
        """t in [-1, 1] for each value (NaN stays NaN)."""
        with quiet():
            return np.clip((np.asarray(values, dtype=float) - self.centre) / self.half, -1, 1)


@dataclass(frozen=True, eq=False)
class OutputPlan:
    """What the view shows for a session.

    ``mode`` is "map" (heatmap over ``extent``), "curve" (y over x in
    ``extent[:2]``, y range ``extent[2:]``), "images" (classes of pictures: the confusion
    matrix, gui.output.confusion) or "message".  ``features`` turn
    raw points into network inputs.  Points are coloured by ``values`` on the
    output scale when ``classes`` is None, else by class with CLASS_COLORS.
    """

    mode: str
    message: str = ""
    features: tuple[str, ...] = ()
    extent: Extent = (-planes.EXTENT, planes.EXTENT, -planes.EXTENT, planes.EXTENT)
    axis_names: tuple[str, str] = ("x1", "x2")
    points_train: np.ndarray | None = None
    points_test: np.ndarray | None = None
    values_train: np.ndarray | None = None
    values_test: np.ndarray | None = None
    classes_train: np.ndarray | None = None
    classes_test: np.ndarray | None = None
    class_names: tuple[str, ...] = ()
    slice: planes.Slice | None = None  # the plane through a table of more than two inputs
    held: str = ""  # what the slice holds, under the axis: "held: x3 = 0.5, x4 = 1.2"


def plan_for(
    dataset: Dataset, features: list[str], builtin: str | None = None, cut=None
) -> OutputPlan:
    """The plan for a dataset: images (classes of pictures), map, curve or message
    (``builtin`` is the data set's name; ``cut`` the slice of a table of more than two
    inputs, by default planes.default_slice)."""
    if dataset.input_shape is not None and dataset.kind == "classification":
        return OutputPlan("images", features=tuple(dataset.input_names))
    points = dataset.points_train
    if points is not None and points.shape[1] == 2:
        extent = planes.input_extent(dataset, builtin)
        return _map_plan(dataset, tuple(features), extent, points, dataset.points_test)
    if points is not None:
        return _curve_plan(dataset, tuple(features), points, dataset.points_test, builtin)
    return _table_plan(dataset, cut)


def _colouring(dataset: Dataset, y_train: np.ndarray, y_test: np.ndarray) -> dict:
    """Point colours: by value (one target column) or by class (builtin classes or one-hot)."""
    if y_train.shape[1] == 1:
        return {"values_train": y_train[:, 0], "values_test": y_test[:, 0]}
    if dataset.classes_train is not None:
        c_train, c_test = dataset.classes_train, dataset.classes_test
    else:
        c_train, c_test = y_train.argmax(axis=1), y_test.argmax(axis=1)
    return {
        "classes_train": c_train,
        "classes_test": c_test,
        "class_names": tuple(dataset.target_names),
    }


def axis_name(dataset: Dataset, name: str) -> str:
    """An input's name on an axis, marked when the input is standardised (its z-score)."""
    return f"{name} (z-score)" if dataset.standardized else str(name)


def _map_plan(
    dataset: Dataset,
    features: tuple,
    extent: Extent,
    train: np.ndarray,
    test: np.ndarray,
    names: tuple[str, str] | None = None,
) -> OutputPlan:
    if names is None:
        names = ("x1", "x2") if dataset.points_train is not None else dataset.input_names[:2]
    return OutputPlan(
        "map",
        features=features,
        extent=extent,
        axis_names=(axis_name(dataset, names[0]), axis_name(dataset, names[1])),
        points_train=train,
        points_test=test,
        **_colouring(dataset, dataset.y_train, dataset.y_test),
    )


def _curve_plan(
    dataset: Dataset,
    features: tuple,
    x_train: np.ndarray,
    x_test: np.ndarray,
    builtin: str | None = None,
) -> OutputPlan:
    """y against x: the points are (x, target); y spans the targets padded by 25%."""
    y_train, y_test = dataset.y_train[:, 0], dataset.y_test[:, 0]
    x_lo, x_hi = planes.input_extent(dataset, builtin)[:2]
    y_lo, y_hi = planes.padded_extent(np.concatenate([y_train, y_test])[:, None], None)[:2]
    return OutputPlan(
        "curve",
        features=features,
        extent=(x_lo, x_hi, y_lo, y_hi),
        axis_names=(axis_name(dataset, dataset.input_names[0]), str(dataset.target_names[0])),
        points_train=np.column_stack([x_train[:, 0], y_train]),
        points_test=np.column_stack([x_test[:, 0], y_test]),
    )


def _table_plan(dataset: Dataset, cut: planes.Slice | None = None) -> OutputPlan:
    """Inline or CSV rows: a map for 2 inputs (or a slice of more), a curve for 1, else a
    message."""
    d, k = dataset.x_train.shape[1], dataset.y_train.shape[1]
    one_value = k == 1 or dataset.kind == "classification"
    if d > 2 and one_value and (cut or planes.default_slice(dataset)):
        cut = cut or planes.default_slice(dataset)
        axes, names = list(cut.axes), dataset.input_names
        extent = planes.input_extent(dataset, None, cut)
        train, test = dataset.x_train[:, axes], dataset.x_test[:, axes]
        shown = (names[axes[0]], names[axes[1]])
        plan = _map_plan(dataset, tuple(names), extent, train, test, shown)
        return dataclasses.replace(plan, slice=cut, held=held_text(names, cut))
    if d == 2 and one_value:
        train, test = dataset.x_train, dataset.x_test
        extent = planes.input_extent(dataset, None)
        return _map_plan(dataset, ("x1", "x2"), extent, train, test)
    if d == 1 and k == 1:
        return _curve_plan(dataset, ("x1",), dataset.x_train, dataset.x_test)
    inputs = f"{d} input" + ("s" if d != 1 else "")
    targets = "" if one_value else f" and {k} target values"
    return OutputPlan(
        "message",
        message=f"The output map needs 2-D or 1-D data; this session's data has {inputs}"
        f"{targets} from a table.",
    )


def held_text(names: tuple[str, ...], cut: planes.Slice, most: int = 3) -> str:
    """What a slice holds, for a line under its axis: "held: x3 = 0.5, x4 = 1.25"; past
    ``most`` inputs, how many."""
    held = [k for k in range(len(cut.held)) if k not in cut.axes]
    if len(held) > most:
        return f"{len(held)} other inputs held at the Data settings' sliders"
    return "held: " + ", ".join(f"{names[k]} = {held_value(cut.held[k])}" for k in held)


def held_value(value: float) -> str:
    """A held value as the slice shows it: 3 significant digits, and 0 for a mean of
    standardised inputs that is 0 but for rounding (1e-17)."""
    return "0" if abs(value) < 1e-9 else f"{value:.3g}"


def point_colors(
    plan: OutputPlan, scale: ValueScale, test: bool, colours: DivergingScale = ACTIVATIONS
) -> np.ndarray:
    """RGBA (n, 4) uint8 of the training (or test) points, on the map's scale (in
    ``colours``) or by class."""
    classes = plan.classes_test if test else plan.classes_train
    if classes is not None:
        rgb = np.asarray(CLASS_COLORS)[np.asarray(classes) % len(CLASS_COLORS)]
        return np.column_stack([rgb, np.full(len(rgb), 255)]).astype(np.uint8)
    values = plan.values_test if test else plan.values_train
    return colours.colors(scale.position(values))


class DivergingShader:
    """One value per cell -> RGBA on ``colours`` (a palette's activation scale), through a
    lookup table of SHADES."""

    def __init__(self, colours: DivergingScale = ACTIVATIONS) -> None:
        self.colours = colours
        lut = colours.colors(np.linspace(-1.0, 1.0, SHADES))
        self.lut = np.vstack([lut, np.array([NAN_RGBA], dtype=np.uint8)])
        self._t = np.empty(0)
        self._index = np.empty(0, dtype=np.intp)
        self.rgba = np.empty((0, 0, 4), dtype=np.uint8)

    def _buffers(self, shape: tuple[int, ...]) -> None:
        if self._t.shape != shape:
            self._t = np.empty(shape)
            self._index = np.empty(shape, dtype=np.intp)
            self.rgba = np.empty(shape + (4,), dtype=np.uint8)

    def shade(self, values: np.ndarray, scale: ValueScale, discretize: bool) -> np.ndarray:
        """RGBA (r, r, 4) into the reused buffer; ``discretize`` keeps the two ends only."""
        self._buffers(values.shape)
        t = self._t
        with quiet():
            np.subtract(values, scale.centre, out=t)
            t /= scale.half
            nan = np.isnan(t)
            if discretize:
                np.copysign(1.0, t, out=t)  # t >= 0 (also +0.0) -> +1, else -1
            np.clip(t, -1.0, 1.0, out=t)
            t += 1.0
            t *= 0.5 * (SHADES - 1)
            np.rint(t, out=t)
            t[nan] = SHADES
            np.copyto(self._index, t, casting="unsafe")
        return np.take(self.lut, self._index, axis=0, out=self.rgba)


class ClassShader:
    """k outputs per cell -> the argmax class's colour, from grey (unsure) to full (certain)."""

    def __init__(self) -> None:
        mix = np.linspace(0.0, 1.0, LEVELS)[None, :, None]
        colors = np.asarray(CLASS_COLORS, dtype=float)[:, None, :]
        rgb = np.rint(np.asarray(GREY) * (1.0 - mix) + colors * mix).reshape(-1, 3)
        lut = np.column_stack([rgb, np.full(len(rgb), 255)]).astype(np.uint8)
        self.lut = np.vstack([lut, np.array([NAN_RGBA], dtype=np.uint8)])
        self.rgba = np.empty((0, 0, 4), dtype=np.uint8)

    def classes(self, values: np.ndarray) -> np.ndarray:
        """The predicted class of each cell: argmax over the k outputs."""
        return np.argmax(values, axis=0)

    def confidence(self, values: np.ndarray, scale: ValueScale) -> np.ndarray:
        """0 (the k outputs equal) .. 1 (the top output at its class code hi)."""
        k = values.shape[0]
        with quiet():
            top = (values.max(axis=0) - scale.lo) / (scale.hi - scale.lo)
            return np.clip((top - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)

    def shade(self, values: np.ndarray, scale: ValueScale, discretize: bool) -> np.ndarray:
        """RGBA (r, r, 4) from values (k, r, r); ``discretize`` draws every class at full colour."""
        shape = values.shape[1:]
        if self.rgba.shape[:2] != shape:
            self.rgba = np.empty(shape + (4,), dtype=np.uint8)
        level = np.full(shape, 1.0) if discretize else self.confidence(values, scale)
        with quiet():
            index = self.classes(values) % len(CLASS_COLORS) * LEVELS
            index += np.rint(level * (LEVELS - 1)).astype(np.intp, casting="unsafe")
        index[np.isnan(values).any(axis=0)] = len(self.lut) - 1
        return np.take(self.lut, index, axis=0, out=self.rgba)


def readout_text(
    plan: OutputPlan,
    values: np.ndarray,
    categorical: bool,
    neuron: tuple[int, int] | None,
    x: float,
    y: float,
) -> str:
    """The hover readout at the data position (x, y) of ``values`` drawn for ``plan`` (a
    map, k maps if ``categorical``, or a curve's (x, y) rows): position and value, or ""."""
    x_lo, x_hi, y_lo, y_hi = plan.extent
    if not x_lo <= x <= x_hi:
        return ""
    x_name, y_name = plan.axis_names
    if plan.mode == "curve":
        value = float(np.interp(x, values[0], values[1]))
        return f"{x_name} = {x:.2f}:  {y_name} = {value:.3g}"
    if not y_lo <= y <= y_hi:
        return ""
    r = values.shape[-1]
    col = min(int((x - x_lo) / (x_hi - x_lo) * r), r - 1)
    row = min(int((y - y_lo) / (y_hi - y_lo) * r), r - 1)
    where = f"({x_name}, {y_name}) = ({x:.2f}, {y:.2f}):"
    if not categorical:
        label = "output" if neuron is None else "a"
        return f"{where}  {label} = {values[row, col]:.3g}"
    cell = values[:, row, col]
    c = int(np.argmax(cell))
    names = plan.class_names
    return f"{where}  {names[c] if c < len(names) else f'class {c + 1}'} ({cell[c]:.2f})"
