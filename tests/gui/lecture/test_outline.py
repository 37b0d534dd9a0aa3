"""Ctrl+G, the lecture's outline: every frame grouped by its step's heading; choosing one
goes there.  And the gradient summary beside the formulas: each layer's norms."""

from __future__ import annotations

from core.trace.iteration import layer_norms
from core.trace.notation import format_number
from gui.lecture.outline import FRAME, Outline

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
