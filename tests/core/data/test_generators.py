"""The built-in generators: shapes, seeds, balance and the geometry of each set."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data import generators
from core.data.dataset import (
    BUILTIN_DATASETS,
    CLASSIFICATION_2D,
    FEATURES,
    GATES,
    REGRESSION,
    DataError,
    generate,
)

NOT_GATES = CLASSIFICATION_2D + REGRESSION


def test_name_constants_are_the_contract() -> None:
    assert GATES == ("xor_gate", "and_gate", "or_gate")
    assert CLASSIFICATION_2D == ("circle", "xor", "gauss", "spiral", "moons", "blobs")
    assert REGRESSION == ("plane", "multi_gauss", "sine")
    assert BUILTIN_DATASETS == GATES + CLASSIFICATION_2D + REGRESSION
    assert FEATURES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


# ------------------------------------------------------------------ generators


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
@pytest.mark.parametrize("noise", [0.0, 0.3, 1.0])
def test_generate_shapes_dtypes_and_finite(name: str, noise: float) -> None:
    points, labels = generate(name, 101, noise, seed=3)
    n = 4 if name in GATES else 101
    d = 1 if name == "sine" else 2
    assert points.shape == (n, d) and points.dtype == np.float64
    assert labels.shape == (n,)
    assert labels.dtype == (np.float64 if name in REGRESSION else np.int64)
    assert np.all(np.isfinite(points)) and np.all(np.isfinite(labels))


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
def test_same_seed_gives_identical_arrays(name: str) -> None:
    a = generate(name, 150, 0.2, seed=11, classes=4)
    b = generate(name, 150, 0.2, seed=11, classes=4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("name", NOT_GATES)
@pytest.mark.parametrize("noise", [0.0, 0.2])
def test_different_seed_gives_different_points(name: str, noise: float) -> None:
    a, _ = generate(name, 150, noise, seed=1)
    b, _ = generate(name, 150, noise, seed=2)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("name", CLASSIFICATION_2D)
@pytest.mark.parametrize("n", [4, 5, 7, 100, 201, 1001])
@pytest.mark.parametrize("noise", [0.0, 0.5, 1.0])
def test_two_class_sets_are_exactly_balanced(name: str, n: int, noise: float) -> None:
    k = 3 if name == "blobs" else 2
    _, labels = generate(name, n, noise, seed=5)
    expected = [n // k + (1 if c < n % k else 0) for c in range(k)]
    assert np.bincount(labels, minlength=k).tolist() == expected


@pytest.mark.parametrize("k", range(2, 9))
@pytest.mark.parametrize("n", [8, 13, 200, 999])
def test_blobs_are_exactly_balanced_for_every_class_count(k: int, n: int) -> None:
    points, labels = generate("blobs", n, 0.4, seed=k, classes=k)
    assert set(labels.tolist()) == set(range(k))
    assert np.bincount(labels).tolist() == [n // k + (1 if c < n % k else 0) for c in range(k)]
    assert points.shape == (n, 2)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(CLASSIFICATION_2D),
    n=st.integers(8, 3000),
    noise=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32),
    k=st.integers(2, 8),
)
def test_balance_holds_for_any_arguments(
    name: str, n: int, noise: float, seed: int, k: int
) -> None:
    _, labels = generate(name, n, noise, seed, classes=k)
    counts = np.bincount(labels)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert counts[0] == counts.max()


@pytest.mark.parametrize(
    ("name", "labels"),
    [("xor_gate", [0, 1, 1, 0]), ("and_gate", [0, 0, 0, 1]), ("or_gate", [0, 1, 1, 1])],
)
def test_gates_are_the_truth_table_in_order(name: str, labels: list[int]) -> None:
    points, y = generate(name, 500, 0.9, seed=42)
    np.testing.assert_array_equal(points, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert y.tolist() == labels


def test_circle_without_noise_puts_class_1_inside_and_class_0_in_the_ring() -> None:
    points, labels = generate("circle", 400, 0.0, seed=0)
    r = np.linalg.norm(points, axis=1)
    assert r[labels == 1].max() <= 2.5
    assert r[labels == 0].min() >= 3.5 and r[labels == 0].max() <= 5.0


def test_xor_without_noise_labels_by_quadrant_and_keeps_off_the_axes() -> None:
    points, labels = generate("xor", 400, 0.0, seed=0)
    assert np.all((points[:, 0] * points[:, 1] > 0) == (labels == 1))
    assert np.abs(points).min() >= 0.3 and np.abs(points).max() <= 5.0


def test_gauss_clouds_sit_at_plus_and_minus_two() -> None:
    points, labels = generate("gauss", 4000, 0.0, seed=0)
    np.testing.assert_allclose(points[labels == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(points[labels == 0].mean(axis=0), [-2, -2], atol=0.1)
    np.testing.assert_allclose(points[labels == 1].var(axis=0), [0.5, 0.5], rtol=0.15)
    wide, wide_labels = generate("gauss", 4000, 0.5, seed=0)
    np.testing.assert_allclose(wide[wide_labels == 1].var(axis=0), [4, 4], rtol=0.15)


def test_gauss_variance_is_clamped_beyond_noise_one_half() -> None:
    np.testing.assert_array_equal(
        generate("gauss", 50, 0.5, seed=3)[0], generate("gauss", 50, 0.9, seed=3)[0]
    )


def test_spiral_without_noise_follows_the_two_arms() -> None:
    points, labels = generate("spiral", 200, 0.0, seed=0)
    r = np.linalg.norm(points, axis=1)
    assert r.max() < 5.0
    for cls, phase in ((1, 0.0), (0, np.pi)):
        arm = points[labels == cls]
        radius = np.linalg.norm(arm, axis=1)
        theta = 1.75 * 2 * np.pi * radius / 5.0 + phase
        np.testing.assert_allclose(arm, radius[:, None] * np.c_[np.sin(theta), np.cos(theta)])


def test_moons_without_noise_fill_about_minus_five_to_five() -> None:
    points, labels = generate("moons", 1000, 0.0, seed=0)
    assert points[:, 0].min() >= -5.0 - 1e-12 and points[:, 0].max() <= 5.0 + 1e-12
    assert np.abs(points[:, 1]).max() <= 2.5 + 1e-12
    assert points[labels == 0, 1].mean() > points[labels == 1, 1].mean()


def test_blob_centres_lie_on_a_circle_of_radius_four() -> None:
    points, labels = generate("blobs", 8000, 0.0, seed=0, classes=4)
    centres = np.array([points[labels == c].mean(axis=0) for c in range(4)])
    np.testing.assert_allclose(centres, [[4, 0], [0, 4], [-4, 0], [0, -4]], atol=0.1)


def test_plane_without_noise_is_the_mean_of_the_inputs_over_ten() -> None:
    points, y = generate("plane", 300, 0.0, seed=0)
    assert np.abs(points).max() <= 6.0
    np.testing.assert_allclose(y, (points[:, 0] + points[:, 1]) / 10.0)


def test_plane_noise_jitters_the_probe_not_the_point() -> None:
    clean, _ = generate("plane", 300, 0.0, seed=0)
    points, y = generate("plane", 300, 0.5, seed=0)
    np.testing.assert_array_equal(points, clean)
    assert not np.allclose(y, points.sum(axis=1) / 10.0)


def test_multi_gauss_without_noise_peaks_at_the_bumps() -> None:
    points, y = generate("multi_gauss", 2000, 0.0, seed=0)
    assert np.abs(points).max() <= 6.0 and np.abs(y).max() <= 1.0
    bumps = generators.MULTI_GAUSS_BUMPS
    probe = bumps[:, :2].copy()
    d = np.linalg.norm(points[:, None] - probe[None], axis=2)
    nearest = d.argmin(axis=1)
    close = d.min(axis=1) < 0.5  # nearer than 0.5 to a bump: only that bump counts
    expected = bumps[nearest, 2] * (1 - d.min(axis=1) / 2)
    np.testing.assert_allclose(y[close], expected[close])
    assert np.all(y[d.min(axis=1) >= 2.0] == 0.0)


def test_sine_is_sin_x_plus_gaussian_noise() -> None:
    x, y = generate("sine", 500, 0.0, seed=0)
    assert np.abs(x).max() <= 6.0
    np.testing.assert_allclose(y, np.sin(x[:, 0]))
    x, y = generate("sine", 20000, 0.3, seed=0)
    assert abs(np.std(y - np.sin(x[:, 0])) - 0.3) < 0.01


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("ring", 100, 0.0, 0), "data.builtin: unknown data set 'ring'"),
        (("circle", 3, 0.0, 0), "data.n: 3 points"),
        (("circle", 100_001, 0.0, 0), "data.n: 100001 points"),
        (("circle", 100, 1.5, 0), "data.noise: 1.5"),
        (("circle", 100, -0.1, 0), "data.noise: -0.1"),
        (("circle", 100, 0.0, -1), "data.seed: -1"),
        (("blobs", 100, 0.0, 0, 9), "data.classes: 9"),
        (("blobs", 100, 0.0, 0, 1), "data.classes: 1"),
        (("blobs", 5, 0.0, 0, 8), "data.n: 5 points cannot fill 8 classes"),
    ],
)
def test_generate_refuses_bad_arguments(args: tuple, where: str) -> None:
    with pytest.raises(DataError) as err:
        generate(*args)
    assert str(err.value).startswith(where)
