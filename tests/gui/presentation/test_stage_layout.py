"""F5, the presentation layout: full screen, the settings and the trace chooser aside, the
formulas full width under the diagram, and the lecture's type at least 4 % of the window's
height; F5 again puts everything back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetricsF

from gui.diagram.cards import ValueLabel
from gui.presentation.stage_layout import EM_SHARE, em_pixels
from tests.gui.audit.test_lecture_layout import frame_problems
from tests.gui.lecture.stage_cards import LESSONS

TIMEOUT = 20_000
PRESENTED = LESSONS  # every built-in lesson lays out cleanly at 4 % type


class ScreenOfSize:
    """The window's screen, but ``size`` large: the screen F5 fills."""

    def __init__(self, screen, size: tuple[int, int]) -> None:
        self.screen, self.size = screen, size

    def geometry(self) -> QRect:
        return QRect(0, 0, *self.size)

    def __getattr__(self, name: str):
        return getattr(self.screen, name)


def em_on_screen(window) -> float:
    view = window.network_view
    card = next((i for i in view.scene().items() if isinstance(i, ValueLabel)), None)
    points = view.card_points if card is None else card.font.pointSizeF()  # (a frame of none)
    return em_pixels(points, view.logicalDpiY()) * view.transform().m11()


def formula_points_em(lecture) -> float:
    return em_pixels(lecture.panel.text.font().pointSizeF(), lecture.panel.logicalDpiY())


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("lesson", PRESENTED)
def test_f5_presents_the_lecture_for_the_back_row_and_back(
    lesson_window, qtbot, monkeypatch, lesson, size
):
    window = lesson_window(lesson, size)
    full = []  # (the offscreen platform drops the full-screen state by itself; X keeps it)
    monkeypatch.setattr(window, "showFullScreen", lambda: full.append(True))
    screen = ScreenOfSize(window.screen(), size)  # (offscreen's own is 800x800)
    monkeypatch.setattr(window, "screen", lambda: screen)
    layout = window.presentation.stage_layout
    assert layout.action.shortcut().toString() == "F5"
    settings = window.dock
    layout.action.trigger()
    assert full == [True]
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    lecture = window.lecture
    target = EM_SHARE * size[1] - 0.5
    qtbot.waitUntil(
        lambda: (
            window.height() == size[1]
            and em_on_screen(window) >= target
            and formula_points_em(lecture) >= target
        ),
        timeout=TIMEOUT,
    )
    assert not lecture.chooser.isVisible() and not lecture.panel.digits_box.isVisible()
    assert window.dockWidgetArea(lecture.dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert not settings.isVisible() and not window.statusBar().isVisible()
    assert formula_points_em(lecture) >= target
    assert QFontMetricsF(lecture.panel.text.font()).height() >= EM_SHARE * window.height()
    assert window.size().toTuple() == size
    view, controller = window.network_view, lecture.controller
    for granularity in ("layer", "neuron"):  # every frame laid out cleanly
        controller.set_granularity(granularity)
        for index in range(controller.count):
            controller.go_to(index)
            title = f"{granularity} {index + 1} {controller.frame.title}"
            assert not frame_problems(view, title, view.overlay.stage)
    layout.action.trigger()
    assert not layout.on and lecture.chooser.isVisible() and window.statusBar().isVisible()
    assert window.dockWidgetArea(lecture.dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.network_view.text_scale == 1.0
    window.lecture.leave()
    assert settings.isVisible()
