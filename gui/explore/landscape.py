"""View > Loss landscape: a dock with L over a plane through the current parameters, or
along one parameter, computed by the training process (core.explore.jobs) and drawn by
gui.explore.surface.

The plane is spanned by two parameters (the two last clicked on the diagram, else the two
with the largest |dL/dw|) or by two random filter-normalised directions (a seed).  The dock
asks only while it is visible, at most once a second while training (a request under way is
never replaced by a refresh, so a slow one still finishes), and at once when the plane is
changed by hand.  It keeps the snapshots' parameters since the run started (thinned to a
memory budget) and shows them projected onto the plane.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.params import FlatLayout
from core.explore.jobs import MAX_PARAMETERS, LandscapeRequest, LandscapeResult
from core.explore.landscape import Param
from core.session.format import Session
from core.snapshot import Snapshot
from core.trace.notation import parameter_name
from gui.explore.cues import update_step
from gui.explore.surface import ProfilePlot, SurfacePlot, export_plot

REFRESH_SECONDS = 1.0  # while training, at most one landscape a second
TRAJECTORY_SECONDS = 0.05  # the trajectory keeps at most 20 snapshots a second ...
TRAJECTORY_BYTES = 32 * 2**20  # ... and at most this many bytes of parameters (then thins)
MODES = (
    ("Two parameters", "parameters"),
    ("Random directions", "random"),
    ("One parameter", "profile"),
)


class LandscapeDock(QDockWidget):
    """The loss landscape dock; ``worker`` computes (core.runner's "landscape" command)."""

    def __init__(self, parent: QWidget, worker, clock: Callable[[], float] = time.monotonic):
        super().__init__("Loss landscape", parent)
        self.setObjectName("landscape_dock")
        self.toggleViewAction().setText("Loss &landscape")
        self.worker, self.clock = worker, clock
        self.labels: dict | None = None
        self.layers: list[int] = []
        self.clicked: list[Param] = []  # the last two parameters clicked, oldest first
        self.latest: Snapshot | None = None
        self.requested_for: Snapshot | None = None  # the newest snapshot when last asked
        self.pending: int | None = None  # the ident of the request under way
        self.ident = 0
        self.asked_at = -np.inf
        self.stopped = False  # cancelled or refused: no refresh until asked again
        self.result: LandscapeResult | None = None
        self.trajectory: list[np.ndarray] = []
        self.path: np.ndarray | None = None  # the trajectory projected onto the plane
        self.step: tuple | None = None  # lecture mode's update: (params, before, after)
        self.recorded_at = -np.inf
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        self._build()
        worker.landscapeReady.connect(self.take_result)
        worker.landscapeProgress.connect(self.take_progress)
        worker.landscapeFailed.connect(self.take_failure)
        self.visibilityChanged.connect(lambda shown: shown and self.refresh())

    def _build(self) -> None:
        self.mode = QComboBox()
        for text, mode in MODES:
            self.mode.addItem(text, mode)
        self.mode.setToolTip("The plane of two parameters, of two random directions, or L "
                             "against one parameter with its tangent")  # fmt: skip
        self.mode.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mode.setMinimumContentsLength(17)
        self.seed = QSpinBox(prefix="seed ", maximum=999)
        self.seed.setToolTip("The seed the two random directions are drawn from")
        self.span = QDoubleSpinBox(prefix="± ", decimals=2, minimum=0.0, maximum=999.0)
        self.span.setSpecialValueText("± auto")  # 0: 1 for random directions, else max(1, 2|w|)
        self.span.setToolTip("Half-width of each axis (auto: 1 for random directions, else "
                             "max(1, 2 |w|) of the chosen parameters)")  # fmt: skip
        self.log = QCheckBox("log colours")
        self.steepest = QToolButton(text="Steepest")
        self.steepest.setToolTip("The two parameters with the largest |dL/dw| (full batch)")
        self.png, self.svg = QToolButton(text="PNG…"), QToolButton(text="SVG…")
        self.png.setToolTip("Export the plot as a PNG image")
        self.svg.setToolTip("Export the plot as an SVG vector image")
        self.choice = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.stack = QStackedWidget()
        self.surface, self.profile = SurfacePlot(), ProfilePlot()
        self.stack.addWidget(self.surface)
        self.stack.addWidget(self.profile)
        self.message = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.message.setStyleSheet("color: #a01010")
        self.message.hide()
        self.progress = QProgressBar(maximum=100, textVisible=False)
        self.cancel, self.again = QToolButton(text="Cancel"), QToolButton(text="Refresh")
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 4, 6, 4)
        rows = (
            (self.mode, self.span),
            (self.log, self.seed, self.steepest, self.png, self.svg),
            (self.choice,),
            (self.stack,),
            (self.message,),
            (self.progress, self.cancel, self.again),
        )
        for widgets in rows:
            row = QHBoxLayout()
            for widget in widgets:
                row.addWidget(widget)
            if len(widgets) > 1 and widgets[0] is not self.progress:
                row.addStretch(1)
            column.addLayout(row, 1 if widgets[0] is self.stack else 0)
        self.setWidget(body)
        self.mode.currentIndexChanged.connect(self.plane_changed)
        self.seed.valueChanged.connect(self.plane_changed)
        self.span.valueChanged.connect(self.plane_changed)
        self.log.toggled.connect(self.draw)
        self.steepest.clicked.connect(self.use_steepest)
        self.cancel.clicked.connect(self.cancel_request)
        self.again.clicked.connect(self.plane_changed)
        self.png.clicked.connect(lambda: self.export("png"))
        self.svg.clicked.connect(lambda: self.export("svg"))
        self._show_busy(False)
        self._update_controls()

    # --- what to compute ---

    @property
    def current_mode(self) -> str:
        """ "parameters", "random" or "profile"."""
        return self.mode.currentData()

    def choose_parameter(self, l: int, i: int, j: int) -> None:
        """A weight (l, i, j) or bias (l, i, -1) was clicked on the diagram: it becomes one
        of the plane's two parameters (replacing the older one) and the profile's one."""
        self._click((l, i, j))
        if self.current_mode == "profile" or len(self.clicked) == 2:
            self.plane_changed()
        else:
            self._update_controls()

    def _click(self, param: Param) -> None:
        self.clicked = [p for p in self.clicked if p != param][-1:] + [param]

    def show_profile(self, param: Param) -> None:
        """L against one parameter, with its tangent (the 1-D mode), in a shown dock."""
        self._click(param)
        with QSignalBlocker(self.mode):
            self.mode.setCurrentIndex(2)
        self.show()
        self.raise_()
        self.plane_changed()

    @Slot()
    def use_steepest(self) -> None:
        """Forget the clicked parameters: the ones with the largest |dL/dw| again."""
        self.clicked = []
        self._update_controls()
        self.plane_changed()

    def request(self) -> LandscapeRequest:
        """The request for the plane chosen now (a new ident)."""
        self.ident += 1
        mode = self.current_mode
        params: tuple = ()
        if mode == "parameters" and len(self.clicked) == 2:
            params = tuple(self.clicked)
        elif mode == "profile" and self.clicked:
            params = (self.clicked[-1],)
        span = self.span.value() or None
        if self.step is not None and span is None and mode == "parameters":
            change = np.abs(np.subtract(self.step[2], self.step[1])).max()
            span = 5.0 * change if change > 0 else None  # the step in view: a fifth of it
        return LandscapeRequest(self.ident, mode, params, self.seed.value(), span)

    def _update_controls(self) -> None:
        mode = self.current_mode
        shown = {self.seed: mode == "random", self.steepest: mode != "random"}
        shown[self.log] = mode != "profile"
        for widget in sorted(shown, key=shown.get):  # hidden first: the dock never widens
            widget.setVisible(shown[widget])
        self.stack.setCurrentWidget(self.profile if mode == "profile" else self.surface)
        names = [parameter_name(p, self.labels) for p in self.clicked]
        if mode == "random":
            text = (
                "Two random directions, each neuron's row of weights scaled to the norm of its "
                "own (Li et al. 2018); the biases do not move."
            )
        elif mode == "profile":
            text = f"L against {names[-1]}." if names else "L against the steepest parameter."
            text += " Click an edge or bias on the diagram, or hover one and press Shift+L."
        elif len(names) == 2:
            text = f"The plane of {names[0]} and {names[1]}; click edges or biases to change."
        elif names:
            text = f"{names[0]} chosen: click a second edge or bias on the diagram."
        else:
            text = "The two parameters with the largest |dL/dw|: click two edges or biases."
        self.choice.setText(text)
        self.widget().layout().activate()  # hidden controls leave the minimum width at once

    # --- asking ---

    @Slot()
    def plane_changed(self) -> None:
        """The plane was changed by hand: ask now (the one under way is cancelled)."""
        self._update_controls()
        self.stopped = False
        self.pending = None
        self.refresh(now=True)

    @Slot()
    def refresh(self, now: bool = False) -> None:
        """Ask for the landscape of the newest snapshot if it is due: shown, not stopped,
        nothing under way, not yet asked for it, and a second since the last (unless
        ``now``)."""
        if not self.isVisible() or self.latest is None or self.stopped or self.pending:
            return
        if self.requested_for is self.latest and not now:
            return
        wait = self.asked_at + REFRESH_SECONDS - self.clock()
        if wait > 0 and not now:
            if not self.timer.isActive():
                self.timer.start(int(wait * 1000) + 1)
            return
        request = self.request()
        self.pending, self.requested_for, self.asked_at = request.ident, self.latest, self.clock()
        self.worker.request_landscape(request)
        self._show_busy(True)

    @Slot()
    def cancel_request(self) -> None:
        """Stop the request under way; no refresh until the plane changes or Refresh."""
        if self.pending is not None:
            self.worker.request_landscape(None)
        self.pending, self.stopped = None, True
        self._show_busy(False)

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.cancel.setEnabled(busy)

    # --- answers ---

    @Slot(object)
    def take_result(self, result: LandscapeResult) -> None:
        """A landscape has come: draw it (unless a newer one was asked for since)."""
        if result.ident != self.pending:
            return
        self.pending, self.result = None, result
        self._show_busy(False)
        self.message.hide()
        self.draw()
        self.refresh()  # the snapshots went on meanwhile: the next one, a second after

    @Slot(int, float)
    def take_progress(self, ident: int, fraction: float) -> None:
        if ident == self.pending:
            self.progress.setValue(round(100 * fraction))

    @Slot(int, str)
    def take_failure(self, ident: int, message: str) -> None:
        if ident == self.pending:
            self.pending, self.stopped = None, True
            self._show_busy(False)
            self.message.setText(f"The loss landscape cannot be drawn: {message}.")
            self.message.show()

    @Slot()
    def draw(self) -> None:
        """Draw the last result with the current point and the trajectory."""
        result = self.result
        if result is None:
            return
        if result.mode == "profile":
            self.profile.show_result(result, parameter_name(result.params[0], self.labels))
            return
        if result.mode == "random":
            names = (f"α (direction 1, seed {result.seed})", "β (direction 2)")
        else:
            names = tuple(parameter_name(p, self.labels) for p in result.params)
        self.surface.show_result(result, names, self.log.isChecked())
        self.path = None  # the plane changed: project every snapshot again
        self._draw_path()
        step = self.step if self.step and self.step[0] == result.params else None
        self.surface.set_step(*(step[1:] if step else (None, None)))

    def _draw_path(self) -> None:
        result = self.result
        if result is None or result.mode == "profile" or not self.trajectory:
            return
        done = 0 if self.path is None or len(self.path) > len(self.trajectory) else len(self.path)
        if done < len(self.trajectory):  # project only the snapshots new since the last time
            new = result.coordinates(np.stack(self.trajectory[done:])).reshape(-1, 2)
            self.path = new if done == 0 else np.vstack([self.path, new])
            self.surface.set_trajectory(self.path)
        self.surface.set_current(self.path[-1])

    # --- lecture mode's update on the plane ---

    def show_update(self, trace, labels: dict | None) -> None:
        """Lecture mode's update step as a step on the plane of two weights: w5 and w6 where
        the lesson names them (Mazur's), else the two clicked, else the two that change most;
        from their values before the step to after it (the other weights move too)."""
        self.step = update_step(trace, labels, self.clicked)
        self.clicked = list(self.step[0])
        with QSignalBlocker(self.mode):
            self.mode.setCurrentIndex(0)
        self.plane_changed()

    def clear_update(self) -> None:
        """Lecture mode left the update step: no step on the plane."""
        if self.step is not None:
            self.step = None
            self.surface.set_step(None, None)

    # --- what the window feeds ---

    def set_session(self, session: Session) -> None:
        """A session is shown: its labels; the trajectory starts afresh; clicked parameters
        that no longer exist are forgotten."""
        self.labels = session.fitting_labels()
        layers = session.network.layers
        if layers != self.layers:
            self.clicked, self.result = [], None
        self.layers = layers
        self.trajectory, self.recorded_at, self.path = [], -np.inf, None
        self.pending, self.stopped, self.requested_for = None, False, None  # the load cancels
        self._show_busy(False)
        self._update_controls()

    def take(self, snap: Snapshot) -> None:
        """The newest snapshot: kept for the trajectory, and drawn as the current point."""
        previous, self.latest = self.latest, snap
        if previous is not None and (snap.run != previous.run or snap.steps < previous.steps):
            self.trajectory, self.path = [], None
        self._record(snap)
        if self.isVisible():
            self._draw_path()
            self.refresh()

    def _record(self, snap: Snapshot) -> None:
        size = sum(w.size for w in snap.weights) + sum(b.size for b in snap.biases)
        now = self.clock()
        if size > MAX_PARAMETERS or now - self.recorded_at < TRAJECTORY_SECONDS:
            return
        self.recorded_at = now
        self.trajectory.append(FlatLayout(list(snap.layers)).pack(snap.weights, snap.biases))
        if len(self.trajectory) > max(16, TRAJECTORY_BYTES // (8 * size)):
            self.trajectory = self.trajectory[-1::-2][::-1]  # every second one, the last kept
            self.path = None

    # --- export ---

    def ask_path(self, kind: str) -> str:
        """The file to export to ('' if cancelled); tests replace this dialog."""
        name = f"loss-landscape.{kind}"
        kinds = {"png": "PNG image (*.png)", "svg": "SVG vector image (*.svg)"}
        path, _ = QFileDialog.getSaveFileName(self, "Export the loss landscape", name, kinds[kind])
        return path

    def export(self, kind: str) -> Path | None:
        """Write the plot shown as PNG or SVG (as File > Export does the diagram)."""
        if self.result is None:
            self.message.setText("Nothing to export yet: the loss landscape has not been drawn.")
            self.message.show()
            return None
        path = self.ask_path(kind)
        if not path:
            return None
        problem = export_plot(self.stack.currentWidget(), kind, path)
        if problem:
            self.message.setText(problem)
            self.message.show()
            return None
        return Path(path)
