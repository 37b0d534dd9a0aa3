"""Built-in data sets, input features, class targets, the train/test split, and load().

A session's "data" section names one source:

* ``{"builtin": NAME, "n", "noise", "seed", "test_ratio", "classes"}``: a seeded
  generator below (Playground-like, points roughly in [-6, 6]^2), then the
  session's features, then targets encoded for the output layer;
* ``{"inline": {"inputs", "targets"}, "test_ratio", "seed"}`` or
  ``{"csv": PATH, "targets", "test_ratio", "seed"}``: a table of numbers used
  as given (see :mod:`core.tabular`).

Classification generators are exactly balanced (n // k points per class, the
remainder to the first classes), so noise moves points and never flips labels.
Class 1 is the positive class.  Everything is float64 and finite.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import activations
from core.tabular import DataError, Table, neurons, read_csv, read_inline

GATES = ("xor_gate", "and_gate", "or_gate")
CLASSIFICATION_2D = ("circle", "xor", "gauss", "spiral", "moons", "blobs")
REGRESSION = ("plane", "multi_gauss", "sine")
BUILTIN_DATASETS = GATES + CLASSIFICATION_2D + REGRESSION
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")

DEFAULT_N = 200
MIN_N, MAX_N = 4, 100_000
MIN_CLASSES, MAX_CLASSES = 2, 8
JITTER = 2.5  # std of the position jitter at noise = 1 (circle, xor, moons, plane, multi_gauss)

GATE_POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATE_LABELS = {"xor_gate": (0, 1, 1, 0), "and_gate": (0, 0, 0, 1), "or_gate": (0, 1, 1, 1)}

_SOURCE_KEYS = {
    "builtin": ("builtin", "n", "noise", "seed", "test_ratio", "classes"),
    "inline": ("inline", "test_ratio", "seed"),
    "csv": ("csv", "targets", "test_ratio", "seed"),
}


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and test rows ready for the network, and what they mean.

    x: (n, d) inputs after features; y: (n, k) targets encoded for the output
    layer.  ``points_*`` are the raw 2-D (sine: 1-D) points and ``classes_*``
    the int class indices of built-in sets; None for inline and CSV data.
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


# ------------------------------------------------------------------ generators

Points = tuple[np.ndarray, np.ndarray]


def _jitter(rng: np.random.Generator, points: np.ndarray, std: float) -> np.ndarray:
    """points + N(0, std^2) per coordinate."""
    return points + rng.normal(0.0, std, points.shape)


def _by_class(counts: Sequence[int]) -> np.ndarray:
    """Class indices 0..k-1, counts[c] of each, in class order."""
    return np.repeat(np.arange(len(counts)), counts)


def _ring(rng: np.random.Generator, m: int, r_min: float, r_max: float) -> np.ndarray:
    """m points r (cos t, sin t), r uniform in [r_min, r_max], t uniform in [0, 2 pi)."""
    r = rng.uniform(r_min, r_max, m)
    t = rng.uniform(0.0, 2 * np.pi, m)
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


def circle(rng: np.random.Generator, counts: Sequence[int], noise: float) -> Points:
    """Class 1 inside r in [0, 2.5], class 0 in the annulus r in [3.5, 5]; jitter std 2.5 noise."""
    points = np.vstack([_ring(rng, counts[0], 3.5, 5.0), _ring(rng, counts[1], 0.0, 2.5)])
    return _jitter(rng, points, JITTER * noise), _by_class(counts)


def xor(rng: np.random.Generator, counts: Sequence[int], noise: float) -> Points:
    """|x1|, |x2| uniform in [0.3, 5]; class 1 where x1 x2 > 0 (signs s, s), class 0
    where x1 x2 < 0 (signs s, -s), s = +-1 at random; jitter std 2.5 noise."""
    parts = []
    for c, m in enumerate(counts):
        s = rng.choice([-1.0, 1.0], m)
        parts.append(rng.uniform(0.3, 5.0, (m, 2)) * np.column_stack([s, s if c == 1 else -s]))
    return _jitter(rng, np.vstack(parts), JITTER * noise), _by_class(counts)


def gauss(rng: np.random.Generator, counts: Sequence[int], noise: float) -> Points:
    """Class 1 ~ N((2, 2), v I), class 0 ~ N((-2, -2), v I), v = 0.5 + 7 min(noise, 0.5)."""
    std = np.sqrt(0.5 + 7.0 * min(noise, 0.5))
    points = np.vstack(
        [rng.normal(-2.0, std, (counts[0], 2)), rng.normal(2.0, std, (counts[1], 2))]
    )
    return points, _by_class(counts)


def spiral(rng: np.random.Generator, counts: Sequence[int], noise: float) -> Points:
    """Arm c of m points, i = 0..m-1: r = 5 i / m, theta = 1.75 (2 pi) i / m + phase
    (class 1: 0, class 0: pi), point r (sin theta, cos theta); jitter std noise."""
    arms = []
    for phase, m in zip((np.pi, 0.0), counts, strict=True):
        i = np.arange(m)
        r, theta = 5.0 * i / m, 1.75 * 2 * np.pi * i / m + phase
        arms.append(np.column_stack([r * np.sin(theta), r * np.cos(theta)]))
    return _jitter(rng, np.vstack(arms), noise), _by_class(counts)


def moons(rng: np.random.Generator, counts: Sequence[int], noise: float) -> Points:
    """Class 0: (cos t, sin t); class 1: (1 - cos t, 0.5 - sin t); t uniform in [0, pi];
    then p -> (10/3) (p - (0.5, 0.25)) fills about [-5, 5] x [-2.5, 2.5]; jitter std 2.5 noise."""
    t0, t1 = rng.uniform(0.0, np.pi, counts[0]), rng.uniform(0.0, np.pi, counts[1])
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    points = (np.vstack([outer, inner]) - [0.5, 0.25]) * (10.0 / 3.0)
    return _jitter(rng, points, JITTER * noise), _by_class(counts)


def blobs(rng: np.random.Generator, counts: Sequence[int], noise: float) -> Points:
    """k blobs: class c ~ N(4 (cos 2 pi c / k, sin 2 pi c / k), s^2 I), s = 0.75 + 2 noise."""
    angle = 2 * np.pi * np.arange(len(counts)) / len(counts)
    centres = 4.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    points = np.repeat(centres, counts, axis=0)
    return _jitter(rng, points, 0.75 + 2.0 * noise), _by_class(counts)


def plane(rng: np.random.Generator, n: int, noise: float) -> Points:
    """x uniform in [-6, 6]^2; y = (x1' + x2') / 10 at x' = x jittered by std 2.5 noise."""
    points = rng.uniform(-6.0, 6.0, (n, 2))
    probe = _jitter(rng, points, JITTER * noise)
    return points, probe.sum(axis=1) / 10.0


