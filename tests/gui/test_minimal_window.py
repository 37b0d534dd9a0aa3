"""The minimal main window: it shows the session it is given and survives bad files."""

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QMessageBox

import gui.main_window
from gui.app import open_window, run_gui
from gui.main_window import MainWindow, describe_network


def test_window_shows_the_session(qtbot, fake_session) -> None:
    window = MainWindow(fake_session)
    qtbot.addWidget(window)
    window.show()

    assert window.name_label.text() == "XOR by hand"
    assert "XOR by hand" in window.windowTitle()
    assert window.description_label.text() == fake_session.description
    assert window.network_label.text() == "2 → 4 → 2 → 1, tanh / tanh / tanh, loss mse"
    assert window.network_section.isVisible()
    assert "python main.py train SESSION" in window.note_label.text()


def test_describe_network_follows_the_session(fake_session) -> None:
    fake_session.network.layers = [3, 1]
    fake_session.network.activation_names = ["sigmoid"]
    fake_session.loss = "bce"
    assert describe_network(fake_session) == "3 → 1, sigmoid, loss bce"


def test_window_without_session_says_so(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    assert window.name_label.text() == "No session loaded"
    assert window.windowTitle() == "Backprop Lab"
    assert not window.network_section.isVisible()


def test_opening_a_session_updates_the_window(qtbot, fake_session, monkeypatch) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    monkeypatch.setattr(gui.main_window, "load_session_file", lambda path: fake_session)

    assert window.open_session("xor.json")
    assert window.session is fake_session
    assert window.windowTitle() == "Backprop Lab — XOR by hand"


def test_a_file_that_fails_to_open_is_reported_in_a_message_box(
    qtbot, tmp_path, monkeypatch
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args))

    assert not window.open_session(tmp_path / "missing.json")
    assert len(warnings) == 1
    assert window.session is None


def test_a_bad_startup_session_is_shown_in_the_window(qtbot, tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    window = open_window(broken)
    qtbot.addWidget(window)

    assert window.name_label.text() == "Could not open broken.json"
    assert window.description_label.text()
    assert window.session is None


def test_file_menu_shortcuts(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_action.shortcut() == QKeySequence("Ctrl+O")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")

    window.quit_action.trigger()
    assert not window.isVisible()


def test_screenshot_is_a_1600_by_1000_png(qapp, tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    assert run_gui(screenshot=str(path)) == 0

    ratio = qapp.primaryScreen().devicePixelRatio()
    image = QImage(str(path))
    assert image.size() == QSize(round(1600 * ratio), round(1000 * ratio))
