"""Tables brought in by Data > Import CSV…: class labels, column names, standardised inputs.

An imported table is a session's ``"csv"`` or ``"inline"`` data with any of three more keys:

* ``"class_names": ["setosa", "versicolor", ...]``: the one target column holds class
  labels (in a CSV file as written, see :func:`core.data.scan.label`; inline as class
  numbers 0, 1, ...); class c is ``class_names[c]``, encoded one output per class (as
  built-in classes are, :func:`core.data.dataset.encode_targets`), and the names become
  the targets' names (the legend's);
* ``"names": {"inputs": [...], "targets": [...]}``: inline rows' column names;
* ``"standardize"``: false, or the training rows' mean and std (:mod:`core.data.scaling`).

The last file read is kept (keyed by its path, size and modification time), so the window
reads a large file once, off the GUI thread, and the session's reload finds it.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import numpy as np

from core.data.files import FileRefused, excerpt, resolve_data_file
from core.data.scaling import standardize, stats_entry, stats_of, training_stats
from core.data.scan import (
    CLASSIFICATION,
    CsvScan,
    cell_problem,
    checked_width,
    header_of,
    label,
    read_csv_text,
    records,
    shown_name,
)
from core.data.tabular import MAX_CSV_BYTES, DataError, Table, _number_rows, neurons, split_indices

IMPORT_KEYS = ("class_names", "names", "standardize")


@dataclass(frozen=True, eq=False)
class Rows:
    """A table's inputs (n, d) and its targets: values (n, k), or class numbers (n,) when
    the table has class names."""

    table: Table
    classes: np.ndarray | None


_cache: dict[tuple, Rows] = {}
_lock = threading.Lock()


def read_rows(
    name: str,
    targets: Sequence[str],
    class_names: Sequence[str] | None,
    base_dir: Path | None = None,
    allow_outside: bool = False,
) -> Rows:
    """The rows of CSV file ``name`` (relative to ``base_dir``; outside it only if
    ``allow_outside``), its ``targets`` columns as class labels (``class_names``) or as
    numbers.  Raises DataError at ``file:line:column``."""
    try:
        file = resolve_data_file(name, base_dir, MAX_CSV_BYTES, allow_outside)
    except FileRefused as err:
        raise DataError("data.csv", str(err)) from None
    info = file.stat()
    key = (str(file), info.st_size, info.st_mtime_ns, tuple(targets), _tuple(class_names))
    with _lock:
        if key in _cache:
            return _cache[key]
    rows = _read(file, shown_name(file), targets, class_names)
    with _lock:
        _cache.clear()  # one file kept: the one the window shows
        _cache[key] = rows
    return rows


def _tuple(names: Sequence[str] | None) -> tuple | None:
    return None if names is None else tuple(names)


def _read(file: Path, name: str, targets: Sequence[str], class_names: Sequence[str] | None) -> Rows:
    rows = records(read_csv_text(file, name), name)
    header = header_of(rows, name)
    target_cols = _target_columns(targets, header, name)
    input_cols = [c for c in range(len(header)) if c not in target_cols]
    index = None if class_names is None else {c: k for k, c in enumerate(class_names)}
    pick_x, pick_y = _picker(input_cols), _picker(target_cols)
    xs, ys, lines = array("d"), array("d"), array("q")
    for line, cells in rows:
        checked_width(line, cells, len(header), name)
        try:
            xs.extend(map(float, pick_x(cells)))
            if index is None:
                ys.extend(map(float, pick_y(cells)))
        except ValueError:
            cols = input_cols if index else input_cols + target_cols
            _refuse_cell(name, line, cells, cols)
        if index is not None:
            cell = cells[target_cols[0]]
            if label(cell) not in index:
                where = f"{name}:{line}:{target_cols[0] + 1}"
                why = f"{excerpt(cell.strip())} is not one of the classes"
                raise DataError(
                    where,
                    f"{why} ({_listed(class_names)})"
                    if cell.strip()
                    else "empty cell; every row needs its class",
                )
            ys.append(index[label(cell)])
        lines.append(line)
    if not lines:
        raise DataError(name, "no data rows after the header; add some")
    n = len(lines)
    x = np.frombuffer(xs, dtype=np.float64).reshape(n, len(input_cols))
    width = 1 if index is not None else len(target_cols)
    y = np.frombuffer(ys, dtype=np.float64).reshape(n, width)
    line_numbers = np.frombuffer(lines, dtype=np.int64)
    _refuse_non_finite(x, name, line_numbers, input_cols)
    if index is None:
        _refuse_non_finite(y, name, line_numbers, target_cols)
    table = Table(
        inputs=x,
        targets=y,
        input_names=tuple(header[c] for c in input_cols),
        target_names=tuple(class_names) if class_names else tuple(header[c] for c in target_cols),
        source=name,
        lines=line_numbers,
        target_columns=tuple(c + 1 for c in target_cols),
    )
    classes = None if index is None else y[:, 0].astype(np.int64)
    return Rows(table, classes)


def _listed(names: Sequence[str], most: int = 6) -> str:
    shown = ", ".join(excerpt(x) for x in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _picker(cols: list[int]):
    return itemgetter(*cols) if len(cols) > 1 else (lambda cells, c=cols[0]: (cells[c],))


def _target_columns(targets: Sequence[str], header: Sequence[str], name: str) -> list[int]:
    columns = []
    for i, target in enumerate(targets):
        if target not in header:
            raise DataError(f"data.targets[{i}]", f"no column {excerpt(str(target))} in {name}")
        columns.append(header.index(target))
    if len(set(columns)) != len(columns):
        raise DataError("data.targets", "a column is listed twice; list each once")
    if len(columns) == len(header):
        raise DataError("data.targets", f"every column of {name} is a target; leave an input")
    return columns


def _refuse_cell(name: str, line: int, cells: list[str], cols: list[int]) -> None:
    for c in cols:
        why = cell_problem(cells[c])
        if why is not None:
            raise DataError(f"{name}:{line}:{c + 1}", why)
    raise AssertionError("no bad cell found")


def _refuse_non_finite(values: np.ndarray, name: str, lines: np.ndarray, cols: list[int]) -> None:
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        row, col = (int(i) for i in bad[0])
        where = f"{name}:{lines[row]}:{cols[col] + 1}"
        raise DataError(where, f"{values[row, col]} is not allowed; use a finite number")


# ------------------------------------------------------------------- inline rows


def inline_rows(spec: Mapping) -> Rows:
    """The rows of ``data.inline`` with the import keys: class numbers when the spec has
    class names, the columns' names from ``data.names``."""
    inline = spec["inline"]
    if not isinstance(inline, Mapping) or set(inline) != {"inputs", "targets"}:
        raise DataError("data.inline", "expected an object with 'inputs' and 'targets' lists")
    x = _number_rows(inline["inputs"], "data.inline.inputs")
    y = _number_rows(inline["targets"], "data.inline.targets")
    if len(y) != len(x):
        raise DataError("data.inline.targets", f"{len(y)} rows, but the inputs have {len(x)}")
    class_names = spec.get("class_names")
    classes = None
    if class_names is not None:
        if y.shape[1] != 1:
            raise DataError("data.inline.targets[0]", "expected one class number per row")
        bad = np.flatnonzero(
            (y[:, 0] != np.round(y[:, 0])) | (y[:, 0] < 0) | (y[:, 0] >= len(class_names))
        )
        if len(bad):
            raise DataError(
                f"data.inline.targets[{bad[0]}][0]",
                f"expected a class number from 0 to {len(class_names) - 1}",
            )
        classes = y[:, 0].astype(np.int64)
    names = spec.get("names", {})
    inputs = _names(names, "inputs", x.shape[1], [f"x{j + 1}" for j in range(x.shape[1])])
    default = ["y"] if y.shape[1] == 1 else [f"y{j + 1}" for j in range(y.shape[1])]
    outputs = list(class_names) if class_names else _names(names, "targets", y.shape[1], default)
    return Rows(Table(x, y, tuple(inputs), tuple(outputs)), classes)


