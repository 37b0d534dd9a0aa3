"""F5, the presentation layout: full screen, the settings and the trace chooser aside, the
formulas full width under the diagram, and the lecture's type at least 4 % of the window's
height; F5 again puts everything back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from gui.diagram.cards import ValueLabel
from gui.presentation.stage_layout import EM_SHARE, em_pixels
from tests.gui.audit.test_lecture_layout import frame_problems

TIMEOUT = 20_000
# The lessons whose every frame lays out cleanly at 4 % type at 1280x720 (the denser nets'
# input names and ellipsis markers do not fit at that size yet: see the notes).
PRESENTED = ["mazur", "xor_script", "playground_default", "vanishing_gradients"]


def em_on_screen(window) -> float:
    view = window.network_view
    card = next(i for i in view.scene().items() if isinstance(i, ValueLabel))
    return em_pixels(card.font.pointSizeF(), view.logicalDpiY()) * view.transform().m11()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("lesson", PRESENTED)
def test_f5_presents_the_lecture_for_the_back_row_and_back(
    lesson_window, qtbot, monkeypatch, lesson, size
):
    window = lesson_window(lesson, size)
    full = []  # (the offscreen platform drops the full-screen state by itself; X keeps it)
    monkeypatch.setattr(window, "showFullScreen", lambda: full.append(True))
    layout = window.presentation.stage_layout
    assert layout.action.shortcut().toString() == "F5"
    settings = window.dock
    layout.action.trigger()
    assert full == [True]
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    lecture = window.lecture
    qtbot.waitUntil(
        lambda: em_on_screen(window) >= EM_SHARE * window.height() - 0.5, timeout=TIMEOUT
    )
    assert not lecture.chooser.isVisible() and not lecture.panel.digits_box.isVisible()
    assert window.dockWidgetArea(lecture.dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert not settings.isVisible() and not window.statusBar().isVisible()
    formula_em = em_pixels(lecture.panel.text.font().pointSizeF(), lecture.panel.logicalDpiY())
    assert formula_em >= EM_SHARE * window.height() - 0.5
    assert QFontMetricsF(lecture.panel.text.font()).height() >= EM_SHARE * window.height()
    for index in range(lecture.controller.count):  # every frame laid out cleanly
        lecture.controller.go_to(index)
        stage = window.network_view.overlay.stage
        assert not frame_problems(window.network_view, f"frame {index + 1}", stage)
    layout.action.trigger()
    assert not layout.on and lecture.chooser.isVisible() and window.statusBar().isVisible()
    assert window.dockWidgetArea(lecture.dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.network_view.text_scale == 1.0
    window.lecture.leave()
    assert settings.isVisible()
