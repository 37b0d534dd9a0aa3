"""Training plots: loss, accuracy and each layer's gradient norm against epoch.  Three
stacked pyqtgraph plots share the epoch axis; every curve is created once and fed with
``setData`` from a :class:`gui.plots.runs.RunHistory`.  After :meth:`TrainingPlots.new_run`
a run that trained stays as faded curves (the last eight), labelled by what it did
differently.  Above the plots, a readout gives the exact values at the epoch under the
mouse, else the latest ones."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.plots.epoch import EpochCurve, EpochPlot, new_curve, training_plots
from gui.plots.faded import EarlierRuns
from gui.plots.labels import RunSettings
from gui.plots.marks import LearningRateMarks
from gui.plots.ranges import first_finite
from gui.plots.readout import Readout, same_as_latest
from gui.plots.runs import RunHistory
from gui.plots.style import LIVE_MARK, TEST_COLOR, TRAIN_COLOR, faded_color, layer_colors, swatch

REDRAW_SECONDS = 1 / 40  # new rows are drawn at most this often (painting costs the GUI most)
QUIET_SECONDS = 1 / 4  # ... and this often while they add under half a pixel to the curves
TRAINED_ROWS = 2  # row 0 is the loss before the first step: a run with no more never trained


class TrainingPlots(QWidget):
    """Loss, accuracy (classification only) and |dL/dW^l| per layer against epoch.

    ``clock`` (seconds, monotonic) times the redraw throttle and merges a slider drag's
    learning-rate changes; tests pass their own."""

    log_y_changed = Signal(bool)

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._run = RunHistory()
        self._settings: RunSettings | None = None  # the current run's, at its start
        self._classification = True
        self._has_test = False
        self._hover: float | None = None
        self.pinned: int | None = None  # the epoch the history scrubber shows (a cursor)
        self._now: dict[str, float] | None = None  # the parameters' values between epochs
        self._window: tuple[int, int] | None = None  # rows drawn; None: all
        self._loss_cap = math.inf
        self._drawn_at, self._rows_drawn = -math.inf, 0
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self.flush)
        self.readout = Readout()
        self.clear_runs_action = self.readout.clear_runs.defaultAction()
        self.clear_runs_action.triggered.connect(self.clear_runs)
        self.loss_readout, self.accuracy_readout = self.readout.loss, self.readout.accuracy
        self.grad_readout, self.log_y_box = self.readout.grad, self.readout.log_y_box
        self.log_y_box.toggled.connect(self.set_log_y)
        self._build_plots()
        self.earlier = EarlierRuns(self.plots)
        self.lr_marks = LearningRateMarks(self.loss_plot.getPlotItem(), clock)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.readout)
        for plot in self.plots:
            layout.addWidget(plot, 1)
        self._start_empty()

    # --- construction ---

    def _build_plots(self) -> None:
        self.loss_plot, self.accuracy_plot, self.grad_plot = training_plots()
        for plot in self.plots:
            plot.getPlotItem().getViewBox().sigXRangeChanged.connect(self._x_range_changed)
            plot.hovered.connect(self.show_epoch)
            plot.exited.connect(self.show_latest)
        self.loss_plot.getPlotItem().getViewBox().sigTransformChanged.connect(self._place_tags)
        loss_ctrl = self.loss_plot.getPlotItem().ctrl  # the plot's own context-menu switch
        loss_ctrl.logYCheck.toggled.connect(self._log_y_switched)
        loss, accuracy = self.loss_plot.getPlotItem(), self.accuracy_plot.getPlotItem()
        self.train_loss = new_curve(loss, pg.mkPen(TRAIN_COLOR, width=2.5))
        self.test_loss = new_curve(loss, pg.mkPen(TEST_COLOR, width=2.5))
        self.train_accuracy = new_curve(accuracy, pg.mkPen(TRAIN_COLOR, width=2.5))
        self.test_accuracy = new_curve(accuracy, pg.mkPen(TEST_COLOR, width=2.5))
        self.grad_curves: list[EpochCurve] = []

    @property
    def plots(self) -> tuple[EpochPlot, EpochPlot, EpochPlot]:
        """The loss, accuracy and gradient-norm plots, top to bottom."""
        return self.loss_plot, self.accuracy_plot, self.grad_plot

    # --- the public API ---

    @property
    def epochs(self) -> int:
        """Number of epochs received for the current run (rows 0.. , epoch r in row r)."""
        return self._run.rows

    current_run = property(lambda self: self._run, doc="The current run's rows (read only)")

    faded_runs = property(lambda self: list(self.earlier.runs), doc="Earlier runs, newest first")

    @property
    def settings(self) -> RunSettings | None:
        """The current run's settings, its learning rate the one it trains with now."""
        if self._settings is None:
            return None
        return RunSettings(**{**self._settings, "lr": self.lr_marks.lr})

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
        the rows are all kept, but the curves are drawn at most 40 times a second, and 4
        while a long run's new rows add less than half a pixel (the readout follows)."""
        rows, width = self._run.rows, self.loss_plot.getPlotItem().getViewBox().width()
        seen = self._window is not None or 2 * (rows - self._rows_drawn) * max(width, 1) >= rows
        wait = (REDRAW_SECONDS if seen else QUIET_SECONDS) - (self._clock() - self._drawn_at)
        if not seen:
            self._show_readout()
        if wait <= 0:
            self.flush()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start(max(1, math.ceil(wait * 1000)))

    @property
    def redraw_pending(self) -> bool:
        """Whether rows wait for the throttled redraw (the timer calls :meth:`flush`)."""
        return self._redraw_timer.isActive()

    @Slot()
    def flush(self) -> None:
        """Draw every row received so far, now."""
        self._redraw_timer.stop()
        self._drawn_at, self._rows_drawn = self._clock(), self._run.rows
        self._refresh_curves()
        self._show_readout()

    def set_current(self, settings: Mapping[str, object]) -> None:
        """The current run trains with ``settings`` (:class:`gui.plots.labels.RunSettings`'s
        keys; ``gui.plots.labels.settings_of(session)`` makes them): earlier runs are
        labelled by what differs from these."""
        self._settings = RunSettings(**settings)  # type: ignore[typeddict-item]
        if not self.lr_marks.changes:
            self.lr_marks.start = self._settings["lr"]
        self._runs_changed()

    @Slot()
    @Slot(object)
    def new_run(self, settings: Mapping[str, object] | str | None = None) -> None:
        """A new run starts, with ``settings`` (as :meth:`set_current` takes them; None: the
        same as the current run's).  The current run stays as faded curves if it trained
        (at least one epoch after row 0), labelled by how it differs from the new one.

        A string instead of settings is a fixed label for the run that ends."""
        label = settings if isinstance(settings, str) else ""
        if self._run.rows >= TRAINED_ROWS:
            kept = None if self._settings is None else RunSettings(**self._settings)
            self.earlier.keep(
                self._run, self._window, settings=kept, lrs=self.lr_marks.path, label=label
            )
        if isinstance(settings, Mapping):
            self._settings = RunSettings(**settings)  # type: ignore[typeddict-item]
        else:
            self._settings = self.settings  # the same, at the rate the last run ended with
        self.lr_marks.restart(self._settings["lr"] if self._settings else math.nan)
        self._start_empty()

    @Slot(float)
    def mark_lr_change(self, lr: float) -> None:
        """The learning rate became ``lr`` while the current run trains: a mark at the latest
        epoch on the loss plot (a run that has not trained yet simply starts at ``lr``)."""
        if self._run.rows < TRAINED_ROWS:
            self.lr_marks.restart(lr)
            if self._settings is not None:
                self._settings["lr"] = lr
        else:
            self.lr_marks.change(lr, self._run.rows - 1)
        self._runs_changed()

    @Slot()
    def clear_runs(self) -> None:
        """Drop the earlier runs' faded curves; the current run stays."""
        self.earlier.drop()
        self._runs_changed()

    @Slot()
    def clear(self) -> None:
        """Drop every run, current and earlier (a new session): the next run is #1."""
        self.earlier.drop(renumber=True)
        self._settings = None
        self.lr_marks.restart(math.nan)
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
        self._has_test = False
        self._runs_changed()  # shows the keys
        self._show_readout()

    def _live_curves(self) -> tuple[EpochCurve, ...]:
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
        if self.earlier.runs:
            key += f" &nbsp;{swatch(faded_color(TRAIN_COLOR, 0), '- -')} earlier runs"
        self.loss_plot.set_key(key)

    def _runs_changed(self) -> None:
        """The earlier runs, or what they are compared with, changed: labels, keys, axes."""
        self.earlier.relabel(self.settings)
        key = self.earlier.key()
        self.readout.show_runs(key)
        self.clear_runs_action.setEnabled(bool(key))
        self._show_test(self._has_test)
        self._update_caps(force=True)

    def _update_caps(self, force: bool = False) -> None:
        """Let the loss and gradient axes follow the plausible values only (gui.plots.ranges)."""
        loss_cap, grad_cap = self.earlier.set_caps(
            [first_finite(self._run.column(n)) for n in ("train_loss", "test_loss")],
            [first_finite(self._run.grad_norm(l)) for l in range(self._run.layers)],
        )
        for curve in (self.train_loss, self.test_loss):
            curve.set_cap(loss_cap)
        for curve in self.grad_curves:
            curve.set_cap(grad_cap)
        if force or loss_cap != self._loss_cap:
            self._loss_cap = loss_cap
            self._place_tags()

    @Slot(object)
    def _place_tags(self, _box: object = None) -> None:
        self.earlier.place_tags(self.log_y)

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
        self._update_caps()
        for plot in self.plots:  # take the new auto range now: one paint per update, not two
            plot.getPlotItem().getViewBox().prepareForPaint()

    @Slot(object, object)
    def _x_range_changed(self, _box: object = None, _range: object = None) -> None:
        """Zoomed in or out by hand, or back to the whole run: draw the rows now in view."""
        window = self._visible_rows()
        if window != self._window:
            self._window = window
            self._refresh_curves()
            self.earlier.show(window)

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
        """Read out the latest epoch and hide the cursor lines (or the scrubbed epoch's)."""
        self._hover = self.pinned
        self._show_readout()

    def pin_epoch(self, epoch: int | None) -> None:
        """Keep the cursor and the readout at ``epoch`` (None: the latest again)."""
        self.pinned = epoch
        self.show_latest()

    def cut_after(self, epoch: int) -> RunHistory:
        """Forget the rows after ``epoch`` (training resumes from it); returns the run's
        rows as they were, for :meth:`put_back`."""
        kept = copy.deepcopy(self._run)
        empty = {"train_loss": np.empty(0), "grad_norm": np.empty((0, self._run.layers))}
        self.append(empty, epoch + 1)
        return kept

    def put_back(self, run: RunHistory) -> None:
        """The rows :meth:`cut_after` returned, instead of the current run's."""
        self._run = run
        self.flush()

    def show_current(self, values: dict[str, float] | None) -> None:
        """Read out these losses and accuracies of the parameters now (after an edit or a
        step within an epoch) instead of the last epoch's; None: the epochs again."""
        now = None if values is None or same_as_latest(self._run, values) else values
        if now is not None or self._now is not None:  # while training: nothing to redo
            self._now = now
            self._show_readout()

    def _show_readout(self) -> None:
        rows = self._run.rows
        row = self._run.nearest(rows - 1 if self._hover is None else self._hover)
        for plot in self.plots:
            plot.cursor.setPos(max(row, 0))
            plot.cursor.setVisible(self._hover is not None and rows > 0)
        self.readout.show_row(self._run, row, self._has_test)
        if self._hover is None and self._now is not None:
            self.readout.show_now(self._now, self._has_test)

    @Slot(bool)
    def _log_y_switched(self, on: bool) -> None:
        """Keep the check box in step with the plot's own menu, and report the change."""
        self.log_y_box.blockSignals(True)
        self.log_y_box.setChecked(on)
        self.log_y_box.blockSignals(False)
        self._place_tags()
        self.log_y_changed.emit(on)