MULTI_GAUSS_BUMPS = np.array(  # (x1, x2, sign) of Playground's six bumps
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]
)


def multi_gauss(rng: np.random.Generator, n: int, noise: float) -> Points:
    """x uniform in [-6, 6]^2; per bump b: v_b = sign_b clamp(1 - |x' - c_b| / 2, 0, 1) at x'
    = x jittered by std 2.5 noise; y = the v_b with the largest |v_b|."""
    points = rng.uniform(-6.0, 6.0, (n, 2))
    probe = _jitter(rng, points, JITTER * noise)
    distance = np.linalg.norm(probe[:, None, :] - MULTI_GAUSS_BUMPS[None, :, :2], axis=2)
    v = MULTI_GAUSS_BUMPS[:, 2] * np.clip(1.0 - distance / 2.0, 0.0, 1.0)
    return points, v[np.arange(n), np.abs(v).argmax(axis=1)]


def sine(rng: np.random.Generator, n: int, noise: float) -> Points:
    """x uniform in [-6, 6], shape (n, 1); y = sin(x) + N(0, noise^2)."""
    x = rng.uniform(-6.0, 6.0, (n, 1))
    return x, np.sin(x[:, 0]) + rng.normal(0.0, noise, n)


_CLASSIFIERS: dict[str, Callable[[np.random.Generator, Sequence[int], float], Points]] = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
    "moons": moons,
    "blobs": blobs,
}
_REGRESSORS: dict[str, Callable[[np.random.Generator, int, float], Points]] = {
    "plane": plane,
    "multi_gauss": multi_gauss,
    "sine": sine,
}


