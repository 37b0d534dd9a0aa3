"""Seeded generators of the built-in data sets (Playground-like, points in about [-6, 6]^2).

Classification generators are exactly balanced (n // k points per class, the
remainder to the first classes), so noise moves points and never flips labels.
Class 1 is the positive class.  Everything is float64 and finite.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from core.data.tabular import DataError, seeded_rng

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
    rng = seeded_rng(seed)
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
