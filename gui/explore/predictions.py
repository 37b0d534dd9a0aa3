"""View > Predictions: every training and test row with its inputs, target, output, loss
term and whether it is right, for the network on screen.

The table follows the snapshots (only while it is seen, a few times a second at most, large
sets off the GUI thread: gui.explore.evaluation) and every edit (each sends a snapshot);
a new session starts it over from the session's own network.  The row chosen in it is the
one lecture mode traces: a training row as itself, a test row as an input of one's own
(lecture mode traces a training step, and a test row is not in the training set).  When
lecture mode chooses a row, the table selects it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.engine.network import Network
from core.explore.predictions import SUMMED, TEST, TRAIN, Predictions, csv_text, split_loss
from core.session.format import Session
from core.session.schema import SessionError
from core.session.storage import safe_file_name, write_text
from core.trace.notation import format_number
from gui.explore.evaluation import Background, Evaluator
from gui.explore.rows import FILTER_TEXTS, FILTERS, PredictionRows

if TYPE_CHECKING:
    from gui.lecture.mode import LectureMode
    from gui.status_line import StatusLine


MANY_SELECTED = 2_000  # selected rows that a reordering keeps selected (more: only the current)
MANY_COPIED = 20_000  # rows Ctrl+C copies (written one cell at a time: about a second)


TALL = 900  # pixels: a window this high has the table below the views, a lower one beside


class PredictionsDock(QDockWidget):
    """The predictions table in a dock of ``window``, hidden until asked for."""

    def __init__(
        self,
        window: QMainWindow,
        lecture: LectureMode,
        status: StatusLine,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__("Predictions", window)
        self.setObjectName("predictions_dock")
        self.toggleViewAction().setText("&Predictions")
        self.toggleViewAction().setToolTip("Every row's inputs, target, output and loss term")
        self.lecture, self.status = lecture, status
        self.session: Session | None = None
        self._dataset = None  # the data the rows are of: new data starts the table over
        self.rows = PredictionRows(self)
        self.evaluator = Evaluator(self, clock=clock)
        self.writer = Background(self)  # the CSV export
        self._quiet = False  # selecting what lecture mode chose: no choice back
        self.table = QTableView()
        self.filter_box = QComboBox()
        self.summary = QLabel()
        self.export_button = QPushButton("Export CSV\u2026")
        self.copy_action = QAction("&Copy rows", self)
        self.export_action = QAction("&Export as CSV\u2026", self)
        self._build()
        self._sized = False  # the first time it is shown, a quarter of the window high
        self.visibilityChanged.connect(self._on_visible)
        self.evaluator.ready.connect(self.show_predictions)
        self.rows.reordering.connect(self._forget_large_selection)
        self.rows.modelReset.connect(lambda: self.select_choice(self.lecture.choice))
        self.filter_box.currentIndexChanged.connect(lambda i: self.rows.set_filter(FILTERS[i]))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.copy_action.triggered.connect(self.copy_rows)
        self.export_action.triggered.connect(self.export_csv)
        self.export_button.clicked.connect(self.export_csv)
        lecture.choiceChanged.connect(self.select_choice)
        lecture.panel.digitsChanged.connect(lambda _d: self._set_precision())
        self._set_precision()

    def _build(self) -> None:
        table = self.table
        table.setModel(self.rows)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicatorShown(False)  # unsorted until clicked
        table.horizontalHeader().sortIndicatorChanged.connect(
            lambda *_: table.horizontalHeader().setSortIndicatorShown(True)
        )
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setDefaultSectionSize(
            table.fontMetrics().horizontalAdvance("0") * 11
        )
        table.horizontalHeader().setResizeContentsPrecision(200)  # rows read to fit a column
        table.setWordWrap(False)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.setToolTip(
            "Choose a row for lecture mode to trace (a test row as an input of one's own); "
            "click a column's title to sort by it"
        )
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        table.addAction(self.copy_action)
        self.filter_box.addItems(FILTER_TEXTS)
        self.filter_box.setToolTip("Which rows the table lists")
        self.export_button.setToolTip("Write the rows listed, in their order, with every digit")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        policy = self.summary.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)  # a narrow dock cuts it, not grows
        self.summary.setSizePolicy(policy)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Show"))
        top.addWidget(self.filter_box)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(table)
        self.setWidget(body)

    @Slot(bool)
    def _on_visible(self, on: bool) -> None:
        window = self.parent()
        if on and not self._sized and not self.isFloating() and isinstance(window, QMainWindow):
            self._sized = True
            if window.height() < TALL:  # 720 lines: below, it would squeeze the map to nothing
                window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
                width = max(340, window.width() // 3)
                window.resizeDocks([self], [width], Qt.Orientation.Horizontal)
            else:
                height = max(160, window.height() // 4)
                window.resizeDocks([self], [height], Qt.Orientation.Vertical)
        self.evaluator.set_enabled(on)

    # --- what the window feeds ---

    def set_session(self, session: Session) -> None:
        """A session is shown: start over from its own network (before any training)."""
        self.session = session
        self._start_over()
        self.take(session.network.copy())

    def _start_over(self) -> None:
        self._dataset = self.session.dataset
        self.evaluator.new_session()
        self.rows.clear()
        self.summary.clear()

    def take(self, network: Network) -> None:
        """The network of the newest snapshot (never changed afterwards)."""
        session = self.session
        if session is None:
            return
        if session.dataset is not self._dataset:
            self._start_over()
        ds = session.dataset
        if network.layers[0] != ds.x_train.shape[1] or network.layers[-1] != ds.y_train.shape[1]:
            return  # a snapshot of the network before an edit that the next one follows
        self.evaluator.request(network, ds, session.loss)

    @Slot(object)
    def show_predictions(self, pred: Predictions) -> None:
        """Show a finished evaluation (the selection and the order stay)."""
        fresh = self.rows.pred is None
        self.rows.set_predictions(pred)
        self._show_summary()
        if fresh:
            self.table.resizeColumnsToContents()

    @Slot()
    def _forget_large_selection(self) -> None:
        """Rows reordered under a selection of thousands would each be followed (seconds
        of work, at every update): keep the current row only."""
        selection = self.table.selectionModel()
        if sum(r.height() for r in selection.selection()) > MANY_SELECTED:
            self._quiet = True
            try:
                current = selection.currentIndex()
                flags = QItemSelectionModel.SelectionFlag
                selection.select(current, flags.ClearAndSelect | flags.Rows)
            finally:
                self._quiet = False

    def _summary(self, pred: Predictions) -> str:
        parts = []
        for split, name in ((TRAIN, "training"), (TEST, "test")):
            where = pred.split == split
            n = int(where.sum())
            if not n:
                continue
            loss = format_number(split_loss(pred.loss_term[where], pred.loss), self.rows.precision)
            how = "sum" if pred.loss in SUMMED else "mean"
            text = f"{n} {name} row{'s' * (n != 1)}: L = {loss}"
            text += "" if parts else f" ({how} of \u2113)"
            if pred.classes:
                text += f", {int((~pred.correct[where]).sum())} wrong"
            parts.append(text)
        return "  \u00b7  ".join(parts)

    def _set_precision(self) -> None:
        self.rows.set_precision(self.lecture.panel.precision)
        if self.rows.pred is not None:
            self._show_summary()

    def _show_summary(self) -> None:
        text = self._summary(self.rows.pred)
        self.summary.setText(text)
        self.summary.setToolTip(text)

    # --- the row lecture mode traces ---

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pred = self.rows.pred
        if self._quiet or pred is None or not current.isValid():
            return
        row = self.rows.table_row(current.row())
        index = int(pred.index[row])
        if pred.split[row] == TRAIN:
            self.lecture.choose_row(index)
            said = f"Training row {index + 1} chosen"
        else:
            point = pred.points[row] if pred.points is not None else pred.x[row]
            choice = dataclasses.replace(
                self.lecture.choice,
                sample=None,
                input=tuple(float(v) for v in point),
                target=tuple(float(v) for v in pred.y[row]),
            )
            chooser = self.lecture.chooser  # as if typed into its own-input fields
            chooser.show_choice(choice)
            chooser.choiceMade.emit(choice)
            said = f"Test row {index + 1} chosen as an input of one's own (Apply would train on it)"
        if not self.lecture.active:
            said += ": lecture mode (Ctrl+L) traces it"
        self.status.say(said, 8000)

    @Slot(object)
    def select_choice(self, choice) -> None:
        """Select the row lecture mode traces (a training row, or the test row an own
        input equals); nothing for a mini-batch."""
        pred = self.rows.pred
        if pred is None:
            return
        row = -1
        if choice.sample is not None and choice.sample < pred.n_train:
            row = pred.row_of(TRAIN, choice.sample)
        elif choice.input is not None:
            row = _test_row(pred, choice.input, choice.target)
        view_row = self.rows.view_row(row) if row >= 0 else -1
        if view_row < 0:
            return
        index = self.rows.index(view_row, 0)
        flags = QItemSelectionModel.SelectionFlag
        self._quiet = True
        try:
            self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        finally:
            self._quiet = False
        self.table.scrollTo(index)

    # --- copying and exporting ---

    def selected_rows(self) -> list[int]:
        """The selected view rows, top to bottom (from the selection's ranges: asking Qt
        row by row takes seconds for 100,000 rows)."""
        ranges = self.table.selectionModel().selection()
        if not ranges:
            return []
        parts = [np.arange(r.top(), r.bottom() + 1) for r in ranges]
        return np.unique(np.concatenate(parts)).tolist()

    @Slot()
    def copy_rows(self) -> None:
        """The selected rows (with the titles) to the clipboard, tab-separated, as shown."""
        rows = self.selected_rows()
        if len(rows) > MANY_COPIED:
            self.status.say(
                f"{len(rows):,} rows are too many to copy; Export CSV writes them all", 8000
            )
        elif rows:
            QGuiApplication.clipboard().setText(self.rows.rows_text(rows))
            self.status.say(f"Copied {len(rows)} row{'s' * (len(rows) != 1)}")

    def context_menu(self) -> QMenu:
        """The table's right-click menu: copy the selected rows, export the rows listed."""
        menu = QMenu(self.table)
        menu.addAction(self.copy_action)
        menu.addAction(self.export_action)
        return menu

    def _context_menu(self, position) -> None:
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(position))
        menu.deleteLater()

    def ask_path(self, suggestion: str) -> str:
        """The CSV file to write ('' for cancel); tests replace this dialog."""
        return QFileDialog.getSaveFileName(self, "Export predictions", suggestion, "CSV (*.csv)")[0]

    @Slot()
    def export_csv(self) -> None:
        """The rows listed, in their order, every digit, written atomically off the GUI thread."""
        pred, session = self.rows.pred, self.session
        if pred is None or session is None or self.writer.busy:
            return
        name = f"{safe_file_name(session.name or '', 'network')} predictions.csv"
        path = self.ask_path(str(session.base_dir() / name))
        if not path:
            return
        if Path(path).suffix.lower() != ".csv":
            path += ".csv"
        rows = self.rows.shown.copy()
        self.writer.run(
            lambda: write_text(Path(path), csv_text(pred, rows)),
            lambda _written: self.status.say(f"Exported {len(rows)} rows to {path}"),
            lambda exc: self._write_failed(path, exc),
        )

    def _write_failed(self, path: str, exc: BaseException) -> None:
        if not isinstance(exc, (OSError, SessionError)):
            raise exc
        box = QMessageBox(QMessageBox.Icon.Warning, "Export predictions", "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        why = "; ".join(exc.problems) if isinstance(exc, SessionError) else str(exc)
        box.setText(f"Could not write {path}: {why}")
        box.exec()


def _test_row(pred: Predictions, point, target) -> int:
    """The first test row whose raw point and target are ``point`` and ``target``, or -1."""
    raw = pred.points if pred.points is not None else pred.x
    if raw.shape[1] != len(point) or pred.y.shape[1] != len(target or ()):
        return -1
    hit = (pred.split == TEST) & (raw == point).all(axis=1) & (pred.y == target).all(axis=1)
    found = np.flatnonzero(hit)
    return int(found[0]) if len(found) else -1
