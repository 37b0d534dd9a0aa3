"""Lecture mode's plan, player and transport bar, on Matt Mazur's lesson."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QSlider, QToolButton, QVBoxLayout, QWidget

from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.trace.iteration import trace_next_step
from gui.lecture.controller import LectureController
from gui.lecture.plan import LecturePlan
from gui.lecture.transport import PHASE_COLORS, TransportBar
from tests import paths

LESSONS = paths.LESSONS
LAYER_ORDER = [
    ("forward", 1),
    ("forward", 2),
    ("loss", None),
    ("output_delta", 2),
    ("backward", 2),
    ("backward", 1),
    ("update", 1),
    ("update", 2),
    ("result", None),
]


@pytest.fixture(scope="module")
def trace():
    session = load_session(LESSONS / "mazur.json")
    return trace_next_step(trainer_for(session), session.labels)


@pytest.fixture
def controller(trace, qtbot):
    controller = LectureController()
    controller.set_plan(LecturePlan(trace, "layer"))
    return controller


@pytest.fixture
def bar(controller, show, qtbot):
    bar = show(TransportBar(controller), 1200, 80)
    with qtbot.waitActive(bar):
        bar.activateWindow()
    bar.setFocus()
    return bar


def _button_for(bar, action) -> QToolButton:
    (button,) = [b for b in bar.findChildren(QToolButton) if b.defaultAction() is action]
    return button


def _labelled(frame, name: str, label: str):
    (term,) = [t for t in frame.terms if t.target.name == name and t.target.label == label]
    return term


# --- the plan ---


def test_the_layer_plan_is_one_frame_per_step_in_lecture_order(trace):
    plan = LecturePlan(trace, "layer")
    assert [(f.phase, f.layer) for f in plan.frames] == LAYER_ORDER
    assert [f.index for f in plan.frames] == list(range(9))
    backward = plan[4]
    assert backward.direction == "backward" and backward.step is trace.steps[4]
    assert backward.edges == ((1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1))
    assert set(backward.neurons) == {(1, 0), (1, 1), (2, 0), (2, 1)}
    assert plan[0].direction == "forward" and plan[2].layer is None
    assert _labelled(plan[4], "dL/dw", "w5").result == pytest.approx(0.082167041, abs=1e-9)


def test_frames_hold_the_steps_own_terms(trace):
    for plan in (LecturePlan(trace, "layer"), LecturePlan(trace, "neuron")):
        for frame in plan.frames:
            own = {id(t) for t in frame.step.terms}
            assert frame.terms and all(id(t) in own for t in frame.terms)


def test_the_neuron_plan_steps_through_each_neuron(trace):
    plan = LecturePlan(trace, "neuron")
    assert len(plan) == 20 and [f.index for f in plan.frames] == list(range(20))
    assert [f.step_index for f in plan.frames] == sorted(f.step_index for f in plan.frames)
    h1 = plan[0]
    assert (h1.neurons, h1.edges, h1.part) == (((1, 0),), ((0, 0, 0), (0, 0, 1)), "neuron h1")
    assert _labelled(h1, "z", "h1").result == pytest.approx(0.3775)
    assert _labelled(h1, "a", "h1").result == pytest.approx(0.593269992, abs=1e-9)
    total = plan[6]
    assert total.part == "total" and total.terms[0].result == pytest.approx(0.298371109, abs=1e-9)
    delta_h1 = next(f for f in plan.frames if f.part == "δₕ₁")
    assert delta_h1.title == "Backward: layer 1 (hidden) · δₕ₁"  # h1 is in layer 1
    assert _labelled(delta_h1, "delta", "h1").result == pytest.approx(0.008771354, abs=1e-9)
    assert delta_h1.edges == ((1, 0, 0), (1, 1, 0)) and delta_h1.neurons[0] == (1, 0)
    w1 = next(f for f in plan.frames if f.part == "update of h1")
    assert _labelled(w1, "w", "w1").result == pytest.approx(0.149780716, abs=1e-9)


def test_the_plan_rejects_unknown_granularities_and_samples(trace):
    with pytest.raises(ValueError, match="granularity"):
        LecturePlan(trace, "edge")
    with pytest.raises(ValueError, match="samples"):
        LecturePlan(trace, "layer", sample=1)


# --- the controller ---


def test_stepping_moves_the_index_and_signals_the_frame(controller, qtbot):
    with qtbot.waitSignal(controller.frameChanged) as blocker:
        controller.next()
    assert controller.index == 1 and blocker.args == [controller.frame]
    controller.last()
    assert controller.index == 8 and controller.frame.phase == "result"
    controller.next()  # past the end: stays
    assert controller.index == 8
    controller.previous()
    assert controller.index == 7
    controller.go_to(3)
    assert controller.frame.phase == "output_delta"
    controller.first()
    controller.previous()
    assert controller.index == 0 and controller.count == 9


def test_forward_then_back_returns_identical_frames(controller, trace):
    seen = [controller.frame]
    for _ in range(controller.count - 1):
        controller.next()
        seen.append(controller.frame)
    for k in range(controller.count - 1, -1, -1):
        assert controller.frame is seen[k] and controller.frame == seen[k]
        controller.previous()
    assert LecturePlan(trace, "layer").frames == controller.plan.frames


def test_play_advances_on_its_own_and_stops_at_the_end(controller, qtbot):
    controller.set_seconds_per_frame(0.01)  # clamped to the fastest: a quarter second
    assert controller.seconds_per_frame == 0.25
    controller.go_to(5)
    shown = []
    controller.frameChanged.connect(shown.append)
    with qtbot.waitSignal(controller.playingChanged) as started:
        controller.play()
    assert started.args == [True] and controller.playing
    timer = controller._timer  # its intervals pass when the test says, not the machine
    assert timer.isActive() and timer.interval() == 250
    stopped = []
    controller.playingChanged.connect(stopped.append)
    for _ in range(3):
        assert controller.playing
        timer.timeout.emit()
    assert stopped == [False] and not controller.playing and not timer.isActive()
    assert [f.index for f in shown] == [6, 7, 8] and controller.index == 8
    controller.play()  # from the end: again from the start
    assert controller.playing and controller.index == 0
    controller.pause()


def test_switching_granularity_keeps_the_step(controller):
    controller.go_to(5)  # backward, layer 1
    controller.set_granularity("neuron")
    assert controller.count == 20 and controller.frame.part == "into h1"
    assert (controller.frame.phase, controller.frame.layer) == ("backward", 1)
    controller.go_to(12)  # backward layer 2: delta of h2
    controller.set_granularity("layer")
    assert controller.index == 4 and controller.granularity == "layer"


# --- the bar ---


def test_buttons_step_and_the_label_follows(bar, controller, qtbot):
    assert bar.title_text() == "Forward: layer 1 (hidden) — 1 / 9"
    qtbot.mouseClick(_button_for(bar, bar.next_action), Qt.MouseButton.LeftButton)
    assert controller.index == 1
    controller.go_to(4)
    assert bar.title_label.text() == "Backward: layer 2 (output) — 5 / 9"
    assert "Left" in bar.previous_action.toolTip() and "PgUp" in bar.previous_action.toolTip()


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        (Qt.Key.Key_Right, 3, 4),
        (Qt.Key.Key_PageDown, 3, 4),
        (Qt.Key.Key_Left, 3, 2),
        (Qt.Key.Key_PageUp, 3, 2),
        (Qt.Key.Key_Home, 3, 0),
        (Qt.Key.Key_End, 3, 8),
    ],
)
def test_keys_and_presenter_clickers_step(bar, controller, qtbot, key, start, end):
    controller.go_to(start)
    qtbot.keyClick(bar, key)
    assert controller.index == end


def test_the_shortcut_context_widens_to_the_window(controller, show, qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    bar = TransportBar(controller)
    other = QWidget()
    other.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    layout.addWidget(bar)
    layout.addWidget(other)
    show(window, 1200, 200)
    with qtbot.waitActive(window):
        window.activateWindow()
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_Right)
    assert controller.index == 0  # the keys belong to the bar
    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert controller.index == 1  # with focus in the bar, they step
    other.setFocus()
    bar.set_shortcut_context(Qt.ShortcutContext.WindowShortcut)
    qtbot.keyClick(other, Qt.Key.Key_Right)
    assert controller.index == 2


def test_space_plays_and_pauses(bar, controller, qtbot):
    qtbot.keyClick(bar, Qt.Key.Key_Space)
    assert controller.playing and "Pause" in bar.play_action.text()
    qtbot.keyClick(bar, Qt.Key.Key_Space)
    assert not controller.playing and "Play" in bar.play_action.text()


def test_clicking_the_strip_jumps_to_that_frame(bar, controller, qtbot):
    strip = bar.strip
    assert strip.count == 9
    target = strip.tick_rect(6).center().toPoint()
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=target)
    assert controller.index == 6
    assert strip.tick_rect(6).height() > strip.tick_rect(5).height()  # the current one stands out
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(2, strip.height() // 2))
    assert controller.index == 0


def test_the_strip_colours_each_frame_by_phase(bar, controller):
    controller.go_to(8)  # all frames shown: full colours
    colors = [bar.strip.tick_color(k).getRgb()[:3] for k in range(9)]
    expected = [PHASE_COLORS[f.phase] for f in controller.plan.frames]
    assert colors == [tuple(c) for c in expected]
    controller.first()
    assert bar.strip.tick_color(7).getRgb()[:3] != tuple(PHASE_COLORS["update"])  # to come: pale


def test_speed_slider_and_granularity_toggle_drive_the_controller(bar, controller, qtbot):
    bar.speed_slider.setValue(8)
    assert controller.seconds_per_frame == 2.0 and bar.speed_label.text() == "2 s/step"
    controller.set_seconds_per_frame(0.5)
    assert bar.speed_slider.value() == 2
    controller.go_to(4)
    qtbot.mouseClick(bar.neuron_button, Qt.MouseButton.LeftButton)
    assert controller.granularity == "neuron" and bar.strip.count == 20
    assert bar.title_text() == "Backward: layer 2 (output) · into o1 — 10 / 20"
    qtbot.mouseClick(bar.layer_button, Qt.MouseButton.LeftButton)
    assert controller.index == 4 and bar.layer_button.isChecked()


def test_every_control_has_a_tooltip(bar):
    controls = bar.findChildren(QAbstractButton) + bar.findChildren(QSlider) + [bar.strip]
    assert len(controls) == 9 and all(c.toolTip() for c in controls)


def test_a_long_title_gives_way_and_keeps_its_position_in_view(qtbot):
    from gui.presentation.title import TitleLabel

    label = TitleLabel()
    qtbot.addWidget(label)
    label.resize(260, 30)
    label.show()  # a hidden label hears of its resize only when shown
    title = "Output delta: layer 2 (output) · bug: forgetting f′(z) — 12 / 20"
    label.setText(title)
    assert label.text() == title  # the whole title, for tests and the lecturer's view
    shown = QLabel.text(label)
    assert shown.endswith(" — 12 / 20") and "…" in shown
    assert label.fontMetrics().horizontalAdvance(shown) <= 260
    label.resize(2000, 30)
    assert QLabel.text(label) == title
