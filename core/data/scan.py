"""A CSV file looked at before it is imported: its limits, header, first rows and columns.

:func:`scan_csv` reads a file for the import dialog.  The limits are checked before any
cell is parsed: the size (50 MB), the data rows (100,000, counted as non-blank lines, which
costs one pass over the bytes) and the columns (256, from the header).  Then every cell is
looked at once, column by column: is it a finite number, a whole number, and which labels
does the column hold.  From that the dialog proposes the problem type of the chosen target
columns (:func:`propose`) and says what is wrong with a choice (:func:`choice_problem`).

Class labels (:func:`label`): a whole number written as such (``"2"``, ``" +2 "``) is the
class ``"2"``; any other cell is its text without surrounding spaces.  The classes of a
column are its labels sorted: whole numbers by value, anything else as text (Python's
order of strings), so the same file gives the same class numbers however its rows are
shuffled.  Every problem is a :class:`DataError` at ``file:line:column`` (1-based, the
header is line 1), or at ``file`` for the file as a whole.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.data.files import MAX_NAME, FileRefused, excerpt, open_regular, resolve_data_file
from core.data.tabular import MAX_CSV_BYTES, MAX_ROWS, DataError, csv_rows

MAX_COLUMNS = 256  # columns a table may have (inputs and targets)
MAX_CLASSES = 50  # classes a class column may hold (one output neuron each)
PREVIEW_ROWS = 20  # data rows the dialog shows
CHUNK = 4096  # rows looked at column by column at a time
SEPARATORS = {";": "semicolons", "\t": "tabs"}  # what spreadsheets write instead of commas

_WHOLE = re.compile(r"\s*[+-]?\d+\s*")


@dataclass(frozen=True)
class Column:
    """What one column holds: ``problem`` is where its first cell that is not a finite
    number stands (``file:line:column: why``), None if every cell is one; ``integer``: every
    cell a whole number; ``labels``: its distinct labels sorted (see :func:`label`), None
    if there are more than MAX_CLASSES."""

    name: str
    problem: str | None
    integer: bool
    labels: tuple[str, ...] | None

    @property
    def numeric(self) -> bool:
        """Every cell is a finite number."""
        return self.problem is None


@dataclass(frozen=True)
class CsvScan:
    """A CSV file as the import dialog sees it (nothing of it converted yet)."""

    path: Path  # the file, resolved
    name: str  # the file's name as messages show it
    header: tuple[str, ...]
    preview: tuple[tuple[str, ...], ...]  # the first PREVIEW_ROWS data rows, as written
    rows: int  # data rows (blank lines not counted)
    columns: tuple[Column, ...]
    size: int  # bytes

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return self.columns[self.header.index(name)]


def label(text: str) -> str:
    """The class a cell names: a whole number as its value ("+02" -> "2"), else the text
    without surrounding spaces."""
    return str(int(text)) if _WHOLE.fullmatch(text) else text.strip()


def sorted_labels(labels: set[str]) -> tuple[str, ...]:
    """Labels in class order: whole numbers by value when all are, else as text."""
    if all(_WHOLE.fullmatch(x) for x in labels):
        return tuple(sorted(labels, key=int))
    return tuple(sorted(labels))


def read_csv_text(path: Path, name: str) -> str:
    """The text of the CSV file ``path`` (``name`` for messages), refused before it is
    parsed if it has more than MAX_ROWS data rows; a BOM is dropped."""
    try:
        with open_regular(path) as handle:
            data = handle.buffer.read(MAX_CSV_BYTES + 1)
    except OSError as err:
        raise DataError(name, f"cannot read the file: {err.strerror or err}") from None
    if len(data) > MAX_CSV_BYTES:
        raise DataError(name, "the file is over 50 MB; use a smaller sample of it")
    if data.count(b"\n") > MAX_ROWS:  # only then count the lines that hold something
        rows = sum(1 for line in data.splitlines() if line.strip()) - 1
        if rows > MAX_ROWS:
            raise DataError(
                name, f"{rows:,} data rows; at most {MAX_ROWS:,} can be imported: use fewer"
            )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError(
            f"{name}:{line}:{column}", "not UTF-8 text; is this a CSV file? Save it as CSV (UTF-8)"
        ) from None


def records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each non-blank record of CSV ``text``; the line is 1-based."""
    rows = csv_rows(io.StringIO(text, newline=""), name)
    return ((line, row) for line, row in rows if any(cell.strip() for cell in row))


def header_of(rows: Iterator[tuple[int, list[str]]], name: str) -> list[str]:
    """The header's column names: at most MAX_COLUMNS, none empty, none twice, and none a
    number (a file whose first line is data has no header)."""
    first = next(rows, None)
    if first is None:
        raise DataError(name, "the file is empty; line 1 must be a header naming the columns")
    line, cells = first
    if len(cells) > MAX_COLUMNS:
        raise DataError(
            f"{name}:{line}", f"{len(cells):,} columns; at most {MAX_COLUMNS} can be imported"
        )
    header = [cell.strip() for cell in cells]
    if len(header) == 1:
        found = [word for mark, word in SEPARATORS.items() if mark in header[0]]
        hint = f"; its cells seem separated by {found[0]}: save it with commas" if found else ""
        raise DataError(
            f"{name}:{line}:1",
            f"the header names one column only; a table needs an input and a target{hint}",
        )
    seen: dict[str, int] = {}
    for col, column in enumerate(header, start=1):
        where = f"{name}:{line}:{col}"
        if not column:
            raise DataError(where, f"column {col} has no name in the header; name it")
        if _is_number(column):
            raise DataError(
                where,
                f"the header names column {col} {excerpt(column)}, a number: line 1 "
                "must be a header naming the columns; add one",
            )
        if column in seen:
            raise DataError(
                where,
                f"column name {excerpt(column)} appears twice (also column "
                f"{seen[column]}); rename one",
            )
        seen[column] = col
    return header


