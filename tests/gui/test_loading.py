"""Opening a file never blocks the window: the file is read in a worker thread, a busy dialog
appears only when that takes a while, its Cancel keeps the window on its session, and errors
still come as the plain-text message box."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

from core.session.format import load_session
from gui import files
from gui.app import open_window
from tests import paths
from tests.gui.test_opening import trains_its_own_session

TIMEOUT = 20_000
MAZUR = paths.LESSONS / "mazur.json"


@pytest.fixture
def window(lesson_window):
    """A window on the Playground lesson, collecting its error messages."""
    w = lesson_window("playground_default")
    w.errors = []
    w.files.show_error = lambda title, text: w.errors.append(text)
    return w


@pytest.fixture
def blocked(monkeypatch):
    """open_session made to wait for ``release`` (set it to let the read go on); records
    the threads it ran on.  Released after the test in any case, so no thread is left."""
    release, threads = threading.Event(), []

    def read(path, allow_outside=False):
        threads.append(threading.get_ident())
        release.wait(60)
        return load_session(path, allow_outside)

    monkeypatch.setattr(files, "open_session", read)
    yield release, threads
    release.set()


def test_a_slow_read_leaves_the_gui_thread_free_and_then_shows_the_session(window, blocked, qtbot):
    release, threads = blocked
    old = window.session
    assert window.files.open_path(MAZUR, remember=False) is None  # returns at once
    fired = []
    QTimer.singleShot(10, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired and threads), timeout=TIMEOUT)  # the event loop runs
    assert threads[0] != threading.get_ident()  # the read is on another thread
    loader = window.files.loader
    qtbot.waitUntil(lambda: bool(loader.dialog and loader.dialog.isVisible()), timeout=TIMEOUT)
    assert window.session is old and loader.busy
    release.set()
    qtbot.waitUntil(lambda: window.session.name.startswith("Matt Mazur"), timeout=TIMEOUT)
    assert loader.dialog is None and not loader.busy and not window.errors
    trains_its_own_session(window, qtbot)


def test_cancel_ignores_the_result_and_the_window_stays_on_its_session(window, blocked, qtbot):
    release, _ = blocked
    old, loads = window.session, window.worker.loads
    window.files.open_path(MAZUR, remember=False)
    loader = window.files.loader
    qtbot.waitUntil(lambda: bool(loader.dialog and loader.dialog.isVisible()), timeout=TIMEOUT)
    loader.dialog.findChild(QPushButton).click()  # Cancel
    assert not loader.busy and loader.dialog is None and loader.pending == 1
    release.set()
    qtbot.waitUntil(lambda: loader.pending == 0, timeout=TIMEOUT)  # the result came: ignored
    assert window.session is old and window.worker.loads == loads and not window.errors
    assert str(MAZUR.resolve()) not in window.files.recent()
    trains_its_own_session(window, qtbot)


def test_a_newer_open_supersedes_one_still_reading(window, blocked, qtbot):
    release, threads = blocked
    window.files.open_path(MAZUR, remember=False)
    window.files.open_path(paths.LESSONS / "xor_script.json", remember=False)
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=TIMEOUT)
    release.set()
    qtbot.waitUntil(lambda: window.files.loader.pending == 0, timeout=TIMEOUT)
    assert window.session.path == paths.LESSONS / "xor_script.json"


def test_wait_returns_once_the_session_is_shown(window):
    assert window.files.open_path(MAZUR, remember=False, wait=True) is window.session
    assert window.files.open_path(MAZUR.parent / "missing.json", wait=True) is None
    assert "cannot read the file" in window.errors[0]


def test_errors_still_come_as_a_plain_text_message_box(lesson_window, tmp_path, monkeypatch):
    window = lesson_window("playground_default")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    bad = tmp_path / "<b>bad<i>.json"
    bad.write_text("{ not json", encoding="utf-8")
    assert window.files.open_path(bad, wait=True) is None
    assert len(shown) == 1 and shown[0].textFormat() == Qt.TextFormat.PlainText
    assert shown[0].windowTitle() == "Open session" and "<b>bad<i>.json" in shown[0].text()
    assert window.session.name.startswith("Playground")


def test_error_messages_are_bounded():
    assert files.bounded("x\n" * 100).count("\n") == files.MAX_LINES - 1
    assert len(files.bounded("y" * 50_000)) == files.MAX_CHARS


def test_a_file_given_at_launch_is_read_after_the_window_exists(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = open_window(str(MAZUR), settings)
    try:
        window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        assert window.session.name.startswith("Playground")  # the file is still being read
        qtbot.waitUntil(lambda: window.session.name.startswith("Matt Mazur"), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: window.latest.run == window.worker.loads, timeout=TIMEOUT)
    finally:
        window.close()
    assert not window.worker.is_running()


def test_a_broken_file_given_at_launch_leaves_the_default_lesson(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    window = open_window(str(bad), settings)
    try:
        errors = []
        window.files.show_error = lambda title, text: errors.append(text)
        qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)
        assert "JSON object" in errors[0] and window.session.name.startswith("Playground")
    finally:
        window.close()
    assert not window.worker.is_running()
