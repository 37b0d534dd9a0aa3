"""Data sets: input features, target encoding, the train/test split and load()."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data import dataset, tabular
from core.data.dataset import (
    FEATURES,
    DataError,
    Dataset,
    apply_features,
    default_test_ratio,
    encode_targets,
    load,
    split_indices,
)


@pytest.mark.parametrize("module", [dataset, tabular])
def test_data_modules_do_not_import_qt(module: object) -> None:
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source and "pyqtgraph" not in source


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