def _names(names: object, key: str, width: int, default: list[str]) -> list[str]:
    if not isinstance(names, Mapping) or key not in names:
        return default
    given = names[key]
    if not isinstance(given, list) or len(given) != width:
        raise DataError(f"data.names.{key}", f"expected {width} names, one per column")
    return [str(x) for x in given]


# ---------------------------------------------------------------- the import itself


def outputs_for(scan: CsvScan, targets: Sequence[str], problem: str) -> int:
    """How many output neurons the imported data needs: one per class, or per target."""
    if problem == CLASSIFICATION:
        return len(scan.column(targets[0]).labels or ())
    return len(targets)


def import_spec(
    scan: CsvScan,
    targets: Sequence[str],
    problem: str,
    test_ratio: float,
    seed: int,
    standardized: bool,
    stored_as: str | None,
) -> dict:
    """The session's "data" section for importing ``scan``: the file named ``stored_as``
    (None: its rows embedded), the standardisation's numbers computed on the training rows
    that ``test_ratio`` and ``seed`` give.  Reads the whole file (kept for the reload)."""

    class_names = scan.column(targets[0]).labels if problem == CLASSIFICATION else None
    rows = read_rows(str(scan.path), targets, class_names, None, allow_outside=True)
    table = rows.table
    train, _ = split_indices(len(table.inputs), test_ratio, seed)
    if stored_as is None:
        y = table.targets if rows.classes is None else rows.classes.reshape(-1, 1)
        spec: dict = {"inline": {"inputs": table.inputs.tolist(), "targets": y.tolist()}}
        spec["names"] = {"inputs": list(table.input_names), "targets": list(targets)}
    else:
        spec = {"csv": stored_as, "targets": list(targets)}
    if class_names is not None:
        spec["class_names"] = list(class_names)
        if stored_as is None:
            spec["inline"]["targets"] = rows.classes.reshape(-1, 1).tolist()
    stats = training_stats(table.inputs[train]) if standardized else None
    spec["standardize"] = False if stats is None else stats_entry(*stats)
    spec["test_ratio"], spec["seed"] = test_ratio, seed
    return spec


