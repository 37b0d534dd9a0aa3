"""Lecture mode in the window: trace the next step, then play it frame by frame.

Entering pauses training and asks the training process for what the trace
needs (the session now, the optimiser's state, the rows of the next
mini-batch); the core traces the step (core.lesson) and the window plays its
frames: the diagram lights each frame's neurons and edges with their values
(a Stage), the equation panel shows its formulas, the transport bar drives it.
Leaving restores the diagram; the trainer was never touched.
"""

from __future__ import annotations

import copy
import dataclasses
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.expr import Term
from core.lesson import trace_iteration
from core.network import Network
from core.notation import format_number, render_symbol
from core.session import SessionError, session_from_dict
from core.snapshot import Snapshot, network_snapshot
from gui.diagram_stage import Stage
from gui.equation_panel import EquationPanel
from gui.lecture import Frame, LectureController, LecturePlan
from gui.transport import TransportBar

if TYPE_CHECKING:
    from gui.main_window import MainWindow

DOCK_WIDTH = 440
PULSE_SECONDS = 0.8  # how long the signal takes to run along a frame's edges
PULSE_FRAME_MS = 16
NEURON_VALUES = ("z", "a", "delta", "L")
EDGE_VALUES = ("dL/dw", "w")


def traced_snapshot(weights, biases, trace) -> Snapshot:
    """The diagram's picture of the traced step: these weights, and its own gradients."""
    snap = network_snapshot(Network(list(weights), list(biases), list(trace.activation_names)))
    return dataclasses.replace(snap, dW=tuple(trace.dW), db=tuple(trace.db), steps=1)


def traced_pictures(trace) -> dict[str, Snapshot]:
    """The diagram's two pictures of a traced step: before and after its update."""
    return {
        "before": traced_snapshot(trace.weights_before, trace.biases_before, trace),
        "after": traced_snapshot(trace.weights_after, trace.biases_after, trace),
    }


def fill_from_trace(view, trace, sample: int = 0) -> None:
    """Neurons filled with the traced row's activations (where they show no heatmap)."""
    view.set_sample_values([z[sample] for z in trace.z], [a[sample] for a in trace.a])


def show_frame(view, frame: Frame, pictures: dict[str, Snapshot], session, digits: int) -> Stage:
    """Put ``frame`` on the diagram: the right picture and colour scale, lit and labelled.

    Update frames show the weights after the step; deltas and gradients the gradient view."""
    picture = pictures["after" if frame.phase == "update" else "before"]
    view.set_network(picture, session.dataset.input_names, session.fitting_labels())
    view.set_view("gradients" if frame.phase in ("output_delta", "backward") else "weights")
    stage = stage_for(frame, len(session.network.layers) - 1, digits)
    view.set_stage(stage)
    return stage


def value_text(term: Term, digits: int) -> str:
    """'∂L/∂w5 = 0.08217': the term's symbol and its result."""
    return f"{render_symbol(term.target, 'unicode')} = {format_number(term.result, digits)}"


def stage_for(frame: Frame, output_layer: int, digits: int = 4) -> Stage:
    """What the diagram shows for one frame: its neurons and edges lit, with the values
    its terms compute beside them (weights after the update, not the optimiser's state)."""
    nodes: dict[tuple[int, int], list[str]] = {}
    edges: dict[tuple[int, int, int], str] = {}
    for term in frame.terms:
        t = term.target
        if t.name in EDGE_VALUES and t.j is not None and (t.name != "w" or t.new):
            edges[(t.layer - 1, t.i, t.j)] = value_text(term, digits)
        elif t.name in NEURON_VALUES and t.i is not None and t.j is None:
            layer = output_layer if t.layer is None else t.layer
            nodes.setdefault((layer, t.i), []).append(value_text(term, digits))
    return Stage(
        neurons=frame.neurons,
        edges=frame.edges,
        direction=frame.direction,
        node_values={key: "\n".join(lines) for key, lines in nodes.items()},
        edge_values=edges,
    )


