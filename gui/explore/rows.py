"""The predictions table's model: NumPy columns behind a QAbstractTableModel.

No Python object per cell: a cell's text is written when the view asks for it (the rows
on screen), the filter is a mask and sorting one NumPy argsort of a column, so 100,000
rows sort and update as fast as a few.  The view's rows are ``shown`` (table rows in view
order); a new evaluation of the same rows keeps the sort, the filter and the selection.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from core.explore.predictions import (
    SPLITS,
    SUMMED,
    TEST,
    TRAIN,
    Predictions,
    columns,
    numeric_columns,
)
from core.trace.notation import MINUS, Precision, feature_name, format_number

FILTERS = ("all", "train", "test", "wrong")
FILTER_TEXTS = ("All rows", "Training rows", "Test rows", "Wrong only")
WRONG_TINT = QColor(179, 38, 30, 40)  # the banner's red, faint
RIGHT, WRONG = "\u2713", "\u2717"
ANY_ROW = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class PredictionRows(QAbstractTableModel):
    """The rows of a :class:`~core.explore.predictions.Predictions`, filtered and sorted.

    ``reordering`` is emitted before the rows change places (a new evaluation sorted by a
    column that changed, a sort): Qt's selection then follows each selected row, which
    for many thousands of rows takes seconds, so its owner may clear a large selection."""

    reordering = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pred: Predictions | None = None
        self.precision = Precision()
        self.filter = "all"
        self.sort_key: tuple[int, Qt.SortOrder] | None = None
        self._values: list[np.ndarray] = []
        self._kinds: list[str] = []
        self._names: list[str] = []
        self.shown = np.empty(0, dtype=np.int64)  # table rows, in view order
        self._where = np.empty(0, dtype=np.int64)  # each table row's view row, or -1

    # --- what is shown ---

    def clear(self) -> None:
        """No rows (a new session until its first evaluation)."""
        self.beginResetModel()
        self.pred, self._values, self._kinds, self._names = None, [], [], []
        self._set_shown(np.empty(0, dtype=np.int64))
        self.endResetModel()

    def set_predictions(self, pred: Predictions) -> None:
        """Show ``pred``: in place if it has the same rows and columns as before (the
        selection and the sort stay), else from scratch."""
        same = (
            self.pred is not None and len(pred) == len(self.pred) and columns(pred) == self._names
        )
        if not same:
            self.beginResetModel()
            self._take(pred)
            self._set_shown(self._order())
            self.endResetModel()
            return
        self._take(pred)
        order = self._order()
        if len(order) != len(self.shown):  # "wrong only" lists other rows: start over
            self.beginResetModel()
            self._set_shown(order)
            self.endResetModel()
            return
        if np.array_equal(order, self.shown):  # only the numbers changed
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return
        self._relayout(order)

    def _take(self, pred: Predictions) -> None:
        self.pred = pred
        self._values = numeric_columns(pred)
        self._names = columns(pred)
        k, d = pred.y.shape[1], pred.x.shape[1]
        self._kinds = ["split", "int", *["number"] * d]
        self._kinds += ["class"] * pred.classes + ["number"] * (2 * k)
        self._kinds += ["class"] * pred.classes + ["number"] + ["correct"] * pred.classes

    def set_filter(self, name: str) -> None:
        """Show all rows, the training rows, the test rows, or the wrong ones only."""
        self.filter = name
        self.beginResetModel()
        self._set_shown(self._order())
        self.endResetModel()

    def set_precision(self, precision: Precision) -> None:
        """Write numbers with ``precision`` (the lecture's digits)."""
        self.precision = precision
        if self.rowCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.DisplayRole])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column`` (a stable NumPy argsort; descending reverses it)."""
        self.sort_key = (column, order) if 0 <= column < len(self._values) else None
        self._relayout(self._order())

    def _order(self) -> np.ndarray:
        """The table rows that pass the filter, in the sort's order."""
        pred = self.pred
        if pred is None:
            return np.empty(0, dtype=np.int64)
        keep = {
            "all": np.ones(len(pred), dtype=bool),
            "train": pred.split == TRAIN,
            "test": pred.split == TEST,
            "wrong": ~pred.correct if pred.classes else np.zeros(len(pred), dtype=bool),
        }[self.filter]
        rows = np.flatnonzero(keep)
        if self.sort_key is None:
            return rows
        column, order = self.sort_key
        rows = rows[np.argsort(self._values[column][rows], kind="stable")]
        return rows[::-1].copy() if order == Qt.SortOrder.DescendingOrder else rows

    def _set_shown(self, rows: np.ndarray) -> None:
        self.shown = rows
        self._where = np.full(0 if self.pred is None else len(self.pred), -1, dtype=np.int64)
        self._where[rows] = np.arange(len(rows))

    def _relayout(self, order: np.ndarray) -> None:
        """The rows in ``order``, the selection following its rows."""
        self.reordering.emit()
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        rows = [self.shown[i.row()] if 0 <= i.row() < len(self.shown) else -1 for i in old]
        self._set_shown(order)
        new = [
            self.index(int(self._where[r]), i.column()) if r >= 0 else QModelIndex()
            for r, i in zip(rows, old)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # --- rows ---

    def table_row(self, view_row: int) -> int:
        """The table row (training rows, then test rows) shown at ``view_row``."""
        return int(self.shown[view_row])

    def view_row(self, table_row: int) -> int:
        """Where table row ``table_row`` is shown, or -1 (filtered out)."""
        return int(self._where[table_row]) if 0 <= table_row < len(self._where) else -1

    def text(self, view_row: int, column: int, style: str = "unicode") -> str:
        """A cell as shown ("ascii": with a hyphen for the minus, for other programs)."""
        value = self._values[column][self.shown[view_row]]
        kind = self._kinds[column]
        if kind == "split":
            return SPLITS[int(value)]
        if kind == "int":
            return str(int(value))
        if kind == "class":
            return self.pred.class_names[int(value)]
        if kind == "correct":
            return RIGHT if value else WRONG
        text = format_number(value, self.precision, style)
        return text.replace(MINUS, "-") if style == "ascii" else text

    def rows_text(self, view_rows: list[int]) -> str:
        """These rows as tab-separated text with a header, numbers as shown."""
        header = "\t".join(self._names)
        body = [
            "\t".join(self.text(r, c, "ascii").replace(RIGHT, "yes").replace(WRONG, "no")
                      for c in range(len(self._names)))
            for r in view_rows
        ]  # fmt: skip
        return "\n".join([header, *body]) + "\n"

    # --- the model's interface ---

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt's names)
        """How many rows the filter shows."""
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        """How many columns (inputs, targets and outputs vary with the data)."""
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        """A cell's text, alignment, tint (wrong rows) or full value (tooltip)."""
        if not index.isValid() or self.pred is None:
            return None
        r, c = index.row(), index.column()
        kind = self._kinds[c]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(r, c)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            centred = Qt.AlignmentFlag.AlignCenter
            return int(ANY_ROW if kind in ("number", "int") else centred)
        if role == Qt.ItemDataRole.BackgroundRole and self.pred.classes:
            return WRONG_TINT if not self.pred.correct[self.shown[r]] else None
        if role == Qt.ItemDataRole.ToolTipRole and kind == "number":
            return repr(float(self._values[c][self.shown[r]]))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):  # noqa: N802
        """Column titles (inputs as the control panel writes them) and what they mean."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._names):
            return None
        name = self._names[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._title(section, name)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._meaning(section, name)
        return None

    def _title(self, section: int, name: str) -> str:
        if 2 <= section < 2 + self.pred.x.shape[1]:
            return feature_name(name, "unicode")
        return "loss term \u2113" if name == "loss term" else name

    def _meaning(self, section: int, name: str) -> str:
        pred = self.pred
        if name == "loss term":
            how = "sum" if pred.loss in SUMMED else "mean"
            return (
                f"\u2113: this row's part of the {pred.loss} loss. A split's loss L (the "
                f"loss plot's training and test curves, without the L1/L2 penalty) is the "
                f"{how} of its rows' \u2113."
            )
        if 2 <= section < 2 + pred.x.shape[1]:
            return f"Input {name}, as the network sees it (after the features)"
        texts = {
            "split": "Training or test row",
            "row": "The row's number in its split (from 1), as lecture mode counts them",
            "class": "The row's true class",
            "predicted": "The class the outputs name (argmax, or the output at or above "
            "the midpoint of the class codes), as the accuracy counts",
            "correct": "Whether the predicted class is the true one",
        }
        if name in texts:
            return texts[name]
        if name.startswith("target"):
            return "The target as the loss sees it (classes encoded for the output layer)"
        return "The network's output a"
