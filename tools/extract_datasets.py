"""Write the shipped real data sets, resources/data/iris.csv and resources/data/digits.csv.gz,
from the copies scikit-learn ships (resources/data/README.md says where they come from).

Run once, by hand, in a scratch virtualenv that has scikit-learn; the app and its tests never
import this script, and scikit-learn is no dependency of the app:

    python3 -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn
    /tmp/sk/bin/python tools/extract_datasets.py

The output is byte for byte the same on every run: rows in the source's order, numbers
written exactly as the source holds them, and a gzip stream without a file name or time
stamp (mtime 0). (zlib's compressed bytes could differ with another zlib build; the text
inside never does.)

Today's CSV reader takes numbers only, and one target column per output neuron, so each
class is a column of its own holding 1 for the rows of that class and 0 for the others (a
one-hot code), named after the class.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn import datasets

DATA = Path(__file__).resolve().parents[1] / "resources" / "data"
IRIS_INPUTS = ("sepal_length", "sepal_width", "petal_length", "petal_width")  # in cm
IRIS_CLASSES = ("setosa", "versicolor", "virginica")
DIGIT_CLASSES = tuple(f"digit_{d}" for d in range(10))
SIDE = 8  # the digits are 8x8 pictures, read row by row: p0..p7 is the top row


def exact(value: float) -> str:
    """``value`` written with the fewest digits that read back as the same float."""
    text = repr(float(value))
    text = text[:-2] if text.endswith(".0") else text
    assert float(text) == value, (text, value)
    return text


def one_hot(classes: np.ndarray, count: int) -> np.ndarray:
    """Row i holds 1 in column classes[i] and 0 elsewhere."""
    codes = np.zeros((len(classes), count), dtype=np.int64)
    codes[np.arange(len(classes)), classes] = 1
    return codes


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV file's bytes: a header, then one line per row, LF line ends, UTF-8."""
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzipped(data: bytes) -> bytes:
    """``data`` gzip-compressed reproducibly: no file name, mtime 0, level 9."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as stream:
        stream.write(data)
    return out.getvalue()


def iris() -> bytes:
    """Fisher's iris: 150 rows, 4 measurements in cm, 3 species as one-hot columns."""
    bunch = datasets.load_iris()
    x, y = bunch.data, bunch.target
    assert x.shape == (150, 4) and tuple(bunch.target_names) == IRIS_CLASSES
    codes = one_hot(y, len(IRIS_CLASSES))
    rows = ([*map(exact, xs), *map(str, cs)] for xs, cs in zip(x, codes))
    return csv_text([*IRIS_INPUTS, *IRIS_CLASSES], rows)


def digits() -> bytes:
    """The 8x8 optical digits: 1,797 rows, 64 pixels 0..16, 10 digits as one-hot columns."""
    bunch = datasets.load_digits()
    x, y = bunch.data, bunch.target
    assert x.shape == (1797, SIDE * SIDE)
    pixels = x.astype(np.int64)
    assert np.array_equal(pixels, x) and pixels.min() == 0 and pixels.max() == 16
    codes = one_hot(y, len(DIGIT_CLASSES))
    header = [*(f"p{i}" for i in range(SIDE * SIDE)), *DIGIT_CLASSES]
    rows = ([*map(str, ps), *map(str, cs)] for ps, cs in zip(pixels, codes))
    return csv_text(header, rows)


def main() -> None:
    """Write both files and print their sizes and SHA-256 sums."""
    for name, data in (("iris.csv", iris()), ("digits.csv.gz", gzipped(digits()))):
        (DATA / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
