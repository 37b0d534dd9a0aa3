"""The real data the app ships (resources/data: Fisher's iris, the 8x8 UCI digits) holds
exactly the source's numbers, travels in the wheel, and its lessons load and learn."""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import tomllib

import numpy as np
import pytest

from core.data.files import SHIPPED_DATA
from core.data.tabular import read_csv
from core.engine.trainer import trainer_for
from core.session.format import load_session, save_session, session_from_dict
from tests import paths

IRIS_CLASSES = ["setosa", "versicolor", "virginica"]
DIGITS = [f"digit_{d}" for d in range(10)]
# resources/data/README.md; the digits' text as unpacked (the packed bytes depend on zlib).
IRIS_SHA256 = "2a1cf193c58da49d0cf018ff4184c08a4856c0ec548f8f553dfe3aed800ad7f9"
DIGITS_TEXT_SHA256 = "7c64252bd79ab42575b23a3f34015ccb873d49d3a55a4825e9147d0b5b08d72e"


def accuracy(session, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(session.network.predict(x).argmax(axis=1) == y.argmax(axis=1)))


def test_the_files_are_the_extracted_ones() -> None:
    assert paths.DATA == SHIPPED_DATA
    iris = (paths.DATA / "iris.csv").read_bytes()
    assert hashlib.sha256(iris).hexdigest() == IRIS_SHA256
    packed = (paths.DATA / "digits.csv.gz").read_bytes()
    assert hashlib.sha256(gzip.decompress(packed)).hexdigest() == DIGITS_TEXT_SHA256
    # Reproducible: a single member with no file name or other flags, and time stamp 0.
    assert packed[:4] == b"\x1f\x8b\x08\x00" and packed[4:8] == bytes(4)


def test_iris_holds_fishers_measurements() -> None:
    table = read_csv(str(paths.DATA / "iris.csv"), IRIS_CLASSES, 3)
    assert table.inputs.shape == (150, 4) and table.targets.shape == (150, 3)
    assert table.input_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    np.testing.assert_array_equal(table.inputs[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_array_equal(table.inputs[-1], [5.9, 3.0, 5.1, 1.8])
    # Fisher's rows 35 and 38 (UCI's file has errors there), and R's colMeans(iris) * 150.
    np.testing.assert_array_equal(
        table.inputs[[34, 37]], [[4.9, 3.1, 1.5, 0.2], [4.9, 3.6, 1.4, 0.1]]
    )
    np.testing.assert_allclose(table.inputs.sum(axis=0), [876.5, 458.6, 563.7, 179.9], atol=1e-9)
    classes = table.targets.argmax(axis=1)
    np.testing.assert_array_equal(classes, np.repeat([0, 1, 2], 50))
    assert np.all(table.targets.sum(axis=1) == 1)


def test_digits_are_the_uci_test_set() -> None:
    table = read_csv(str(paths.DATA / "digits.csv.gz"), DIGITS, 10)
    assert table.inputs.shape == (1797, 64) and table.targets.shape == (1797, 10)
    assert table.input_names == tuple(f"p{i}" for i in range(64))
    first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0]
    np.testing.assert_array_equal(table.inputs[0, :24], first)  # sklearn's digits.images[0]
    assert table.targets[0].argmax() == 0 and np.all(table.targets.sum(axis=1) == 1)
    pixels = table.inputs
    assert np.array_equal(pixels, np.round(pixels)) and pixels.min() == 0 and pixels.max() == 16
    # Class counts of optdigits.tes, as the UCI page lists them.
    counts = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    np.testing.assert_array_equal(table.targets.sum(axis=0), counts)


def test_the_wheel_carries_the_data_files() -> None:
    """pyproject.toml's package-data (the wheel takes exactly what it lists) names every
    file of resources/data."""
    config = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["resources"]
    files = [p.relative_to(paths.DATA.parent).as_posix() for p in paths.DATA.iterdir()]
    assert {"data/iris.csv", "data/digits.csv.gz", "data/README.md"} <= set(files)
    assert all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files), files


def test_the_app_never_uses_the_extraction_script_or_scikit_learn() -> None:
    sources = [*(paths.ROOT / "core").rglob("*.py"), *(paths.ROOT / "gui").rglob("*.py")]
    assert not [p for p in sources if "sklearn" in p.read_text(encoding="utf-8")]
    assert "scikit" not in (paths.ROOT / "pyproject.toml").read_text(encoding="utf-8").lower()


def test_the_iris_lesson() -> None:
    s = load_session(paths.LESSONS / "iris.json")
    ds = s.dataset
    assert s.network.layers == [4, 8, 3] and s.loss == "cce" and not s.warnings
    assert (ds.x_train.shape, ds.x_test.shape, ds.y_train.shape) == ((105, 4), (45, 4), (105, 3))
    assert ds.kind == "classification" and ds.target_names == tuple(IRIS_CLASSES)
    assert ds.input_shape is None


def test_the_digits_lesson() -> None:
    s = load_session(paths.LESSONS / "digits.json")
    ds = s.dataset
    assert s.network.layers == [64, 32, 10] and s.loss == "cce" and not s.warnings
    assert (ds.x_train.shape, ds.x_test.shape) == ((1258, 64), (539, 64))
    assert ds.y_train.shape == (1258, 10) and ds.target_names == tuple(DIGITS)
    assert ds.kind == "classification" and ds.input_shape == (8, 8)


@pytest.mark.parametrize(
    ("name", "epochs", "before", "after"), [("iris", 50, 0.5, 0.95), ("digits", 5, 0.3, 0.75)]
)
def test_a_short_run_learns(name: str, epochs: int, before: float, after: float) -> None:
    s = load_session(paths.LESSONS / f"{name}.json")
    ds = s.dataset
    assert accuracy(s, ds.x_test, ds.y_test) < before
    trainer = trainer_for(s)
    trainer.run(epochs=epochs)
    assert trainer.status != "diverged"
    assert accuracy(s, ds.x_test, ds.y_test) > after
    assert trainer.history.last("test_accuracy") == pytest.approx(accuracy(s, ds.x_test, ds.y_test))


def test_a_copy_saved_anywhere_still_finds_the_data(tmp_path) -> None:
    s = load_session(paths.LESSONS / "digits.json")
    (tmp_path / "elsewhere").mkdir()
    saved = save_session(s, tmp_path / "elsewhere" / "my digits.json")
    again = load_session(saved)  # no permission to read outside: the shipped data needs none
    np.testing.assert_array_equal(again.dataset.x_train, s.dataset.x_train)
    assert again.dataset.input_shape == (8, 8)


def test_any_session_may_name_the_shipped_data_but_nothing_beside_it(tmp_path) -> None:
    d = {
        "format": "backprop-lab/1",
        "network": {"layers": [4, 3], "activations": ["softmax"]},
        "loss": "cce",
        "data": {"csv": str(paths.DATA / "iris.csv"), "targets": IRIS_CLASSES},
    }
    assert session_from_dict(d, base_dir=tmp_path).dataset.x_train.shape == (150, 4)
    d["data"]["csv"] = str(paths.DATA.parent / "lessons" / "iris.json")
    with pytest.raises(Exception, match="outside the session's folder"):
        session_from_dict(d, base_dir=tmp_path)
