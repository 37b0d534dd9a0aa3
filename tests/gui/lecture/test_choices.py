"""What lecture mode traces and how: own inputs, a batch's samples unfolded, the update's
morph, a point clicked on the map, and the set-up saved in the session."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from core.session.format import load_session
from core.trace.notation import Precision, format_number
from gui.lecture.frames import PULSE_SECONDS, morph
from gui.lecture.trace_chooser import TraceChoice, parse_numbers
from gui.main_window import MainWindow
from tests import paths

LESSONS = paths.LESSONS
TIMEOUT = 20_000


@pytest.fixture
def open_window(lesson_window):
    """A window on a session file; leaving lecture mode restores (no dialog)."""

    def opened(path: Path) -> MainWindow:
        window = lesson_window(path)
        window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Reset
        return window

    return opened


def enter(window, qtbot) -> None:
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)


def traced(window, qtbot, n: int):
    qtbot.waitUntil(
        lambda: window.lecture.trace is not None and window.lecture.trace.n == n, timeout=TIMEOUT
    )
    return window.lecture.trace


def test_numbers_parse_with_commas_or_spaces_and_say_what_is_wrong():
    assert parse_numbers("0.05, 0.1", 2, "Input") == (0.05, 0.1)
    assert parse_numbers(" 1  -2e-3 ", 2, "Input") == (1.0, -0.002)
    for text, problem in [
        ("1", "Input: type 2 numbers, got 1"),
        ("1, x", "is not a list of numbers"),
        ("1, inf", "finite"),
    ]:
        with pytest.raises(ValueError, match=problem):
            parse_numbers(text, 2, "Input")


def test_an_input_of_ones_own_is_traced_and_can_be_applied(open_window, qtbot):
    window = open_window(LESSONS / "xor_script.json")
    enter(window, qtbot)
    chooser = window.lecture.chooser
    chooser.mode_box.setCurrentIndex(2)  # an input of my own
    assert chooser.input_edit.isVisible() and chooser.target_edit.isVisible()
    chooser.input_edit.setText("1")
    chooser.target_edit.setText("1")
    chooser.trace_button.click()
    assert "Input: type 2 numbers, got 1" in chooser.error.text()
    chooser.input_edit.setText("0.5, 0.25")
    qtbot.keyClick(chooser.input_edit, "\r")
    trace = traced(window, qtbot, 1)
    qtbot.waitUntil(lambda: window.lecture.trace.x[0, 0] == 0.5, timeout=TIMEOUT)
    trace = window.lecture.trace
    np.testing.assert_array_equal(trace.x, [[0.5, 0.25]])
    np.testing.assert_array_equal(trace.y, [[1.0]])
    assert "0.5" in window.lecture.panel.html()
    window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Apply
    window.lecture.leave_by_user()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    for after, now in zip(trace.weights_after, window.latest.weights):
        np.testing.assert_array_equal(after, now)


def test_mazur_typed_in_by_hand_gives_the_published_numbers(open_window, qtbot):
    window = open_window(LESSONS / "mazur.json")
    enter(window, qtbot)
    window.lecture._on_choice(TraceChoice(input=(0.05, 0.1), target=(0.01, 0.99)))
    qtbot.waitUntil(
        lambda: window.lecture.choice.mode == "own" and window.lecture.trace.n == 1,
        timeout=TIMEOUT,
    )
    trace = window.lecture.trace
    assert trace.loss == pytest.approx(0.298371109, abs=5e-10)
    assert trace.weights_after[1][0, 0] == pytest.approx(0.35891648, abs=5e-9)


def test_a_batch_shows_one_sample_and_unfolds_its_gradients(open_window, qtbot):
    window = open_window(LESSONS / "playground_default.json")
    enter(window, qtbot)
    lecture, chooser = window.lecture, window.lecture.chooser
    trace = traced(window, qtbot, 10)
    assert chooser.shown_box.isVisible() and chooser.unfold_box.isVisible()
    chooser.shown_box.setValue(3)  # the third sample
    assert lecture.controller.plan.sample == 2
    np.testing.assert_array_equal(window.network_view._sample[1][0], trace.a[0][2])
    backward = next(f for f in lecture.controller.plan.frames if f.phase == "backward")
    lecture.controller.go_to(backward.index)
    batch_dW = window.network_view.snapshot.dW
    np.testing.assert_array_equal(batch_dW[-1], trace.dW[-1])
    chooser.unfold_box.setChecked(True)
    part = trace.sample_gradients(2)[0]
    for shown, expected in zip(window.network_view.snapshot.dW, part):
        np.testing.assert_array_equal(shown, expected)
    assert "the parts" in lecture.panel.html() and "<b>[3]" in lecture.panel.html()
    assert any("[3] =" in text for text in window.network_view.overlay.stage.edge_values.values())
    chooser.unfold_box.setChecked(False)
    assert "the parts" not in lecture.panel.html()


def test_the_update_frame_morphs_each_edge_from_old_to_new(open_window, qtbot, pulse_clock):
    window = open_window(LESSONS / "mazur.json")
    enter(window, qtbot)
    lecture = window.lecture
    pictures = lecture._pictures
    halfway = morph(pictures, 0.5)
    expected = (pictures["before"].weights[1] + pictures["after"].weights[1]) / 2
    np.testing.assert_allclose(halfway.weights[1], expected, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(morph(pictures, 0).weights[0], pictures["before"].weights[0])
    lecture.controller.set_granularity("layer")
    lecture.panel.set_digits(4)
    lecture.controller.go_to(lecture.controller.count - 2)  # the update of the output layer
    timer = lecture.pulse_timer
    assert timer.isActive()
    assert window.network_view.snapshot.weights[1][0, 0] == 0.4  # it starts from the old w5
    pulse_clock.advance(PULSE_SECONDS / 2)
    timer.timeout.emit()  # a tick of the animation timer, half-way through
    assert window.network_view.snapshot.weights[1][0, 0] == pytest.approx(halfway.weights[1][0, 0])
    pulse_clock.advance(PULSE_SECONDS)  # past the end
    timer.timeout.emit()
    assert not timer.isActive()
    assert window.network_view.snapshot.weights[1][0, 0] == pytest.approx(0.35891648, abs=5e-9)
    edge_text = window.network_view.overlay.stage.edge_values[(1, 0, 0)]
    assert edge_text == "w5: 0.4 → 0.3589"


def test_clicking_a_point_on_the_map_chooses_the_row_to_trace(open_window, qtbot):
    window = open_window(LESSONS / "playground_default.json")
    window.output_view.plot.pointClicked.emit(5)
    assert window.lecture.choice == TraceChoice(sample=5)
    x, y = window.output_view.plot.train_points.getData()
    mx, my = window.output_view.plot.marker.getData()
    assert (mx[0], my[0]) == (x[5], y[5])  # the chosen point is ringed
    assert "row 6" in window.statusBar().currentMessage()  # rows from 1 on screen
    enter(window, qtbot)
    trace = traced(window, qtbot, 1)
    np.testing.assert_array_equal(trace.x[0], window.session.dataset.x_train[5])
    assert window.lecture.chooser.mode == "row" and window.lecture.chooser.row_box.value() == 6


def test_a_real_click_on_a_point_picks_it(open_window, qtbot):
    window = open_window(LESSONS / "xor_script.json")
    plot = window.output_view.plot
    qtbot.waitUntil(lambda: len(plot.train_points.getData()[0]) == 4, timeout=TIMEOUT)
    x, y = plot.train_points.getData()
    pos = plot.mapFromScene(plot.getPlotItem().vb.mapViewToScene(QPointF(x[2], y[2])))
    qtbot.mouseMove(plot.viewport(), pos)
    with qtbot.waitSignal(plot.pointClicked, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [2]


def test_the_lecture_set_up_is_saved_and_a_saved_lesson_opens_ready(open_window, qtbot, tmp_path):
    window = open_window(LESSONS / "xor_script.json")
    enter(window, qtbot)
    lecture = window.lecture
    lecture.controller.set_granularity("neuron")
    lecture.panel.set_digits(9)
    lecture.controller.go_to(5)
    window.presentation.palette_actions["high_contrast"].trigger()
    title = lecture.controller.frame.title
    path = tmp_path / "prepared.json"
    window.files.ask_save_path = lambda suggestion: str(path)
    assert window.save_as()
    saved = json.loads(path.read_text())["lecture"]
    assert saved["active"] and saved["granularity"] == "neuron" and saved["digits"] == 9
    assert saved["step"] == 5 and saved["sample"] is None
    assert saved["palette"] == "high_contrast"
    lecture.leave()
    again = open_window(path)
    qtbot.waitUntil(lambda: again.lecture.active, timeout=TIMEOUT)
    assert again.lecture.controller.granularity == "neuron"
    assert again.lecture.controller.index == 5
    assert again.lecture.panel.digits == 9
    assert again.lecture.controller.frame.title == title
    assert again.presentation.palette_name == "high_contrast"


def test_leaving_keeps_the_set_up_for_the_next_save(open_window, qtbot, tmp_path):
    window = open_window(LESSONS / "xor_script.json")
    enter(window, qtbot)
    window.lecture.chooser.row_box.setValue(3)  # row 3 on screen: sample 2
    window.lecture.chooser.mode_box.setCurrentIndex(1)
    traced(window, qtbot, 1)
    window.lecture.leave()
    path = tmp_path / "after.json"
    window.files.ask_save_path = lambda suggestion: str(path)
    assert window.save_as()
    saved = json.loads(path.read_text())["lecture"]
    assert saved["sample"] == 2 and not saved["active"]


def test_closing_while_lecturing_remembers_the_studio_layout(qtbot, tmp_path):
    settings_file = str(tmp_path / "settings.ini")

    def make() -> MainWindow:
        settings = QSettings(settings_file, QSettings.Format.IniFormat)
        window = MainWindow(load_session(LESSONS / "mazur.json"), settings)
        window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        window.show()
        qtbot.waitUntil(lambda: window.latest is not None, timeout=TIMEOUT)
        return window

    first = make()
    enter(first, qtbot)
    first.close()
    second = make()
    try:
        assert not second.lecture.active
        assert not second.lecture.dock.isVisible() and not second.lecture.toolbar.isVisible()
        assert second.dock.isVisible() and second.controls.isVisible()
    finally:
        second.close()


def test_a_row_that_the_data_no_longer_has_falls_back_to_the_next_batch(open_window, qtbot):
    window = open_window(LESSONS / "xor_script.json")
    window.lecture.choose_row(3)
    window.lecture.choice = TraceChoice(sample=99)  # as if the data had shrunk since
    said: list[str] = []  # the message times out: it may be gone by the time the trace is
    window.statusBar().messageChanged.connect(said.append)
    enter(window, qtbot)
    assert window.lecture.choice == TraceChoice()
    assert any("row 100 is gone" in message for message in said)
    traced(window, qtbot, 4)  # the whole XOR batch


def test_going_forward_and_back_shows_identical_frames(open_window, qtbot):
    window = open_window(LESSONS / "mazur.json")
    enter(window, qtbot)
    lecture, view = window.lecture, window.network_view
    controller = lecture.controller

    def state():
        stage = view.overlay.stage
        return (lecture.panel.html(), stage.node_values, stage.edge_values, view.view_mode)

    seen = []
    for index in range(controller.count):
        controller.go_to(index)
        seen.append(state())
    for index in reversed(range(controller.count)):
        controller.go_to(index)
        assert state() == seen[index], controller.frame.title


def test_opening_a_prepared_lesson_in_a_running_window_starts_its_lecture(
    open_window, qtbot, tmp_path
):
    prepared = json.loads((LESSONS / "xor_script.json").read_text())
    prepared["lecture"] = {"active": True, "sample": 2, "granularity": "neuron", "step": 4}
    path = tmp_path / "prepared.json"
    path.write_text(json.dumps(prepared))
    window = open_window(LESSONS / "playground_default.json")
    assert not window.lecture.active
    window.files.open_path(path, wait=True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    trace = traced(window, qtbot, 1)
    np.testing.assert_array_equal(trace.x[0], window.session.dataset.x_train[2])
    assert window.lecture.controller.granularity == "neuron"
    assert window.lecture.controller.index == 4
    assert window.lecture.chooser.mode == "row" and window.lecture.chooser.row_box.value() == 3


def test_leaving_gives_the_settings_and_the_diagram_their_room_back(lesson_window, qtbot):
    window = lesson_window("playground_default", (1600, 1000))

    def widths() -> tuple[int, int]:
        return window.dock.width(), window.network_view.width()

    seen = []

    def settled() -> bool:  # the same widths after a round of the event loop
        seen.append(widths())
        return len(seen) > 1 and seen[-1] == seen[-2]

    qtbot.waitUntil(settled, timeout=TIMEOUT)  # the first layout
    before = seen[-1]
    enter(window, qtbot)
    qtbot.waitUntil(lambda: window.lecture.dock.width() > before[0], timeout=TIMEOUT)  # formulas
    window.lecture.leave()
    qtbot.waitUntil(lambda: widths() == before, timeout=TIMEOUT)


def test_training_waits_while_lecturing(open_window, qtbot):
    window = open_window(LESSONS / "xor_script.json")
    enter(window, qtbot)
    c = window.controls
    actions = (c.play_action, c.step_action, c.epoch_action, c.reset_action, c.dice_action)
    assert not any(action.isEnabled() for action in actions)
    qtbot.keyClick(window.network_view, "n")  # N would step the trainer under the trace
    with qtbot.waitSignal(window.worker.stateReady, timeout=TIMEOUT):
        window.worker.request_state()  # answered in order: a step's snapshot would come first
    assert window.latest.steps == 0
    window.lecture.leave()
    assert all(action.isEnabled() for action in actions)


def test_an_own_target_the_loss_is_not_defined_for_is_refused(open_window, qtbot):
    window = open_window(LESSONS / "vanishing_gradients.json")  # sigmoid output, bce
    enter(window, qtbot)
    traced_before = window.lecture.trace
    chooser = window.lecture.chooser
    chooser.mode_box.setCurrentIndex(2)  # an input of my own
    chooser.input_edit.setText("0.5, 0.25")
    chooser.target_edit.setText("7")
    chooser.trace_button.click()
    assert "Target: 7 is not allowed" in chooser.error.text()
    assert window.lecture.trace is traced_before  # nothing traced


def test_a_lesson_without_a_lecture_set_up_opens_at_the_default_precision(lesson_window, qtbot):
    window = lesson_window("mazur")  # its set-up: 9 decimal places, per neuron
    panel = window.lecture.panel
    assert (panel.digits, panel.decimals) == (9, True)
    window.files.open_path(LESSONS / "xor_script.json", wait=True)  # no "lecture" section
    qtbot.waitUntil(
        lambda: window.session.name != "Matt Mazur's step-by-step example", timeout=TIMEOUT
    )
    assert (panel.digits, panel.decimals) == (4, False)
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    assert window.lecture.controller.granularity == "layer"
    z = window.lecture.trace.z[0][0, 0]  # the first frame's z, at 4 significant digits
    assert format_number(z, 4, "html") in panel.html()
    assert format_number(z, Precision(9, True), "html") not in panel.html()
    window.lecture.leave()
