"""Tables of numbers given by the user: inline rows in a session, or a CSV file.

Both become a :class:`Table` of float64 inputs X (n, d) and targets Y (n, k),
used exactly as given (no features, no encoding).  Anything wrong raises a
:class:`DataError` whose text starts with where the problem is: a JSON path
(``data.inline.targets[3][0]``) or a CSV location ``file.csv:line:column``
(1-based; the header is line 1).
"""

from __future__ import annotations

import csv
import math
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.data.files import MAX_NAME, FileRefused, excerpt, open_data, resolve_data_file, shown

MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000  # rows of a table, as of a built-in data set (generators.MAX_N)


class DataError(ValueError):
    """A problem with the data, as one user-facing sentence: ``"<path>: <message>"``.

    ``path`` is a JSON path such as ``data.inline.targets[3][0]`` or a CSV
    location such as ``flowers.csv:7:3``; ``message`` is the reason.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def __reduce__(self) -> tuple[type[DataError], tuple[str, str]]:
        return DataError, (self.path, self.message)  # pickle and copy rebuild from both parts


@dataclass(frozen=True, eq=False)
class Table:
    """Inputs X (n, d) and targets Y (n, k), float64, with a name per column."""

    inputs: np.ndarray
    targets: np.ndarray
    input_names: tuple[str, ...]
    target_names: tuple[str, ...]
    source: str = "data.inline"  # where the rows came from: the CSV file's name, or inline
    lines: np.ndarray | None = None  # each row's line in the CSV file
    target_columns: tuple[int, ...] = ()  # the target columns' numbers in the CSV file (from 1)

    def target_cell(self, row: int, column: int) -> str:
        """Where target ``column`` of row ``row`` (both from 0) stands in the source:
        ``file:line:column`` for CSV, a JSON path for inline rows."""
        if self.lines is None:
            return f"{self.source}.targets[{row}][{column}]"
        return f"{self.source}:{self.lines[row]}:{self.target_columns[column]}"

    def kind(self, lo: float, hi: float) -> str:
        """'classification' when every target is a class code lo or hi (and, with several
        columns, each row has exactly one hi); else 'regression'."""
        y = self.targets
        coded = bool(np.all((y == lo) | (y == hi)))
        one_hot = y.shape[1] == 1 or bool(np.all((y == hi).sum(axis=1) == 1))
        return "classification" if coded and one_hot else "regression"


def neurons(count: int) -> str:
    """'1 neuron' or '3 neurons'."""
    return _count(count, "neuron")


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# ---------------------------------------------------------------- inline rows


def read_inline(inline: object, n_outputs: int) -> Table:
    """The table in ``data.inline = {"inputs": [[...], ...], "targets": [[...], ...]}``.

    Rows are equal-length lists of finite numbers (JSON true/false are not
    numbers); one target row per input row, each with n_outputs values.
    """
    if not isinstance(inline, Mapping):
        raise DataError("data.inline", "expected an object with 'inputs' and 'targets' lists")
    for key in inline:
        if key not in ("inputs", "targets"):
            raise DataError(f"data.inline.{key}", "unknown key; use only 'inputs' and 'targets'")
    x = _number_rows(inline.get("inputs"), "data.inline.inputs")
    y = _number_rows(inline.get("targets"), "data.inline.targets")
    if len(y) != len(x):
        raise DataError(
            "data.inline.targets",
            f"{len(y)} rows, but data.inline.inputs has {len(x)}; give one target row per input",
        )
    if y.shape[1] != n_outputs:
        raise DataError(
            "data.inline.targets[0]",
            f"{y.shape[1]} values, but the output layer has {neurons(n_outputs)}",
        )
    return Table(
        inputs=x,
        targets=y,
        input_names=tuple(f"x{j + 1}" for j in range(x.shape[1])),
        target_names=("y",) if y.shape[1] == 1 else tuple(f"y{j + 1}" for j in range(y.shape[1])),
    )


def _number_rows(rows: object, path: str) -> np.ndarray:
    """A non-empty list of equal-length, non-empty lists of finite numbers, as (n, d) float64."""
    if rows is None:
        raise DataError(path, "missing; give a list of rows such as [[0, 0], [0, 1]]")
    if not isinstance(rows, (list, tuple)) or not rows:
        raise DataError(path, "expected a non-empty list of rows such as [[0, 0], [0, 1]]")
    if len(rows) > MAX_ROWS:
        raise DataError(path, f"{len(rows):,} rows; at most {MAX_ROWS:,}")
    width = None
    values = array("d")
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)) or not row:
            raise DataError(f"{path}[{i}]", "expected a non-empty list of numbers such as [0, 1]")
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise DataError(
                f"{path}[{i}]", f"{len(row)} values, but row 0 has {width}; make rows equally long"
            )
        values.extend(_finite_number(v, f"{path}[{i}][{j}]") for j, v in enumerate(row))
    return np.frombuffer(values, dtype=np.float64).reshape(len(rows), width).copy()


def _finite_number(value: object, path: str) -> float:
    """``value`` as a finite float; bool, text, null, NaN and infinities are refused."""
    if isinstance(value, bool):
        raise DataError(path, f"{str(value).lower()} is not a number; write 1 or 0 instead")
    if not isinstance(value, (int, float)):
        raise DataError(path, f"{value!r} is not a number")
    try:
        number = float(value)
    except OverflowError:
        raise DataError(path, f"{value} is too large for a float") from None
    if not math.isfinite(number):
        raise DataError(path, f"{_non_finite_name(number)} is not allowed; use a finite number")
    return number


def _non_finite_name(number: float) -> str:
    return "NaN" if math.isnan(number) else ("inf" if number > 0 else "-inf")


# ------------------------------------------------------------------ CSV files


def read_csv(
    name: str,
    targets: object,
    n_outputs: int,
    base_dir: Path | None = None,
    allow_outside: bool = False,
) -> Table:
    """The table in CSV file ``name`` (relative to ``base_dir``, else the working folder).

    The file must lie in ``base_dir`` or below unless ``allow_outside`` (see
    core.data.files).  Line 1 is the header; ``targets`` names the target columns and
    every other column is an input, in header order.  Every cell must be a finite
    number; at most MAX_ROWS rows.
    """
    file = _resolve(name, base_dir, allow_outside)
    name = name if len(name) <= MAX_NAME else name[: MAX_NAME - 3] + "..."
    try:
        with open_data(file, MAX_CSV_BYTES) as lines:
            rows = csv_rows(lines, name)
            header_line, header = _header(rows, name)
            target_cols = _target_columns(targets, header, name, n_outputs)
            values, lines = _cells(rows, name, len(header))
    except UnicodeDecodeError:
        raise DataError(name, "not a UTF-8 text file; save it as CSV (UTF-8)") from None
    except OSError as err:
        raise DataError("data.csv", f"cannot read {shown(name)}: {err.strerror}") from None
    if not lines:
        raise DataError(name, f"no data rows after the header on line {header_line}; add some")
    table = np.frombuffer(values, dtype=np.float64).reshape(len(lines), len(header))
    input_cols = [c for c in range(len(header)) if c not in target_cols]
    return Table(
        inputs=table[:, input_cols].copy(),
        targets=table[:, target_cols].copy(),
        input_names=tuple(header[c] for c in input_cols),
        target_names=tuple(header[c] for c in target_cols),
        source=name,
        lines=np.frombuffer(lines, dtype=np.int64),
        target_columns=tuple(c + 1 for c in target_cols),
    )


def _resolve(name: object, base_dir: Path | None, allow_outside: bool) -> Path:
    """The regular file that the path ``name`` points to (see core.data.files)."""
    try:
        return resolve_data_file(name, base_dir, MAX_CSV_BYTES, allow_outside)
    except FileRefused as err:
        raise DataError("data.csv", str(err)) from None


def csv_rows(lines: Iterator[str], name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row; the line is 1-based and physical."""
    reader = csv.reader(lines, strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise DataError(f"{name}:{reader.line_num}", f"not valid CSV ({err})") from None
        if row:
            yield reader.line_num, row


def _header(rows: Iterator[tuple[int, list[str]]], name: str) -> tuple[int, list[str]]:
    """The header line number and its column names: non-empty and unique."""
    first = next(rows, None)
    if first is None:
        raise DataError(name, "the file is empty; line 1 must be a header naming the columns")
    line, cells = first
    header = [cell.strip() for cell in cells]
    seen: dict[str, int] = {}
    for col, column in enumerate(header, start=1):
        if not column:
            raise DataError(f"{name}:{line}:{col}", f"column {col} has no name in the header")
        if column in seen:
            raise DataError(
                f"{name}:{line}:{col}",
                f"column name {excerpt(column)} appears twice (also column {seen[column]})",
            )
        seen[column] = col
    return line, header


def _target_columns(targets: object, header: Sequence[str], name: str, n_outputs: int) -> list[int]:
    """Header indices of the target columns named in ``data.targets`` (one lookup each)."""
    if not isinstance(targets, (list, tuple)) or not targets:
        raise DataError("data.targets", 'name the target columns as a list, e.g. ["label"]')
    index = {column: c for c, column in enumerate(header)}
    columns: list[int] = []
    taken: set[int] = set()
    for i, target in enumerate(targets):
        if not isinstance(target, str):
            raise DataError(f"data.targets[{i}]", f"{_what(target)} is not a column name")
        if target not in index:
            raise DataError(
                "data.targets",
                f"no column {excerpt(target)} in {name}; columns are {_listed(header)}",
            )
        if index[target] in taken:
            raise DataError(f"data.targets[{i}]", f"{excerpt(target)} is listed twice")
        columns.append(index[target])
        taken.add(index[target])
    if len(columns) == len(header):
        raise DataError("data.targets", f"every column of {name} is a target; leave an input")
    if len(columns) != n_outputs:
        raise DataError(
            "data.targets",
            f"{_count(len(columns), 'target column')}, "
            f"but the output layer has {neurons(n_outputs)}",
        )
    return columns


def _what(value: object) -> str:
    """A value that is not a name, as a message shows it: small numbers as written."""
    if isinstance(value, bool | None | int | float) and not (
        isinstance(value, int) and abs(value) >= 10**15  # repr of a huge int is slow or fails
    ):
        return repr(value)
    return f"a {type(value).__name__}"


def _listed(header: Sequence[str], most: int = 8) -> str:
    """The first column names, each a short excerpt, and how many more there are."""
    names = ", ".join(excerpt(column)[1:-1] for column in header[:most])
    return names + (f" and {len(header) - most:,} more" if len(header) > most else "")


def _cells(rows: Iterator[tuple[int, list[str]]], name: str, width: int) -> tuple[array, array]:
    """All data cells as a flat float64 array (row after row), and each row's line."""
    values, lines = array("d"), array("q")
    for line, cells in rows:
        if len(lines) == MAX_ROWS:
            raise DataError(f"{name}:{line}", f"more than {MAX_ROWS:,} data rows; use fewer")
        if len(cells) != width:
            raise DataError(f"{name}:{line}", f"{len(cells)} cells, expected {width}")
        values.extend(_cell(cell, f"{name}:{line}:{col}") for col, cell in enumerate(cells, 1))
        lines.append(line)
    return values, lines


def _cell(cell: str, where: str) -> float:
    """One CSV cell as a finite float."""
    text = cell.strip()
    if not text:
        raise DataError(where, "empty cell; every cell needs a number")
    try:
        number = float(text)
    except ValueError:
        raise DataError(where, f"{excerpt(text)} is not a number") from None
    if not math.isfinite(number):
        raise DataError(where, f"{_non_finite_name(number)} is not allowed; use a finite number")
    return number


MAX_INPUT_DIMS = 3  # an input_shape has at most 3 entries: rows, columns, channels


def input_shape(value: object, width: int) -> tuple[int, ...] | None:
    """The checked ``data.input_shape`` of rows with ``width`` inputs: None if not given,
    else 1 to 3 whole numbers >= 1 whose product is ``width``."""
    path = "data.input_shape"
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= MAX_INPUT_DIMS:
        raise DataError(path, "expected a list of 1 to 3 whole numbers such as [8, 8]")
    for i, n in enumerate(value):
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= width:
            raise DataError(
                f"{path}[{i}]",
                f"{_json_shown(n)} is not a whole number from 1 to {width} (the inputs)",
            )
    if math.prod(value) != width:
        product = " x ".join(str(n) for n in value)
        raise DataError(
            path,
            f"{product} = {math.prod(value)}, but there are {width} inputs; "
            "give a shape whose product is the number of inputs",
        )
    return tuple(value)


def _json_shown(value: object) -> str:
    """A JSON value that should have been a number, as a message shows it: short."""
    if isinstance(value, bool) or value is None:
        return "true" if value is True else "false" if value is False else "null"
    if isinstance(value, int | float) and abs(value) < 1e15:
        return repr(value)
    return "that value"


def split_indices(n: int, test_ratio: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row indices.  test_ratio 0: rows 0..n-1 in order, all train.
    Else p = permutation(n) from seeded_rng(seed); train = p[:round(n (1 - test_ratio))]."""
    if not 0.0 <= test_ratio < 1.0:
        raise DataError("data.test_ratio", f"{test_ratio} is out of range; use 0 up to below 1")
    if test_ratio == 0.0:
        return np.arange(n), np.arange(0)
    n_train = round(n * (1.0 - test_ratio))
    if n_train < 1:
        raise DataError(
            "data.test_ratio", f"{test_ratio} leaves no training rows out of {n}; lower it"
        )
    order = seeded_rng(seed).permutation(n)
    return order[:n_train], order[n_train:]


def seeded_rng(seed: int) -> np.random.Generator:
    """The generator of a data seed (a split's, a generator's), which must be >= 0."""
    if seed < 0:
        raise DataError("data.seed", f"{seed} is negative; use a whole number >= 0")
    return np.random.default_rng(seed)
