"""Standardising a table's inputs (the z-score), with numbers stored in the session.

For input column j, with the TRAINING rows only (after the train/test split):

    mean_j = (1/n) sum_i x_ij          std_j = sqrt((1/n) sum_i (x_ij - mean_j)^2)

(the population standard deviation, as scikit-learn's StandardScaler), and every row,
training and test, becomes ``x'_ij = (x_ij - mean_j) / std_j``.  A column whose training
rows are all equal has std_j = 0: it is stored as 1, so that column becomes x_ij - mean_j
(0 on every training row) and nothing is divided by zero.  The session keeps both lists
(``data.standardize = {"mean": [...], "std": [...]}``), so a reloaded session uses exactly
the same numbers; ``false`` there means the inputs are used as given.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from core.data.tabular import DataError

INPUT_NOTE = (
    "x is standardised: x = (raw value − mean) / std per input column, with the mean and "
    "std of the training rows (stored in the session)."
)


def training_stats(x_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, std) of each column of the training inputs ``x_train`` (n, d), std 0 -> 1."""
    x_train = np.asarray(x_train, dtype=np.float64)
    if len(x_train) == 0:
        raise DataError("data.standardize", "no training rows to compute a mean from")
    mean = x_train.mean(axis=0)
    std = np.sqrt(((x_train - mean) ** 2).mean(axis=0))
    std[std == 0.0] = 1.0
    return mean, std


def standardize(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """(x - mean) / std, column by column."""
    return (np.asarray(x, dtype=np.float64) - mean) / std


def stats_of(value: object, width: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The stored (mean, std) of ``data.standardize`` for ``width`` input columns, or None
    for false (inputs as given); raises DataError at the JSON path of what is wrong."""
    if value is False:
        return None
    path = "data.standardize"
    if not isinstance(value, Mapping) or set(value) != {"mean", "std"}:
        raise DataError(path, 'expected false or {"mean": [...], "std": [...]}')
    found = []
    for key in ("mean", "std"):
        numbers = value[key]
        if not isinstance(numbers, list) or len(numbers) != width:
            raise DataError(f"{path}.{key}", f"expected a list of {width} numbers, one per input")
        for j, number in enumerate(numbers):
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                raise DataError(f"{path}.{key}[{j}]", f"{number!r} is not a number")
            if not np.isfinite(float(number)) or (key == "std" and not float(number) > 0):
                why = "must be above 0 (a constant column has std 1)" if key == "std" else ""
                raise DataError(f"{path}.{key}[{j}]", why or "must be a finite number")
        found.append(np.array(numbers, dtype=np.float64))
    return found[0], found[1]


def stats_entry(mean: np.ndarray, std: np.ndarray) -> dict:
    """The session's ``data.standardize`` value for these statistics (exact floats)."""
    return {"mean": [float(m) for m in mean], "std": [float(s) for s in std]}


def input_note(data: Mapping) -> str | None:
    """The line lecture mode shows above the formulas when the session's inputs are
    standardised, else None."""
    return INPUT_NOTE if isinstance(data.get("standardize"), Mapping) else None
