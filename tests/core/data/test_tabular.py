"""CSV data: a good file, paths, the sample file, and each bad file with its location."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.data import tabular
from core.data.dataset import DataError, load
from tests import paths

SAMPLES = paths.DATA

GOOD = "a,b,label\n0.5,1,0\n-2,3e2,1\n 4 , -0.25 ,1\n"


def write(folder: Path, text: str, name: str = "data.csv") -> Path:
    file = folder / name
    file.write_text(text, encoding="utf-8", newline="")
    return file


def load_csv(path: str, base_dir: Path | None, targets: list[str] | None = None, **spec):
    spec = {"csv": path, "targets": ["label"] if targets is None else targets, **spec}
    return load(spec, ["x1"], "sigmoid", len(spec["targets"]), base_dir=base_dir)


def test_a_good_file_loads_with_inputs_in_header_order(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    ds = load_csv("data.csv", tmp_path)
    np.testing.assert_array_equal(ds.x_train, [[0.5, 1.0], [-2.0, 300.0], [4.0, -0.25]])
    np.testing.assert_array_equal(ds.y_train, [[0.0], [1.0], [1.0]])
    assert ds.x_train.dtype == np.float64 and ds.y_train.dtype == np.float64
    assert ds.input_names == ("a", "b") and ds.target_names == ("label",)
    assert ds.kind == "classification" and ds.n_classes is None
    assert ds.points_train is None and ds.classes_train is None
    assert ds.x_test.shape == (0, 2) and ds.y_test.shape == (0, 1)


def test_target_columns_may_sit_anywhere(tmp_path: Path) -> None:
    write(tmp_path, "t1,a,t2,b\n1,2,3,4\n5,6,7,8\n")
    ds = load_csv("data.csv", tmp_path, targets=["t2", "t1"])
    assert ds.input_names == ("a", "b") and ds.target_names == ("t2", "t1")
    np.testing.assert_array_equal(ds.y_train, [[3, 1], [7, 5]])
    np.testing.assert_array_equal(ds.x_train, [[2, 4], [6, 8]])
    assert ds.kind == "regression"


def test_split_quotes_bom_crlf_and_blank_lines(tmp_path: Path) -> None:
    rows = "".join(f'"{i}",{i * 2}\r\n' for i in range(10))
    write(tmp_path, '\ufeffx,"label"\r\n' + rows + "\r\n\r\n")
    ds = load_csv("data.csv", tmp_path, test_ratio=0.3, seed=2)
    assert ds.x_train.shape == (7, 1) and ds.x_test.shape == (3, 1)
    np.testing.assert_array_equal(ds.y_train[:, 0], 2 * ds.x_train[:, 0])
    assert ds.input_names == ("x",)


def test_relative_path_resolves_against_base_dir(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", GOOD, "points.csv")
    assert load_csv("data/points.csv", tmp_path).x_train.shape == (3, 2)


def test_relative_path_without_base_dir_uses_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, GOOD)
    monkeypatch.chdir(tmp_path)
    assert load_csv("data.csv", None).x_train.shape == (3, 2)


def test_absolute_path_ignores_base_dir(tmp_path: Path) -> None:
    file = write(tmp_path, GOOD)
    # issue 10: a file outside the session's folder needs the caller's permission
    spec = {"csv": str(file), "targets": ["label"]}
    ds = load(spec, ["x1"], "sigmoid", 1, base_dir=tmp_path / "elsewhere", allow_outside=True)
    assert ds.x_train.shape == (3, 2)
    assert load_csv(str(file), tmp_path).x_train.shape == (3, 2)  # inside: no permission needed


def test_the_sample_file_loads_for_a_lesson() -> None:
    ds = load_csv("exam_results.csv", SAMPLES, targets=["passed"])
    assert ds.input_names == ("hours_studied", "hours_slept")
    assert ds.x_train.shape == (40, 2) and ds.kind == "classification"
    assert np.all(np.isfinite(ds.x_train)) and ds.y_train.sum() == 20
    score = 0.6 * ds.x_train[:, 0] + 0.8 * ds.x_train[:, 1]
    np.testing.assert_array_equal(ds.y_train[:, 0], score > 7.7)


BAD_FILES = [
    # (file text, expected error text (a prefix); "F" stands for the file name)
    ("a,b,label\n1,2,0\n1,abc,1\n", "F:3:2: 'abc' is not a number"),
    ("a,b,label\n1,2,0\n1,,1\n", "F:3:2: empty cell"),
    ("a,b,label\n1,2,0\n1,   ,1\n", "F:3:2: empty cell"),
    ("a,b,label\n1,2,0\n1,2,nan\n", "F:3:3: NaN is not allowed"),
    ("a,b,label\n1,2,0\nNaN,2,1\n", "F:3:1: NaN is not allowed"),
    ("a,b,label\n1,2,0\n1,inf,1\n", "F:3:2: inf is not allowed"),
    ("a,b,label\n1,2,0\n1,-inf,1\n", "F:3:2: -inf is not allowed"),
    ("a,b,label\n1,2,0\n1e400,2,1\n", "F:3:1: inf is not allowed"),
    ("a,b,label\n1,2,0\n1,2,0\n1,2\n", "F:4: 2 cells, expected 3"),
    ("a,b,label\n1,2,0,4\n", "F:2: 4 cells, expected 3"),
    ("a,b,label\n1,2,0\n\n1,2,x\n", "F:4:3: 'x' is not a number"),
    ("a,b,lbl\n1,2,0\n", "data.targets: no column 'label' in F; columns are a, b, lbl"),
    ("a,b,a,label\n1,2,3,0\n", "F:1:3: column name 'a' appears twice (also column 1)"),
    ("a,,label\n1,2,0\n", "F:1:2: column 2 has no name"),
    ("", "F: the file is empty"),
    ("\n\n", "F: the file is empty"),
    ("a,b,label\n", "F: no data rows after the header"),
    ("label\n1\n", "data.targets: every column of F is a target"),
    ('a,b,label\n1,"2\n', "F:2: not valid CSV"),
    ('a,b,label\n1,"2"x,0\n', "F:2: not valid CSV"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_bad_files_are_refused_at_their_location(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, text)
    with pytest.raises(DataError) as err:
        load_csv("data.csv", tmp_path)
    assert str(err.value).startswith(expected.replace("F", "data.csv"))
    assert str(err.value) == f"{err.value.path}: {err.value.message}"


def test_the_location_uses_the_path_as_given(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a,label\n1,0\n2,0\n3,0\n4,0\n5,0\n6,x\n", "flowers.csv")
    with pytest.raises(DataError) as err:
        load_csv("sub/flowers.csv", tmp_path)
    assert str(err.value) == "sub/flowers.csv:7:2: 'x' is not a number"
    assert err.value.path == "sub/flowers.csv:7:2" and err.value.message == "'x' is not a number"


def test_a_missing_file_names_the_resolved_path(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        load_csv("nope/missing.csv", tmp_path)
    assert err.value.path == "data.csv"
    assert "'nope/missing.csv'" in err.value.message
    assert str(tmp_path / "nope" / "missing.csv") in err.value.message


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(DataError, match="^data.csv: 'folder.csv' is not a file"):
        load_csv("folder.csv", tmp_path)


def test_files_over_50_mb_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GOOD)
    monkeypatch.setattr(tabular, "MAX_CSV_BYTES", 10)
    with pytest.raises(DataError, match="^data.csv: 'data.csv' is .* MB; files over 50 MB"):
        load_csv("data.csv", tmp_path)


def test_a_non_utf8_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_bytes(b"a,label\n\xff\xfe,1\n")
    with pytest.raises(DataError, match="^data.csv: not a UTF-8 text file"):
        load_csv("data.csv", tmp_path)


@pytest.mark.parametrize(
    ("targets", "where"),
    [
        (None, "data.targets: name the target columns"),
        ([], "data.targets: name the target columns"),
        ("label", "data.targets: name the target columns"),
        ([3], "data.targets[0]: 3 is not a column name"),
        (["label", "label"], "data.targets[1]: 'label' is listed twice"),
    ],
)
def test_bad_target_lists_are_refused(tmp_path: Path, targets: object, where: str) -> None:
    write(tmp_path, GOOD)
    spec = {"csv": "data.csv"} if targets is None else {"csv": "data.csv", "targets": targets}
    with pytest.raises(DataError) as err:
        load(spec, [], "sigmoid", 1, base_dir=tmp_path)
    assert str(err.value).startswith(where)


def test_target_count_must_match_the_output_layer(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    with pytest.raises(DataError) as err:
        load({"csv": "data.csv", "targets": ["label"]}, [], "softmax", 2, base_dir=tmp_path)
    assert str(err.value) == "data.targets: 1 target column, but the output layer has 2 neurons"


@pytest.mark.parametrize("path", ["", "   ", 5])
def test_the_csv_path_must_be_text(tmp_path: Path, path: object) -> None:
    with pytest.raises(DataError, match="^data.csv: expected the path of a CSV file"):
        load({"csv": path, "targets": ["y"]}, [], "sigmoid", 1, base_dir=tmp_path)


def test_unknown_keys_next_to_csv_are_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    with pytest.raises(DataError, match="^data.noise: unknown key for csv data"):
        load_csv("data.csv", tmp_path, noise=0.1)
