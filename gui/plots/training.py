"""Training plots: loss, accuracy and each layer's gradient norm against epoch.

Three stacked pyqtgraph plots share the epoch axis.  Every curve is created
once and fed with ``setData`` from a :class:`gui.plots.runs.RunHistory`, whose
columns grow by doubling, so an update allocates nothing but the occasional
doubling.  After :meth:`TrainingPlots.new_run` the finished run stays as
faded copies of its curves (the last three runs), so a lecturer can compare,
say, two learning rates.  Above the plots, a readout gives the exact values
at the epoch under the mouse, else at the latest epoch.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from gui.plots.epoch import (
    FADED_MARK,
    FADED_RUNS,
    FONT_PT,
    LIVE_MARK,
    TEST_COLOR,
    TRAIN_COLOR,
    EpochPlot,
    FadedRun,
    faded_pen,
    layer_colors,
    new_curve,
    swatch,
)
from gui.plots.runs import RunHistory

NO_DATA = "–"
REDRAW_SECONDS = 1 / 40  # new rows are drawn at most this often (painting costs the GUI most)


def fmt(value: float, percent: bool = False) -> str:
    """A value for the readout: 4 significant digits, a percentage, or a dash for NaN."""
    if not np.isfinite(value):
        return NO_DATA
    return f"{100 * value:.1f} %" if percent else f"{value:.4g}"


def fmt_small(value: float) -> str:
    """A positive magnitude in short scientific notation: 1.9e-5."""
    if not np.isfinite(value):
        return NO_DATA
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def readout_label(tooltip: str) -> QLabel:
    """One line of the readout: rich text at a projector-readable size."""
    label = QLabel()
    font = QFont()
    font.setPointSize(FONT_PT)
    label.setFont(font)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setToolTip(tooltip)
    return label


class TrainingPlots(QWidget):
    """Loss, accuracy (classification only) and |dL/dW^l| per layer against epoch."""

    log_y_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = RunHistory()
        self._faded: list[FadedRun] = []
        self._runs_started = 1
        self._classification = True
        self._has_test = False
        self._hover: float | None = None
        self._window: tuple[int, int] | None = None  # rows drawn; None: all
        self._drawn_at = -math.inf
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self.flush)
        self._build_readout()
        self._build_plots()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(self._readout_grid)
        for plot in self.plots:
            layout.addWidget(plot, 1)
        self._start_empty()

    # --- construction ---

    def _build_readout(self) -> None:
        hint = "Values at the epoch under the mouse; otherwise at the latest epoch"
        self.loss_readout = readout_label(hint)
        self.accuracy_readout = readout_label(hint)
        self.grad_readout = readout_label(
            hint + ". |dL/dW| of each weight matrix, first layer to last (colours as in the plot)"
        )
        self.log_y_box = QCheckBox("log loss")
        font = QFont()
        font.setPointSize(FONT_PT)
        self.log_y_box.setFont(font)
        self.log_y_box.setToolTip("Show the loss on a logarithmic axis (small losses stay visible)")
        self.log_y_box.toggled.connect(self.set_log_y)
        grid = QGridLayout()
        grid.setContentsMargins(2, 0, 2, 0)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.loss_readout, 0, 0)
        grid.addWidget(self.log_y_box, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.accuracy_readout, 1, 0, 1, 2)
        grid.addWidget(self.grad_readout, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self._readout_grid = grid

    def _build_plots(self) -> None:
        self.loss_plot = EpochPlot("Loss", "loss")
        self.accuracy_plot = EpochPlot("Accuracy", "accuracy")
        self.grad_plot = EpochPlot("|dL/dW|", "|dL/dW|", "epoch")
        self.loss_plot.setToolTip("Mean loss per sample on the training and test sets")
        self.accuracy_plot.setToolTip("Fraction of samples classified correctly")
        self.grad_plot.setToolTip(
            "Gradient norm of each weight matrix at the epoch's last step (log scale): "
            "curves orders of magnitude apart mean vanishing or exploding gradients"
        )
        self.accuracy_plot.setXLink(self.loss_plot)
        self.grad_plot.setXLink(self.loss_plot)
        self.accuracy_plot.setYRange(0.0, 1.0, padding=0.04)
        self.grad_plot.setLogMode(y=True)
        for plot in self.plots:
            plot.getPlotItem().getViewBox().sigXRangeChanged.connect(self._x_range_changed)
            plot.hovered.connect(self.show_epoch)
            plot.exited.connect(self.show_latest)
        loss_ctrl = self.loss_plot.getPlotItem().ctrl  # the plot's own context-menu switch
        loss_ctrl.logYCheck.toggled.connect(self._log_y_switched)
        loss, accuracy = self.loss_plot.getPlotItem(), self.accuracy_plot.getPlotItem()
        self.train_loss = new_curve(loss, pg.mkPen(TRAIN_COLOR, width=2.5))
        self.test_loss = new_curve(loss, pg.mkPen(TEST_COLOR, width=2.5))
        self.train_accuracy = new_curve(accuracy, pg.mkPen(TRAIN_COLOR, width=2.5))
        self.test_accuracy = new_curve(accuracy, pg.mkPen(TEST_COLOR, width=2.5))
        self.grad_curves: list[pg.PlotDataItem] = []

    @property
    def plots(self) -> tuple[EpochPlot, EpochPlot, EpochPlot]:
        """The loss, accuracy and gradient-norm plots, top to bottom."""
        return self.loss_plot, self.accuracy_plot, self.grad_plot

    # --- the public API ---

    @property
    def epochs(self) -> int:
        """Number of history rows held for the current run (row r is epoch r)."""
        return self._run.rows

    @property
    def current_run(self) -> RunHistory:
        """The current run's buffers (read them; append through :meth:`append`)."""
        return self._run

    @property
    def faded_runs(self) -> list[FadedRun]:
        """The finished runs still shown, newest first."""
        return list(self._faded)

    def append(self, history: dict[str, np.ndarray], start: int) -> None:
        """Show rows ``start``.. of a history (core.engine.history column names and "grad_norm"
        of shape (rows, layers)); rows already held from ``start`` on are replaced."""
        truncated = start < self._run.rows
        if not truncated and len(history["train_loss"]) == 0:
            return  # nothing new: no redraw
        self._run.write(history, start)
        if self._run.layers != len(self.grad_curves):
            self._set_layers(self._run.layers)
        has_test = self._run.finite_any("test_loss", 0 if truncated else start)
        if has_test != self._has_test and (truncated or has_test):
            self._show_test(has_test)
        self._request_redraw()

    def _request_redraw(self) -> None:
        """Redraw now if the last redraw is old enough, else once the interval has passed:
        the rows are all kept, but the curves are drawn at most ~15 times a second."""
        wait = REDRAW_SECONDS - (time.monotonic() - self._drawn_at)
        if wait <= 0:
            self.flush()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start(max(1, int(wait * 1000)))

    @Slot()
    def flush(self) -> None:
        """Draw every row received so far, now."""
        self._redraw_timer.stop()
        self._drawn_at = time.monotonic()
        self._refresh_curves()
        self._show_readout()

    @Slot()
    @Slot(str)
    def new_run(self, label: str = "") -> None:
        """Keep the current run as faded curves (labelled ``label``, e.g. "lr 0.03") and
        start empty; only the last three finished runs stay."""
        if self._run.rows:
            label = label or f"run {self._runs_started}"
            run = FadedRun(label, self._run, self.plots, self._window)
            self._faded.insert(0, run)
            for old in self._faded[FADED_RUNS:]:
                old.remove()
            del self._faded[FADED_RUNS:]
            for age, faded in enumerate(self._faded):
                faded.set_age(age)
            self._runs_started += 1
        self._start_empty()

    @Slot()
    def clear(self) -> None:
        """Drop every run, current and faded (a new session)."""
        for run in self._faded:
            run.remove()
        self._faded.clear()
        self._runs_started = 1
        self._start_empty()

    @Slot(bool)
    def set_classification(self, on: bool) -> None:
        """Show the accuracy plot and readout (classification) or hide them (regression)."""
        self._classification = on
        self.accuracy_plot.setVisible(on)
        self.accuracy_readout.setVisible(on)
        self._refresh_curves()
        self._show_readout()

    @Slot(bool)
    def set_log_y(self, on: bool) -> None:
        """Draw the loss on a logarithmic axis, or a linear one."""
        self.loss_plot.setLogMode(y=on)

    @property
    def log_y(self) -> bool:
        """Whether the loss axis is logarithmic."""
        return self.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()

    # --- drawing ---

    def _start_empty(self) -> None:
        self._run = RunHistory(self._run.layers, self._run.initial_capacity)
        empty = np.empty(0)
        for curve in (*self._live_curves(), *self.grad_curves):
            curve.setData(empty, empty)
        self._show_test(False)  # shows the keys
        self._show_readout()

    def _live_curves(self) -> tuple[pg.PlotDataItem, ...]:
        return self.train_loss, self.test_loss, self.train_accuracy, self.test_accuracy

    def _set_layers(self, layers: int) -> None:
        """One gradient-norm curve per weight matrix, coloured first to last."""
        grad = self.grad_plot.getPlotItem()
        for curve in self.grad_curves[layers:]:
            grad.removeItem(curve)
        del self.grad_curves[layers:]
        while len(self.grad_curves) < layers:
            self.grad_curves.append(new_curve(grad, pg.mkPen("k")))
        colors = layer_colors(layers)
        for l, (curve, color) in enumerate(zip(self.grad_curves, colors)):
            curve.setPen(pg.mkPen(color, width=2))
            curve.opts["name"] = f"layer {l + 1}"
        marks = " ".join(f"{swatch(c)}{l + 1}" for l, c in enumerate(colors))
        self.grad_plot.set_key(f"per layer {marks}" if layers else "per layer")

    def _show_test(self, on: bool) -> None:
        """Show or hide the test curves and their keys (no test split: hidden)."""
        self._has_test = on
        self.test_loss.setVisible(on)
        self.test_accuracy.setVisible(on)
        key = f"{swatch(TRAIN_COLOR, LIVE_MARK)} train"
        if on:
            key += f" &nbsp;{swatch(TEST_COLOR, LIVE_MARK)} test"
        self.accuracy_plot.set_key(key)
        for age, run in enumerate(self._faded):
            faded = faded_pen(TRAIN_COLOR, age).color()
            key += f" &nbsp;{swatch(faded, FADED_MARK[age])} {run.label}"
        self.loss_plot.set_key(key)

    def _refresh_curves(self) -> None:
        """setData on every shown live curve: the rows in view, at most ~4,000 points each."""
        index = RunHistory.index
        shown = [(self.train_loss, index("train_loss"))]
        if self._classification:
            shown.append((self.train_accuracy, index("train_accuracy")))
        if self._has_test:
            shown.append((self.test_loss, index("test_loss")))
            if self._classification:
                shown.append((self.test_accuracy, index("test_accuracy")))
        shown += [(c, RunHistory.grad_index(l)) for l, c in enumerate(self.grad_curves)]
        x, values = self._run.display(self._window)
        for curve, column in shown:
            curve.setData(x, values[column])
        for plot in self.plots:  # take the new auto range now: one paint per update, not two
            plot.getPlotItem().getViewBox().prepareForPaint()

    @Slot(object, object)
    def _x_range_changed(self, _box: object = None, _range: object = None) -> None:
        """Zoomed in or out by hand, or back to the whole run: draw the rows now in view."""
        window = self._visible_rows()
        if window != self._window:
            self._window = window
            self._refresh_curves()
            for run in self._faded:
                run.show(window)

    def _visible_rows(self) -> tuple[int, int] | None:
        """The rows in the view, or None while the view follows the data (auto range on
        any plot: linked x axes switch it off on the plots that follow)."""
        boxes = [plot.getPlotItem().getViewBox() for plot in self.plots]
        if any(box.autoRangeEnabled()[0] for box in boxes):
            return None
        left, right = boxes[0].viewRange()[0]
        return max(0, math.floor(left)), max(0, math.ceil(right) + 1)

    # --- the readout ---

    @Slot(float)
    def show_epoch(self, x: float) -> None:
        """Read out the values at the epoch nearest to ``x`` and mark it on every plot."""
        self._hover = x
        self._show_readout()

    @Slot()
    def show_latest(self) -> None:
        """Read out the latest epoch and hide the cursor lines."""
        self._hover = None
        self._show_readout()

    def _show_readout(self) -> None:
        rows = self._run.rows
        if self._hover is None or rows == 0:
            row = rows - 1
        else:
            row = int(np.clip(round(self._hover), 0, rows - 1))
        for plot in self.plots:
            plot.cursor.setPos(max(row, 0))
            plot.cursor.setVisible(self._hover is not None and rows > 0)
        if rows == 0:
            self.loss_readout.setText("No training yet: the values appear here.")
            self.accuracy_readout.setText("")
            self.grad_readout.setText("")
            return
        self.loss_readout.setText(f"<b>epoch {row}</b> &nbsp; loss: {self._pair('loss', row)}")
        self.accuracy_readout.setText(f"accuracy: {self._pair('accuracy', row, percent=True)}")
        norms = [
            f"{swatch(color)}{fmt_small(self._run.grad_value(l, row))}"
            for l, color in enumerate(layer_colors(self._run.layers))
        ]
        self.grad_readout.setText("|dL/dW|: " + " ".join(norms))

    def _pair(self, name: str, row: int, percent: bool = False) -> str:
        """Train (and test, if there is a test split) values of one quantity, as rich text."""
        train = fmt(self._run.value(f"train_{name}", row), percent)
        text = f"{swatch(TRAIN_COLOR)} train {train}"
        if self._has_test:
            test = fmt(self._run.value(f"test_{name}", row), percent)
            text += f" &nbsp;{swatch(TEST_COLOR)} test {test}"
        return text

    @Slot(bool)
    def _log_y_switched(self, on: bool) -> None:
        """Keep the check box in step with the plot's own menu, and report the change."""
        self.log_y_box.blockSignals(True)
        self.log_y_box.setChecked(on)
        self.log_y_box.blockSignals(False)
        self.log_y_changed.emit(on)
