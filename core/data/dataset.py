"""Built-in data sets, input features, class targets, the train/test split, and load().

A session's "data" section names one source:

* ``{"builtin": NAME, "n", "noise", "seed", "test_ratio", "classes"}``: a seeded
  generator below (Playground-like, points roughly in [-6, 6]^2), then the
  session's features, then targets encoded for the output layer;
* ``{"inline": {"inputs", "targets"}, "test_ratio", "seed", "input_shape", "extent"}`` or
  ``{"csv": PATH, "targets", "test_ratio", "seed", "input_shape"}``: a table of
  numbers used as given (see :mod:`core.data.tabular`); ``input_shape`` (optional,
  e.g. ``[8, 8]``) says that each row's inputs are a picture of that shape, read row by
  row; ``extent`` (optional, inline only: ``[x1_lo, x1_hi, x2_lo, x2_hi]``) is where the
  maps are drawn (points drawn on the map keep the map where it was).

The generators themselves live in :mod:`core.data.generators`.  Everything is
float64 and finite.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.data.generators import (
    BUILTIN_DATASETS,
    CLASSIFICATION_2D,
    DEFAULT_N,
    FEATURES,
    GATES,
    REGRESSION,
    generate,
)
from core.data.imported import IMPORT_KEYS, imported_parts, scaled
from core.data.tabular import (
    DataError,
    Table,
    input_shape,
    neurons,
    read_csv,
    read_inline,
    split_indices,
)
from core.engine import activations, losses

__all__ = [
    "BUILTIN_DATASETS",
    "CLASSIFICATION_2D",
    "FEATURES",
    "GATES",
    "REGRESSION",
    "DataError",
    "Dataset",
    "apply_features",
    "default_test_ratio",
    "encode_targets",
    "generate",
    "input_shape",
    "load",
    "split_indices",
]

_SOURCE_KEYS = {
    "builtin": ("builtin", "n", "noise", "seed", "test_ratio", "classes"),
    "inline": ("inline", "test_ratio", "seed", "input_shape", "extent"),
    "csv": ("csv", "targets", "test_ratio", "seed", "input_shape"),
}
for _table in ("inline", "csv"):  # the keys of Data > Import CSV… (core.data.imported)
    _SOURCE_KEYS[_table] += IMPORT_KEYS


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and test rows ready for the network, and what they mean.

    x: (n, d) inputs after features; y: (n, k) targets encoded for the output
    layer.  ``points_*`` are the raw 2-D (sine: 1-D) points and ``classes_*``
    the int class indices of built-in sets; None for inline and CSV data.
    ``input_shape`` is the shape of one row's inputs when they form a picture (e.g. (8, 8),
    read row by row: input j is pixel (j // 8, j % 8)); None when they do not.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    input_names: tuple[str, ...]
    target_names: tuple[str, ...]
    kind: str
    n_classes: int | None
    points_train: np.ndarray | None
    points_test: np.ndarray | None
    classes_train: np.ndarray | None
    classes_test: np.ndarray | None
    input_shape: tuple[int, ...] | None = None
    standardized: bool = False  # x is the z-score of the table's columns (core.data.scaling)
    extent: tuple[float, float, float, float] | None = None  # where maps are drawn (inline)


# ------------------------------------------------------- features and targets

_FEATURE_MAPS: dict[str, tuple[bool, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = {
    # name: (needs x2, column from x1 and x2)
    "x1": (False, lambda x1, x2: x1),
    "x2": (True, lambda x1, x2: x2),
    "x1^2": (False, lambda x1, x2: x1 * x1),
    "x2^2": (True, lambda x1, x2: x2 * x2),
    "x1*x2": (True, lambda x1, x2: x1 * x2),
    "sin(x1)": (False, lambda x1, x2: np.sin(x1)),
    "sin(x2)": (True, lambda x1, x2: np.sin(x2)),
}


def apply_features(points: np.ndarray, features: Sequence[str]) -> np.ndarray:
    """Columns [f(x1, x2) for f in features], in the order given, from x1, x2, x1^2,
    x2^2, x1*x2, sin(x1), sin(x2).  1-D points (sine) allow x1, x1^2 and sin(x1) only."""
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] not in (1, 2):
        raise ValueError(f"points must have shape (n, 1) or (n, 2), not {points.shape}")
    if not features:
        raise DataError("features", "none chosen; choose at least one input feature, e.g. x1")
    x1 = points[:, 0]
    x2 = points[:, 1] if points.shape[1] == 2 else None
    columns = []
    seen: set[str] = set()
    for feature in features:
        if feature not in _FEATURE_MAPS:
            raise DataError("features", f"unknown feature {feature!r}; use {', '.join(FEATURES)}")
        if feature in seen:
            raise DataError("features", f"{feature!r} is listed twice; list each feature once")
        seen.add(feature)
        needs_x2, column = _FEATURE_MAPS[feature]
        if needs_x2 and x2 is None:
            raise DataError(
                "features", f"{feature!r} needs x2, but the data is 1-D; use x1, x1^2 or sin(x1)"
            )
        columns.append(column(x1, x2))
    return np.column_stack(columns).astype(np.float64)


def _class_codes(output_activation: str) -> tuple[float, float]:
    """(lo, hi): the output values that mean "not this class" and "this class"."""
    try:
        activation = activations.get(output_activation)
    except ValueError as err:
        raise DataError("network.layers", str(err)) from None
    return activation.lo, activation.hi


def encode_targets(
    classes: np.ndarray, n_classes: int, output_activation: str, n_outputs: int
) -> np.ndarray:
    """Class indices -> targets (n, n_outputs), with (lo, hi) = (0, 1) for sigmoid, relu,
    leaky_relu and softmax and (-1, +1) for tanh and linear.

    One output and two classes: y = hi if class == 1 else lo.  One output per
    class: y_ic = hi if class_i == c else lo (softmax: one-hot).
    """
    classes = np.asarray(classes)
    if classes.size and (classes.min() < 0 or classes.max() >= n_classes):
        raise ValueError(f"class indices must lie in 0..{n_classes - 1}")
    lo, hi = _class_codes(output_activation)
    if n_outputs == n_classes:
        y = np.full((len(classes), n_classes), lo, dtype=np.float64)
        y[np.arange(len(classes)), classes] = hi
        return y
    if n_outputs == 1 and n_classes == 2:
        if output_activation == "softmax":
            raise DataError(
                "network.layers", "softmax on 1 output neuron is always 1; use 2 neurons or sigmoid"
            )
        return np.where(classes == 1, hi, lo).astype(np.float64).reshape(-1, 1)
    need = "1 neuron (or 2, one per class)" if n_classes == 2 else f"{n_classes} neurons"
    raise DataError(
        "network.layers",
        f"the data has {n_classes} classes; the output layer needs {need}, "
        f"but it has {neurons(n_outputs)}",
    )


# ------------------------------------------------------------------- loading


def default_test_ratio(spec: Mapping) -> float:
    """0.5 for the built-in 2-D and 1-D sets; 0.0 for gates, inline and CSV data."""
    name = spec.get("builtin")
    return 0.5 if name is not None and name not in GATES else 0.0


def load(
    spec: Mapping,
    features: Sequence[str],
    output_activation: str,
    n_outputs: int,
    base_dir: Path | None = None,
    loss: str | None = None,
    allow_outside: bool = False,
) -> Dataset:
    """The Dataset that a session's "data" section describes (see the module docstring).

    ``base_dir`` resolves a relative CSV path (the session file's folder; the
    working folder when None); the file must lie there or below unless
    ``allow_outside``.  Given ``loss``, inline and CSV targets must be ones it is
    defined for (bce: 0 to 1; cce: one-hot).  Anything wrong raises DataError at its JSON
    path, or at file:line:column.
    """
    found = _load(spec, features, output_activation, n_outputs, base_dir, loss, allow_outside)
    return found if "extent" not in spec else dataclasses.replace(found, extent=_extent(spec))


def _load(spec, features, output_activation, n_outputs, base_dir, loss, allow_outside):
    source = _source(spec)
    seed = _integer(spec, "seed", 0)
    test_ratio = _number(spec, "test_ratio", default_test_ratio(spec))
    if seed < 0:
        raise DataError("data.seed", f"{seed} is negative; use a whole number >= 0")
    if source == "builtin":
        return _load_builtin(spec, features, output_activation, n_outputs, seed, test_ratio)
    if any(key in spec for key in IMPORT_KEYS):
        return _load_imported(spec, output_activation, n_outputs, base_dir, loss, allow_outside)
    if source == "inline":
        table = read_inline(spec["inline"], n_outputs)
    else:
        table = read_csv(spec["csv"], spec.get("targets"), n_outputs, base_dir, allow_outside)
    problem = None if loss is None else losses.get(loss).target_problem(table.targets)
    if problem is not None:
        row, column, why = problem
        raise DataError(table.target_cell(row, column), why)
    shape = input_shape(spec.get("input_shape"), table.inputs.shape[1])
    return dataclasses.replace(
        _from_table(table, output_activation, seed, test_ratio), input_shape=shape
    )


def _source(spec: Mapping) -> str:
    """Which of builtin, inline and csv the spec names; unknown keys are refused."""
    if not isinstance(spec, Mapping):
        raise DataError("data", 'expected an object such as {"builtin": "circle"}')
    named = [key for key in _SOURCE_KEYS if key in spec]
    if len(named) != 1:
        raise DataError("data", "give exactly one of 'builtin', 'inline' or 'csv'")
    for key in spec:
        if key not in _SOURCE_KEYS[named[0]]:
            allowed = ", ".join(_SOURCE_KEYS[named[0]])
            raise DataError(f"data.{key}", f"unknown key for {named[0]} data; use {allowed}")
    return named[0]


def _extent(spec: Mapping) -> tuple[float, float, float, float]:
    """``data.extent``: four finite numbers, each low end below its high end."""
    value = spec["extent"]
    if not isinstance(value, list) or len(value) != 4:
        raise DataError("data.extent", "expected [x1_lo, x1_hi, x2_lo, x2_hi], four numbers")
    lo_x, hi_x, lo_y, hi_y = (_number({"extent": v}, "extent", 0.0) for v in value)
    if not (lo_x < hi_x and lo_y < hi_y):
        raise DataError("data.extent", "each low end must lie below its high end")
    return lo_x, hi_x, lo_y, hi_y


def _integer(spec: Mapping, key: str, default: int) -> int:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataError(f"data.{key}", f"{value!r} is not a whole number")
    return value


def _number(spec: Mapping, key: str, default: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(f"data.{key}", f"{value!r} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(f"data.{key}", f"{value!r} is not a finite number")
    return float(value)


def _load_builtin(
    spec: Mapping,
    features: Sequence[str],
    output_activation: str,
    n_outputs: int,
    seed: int,
    test_ratio: float,
) -> Dataset:
    """Generate, split, apply features, encode targets."""
    name = spec["builtin"]
    if not isinstance(name, str):
        raise DataError("data.builtin", f"{name!r} is not a data set name")
    n, classes = _integer(spec, "n", DEFAULT_N), _integer(spec, "classes", 3)
    points, labels = generate(name, n, _number(spec, "noise", 0.0), seed, classes)
    x = apply_features(points, features)
    train, test = split_indices(len(points), test_ratio, seed)
    n_classes = None if name in REGRESSION else classes if name == "blobs" else 2
    y, target_names = _builtin_targets(name, labels, n_classes, output_activation, n_outputs)
    is_class = n_classes is not None
    return Dataset(
        x_train=x[train],
        y_train=y[train],
        x_test=x[test],
        y_test=y[test],
        input_names=tuple(features),
        target_names=target_names,
        kind="classification" if is_class else "regression",
        n_classes=n_classes,
        points_train=points[train],
        points_test=points[test],
        classes_train=labels[train] if is_class else None,
        classes_test=labels[test] if is_class else None,
    )


def _builtin_targets(
    name: str, labels: np.ndarray, n_classes: int | None, output_activation: str, n_outputs: int
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Targets (n, n_outputs) and their names: encoded classes, or regression values as is."""
    if n_classes is not None:
        y = encode_targets(labels, n_classes, output_activation, n_outputs)
        return y, ("y",) if n_outputs == 1 else tuple(f"class {c + 1}" for c in range(n_outputs))
    if n_outputs != 1:
        raise DataError(
            "network.layers",
            f"{name} has one target value; the output layer needs 1 neuron, not {n_outputs}",
        )
    return labels.reshape(-1, 1), ("y",)