def checked_width(line: int, cells: Sequence[str], width: int, name: str) -> None:
    """Refuse a row with more or fewer cells than the header, at its first odd cell."""
    if len(cells) != width:
        col = min(len(cells), width) + 1
        raise DataError(
            f"{name}:{line}:{col}",
            f"{len(cells)} cells, but the header has {width}; give every row {width}",
        )


def shown_name(path: Path) -> str:
    """A file's name as messages show it (its last part, at most MAX_NAME characters)."""
    name = path.name
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 3] + "..."


def scan_csv(path: str | Path) -> CsvScan:
    """The CSV file at ``path`` (chosen by the user: any folder, but only a regular file,
    never /proc, /sys or /dev), looked at for the import dialog; raises DataError."""
    try:
        file = resolve_data_file(str(path), None, MAX_CSV_BYTES, allow_outside=True)
    except FileRefused as err:
        raise DataError(shown_name(Path(str(path))), str(err)) from None
    name = shown_name(file)
    text = read_csv_text(file, name)
    rows = records(text, name)
    header = header_of(rows, name)
    width, count, preview = len(header), 0, []
    tracks = [_Track(name, col) for col in range(width)]
    chunk: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        checked_width(line, cells, width, name)
        if len(preview) < PREVIEW_ROWS:
            preview.append(tuple(cells))
        chunk.append((line, cells))
        count += 1
        if len(chunk) == CHUNK:
            _look(chunk, tracks)
            chunk = []
    _look(chunk, tracks)
    if not count:
        raise DataError(name, "no data rows after the header; add some")
    columns = tuple(t.column(header[c]) for c, t in enumerate(tracks))
    return CsvScan(file, name, tuple(header), tuple(preview), count, columns, file.stat().st_size)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Track:
    """What one column held so far."""

    def __init__(self, name: str, col: int) -> None:
        self.name, self.col = name, col
        self.problem: str | None = None
        self.integer = True
        self.labels: set[str] | None = set()

    def look(self, lines: Sequence[int], cells: Sequence[str]) -> None:
        if self.problem is None:
            try:
                values = list(map(float, cells))
            except ValueError:
                values = None
            if values is None or not all(map(math.isfinite, values)):
                self.problem = _first_problem(lines, cells, f"{self.name}:{{}}:{self.col + 1}")
        if self.integer:
            self.integer = all(map(_WHOLE.fullmatch, cells))
        if self.labels is not None:
            self.labels.update(cells)
            if len(self.labels) > 4 * MAX_CLASSES:  # as written: "1" and " 1" count twice
                self.labels = None

    def column(self, header: str) -> Column:
        labels = None
        if self.labels is not None:
            classes = {label(x) for x in self.labels} - {""}
            labels = sorted_labels(classes) if len(classes) <= MAX_CLASSES else None
        return Column(header, self.problem, self.integer and self.problem is None, labels)


def _look(chunk: list[tuple[int, list[str]]], tracks: list[_Track]) -> None:
    if not chunk:
        return
    lines = [line for line, _ in chunk]
    for track, cells in zip(tracks, zip(*(cells for _, cells in chunk))):
        track.look(lines, cells)


def _first_problem(lines: Sequence[int], cells: Sequence[str], where: str) -> str:
    """``file:line:column: why`` of the first cell that is not a finite number."""
    for line, cell in zip(lines, cells):
        why = cell_problem(cell)
        if why is not None:
            return f"{where.format(line)}: {why}"
    raise AssertionError("no bad cell found")  # only called when one exists


def cell_problem(cell: str) -> str | None:
    """Why ``cell`` is not a finite number, or None if it is one."""
    text = cell.strip()
    if not text:
        return "empty cell; every input cell needs a number"
    try:
        number = float(text)
    except ValueError:
        return f"{excerpt(text)} is not a number; every input cell needs one"
    if not math.isfinite(number):
        return f"{text} is not allowed; use a finite number"
    return None


# ------------------------------------------------------------ the choice of targets

CLASSIFICATION, REGRESSION = "classification", "regression"


def propose(scan: CsvScan, targets: Sequence[str]) -> str:
    """The problem type the targets suggest: one target column of whole numbers or of any
    text -> classification; otherwise regression."""
    if len(targets) == 1:
        column = scan.column(targets[0])
        if column.integer or not column.numeric:
            return CLASSIFICATION
    return REGRESSION


def choice_problem(scan: CsvScan, targets: Sequence[str], problem: str) -> str | None:
    """What is wrong with importing ``scan`` with these target columns and problem type,
    as one sentence starting with where (None: nothing)."""
    if not targets:
        return f"{scan.name}: choose the target column(s) the network learns to predict"
    if len(targets) == len(scan.header):
        return f"{scan.name}: every column is a target; leave at least one input"
    for column in scan.columns:
        if column.name not in targets and not column.numeric:
            return f"{column.problem} (column {excerpt(column.name)} is an input)"
    if problem == CLASSIFICATION:
        if len(targets) != 1:
            return f"{scan.name}: classes come from one target column; choose just one"
        column = scan.column(targets[0])
        if column.labels is None:
            return (
                f"{scan.name}: column {excerpt(column.name)} holds more than {MAX_CLASSES} "
                "different values; choose regression or another column"
            )
        if len(column.labels) < 2:
            only = excerpt(column.labels[0]) if column.labels else "none"
            return (
                f"{scan.name}: column {excerpt(column.name)} holds one class only ({only}); "
                "a classifier needs at least 2"
            )
        return None
    for name in targets:
        column = scan.column(name)
        if not column.numeric:
            return f"{column.problem} (regression needs numbers; choose classification)"
    return None