def generate(name: str, n: int, noise: float, seed: int, classes: int = 3) -> Points:
    """Raw points (n, 2), or (n, 1) for sine and (4, 2) for gates, and their labels:
    int class indices (classification) or float values of shape (n,) (regression).

    Class c gets n // k + (1 if c < n mod k) points; rows are then shuffled.
    Gates ignore n, noise and seed: the truth table (0,0), (0,1), (1,0), (1,1).
    """
    _check_generator_args(name, n, noise, classes)
    if name in GATES:
        return GATE_POINTS.copy(), np.array(GATE_LABELS[name], dtype=np.int64)
    rng = _rng(seed)
    if name in _REGRESSORS:
        points, values = _REGRESSORS[name](rng, n, noise)
        return points.astype(np.float64), values.astype(np.float64)
    k = classes if name == "blobs" else 2
    counts = [n // k + (1 if c < n % k else 0) for c in range(k)]
    points, labels = _CLASSIFIERS[name](rng, counts, noise)
    order = rng.permutation(n)
    return points[order].astype(np.float64), labels[order].astype(np.int64)


def _check_generator_args(name: str, n: int, noise: float, classes: int) -> None:
    if name not in BUILTIN_DATASETS:
        raise DataError(
            "data.builtin",
            f"unknown data set {name!r}; choose one of {', '.join(BUILTIN_DATASETS)}",
        )
    if name not in GATES and not MIN_N <= n <= MAX_N:
        raise DataError("data.n", f"{n} points is out of range; use {MIN_N} to {MAX_N}")
    if not 0.0 <= noise <= 1.0:
        raise DataError("data.noise", f"{noise} is out of range; use 0 to 1")
    if name == "blobs" and not MIN_CLASSES <= classes <= MAX_CLASSES:
        raise DataError("data.classes", f"{classes} is out of range; use 2 to 8")
    if name == "blobs" and n < classes:
        raise DataError("data.n", f"{n} points cannot fill {classes} classes; use n >= {classes}")


def _rng(seed: int) -> np.random.Generator:
    if seed < 0:
        raise DataError("data.seed", f"{seed} is negative; use a whole number >= 0")
    return np.random.default_rng(seed)


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
    for i, feature in enumerate(features):
        if feature not in _FEATURE_MAPS:
            raise DataError("features", f"unknown feature {feature!r}; use {', '.join(FEATURES)}")
        if feature in features[:i]:
            raise DataError("features", f"{feature!r} is listed twice; list each feature once")
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


def split_indices(n: int, test_ratio: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row indices.  test_ratio 0: rows 0..n-1 in order, all train.
    Else p = permutation(n) from default_rng(seed); train = p[:round(n (1 - test_ratio))]."""
    if not 0.0 <= test_ratio < 1.0:
        raise DataError("data.test_ratio", f"{test_ratio} is out of range; use 0 up to below 1")
    if test_ratio == 0.0:
        return np.arange(n), np.arange(0)
    n_train = round(n * (1.0 - test_ratio))
    if n_train < 1:
        raise DataError(
            "data.test_ratio", f"{test_ratio} leaves no training rows out of {n}; lower it"
        )
    order = _rng(seed).permutation(n)
    return order[:n_train], order[n_train:]


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
) -> Dataset:
    """The Dataset that a session's "data" section describes (see the module docstring).

    ``base_dir`` resolves a relative CSV path (the session file's folder; the
    working folder when None).  Anything wrong raises DataError at its JSON path.
    """
    source = _source(spec)
    seed = _integer(spec, "seed", 0)
    test_ratio = _number(spec, "test_ratio", default_test_ratio(spec))
    if seed < 0:
        raise DataError("data.seed", f"{seed} is negative; use a whole number >= 0")
    if source == "builtin":
        return _load_builtin(spec, features, output_activation, n_outputs, seed, test_ratio)
    if source == "inline":
        table = read_inline(spec["inline"], n_outputs)
    else:
        table = read_csv(spec["csv"], spec.get("targets"), n_outputs, base_dir)
    return _from_table(table, output_activation, seed, test_ratio)


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
