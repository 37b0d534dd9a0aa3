"""Ctrl+G, the lecture's outline: every frame grouped by its step's heading; choosing one
goes there.  And the gradient summary beside the formulas: each layer's norms."""

from __future__ import annotations

from core.trace.iteration import layer_norms
from core.trace.notation import format_number
from gui.lecture.outline import FRAME, Outline, detail_menu
from gui.lecture.plan import LecturePlan

TIMEOUT = 20_000


def test_the_outline_lists_every_frame_by_heading_and_jumps(lesson_window, qtbot) -> None:
    window = lesson_window("mazur")
    action = next(
        a for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()
        if a.shortcut().toString() == "Ctrl+G"
    )  # fmt: skip
    assert not action.isEnabled()  # no step traced yet
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    assert action.isEnabled()
    controller = window.lecture.controller
    controller.go_to(4)
    outline = Outline(controller, window)
    qtbot.addWidget(outline)
    tree = outline.tree
    groups = [tree.topLevelItem(g) for g in range(tree.topLevelItemCount())]
    rows = [g.child(c) for g in groups for c in range(g.childCount())]
    assert len(rows) == controller.count == 20
    assert [r.data(0, FRAME) for r in rows] == list(range(20))
    assert groups[0].text(0) == "Forward: layer 1 (hidden)" and groups[0].childCount() == 2
    assert tree.currentItem().data(0, FRAME) == 4  # opens on the frame shown
    hidden_delta = next(r for r in rows if "δₕ₁" in r.text(0))
    outline._go(hidden_delta)
    assert controller.index == hidden_delta.data(0, FRAME) == 11
    assert not outline.isVisible()
    outline = Outline(controller, window)
    qtbot.addWidget(outline)
    outline._go(outline.tree.topLevelItem(0))  # a heading: its first frame
    assert controller.index == 0


def test_the_gradient_summary_shows_each_layers_norms_while_lecturing(lesson_window, qtbot):
    window = lesson_window("vanishing_gradients")
    summary = window.lecture.gradients
    assert not summary.isVisible()
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    assert summary.isVisible()
    expected = layer_norms(window.lecture.controller.plan.trace)
    assert summary.norms == expected and len(summary.rows()) == 7
    assert summary.rows()[0][0] == "layer 1" and summary.rows()[0][2] == format_number(
        expected[0][1], 4
    )
    summary.grab()  # paints
    window.presentation.stage_layout.set_on(True)
    assert not summary.isVisible()  # the presentation layout gives the room to the formulas
    window.presentation.stage_layout.set_on(False)
    assert summary.isVisible()
    window.lecture.leave()
    assert not summary.isVisible()


def test_a_per_layer_lecture_can_go_neuron_by_neuron_in_chosen_layers(lesson_window, qtbot):
    window = lesson_window("vanishing_gradients")
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    controller = window.lecture.controller
    assert controller.granularity == "layer" and controller.detail == ()
    whole = len(controller.plan.frames)
    trace = controller.plan.trace
    by_step = {}
    for frame in LecturePlan(trace, "neuron").frames:
        by_step[frame.step_index] = by_step.get(frame.step_index, 0) + 1
    layer_1 = [k for k, step in enumerate(trace.steps) if step.layer == 1]
    controller.go_to(len(controller.plan.frames) - 1)  # the last step stays in view
    last_step = controller.frame.step_index
    menu = detail_menu(window, controller)
    layer_action = next(a for a in menu.actions() if a.text() == "Layer 1")
    layer_action.trigger()
    assert controller.detail == (1,)
    plan = controller.plan
    assert len(plan.frames) == whole - len(layer_1) + sum(by_step[k] for k in layer_1)
    for frame in plan.frames:
        expected = by_step[frame.step_index] if frame.step_index in layer_1 else 1
        assert sum(f.step_index == frame.step_index for f in plan.frames) == expected
    assert controller.frame.step_index == last_step
    assert window.lecture.setup().detail == (1,)
    assert window.lecture.setup().to_dict()["detail"] == [1]
    layer_action.trigger()
    assert controller.detail == () and len(controller.plan.frames) == whole
    assert "detail" not in window.lecture.setup().to_dict()
