"""Fixtures shared by the GUI tests (pytest-qt provides `qtbot` and `qapp`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from core.session.format import load_session
from gui import recovery
from gui.lecture import frames
from gui.main_window import MainWindow
from gui.worker import TrainingWorker
from tests import paths
from tests.clock import FakeClock


@pytest.fixture
def show(qtbot) -> Callable[[QWidget, int, int], QWidget]:
    """show(widget, width, height): the widget at that size, shown, exposed, closed after."""

    def shown(widget: QWidget, width: int, height: int) -> QWidget:
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return shown


LESSONS = paths.LESSONS


@pytest.fixture(autouse=True)
def recovery_folder(tmp_path, monkeypatch) -> Path:
    """Every window's recovery copies go to tmp_path/recovery, never the user's app data."""
    folder = tmp_path / "recovery"
    monkeypatch.setattr(recovery, "folder_override", folder)
    return folder


@pytest.fixture
def lesson_window(qtbot, tmp_path) -> Iterator[Callable[..., MainWindow]]:
    """lesson_window(lesson, size=None): a shown MainWindow on a built-in lesson (its name,
    or a session file's path), its settings in tmp_path, discarding changes when closed,
    once its first snapshot has arrived.  Every window is closed after the test (closing
    one earlier is fine) and its training process checked stopped."""
    opened: list[MainWindow] = []

    def open_lesson(lesson: str | Path, size: tuple[int, int] | None = None) -> MainWindow:
        path = Path(lesson) if isinstance(lesson, Path) else LESSONS / f"{lesson}.json"
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(load_session(path), settings)
        window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        if size is not None:
            window.resize(*size)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: window.latest is not None, timeout=20_000)
        opened.append(window)
        return window

    yield open_lesson
    for window in opened:
        window.close()
        assert not window.worker.is_running()
        for child in window.findChildren(QWidget):  # its dialogs and tool windows (the
            if child.isWindow() and child.isVisible():  # app quits with it; a test goes on)
                child.close()  # else they stay on screen and take the next tests' mouse


@pytest.fixture
def worker(qtbot) -> Iterator[TrainingWorker]:
    """A started training worker (no session loaded), shut down after the test."""
    w = TrainingWorker()
    w.start()
    yield w
    w.shutdown()
    assert not w.process.is_alive()


@pytest.fixture
def pulse_clock(monkeypatch) -> FakeClock:
    """The clock lecture mode times its pulses and morphs by (gui.lecture.frames reads
    time.monotonic), standing still until the test moves it: a motion lasts until then,
    however slowly the machine gets to look at it."""
    clock = FakeClock()
    monkeypatch.setattr(frames, "time", SimpleNamespace(monotonic=clock))
    return clock