class LectureMode(QObject):
    """The window's lecture mode: enter, play the frames, leave."""

    activeChanged = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = LectureController(self)
        self.panel = EquationPanel()
        self.sample_box = QSpinBox()
        self.sample_box.setRange(-1, 0)
        self.sample_box.setSpecialValueText("the next mini-batch")
        self.sample_box.setPrefix("training row ")
        self.sample_box.setToolTip(
            "Trace the next mini-batch, or one training row as a batch of one"
        )
        self.sample_box.valueChanged.connect(self._on_sample)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Trace"))
        row.addWidget(self.sample_box, 1)
        layout.addLayout(row)
        layout.addWidget(self.panel, 1)
        self.dock = QDockWidget("Chain rule", window)
        self.dock.setObjectName("lecture_dock")
        self.dock.setWidget(holder)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.bar = TransportBar(self.controller)
        self.toolbar = QToolBar("Lecture", window)
        self.toolbar.setObjectName("lecture_toolbar")
        self.toolbar.addWidget(self.bar)
        window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.toolbar)
        self.dock.hide()
        self.toolbar.hide()
        self.active = False
        self.sample: int | None = None
        self._pictures: dict[str, Snapshot] = {}
        self._user_view = "weights"
        self._stage: Stage | None = None
        self._pulse_start = 0.0
        self.pulse_timer = QTimer(self)
        self.pulse_timer.setInterval(PULSE_FRAME_MS)
        self.pulse_timer.timeout.connect(self._on_pulse)
        self.controller.frameChanged.connect(self._on_frame)
        self.panel.digitsChanged.connect(self._on_digits)
        window.worker.lectureReady.connect(self._on_lecture_ready)

    def enter(self, sample: int | None = None) -> None:
        """Pause training and trace the next step (or training row ``sample``)."""
        self.sample = sample
        self.window.worker.pause()
        self.window.worker.request_lecture(sample)

    def ask_leave(self) -> QMessageBox.StandardButton:
        """Apply the traced step, Restore the network as it was, or Cancel (tests replace it)."""
        return QMessageBox.question(
            self.window,
            "Leave lecture mode",
            "Apply this step to the network (it trains one step), or restore it as it was?",
            QMessageBox.StandardButton.Apply
            | QMessageBox.StandardButton.Reset
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Reset,
        )

    @Slot()
    def leave_by_user(self) -> bool:
        """Leave, asking whether to apply the traced step; False if the user stays."""
        if not self.active:
            return True
        answer = self.ask_leave()
        if answer == QMessageBox.StandardButton.Cancel:
            self.activeChanged.emit(True)
            return False
        trace = self.controller.plan.trace if self.controller.plan else None
        self.leave()
        if answer == QMessageBox.StandardButton.Apply and trace is not None:
            self.apply(trace)
        return True

    def apply(self, trace) -> None:
        """Make the traced step the trainer's own: the next mini-batch is simply stepped
        (the same numbers, and the batch counts as done); a single row is taken as traced."""
        worker = self.window.worker
        if self.sample is None:
            worker.step()
        else:
            optimizer = copy.deepcopy(trace.optimizer_after)
            worker.apply_update(trace.weights_after, trace.biases_after, optimizer)

    def leave(self) -> None:
        """Back to the training studio; the trainer is as it was."""
        if not self.active:
            return
        self.controller.pause()
        self.pulse_timer.stop()
        self._stage = None
        self.controller.set_plan(None)
        view = self.window.network_view
        view.set_stage(None)
        view.set_view(self._user_view)
        self._show(False)
        self.window.redraw()

    @Slot(dict)
    def _on_lecture_ready(self, payload: dict) -> None:
        w = self.window
        try:
            session = session_from_dict(payload["session"], base_dir=w.session.base_dir())
        except SessionError as exc:
            w.statusBar().showMessage(f"Cannot trace this step: {exc}", 8000)
            return
        rows, ds = payload["rows"], session.dataset
        trace = trace_iteration(
            session.network,
            session.loss,
            payload["optimizer"],
            session.training,
            ds.x_train[rows],
            ds.y_train[rows],
            labels=session.fitting_labels(),
        )
        self._pictures = traced_pictures(trace)
        fill_from_trace(w.network_view, trace)
        self._user_view = w.network_view.view_mode
        granularity = self.controller.granularity
        self.sample_box.blockSignals(True)
        self.sample_box.setMaximum(len(ds.x_train) - 1)
        self.sample_box.setValue(-1 if self.sample is None else self.sample)
        self.sample_box.blockSignals(False)
        self._show(True)
        self.controller.set_plan(LecturePlan(trace, granularity))

    def _show(self, on: bool) -> None:
        w = self.window
        self.active = on
        self.dock.setVisible(on)
        self.toolbar.setVisible(on)
        w.dock.setVisible(not on)
        w.splitter.widget(1).setVisible(not on)  # the diagram is the stage: the plots step aside
        w.controls.play_action.setEnabled(not on)  # Space belongs to the lecture's transport
        self.bar.set_shortcut_context(Qt.ShortcutContext.WindowShortcut)
        if on:
            w.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
            self.bar.setFocus()
        self.activeChanged.emit(on)

    @Slot(object)
    def _on_frame(self, frame: Frame | None) -> None:
        view = self.window.network_view
        if frame is None:
            view.set_stage(None)
            return
        session = self.window.session
        self._stage = show_frame(view, frame, self._pictures, session, self.panel.digits)
        self.panel.set_terms(frame.title, frame.terms)
        if self._stage.direction is not None and self._stage.edges:
            self._pulse_start = time.monotonic()  # a pulse runs along the frame's edges
            self.pulse_timer.start()
        else:
            self.pulse_timer.stop()

    @Slot()
    def _on_pulse(self) -> None:
        t = (time.monotonic() - self._pulse_start) / PULSE_SECONDS
        if self._stage is None or not self.active or t >= 1.0:
            self.pulse_timer.stop()
            t = None  # the pulse has arrived: the dots go
        if self._stage is not None and self.active:
            self.window.network_view.set_stage(dataclasses.replace(self._stage, pulse=t))

    def show_frame_again(self, frame: Frame | None) -> None:
        """Put ``frame`` back on the stage (after an export drew others)."""
        if self.active and frame is not None:
            self._on_frame(frame)

    @Slot(int, int)
    def show_neuron(self, layer: int, index: int) -> None:
        """A clicked neuron: every formula of the traced step about it, in order."""
        plan = self.controller.plan
        if not self.active or plan is None or layer < 0:
            if self.active and self.controller.frame is not None:
                self._on_frame(self.controller.frame)
            return
        terms = [
            term
            for step in plan.trace.steps
            for term in step.terms
            if term.target.layer == layer and term.target.i == index and term.target.j is None
        ]
        name = render_symbol(terms[0].target, "unicode") if terms else f"neuron {index + 1}"
        self.panel.set_terms(f"Everything about {name.split('=')[0]} in this step", terms)

    @Slot(int)
    def _on_sample(self, value: int) -> None:
        if self.active:
            self.enter(None if value < 0 else value)

    @Slot(int)
    def _on_digits(self, _digits: int) -> None:
        self._on_frame(self.controller.frame)