def _from_table(table: Table, output_activation: str, seed: int, test_ratio: float) -> Dataset:
    """A Dataset of inline or CSV rows, used as given and split."""
    train, test = split_indices(len(table.inputs), test_ratio, seed)
    return Dataset(
        x_train=table.inputs[train],
        y_train=table.targets[train],
        x_test=table.inputs[test],
        y_test=table.targets[test],
        input_names=table.input_names,
        target_names=table.target_names,
        kind=table.kind(*_class_codes(output_activation)),
        n_classes=None,
        points_train=None,
        points_test=None,
        classes_train=None,
        classes_test=None,
    )


def _load_imported(
    spec: Mapping,
    output_activation: str,
    n_outputs: int,
    base_dir: Path | None,
    loss: str | None,
    allow_outside: bool,
) -> Dataset:
    """A table of Data > Import CSV… (core.data.imported): classes encoded, inputs
    standardised with the stored numbers, split as any table."""
    rows, stats = imported_parts(spec, n_outputs, base_dir, allow_outside)
    table, classes = rows.table, rows.classes
    seed, test_ratio = _integer(spec, "seed", 0), _number(spec, "test_ratio", 0.0)
    if classes is not None:
        y = encode_targets(classes, n_outputs, output_activation, n_outputs)
        kind = "classification"
    else:
        y, kind = table.targets, table.kind(*_class_codes(output_activation))
        problem = None if loss is None else losses.get(loss).target_problem(y)
        if problem is not None:
            raise DataError(table.target_cell(problem[0], problem[1]), problem[2])
    train, test = split_indices(len(table.inputs), test_ratio, seed)
    x = scaled(table.inputs, stats)
    return Dataset(
        x_train=x[train],
        y_train=y[train],
        x_test=x[test],
        y_test=y[test],
        input_names=table.input_names,
        target_names=table.target_names,
        kind=kind,
        n_classes=None if classes is None else n_outputs,
        points_train=None,
        points_test=None,
        classes_train=None if classes is None else classes[train],
        classes_test=None if classes is None else classes[test],
        standardized=stats is not None,
    )