def imported_parts(
    spec: Mapping,
    n_outputs: int,
    base_dir: Path | None,
    allow_outside: bool,
) -> tuple[Rows, tuple[np.ndarray, np.ndarray] | None]:
    """The rows an imported "data" section names and its standardisation (None: none)."""
    if "csv" in spec:
        targets = spec.get("targets")
        if not isinstance(targets, list) or not targets:
            raise DataError("data.targets", 'name the target columns as a list, e.g. ["label"]')
        rows = read_rows(spec["csv"], targets, spec.get("class_names"), base_dir, allow_outside)
    else:
        rows = inline_rows(spec)
    class_names = spec.get("class_names")
    if class_names is not None and (
        len(class_names) < 2 or len(set(class_names)) < len(class_names)
    ):
        raise DataError("data.class_names", "expected at least 2 different class names")
    wanted = len(class_names) if class_names is not None else rows.table.targets.shape[1]
    if wanted != n_outputs:
        what = f"{wanted} classes" if class_names is not None else f"{wanted} target columns"
        raise DataError(
            "network.layers", f"the data has {what}, but the output layer has {neurons(n_outputs)}"
        )
    return rows, stats_of(spec.get("standardize", False), rows.table.inputs.shape[1])


def scaled(x: np.ndarray, stats: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    """``x`` standardised with ``stats`` (None: as given)."""
    return x if stats is None else standardize(x, *stats)
