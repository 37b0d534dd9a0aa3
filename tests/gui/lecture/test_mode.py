"""Lecture mode in the window: the next step traced by the core, played on the diagram."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.trace.iteration import trace_next_step
from gui.exports.png_options import PngOptions
from gui.lecture.frames import PULSE_SECONDS, stage_for
from gui.lecture.plan import LecturePlan
from gui.main_window import MainWindow
from tests import paths

LESSONS = paths.LESSONS
TIMEOUT = 20_000


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    session = load_session(LESSONS / "mazur.json")
    session.lecture = None  # lecture mode's defaults: per layer, 4 significant digits
    w = MainWindow(session, settings)
    w.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    w.show()
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    yield w
    w.close()
    assert not w.worker.is_running()


def test_stage_of_a_backward_frame_labels_the_mazur_gradients():
    session = load_session(LESSONS / "mazur.json")
    plan = LecturePlan(trace_next_step(trainer_for(session), session.labels), "layer")
    backward = next(f for f in plan.frames if f.title.startswith("Backward: layer 2"))
    stage = stage_for(backward, output_layer=2, digits=4)
    assert stage.direction == "backward"
    assert stage.edge_values[(1, 0, 0)] == "∂L/∂w5 = 0.08217"
    assert "δ" in stage.node_values[(1, 0)] and "0.008771" in stage.node_values[(1, 0)]
    forward = plan.frames[0]
    assert "z" in stage_for(forward, 2).node_values[(1, 0)]
    update = plan.frames[-2]
    assert stage_for(update, 2).edge_values[(1, 0, 0)] == "w5: 0.4 → 0.3589"


def test_lecture_mode_plays_the_mazur_step_and_leaves_the_trainer_alone(window, qtbot):
    before = [w.copy() for w in window.latest.weights]
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    controller = window.lecture.controller
    assert controller.count == 9
    assert window.lecture.dock.isVisible() and not window.dock.isVisible()
    assert not window.controls.play_action.isEnabled()
    assert "0.3775" in window.lecture.panel.html()  # z_h1, the first frame
    controller.go_to(4)  # Backward: layer 2
    assert "0.08217" in window.lecture.panel.html()
    assert window.network_view.overlay.stage is not None
    controller.go_to(7)  # the update of layer 2
    assert "0.3589" in window.lecture.panel.html()  # w5 after the update
    controller.last()  # the loss again, through the updated network
    assert "0.291" in window.lecture.panel.html()
    window.lecture.leave()
    assert window.network_view.overlay.stage is None
    assert window.dock.isVisible() and window.controls.play_action.isEnabled()
    for a, b in zip(before, window.latest.weights):
        np.testing.assert_array_equal(a, b)  # tracing changed nothing
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    assert window.latest.weights[1][0, 0] == pytest.approx(0.35891648, abs=5e-9)


def test_lecture_mode_traces_adam_with_the_trainers_own_state(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    session = load_session(LESSONS / "softmax_blobs.json")
    window = MainWindow(session, settings)
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.show()
    try:
        qtbot.waitUntil(lambda: window.latest is not None, timeout=TIMEOUT)
        window.controls.epoch_action.trigger()  # adam's moments are under way
        qtbot.waitUntil(lambda: window.latest.epoch == 1, timeout=TIMEOUT)
        window.on_lecture_mode(True)
        qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
        trace = window.lecture.controller.plan.trace
        window.lecture.leave()
        window.controls.step_action.trigger()
        qtbot.waitUntil(lambda: window.latest.steps == 15, timeout=TIMEOUT)
        for traced, trained in zip(trace.weights_after, window.latest.weights):
            np.testing.assert_allclose(traced, trained, rtol=1e-12, atol=1e-15)
    finally:
        window.close()


def test_a_pulse_runs_along_the_edges_of_a_forward_frame_and_stops(window, qtbot, pulse_clock):
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    overlay, timer = window.network_view.overlay, window.lecture.pulse_timer
    assert overlay.stage.direction == "forward" and overlay.stage.pulse == 0.0
    assert timer.isActive()
    pulse_clock.advance(PULSE_SECONDS / 4)
    timer.timeout.emit()  # a tick of the animation timer
    assert overlay.stage.pulse == pytest.approx(0.25) and timer.isActive()
    pulse_clock.advance(PULSE_SECONDS)
    timer.timeout.emit()
    assert overlay.stage.pulse is None and not timer.isActive()  # arrived
    window.lecture.controller.go_to(2)  # the loss: nothing travels
    assert not window.lecture.pulse_timer.isActive()
    window.lecture.leave()


def enter(window, qtbot) -> None:
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)


def test_leaving_can_apply_the_traced_step_or_restore(window, qtbot):
    enter(window, qtbot)
    window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Cancel
    assert not window.lecture.leave_by_user()
    assert window.lecture.active  # cancelled: still lecturing
    window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Reset
    assert window.lecture.leave_by_user()
    assert window.latest.steps == 0  # restored: the trainer never moved
    enter(window, qtbot)
    window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Apply
    window.lecture.leave_by_user()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    assert window.latest.weights[1][0, 0] == pytest.approx(0.35891648, abs=5e-9)  # Mazur's w5


def test_tracing_one_training_row_and_applying_it(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(load_session(LESSONS / "playground_default.json"), settings)
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.show()
    try:
        qtbot.waitUntil(lambda: window.latest is not None, timeout=TIMEOUT)
        enter(window, qtbot)
        assert window.lecture.controller.plan.trace.n == 10  # the next mini-batch
        window.lecture.chooser.row_box.setValue(8)  # row 8 on screen: sample 7
        window.lecture.chooser.mode_box.setCurrentIndex(1)  # a training row
        qtbot.waitUntil(lambda: window.lecture.controller.plan.trace.n == 1, timeout=TIMEOUT)
        trace = window.lecture.controller.plan.trace
        np.testing.assert_array_equal(trace.x[0], window.session.dataset.x_train[7])
        window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Apply
        window.lecture.leave_by_user()
        qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
        for traced, trained in zip(trace.weights_after, window.latest.weights):
            np.testing.assert_array_equal(traced, trained)
    finally:
        window.close()


def test_file_export_writes_the_diagram_and_the_steps_table(window, qtbot, tmp_path):
    exports = window.exports
    exports.ask_png_options = lambda drawing: PngOptions(800, 500, 96)
    exports.ask_path = lambda kind, suggestion: str(
        tmp_path / f"out.{'md' if kind == 'table' else kind}"
    )
    exports.png_action.trigger()
    exports.svg_action.trigger()
    assert (tmp_path / "out.png").stat().st_size > 0
    assert "<svg" in (tmp_path / "out.svg").read_text()
    assert not exports.table_action.isEnabled()
    enter(window, qtbot)
    assert exports.table_action.isEnabled()
    window.lecture.panel.set_digits(9, decimals=True)  # the table follows the panel
    exports.table_action.trigger()
    table = (tmp_path / "out.md").read_text()
    assert "dL/dw5" in table and "| 0.082167041 |" in table
    window.lecture.leave()


def test_clicking_a_neuron_shows_its_formulas_and_edits_wait(window, qtbot):
    enter(window, qtbot)
    window.network_view.neuronSelected.emit(1, 0)  # h1
    html = window.lecture.panel.html()
    assert "0.3775" in html and "0.008771" in html  # its z, and its delta from the backward pass
    assert "Everything about neuron h1" in html
    layers = list(window.session.network.layers)
    window.network_view.addNeuronRequested.emit(1)
    assert window.session.network.layers == layers  # no edits while lecturing
    window.network_view.neuronSelected.emit(-1, -1)
    assert "Forward" in window.lecture.panel.html()  # back to the frame
    window.lecture.leave()


def test_a_neurons_frame_puts_its_formulas_inputs_on_the_diagram():
    session = load_session(LESSONS / "mazur.json")
    plan = LecturePlan(trace_next_step(trainer_for(session), session.labels), "neuron")
    delta_h1 = next(f for f in plan.frames if f.part == "δₕ₁")
    stage = stage_for(delta_h1, output_layer=2, digits=4)
    assert stage.edge_values[(1, 0, 0)] == "w5 = 0.4" and stage.edge_values[(1, 1, 0)] == "w7 = 0.5"
    assert "δₒ₁ = 0.1385" in stage.node_values[(2, 0)]
    assert "δₕ₁ = 0.008771" in stage.node_values[(1, 0)]
    forward = plan.frames[0]  # neuron h1: z = w1 x1 + w2 x2 + b1
    assert stage_for(forward, 2).edge_values[(0, 0, 0)] == "w1 = 0.15"
    assert stage_for(forward, 2).inputs[0] == "xᵢ₁ = 0.05"  # on its input node, not stacked
    assert (0, 0) not in stage_for(forward, 2).node_values
    layer = LecturePlan(plan.trace, "layer")  # a whole layer's frame stays uncluttered
    assert (0, 0) not in stage_for(layer.frames[0], 2).node_values


def test_clicking_an_edge_shows_every_formula_about_its_weight(window, qtbot):
    from PySide6.QtCore import QPointF, Qt

    enter(window, qtbot)
    view = window.network_view
    ids = [tuple(row) for row in view.diagram.edges.ids.tolist()]
    x0, y0, x1, y1 = view.diagram.edges.ends[ids.index((1, 0, 0))]  # w5: h1 -> o1
    point = view.mapFromScene(QPointF(x0 + 0.3 * (x1 - x0), y0 + 0.3 * (y1 - y0)))
    with qtbot.waitSignal(view.parameterClicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [1, 0, 0]
    assert view.editor is None or not view.editor.isVisible()  # no editing while lecturing
    html = window.lecture.panel.html()
    assert "Everything about w5" in html and "0.08217" in html and "0.3589" in html
    window.lecture.leave()
    assert view.editable
