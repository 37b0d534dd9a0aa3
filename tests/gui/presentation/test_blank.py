"""B and W blank the window, as presentation software does; any key or click brings it back
and does nothing else (the lecture stays on its frame)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

TIMEOUT = 20_000


@pytest.fixture
def window(lesson_window):
    return lesson_window("mazur", (1280, 720))


def press(window, qtbot, key) -> None:
    with qtbot.waitActive(window):
        window.activateWindow()
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key)


@pytest.mark.parametrize(("key", "colour"), [(Qt.Key.Key_B, (0, 0, 0)), (Qt.Key.Key_W, (255,) * 3)])
def test_a_key_blanks_the_lecture_and_any_key_brings_it_back(window, qtbot, key, colour) -> None:
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    controller, blank = window.lecture.controller, window.presentation.blank_screen
    controller.go_to(3)
    press(window, qtbot, key)
    assert blank.blanked and blank.geometry() == window.rect()
    picture = window.grab().toImage()
    centre = picture.pixelColor(window.width() // 2, window.height() // 2)
    assert centre.getRgb()[:3] == colour
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)  # would step, were it shown
    assert not blank.blanked and controller.index == 3
    press(window, qtbot, key)
    qtbot.mouseClick(blank, Qt.MouseButton.LeftButton)
    assert not blank.blanked and controller.index == 3


def test_the_blank_follows_the_windows_size_and_is_listed(window) -> None:
    actions = window.presentation.blank_actions
    assert [a.shortcut().toString() for a in actions] == ["B", "W"]
    actions[0].trigger()
    window.resize(1000, 600)
    QApplication.processEvents()
    assert window.presentation.blank_screen.geometry() == window.rect()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert set(actions) <= set(view_menu.actions())
