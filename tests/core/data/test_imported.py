"""Imported tables: string class labels, standardisation on the training rows only (checked
against direct evaluation), a constant column, rows embedded or read from the file, and the
errors of the rows at file:line:column."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from core.data.dataset import load, split_indices
from core.data.imported import import_spec
from core.data.scaling import INPUT_NOTE, input_note, stats_of, training_stats
from core.data.scan import CLASSIFICATION, REGRESSION, scan_csv
from core.data.tabular import DataError

FLOWERS = (
    "a,b,species\n1.5,0.2,setosa\n4.5,1.5,versicolor\n6.0,2.5,virginica\n1.4,0.3,setosa\n"
    "4.1,1.3,versicolor\n5.9,2.1,virginica\n1.3,0.2,setosa\n4.0,1.2,versicolor\n"
)


def write(folder: Path, text: str, name: str = "data.csv") -> Path:
    file = folder / name
    file.write_text(text, encoding="utf-8", newline="")
    return file


def flowers(folder: Path, embed: bool = False, standardized: bool = True, ratio: float = 0.25):
    found = scan_csv(write(folder, FLOWERS))
    stored = None if embed else "data.csv"
    return import_spec(found, ["species"], CLASSIFICATION, ratio, 3, standardized, stored)


def test_string_labels_become_sorted_classes_one_output_each(tmp_path: Path) -> None:
    spec = flowers(tmp_path, standardized=False, ratio=0.0)
    assert spec["class_names"] == ["setosa", "versicolor", "virginica"]
    ds = load(spec, ["x1"], "softmax", 3, tmp_path, "cce")
    assert ds.kind == "classification" and ds.n_classes == 3
    assert ds.target_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(ds.classes_train, [0, 1, 2, 0, 1, 2, 0, 1])
    np.testing.assert_array_equal(ds.y_train[1], [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(ds.x_train[:, 0], [1.5, 4.5, 6.0, 1.4, 4.1, 5.9, 1.3, 4.0])


def test_the_standardisation_uses_the_training_rows_only(tmp_path: Path) -> None:
    spec = flowers(tmp_path)
    raw = np.array([[float(c) for c in r.split(",")[:2]] for r in FLOWERS.splitlines()[1:]])
    train, test = split_indices(len(raw), 0.25, 3)
    for j in range(2):
        column = raw[train, j]
        mean = math.fsum(column) / len(column)
        std = math.sqrt(math.fsum((v - mean) ** 2 for v in column) / len(column))
        assert spec["standardize"]["mean"][j] == pytest.approx(mean, rel=1e-14)
        assert spec["standardize"]["std"][j] == pytest.approx(std, rel=1e-14)
        assert mean != pytest.approx(raw[:, j].mean(), rel=1e-6)  # the test rows left out
    ds = load(spec, ["x1"], "softmax", 3, tmp_path, "cce")
    mean, std = (np.array(spec["standardize"][k]) for k in ("mean", "std"))
    np.testing.assert_array_equal(ds.x_train, (raw[train] - mean) / std)
    np.testing.assert_array_equal(ds.x_test, (raw[test] - mean) / std)
    np.testing.assert_allclose(ds.x_train.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(ds.x_train.std(axis=0), 1.0, rtol=1e-14)
    assert ds.standardized


def test_a_constant_column_keeps_std_1_and_becomes_zero() -> None:
    x = np.array([[2.0, 1.0], [2.0, 3.0], [2.0, 5.0]])
    mean, std = training_stats(x)
    assert list(mean) == [2.0, 3.0] and std[0] == 1.0
    assert std[1] == pytest.approx(math.sqrt(8 / 3), rel=1e-15)


def test_embedded_rows_load_as_the_file_does(tmp_path: Path) -> None:
    from_file = load(flowers(tmp_path), ["x1"], "softmax", 3, tmp_path, "cce")
    spec = flowers(tmp_path, embed=True)
    assert "csv" not in spec and spec["inline"]["targets"][:3] == [[0], [1], [2]]
    assert spec["names"] == {"inputs": ["a", "b"], "targets": ["species"]}
    inline = load(spec, ["x1"], "softmax", 3, None, "cce")
    for part in ("x_train", "y_train", "x_test", "y_test", "classes_train"):
        np.testing.assert_array_equal(getattr(inline, part), getattr(from_file, part))
    assert inline.input_names == ("a", "b") and inline.target_names == from_file.target_names


def test_regression_targets_are_used_as_given(tmp_path: Path) -> None:
    found = scan_csv(write(tmp_path, "x,y\n1,0.5\n2,1.5\n3,2.25\n"))
    spec = import_spec(found, ["y"], REGRESSION, 0.0, 0, False, "data.csv")
    assert spec["standardize"] is False and "class_names" not in spec
    ds = load(spec, ["x1"], "linear", 1, tmp_path, "mse")
    assert ds.kind == "regression" and ds.n_classes is None and not ds.standardized
    np.testing.assert_array_equal(ds.y_train[:, 0], [0.5, 1.5, 2.25])


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a,b,species\n1,2,setosa\n1,x,setosa\n", "data.csv:3:2: 'x' is not a number"),
        ("a,b,species\n1,2,setosa\n1,nan,setosa\n", "data.csv:3:2: nan is not allowed"),
        ("a,b,species\n1,2,setosa\n1,2,rose\n", "data.csv:3:3: 'rose' is not one of the"),
        ("a,b,species\n1,2,setosa\n1,2,\n", "data.csv:3:3: empty cell; every row needs its"),
        ("a,b,species\n1,2,setosa\n1,2\n", "data.csv:3:3: 2 cells, but the header has 3"),
    ],
)
def test_a_changed_file_is_refused_at_its_cell(tmp_path: Path, text: str, where: str) -> None:
    spec = flowers(tmp_path, standardized=False)
    write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load(spec, ["x1"], "softmax", 3, tmp_path, "cce")
    assert str(caught.value).startswith(where)


def test_stored_numbers_are_checked_at_their_json_path() -> None:
    assert stats_of(False, 2) is None
    with pytest.raises(DataError, match=r"data\.standardize\.std\[1\]: must be above 0"):
        stats_of({"mean": [0, 0], "std": [1, 0]}, 2)
    with pytest.raises(DataError, match=r"data\.standardize\.mean: expected a list of 3"):
        stats_of({"mean": [0, 0], "std": [1, 1]}, 3)


def test_the_output_layer_must_have_one_neuron_per_class(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="the data has 3 classes, but the output layer has 1"):
        load(flowers(tmp_path), ["x1"], "sigmoid", 1, tmp_path, "bce")


def test_lecture_mode_is_told_when_the_inputs_are_standardised(tmp_path: Path) -> None:
    assert input_note(flowers(tmp_path)) == INPUT_NOTE
    assert input_note(flowers(tmp_path, standardized=False)) is None
    assert input_note({"builtin": "circle"}) is None
