"""P draws on the stage while lecturing (the diagram takes no clicks meanwhile); the next
frame, E or leaving lecture mode clears the drawing."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

TIMEOUT = 20_000


def draw(pen, start: QPoint, end: QPoint) -> None:
    QTest.mousePress(pen, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 11):
        QTest.mouseMove(pen, start + (end - start) * (k / 10))
    QTest.mouseRelease(pen, Qt.MouseButton.LeftButton, pos=end)


def test_the_pen_draws_on_the_stage_and_the_drawing_goes_with_the_frame(lesson_window, qtbot):
    window = lesson_window("mazur", (1280, 720))
    pen_action, erase = window.presentation.pen_actions
    assert not pen_action.isEnabled()  # only while lecturing
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    assert pen_action.isEnabled() and erase.shortcut().toString() == "E"
    pen = window.presentation.pen
    pen_action.trigger()
    assert pen.drawing and not pen.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    draw(pen, QPoint(100, 100), QPoint(300, 160))
    assert len(pen.strokes) == 1 and len(pen.strokes[0]) >= 5
    image = window.network_view.viewport().grab().toImage()
    colour = image.pixelColor(200, 130)  # on the stroke: yellow over the diagram
    assert colour.red() > 200 and colour.green() > 150 and colour.blue() < 140
    window.lecture.controller.next()
    assert pen.strokes == []  # the next frame starts clean
    draw(pen, QPoint(50, 50), QPoint(60, 80))
    erase.trigger()
    assert pen.strokes == []
    pen_action.trigger()
    assert pen.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    pen_action.trigger()
    draw(pen, QPoint(50, 50), QPoint(60, 80))
    window.lecture.leave()
    assert pen.strokes == [] and not pen.drawing and not pen_action.isEnabled()
