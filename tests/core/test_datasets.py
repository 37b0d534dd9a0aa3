"""Built-in generators, features, target encoding, the split, and load() for builtin/inline data."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data import dataset, generators, tabular
from core.data.dataset import (
    BUILTIN_DATASETS,
    CLASSIFICATION_2D,
    FEATURES,
    GATES,
    REGRESSION,
    DataError,
    Dataset,
    apply_features,
    default_test_ratio,
    encode_targets,
    generate,
    load,
    split_indices,
)

NOT_GATES = CLASSIFICATION_2D + REGRESSION


def test_name_constants_are_the_contract() -> None:
    assert GATES == ("xor_gate", "and_gate", "or_gate")
    assert CLASSIFICATION_2D == ("circle", "xor", "gauss", "spiral", "moons", "blobs")
    assert REGRESSION == ("plane", "multi_gauss", "sine")
    assert BUILTIN_DATASETS == GATES + CLASSIFICATION_2D + REGRESSION
    assert FEATURES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


@pytest.mark.parametrize("module", [dataset, tabular])
def test_data_modules_do_not_import_qt(module: object) -> None:
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source and "pyqtgraph" not in source


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


# ------------------------------------------------------------------- features

FORMULAS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1**2,
    "x2^2": lambda x1, x2: x2**2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_follows_its_formula(feature: str) -> None:
    points = np.array([[0.0, 0.0], [1.5, -2.0], [-3.0, 0.5]])
    column = apply_features(points, [feature])
    assert column.shape == (3, 1) and column.dtype == np.float64
    np.testing.assert_allclose(column[:, 0], FORMULAS[feature](points[:, 0], points[:, 1]))


def test_feature_columns_follow_the_order_given() -> None:
    points = np.array([[2.0, 3.0], [-1.0, 4.0]])
    x = apply_features(points, ["x1*x2", "x2", "x1^2", "x1"])
    np.testing.assert_allclose(x, [[6.0, 3.0, 4.0, 2.0], [-4.0, 4.0, 1.0, -1.0]])


def test_one_d_points_take_x1_features_only() -> None:
    x = np.array([[0.5], [-2.0]])
    np.testing.assert_allclose(
        apply_features(x, ["sin(x1)", "x1", "x1^2"]), np.c_[np.sin(x), x, x**2]
    )
    for feature in ("x2", "x2^2", "x1*x2", "sin(x2)"):
        with pytest.raises(DataError, match=r"^features: .*needs x2"):
            apply_features(x, ["x1", feature])


@pytest.mark.parametrize(
    ("features", "message"),
    [([], "none chosen"), (["x3"], "unknown feature 'x3'"), (["x1", "x1"], "listed twice")],
)
def test_bad_feature_lists_are_refused(features: list[str], message: str) -> None:
    with pytest.raises(DataError, match=f"^features: .*{message}") as err:
        apply_features(np.zeros((2, 2)), features)
    assert err.value.path == "features"


# ------------------------------------------------------------- target encoding

CLASSES = np.array([0, 1, 1, 0, 1])


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "leaky_relu"])
def test_one_output_zero_one_codes(activation: str) -> None:
    y = encode_targets(CLASSES, 2, activation, 1)
    assert y.shape == (5, 1) and y.dtype == np.float64
    assert y[:, 0].tolist() == [0.0, 1.0, 1.0, 0.0, 1.0]


@pytest.mark.parametrize("activation", ["tanh", "linear"])
def test_one_output_minus_one_plus_one_codes(activation: str) -> None:
    assert encode_targets(CLASSES, 2, activation, 1)[:, 0].tolist() == [-1, 1, 1, -1, 1]


@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_softmax_targets_are_one_hot(k: int) -> None:
    classes = np.arange(3 * k) % k
    y = encode_targets(classes, k, "softmax", k)
    np.testing.assert_array_equal(y, np.eye(k)[classes])


def test_one_column_per_class_with_tanh_uses_minus_one_elsewhere() -> None:
    y = encode_targets(np.array([2, 0]), 3, "tanh", 3)
    np.testing.assert_array_equal(y, [[-1, -1, 1], [1, -1, -1]])


@pytest.mark.parametrize(
    ("n_classes", "n_outputs", "message"),
    [
        (3, 1, "the data has 3 classes; the output layer needs 3 neurons, but it has 1 neuron"),
        (3, 2, "the data has 3 classes; the output layer needs 3 neurons, but it has 2 neurons"),
        (2, 3, "the data has 2 classes; the output layer needs 1 neuron (or 2, one per class)"),
    ],
)
def test_mismatched_output_size_is_refused_clearly(
    n_classes: int, n_outputs: int, message: str
) -> None:
    with pytest.raises(DataError) as err:
        encode_targets(np.array([0, 1]), n_classes, "sigmoid", n_outputs)
    assert err.value.path == "network.layers"
    assert err.value.message.startswith(message)
    assert str(err.value) == f"network.layers: {err.value.message}"


def test_softmax_on_a_single_output_is_refused() -> None:
    with pytest.raises(DataError, match="^network.layers: softmax"):
        encode_targets(CLASSES, 2, "softmax", 1)


def test_unknown_output_activation_is_a_data_error() -> None:
    with pytest.raises(DataError, match="^network.layers: unknown activation 'swish'"):
        encode_targets(CLASSES, 2, "swish", 1)


# ---------------------------------------------------------------------- split


@pytest.mark.parametrize(("n", "ratio", "n_train"), [(200, 0.5, 100), (10, 0.3, 7), (4, 0.1, 4)])
def test_split_sizes_are_disjoint_and_cover_all_rows(n: int, ratio: float, n_train: int) -> None:
    train, test = split_indices(n, ratio, seed=0)
    assert len(train) == n_train and len(test) == n - n_train
    assert not set(train) & set(test)
    assert sorted([*train, *test]) == list(range(n))


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 500), ratio=st.floats(0.0, 0.99), seed=st.integers(0, 2**32))
def test_split_is_a_partition_for_any_arguments(n: int, ratio: float, seed: int) -> None:
    if round(n * (1 - ratio)) < 1:
        with pytest.raises(DataError, match="^data.test_ratio: .*no training rows"):
            split_indices(n, ratio, seed)
        return
    train, test = split_indices(n, ratio, seed)
    assert len(train) >= 1
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n))


def test_split_is_seeded() -> None:
    a, b, c = (split_indices(50, 0.4, s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_zero_test_ratio_keeps_the_order_without_shuffling() -> None:
    train, test = split_indices(7, 0.0, seed=123)
    assert train.tolist() == list(range(7)) and test.shape == (0,)


@pytest.mark.parametrize("ratio", [1.0, -0.1, 1.5])
def test_split_refuses_ratios_outside_zero_to_one(ratio: float) -> None:
    with pytest.raises(DataError, match="^data.test_ratio: "):
        split_indices(10, ratio, 0)


# ------------------------------------------------------------- load: builtin


def test_load_builtin_classification_with_features_and_split() -> None:
    ds = load({"builtin": "circle", "n": 100, "seed": 4}, ["x1", "x2", "x1^2"], "tanh", 1)
    assert isinstance(ds, Dataset) and ds.kind == "classification" and ds.n_classes == 2
    assert ds.x_train.shape == (50, 3) and ds.x_test.shape == (50, 3)
    assert ds.y_train.shape == (50, 1) and set(np.unique(ds.y_train)) <= {-1.0, 1.0}
    assert ds.input_names == ("x1", "x2", "x1^2") and ds.target_names == ("y",)
    np.testing.assert_allclose(ds.x_train[:, 2], ds.points_train[:, 0] ** 2)
    np.testing.assert_array_equal(ds.y_train[:, 0], np.where(ds.classes_train == 1, 1, -1))
    both = np.concatenate([ds.classes_train, ds.classes_test])
    assert np.bincount(both).tolist() == [50, 50]


def test_load_builtin_is_reproducible() -> None:
    spec = {"builtin": "spiral", "n": 80, "noise": 0.1, "seed": 9}
    a, b = (load(spec, ["x1", "x2"], "sigmoid", 1) for _ in range(2))
    for field in ("x_train", "y_train", "x_test", "y_test", "points_train", "classes_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


def test_load_blobs_one_hot_for_softmax() -> None:
    ds = load({"builtin": "blobs", "classes": 4, "n": 40}, ["x1", "x2"], "softmax", 4)
    assert ds.n_classes == 4 and ds.target_names == ("class 1", "class 2", "class 3", "class 4")
    np.testing.assert_array_equal(ds.y_train, np.eye(4)[ds.classes_train])


def test_load_gates_keeps_the_truth_table_as_training_set() -> None:
    ds = load({"builtin": "xor_gate"}, ["x1", "x2", "x1*x2"], "sigmoid", 1)
    np.testing.assert_array_equal(ds.x_train, [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]])
    assert ds.y_train[:, 0].tolist() == [0, 1, 1, 0] and ds.x_test.shape == (0, 3)
    assert ds.y_test.shape == (0, 1) and ds.points_test.shape == (0, 2)


def test_load_regression_targets_are_the_values() -> None:
    ds = load({"builtin": "sine", "n": 60, "test_ratio": 0.25}, ["x1", "sin(x1)"], "linear", 1)
    assert ds.kind == "regression" and ds.n_classes is None and ds.classes_train is None
    assert ds.x_train.shape == (45, 2) and ds.points_train.shape == (45, 1)
    np.testing.assert_allclose(ds.y_train[:, 0], np.sin(ds.points_train[:, 0]))


def test_load_regression_needs_one_output() -> None:
    with pytest.raises(DataError, match="^network.layers: plane has one target value"):
        load({"builtin": "plane"}, ["x1", "x2"], "linear", 2)


def test_load_sine_refuses_x2_features() -> None:
    with pytest.raises(DataError, match="^features: 'x1\\*x2' needs x2"):
        load({"builtin": "sine"}, ["x1", "x1*x2"], "linear", 1)


@pytest.mark.parametrize(
    ("spec", "where"),
    [
        ({}, "data: give exactly one of"),
        ({"builtin": "circle", "csv": "a.csv"}, "data: give exactly one of"),
        ({"builtin": "circle", "nosie": 0.1}, "data.nosie: unknown key"),
        ({"builtin": 3}, "data.builtin: 3 is not a data set name"),
        ({"builtin": "ring"}, "data.builtin: unknown data set 'ring'"),
        ({"builtin": "circle", "n": True}, "data.n: True is not a whole number"),
        ({"builtin": "circle", "n": 2.5}, "data.n: 2.5 is not a whole number"),
        ({"builtin": "circle", "n": 1}, "data.n: 1 points is out of range"),
        ({"builtin": "circle", "noise": "a"}, "data.noise: 'a' is not a number"),
        ({"builtin": "circle", "noise": float("nan")}, "data.noise: nan is not a finite"),
        ({"builtin": "circle", "seed": -3}, "data.seed: -3 is negative"),
        ({"builtin": "xor_gate", "seed": -3}, "data.seed: -3 is negative"),
        ({"builtin": "circle", "test_ratio": 1}, "data.test_ratio: 1.0 is out of range"),
        ({"builtin": "blobs", "classes": 12}, "data.classes: 12 is out of range"),
    ],
)
def test_load_refuses_bad_builtin_specs_at_their_json_path(spec: dict, where: str) -> None:
    with pytest.raises(DataError) as err:
        load(spec, ["x1", "x2"], "sigmoid", 1)
    assert str(err.value).startswith(where)


def test_default_test_ratio() -> None:
    assert default_test_ratio({"builtin": "circle"}) == 0.5
    assert default_test_ratio({"builtin": "sine"}) == 0.5
    assert default_test_ratio({"builtin": "and_gate"}) == 0.0
    assert default_test_ratio({"inline": {}}) == 0.0
    assert default_test_ratio({"csv": "a.csv", "targets": ["y"]}) == 0.0


# -------------------------------------------------------------- load: inline

XOR_INLINE = {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}


def test_load_inline_uses_rows_as_given() -> None:
    ds = load({"inline": XOR_INLINE}, ["x1", "x1^2"], "sigmoid", 1)
    np.testing.assert_array_equal(ds.x_train, XOR_INLINE["inputs"])
    np.testing.assert_array_equal(ds.y_train, XOR_INLINE["targets"])
    assert ds.x_train.dtype == np.float64 and ds.x_test.shape == (0, 2)
    assert ds.input_names == ("x1", "x2") and ds.target_names == ("y",)
    assert ds.kind == "classification" and ds.n_classes is None and ds.points_train is None


def test_load_inline_regression_with_split() -> None:
    rows = [[float(i), 2.0 * i] for i in range(10)]
    spec = {"inline": {"inputs": rows, "targets": [[0.5 * i, i] for i in range(10)]}}
    ds = load({**spec, "test_ratio": 0.2, "seed": 1}, [], "linear", 2)
    assert ds.kind == "regression" and ds.target_names == ("y1", "y2")
    assert ds.x_train.shape == (8, 2) and ds.y_test.shape == (2, 2)
    np.testing.assert_allclose(ds.y_train[:, 1], ds.x_train[:, 0])


def with_row(key: str, i: int, row: object) -> dict:
    """XOR_INLINE with row i of its inputs or targets replaced (None: removed)."""
    rows = list(XOR_INLINE[key])
    rows[i : i + 1] = [] if row is None else [row]
    return {**XOR_INLINE, key: rows}


BAD_INLINE = [
    (with_row("inputs", 1, [0, True]), "data.inline.inputs[1][1]: true is not a number"),
    (with_row("targets", 2, [False]), "data.inline.targets[2][0]: false is not a number"),
    (with_row("inputs", 1, [0, 1, 2]), "data.inline.inputs[1]: 3 values, but row 0 has 2"),
    (with_row("inputs", 1, [0, "1"]), "data.inline.inputs[1][1]: '1' is not a number"),
    (with_row("inputs", 1, [0, None]), "data.inline.inputs[1][1]: None is not a number"),
    (with_row("inputs", 1, [float("nan"), 1]), "data.inline.inputs[1][0]: NaN is not allowed"),
    (with_row("targets", 2, [float("-inf")]), "data.inline.targets[2][0]: -inf is not allowed"),
    (with_row("targets", 3, None), "data.inline.targets: 3 rows, but data.inline.inputs has 4"),
    (with_row("inputs", 1, []), "data.inline.inputs[1]: expected a non-empty list"),
    (with_row("inputs", 3, 7), "data.inline.inputs[3]: expected a non-empty list"),
    ({**XOR_INLINE, "inputs": []}, "data.inline.inputs: expected a non-empty list"),
    ({"inputs": [[0]]}, "data.inline.targets: missing"),
    ({**XOR_INLINE, "labels": []}, "data.inline.labels: unknown key"),
    ([[0, 1]], "data.inline: expected an object"),
]


@pytest.mark.parametrize(("inline", "where"), BAD_INLINE)
def test_load_inline_refuses_bad_rows_at_their_json_path(inline: object, where: str) -> None:
    with pytest.raises(DataError) as err:
        load({"inline": inline}, [], "sigmoid", 1)
    assert str(err.value).startswith(where)


def test_load_inline_target_width_must_match_the_output_layer() -> None:
    spec = {"inline": {"inputs": [[0, 0], [1, 1]], "targets": [[0, 1, 0], [1, 0, 0]]}}
    with pytest.raises(DataError) as err:
        load(spec, [], "softmax", 2)
    assert str(err.value) == "data.inline.targets[0]: 3 values, but the output layer has 2 neurons"
    assert err.value.path == "data.inline.targets[0]"


def test_load_inline_one_hot_targets_count_as_classification() -> None:
    spec = {"inline": {"inputs": [[0], [1], [2]], "targets": [[1, 0], [0, 1], [1, 0]]}}
    assert load(spec, [], "softmax", 2).kind == "classification"
    spec = {"inline": {"inputs": [[0], [1]], "targets": [[1, 1], [0, 1]]}}
    assert load(spec, [], "sigmoid", 2).kind == "regression"


def test_data_error_is_a_value_error_with_path_and_message() -> None:
    err = DataError("data.inline.targets[3][0]", "true is not a number")
    assert isinstance(err, ValueError)
    assert str(err) == "data.inline.targets[3][0]: true is not a number"
    assert (err.path, err.message) == ("data.inline.targets[3][0]", "true is not a number")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.message, str(copy)) == (err.path, err.message, str(err))
