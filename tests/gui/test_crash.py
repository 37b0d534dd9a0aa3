"""The app-wide exception handler: logged, shown with its details, the window still usable."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gui import crash
from gui.app import tell_restarted
from gui.crash import CrashDialog, CrashHandler, summary


def raised(error: BaseException) -> tuple:
    """(type, value, traceback) of ``error`` once raised, as sys.excepthook receives them."""
    try:
        raise error
    except BaseException:
        return sys.exc_info()


class Shown:
    """Stands in for the dialog: records what would be shown."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, message: str, details: str) -> None:
        self.calls.append((message, details))


def test_an_exception_is_logged_and_shown(tmp_path):
    handler = CrashHandler(tmp_path / "app-data")
    handler.show_dialog = shown = Shown()
    handler.handle(*raised(ValueError("the weight matrix is 3x2, not 2x3")))
    [(message, details)] = shown.calls
    assert message == "ValueError: the weight matrix is 3x2, not 2x3"
    assert "Traceback (most recent call last)" in details and "def raised" not in details
    log = (tmp_path / "app-data" / crash.LOG_NAME).read_text(encoding="utf-8")
    assert "ValueError: the weight matrix is 3x2, not 2x3" in log and "raise error" in log


def test_long_messages_are_cut_to_one_short_line():
    text = summary(RuntimeError("x\n" * 1000))
    assert len(text) == crash.SUMMARY_CHARS and "\n" not in text and text.endswith("…")
    assert summary(KeyError()) == "KeyError"


def test_the_log_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(crash, "LOG_BYTES", 2000)
    handler = CrashHandler(tmp_path)
    handler.show_dialog = Shown()
    for _ in range(50):
        handler.handle(*raised(ValueError("y" * 500)))
    logs = sorted(p.name for p in tmp_path.iterdir())
    assert logs == [crash.LOG_NAME] + [f"{crash.LOG_NAME}.{i}" for i in (1, 2, 3)]
    assert all((tmp_path / name).stat().st_size < 4000 for name in logs)


def test_without_a_folder_nothing_is_logged_but_it_is_shown():
    handler = CrashHandler(None)
    handler.show_dialog = shown = Shown()
    assert handler.log_path is None
    handler.handle(*raised(OSError("disk full")))
    assert shown.calls[0][0] == "OSError: disk full"


def test_the_dialog_copies_the_details_and_names_the_folder(qtbot, tmp_path):
    dialog = CrashDialog("ValueError: <b>bad</b>", "Traceback ...\nValueError: bad", tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.message.text() == "ValueError: <b>bad</b>"  # shown as plain text
    assert str(tmp_path) in dialog.folder.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "Traceback ...\nValueError: bad"
    assert dialog.copy_button.text() == "Copied"
    assert CrashDialog("E", "d", None).folder is None


def test_the_real_dialog_leaves_the_window_usable_and_shows_one_at_a_time(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    handler = CrashHandler(tmp_path, window)
    handler.handle(*raised(ValueError("first")))
    dialog = handler.dialog
    qtbot.waitUntil(dialog.isVisible)
    handler.handle(*raised(ValueError("second")))  # logged, no second dialog
    assert handler.dialog is dialog
    assert "second" in (tmp_path / crash.LOG_NAME).read_text(encoding="utf-8")
    assert window.isEnabled() and window.isVisible()
    dialog.reject()
    assert handler.dialog is None


def test_an_exception_in_a_slot_reaches_the_installed_handler(qtbot, tmp_path):
    handler = CrashHandler(tmp_path)
    handler.show_dialog = shown = Shown()
    before = sys.excepthook  # pytest-qt's, during the test
    handler.install()
    try:

        def slot() -> None:
            raise ZeroDivisionError("the batch is empty")

        QTimer.singleShot(0, slot)
        qtbot.waitUntil(lambda: len(shown.calls) == 1)
    finally:
        handler.uninstall()
    assert sys.excepthook is before
    assert shown.calls[0][0] == "ZeroDivisionError: the batch is empty"


def test_ctrl_c_is_passed_on(tmp_path):
    handler = CrashHandler(tmp_path)
    handler.show_dialog = shown = Shown()
    passed: list = []
    handler._previous = lambda *exc: passed.append(exc[0])
    handler.handle(*raised(KeyboardInterrupt()))
    assert passed == [KeyboardInterrupt] and not shown.calls


def test_a_restarted_training_process_is_told_without_blocking(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    tell_restarted(window, "The training process had stopped unexpectedly ...")
    box = window.findChild(QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert box.text() == "The training process had stopped unexpectedly ..."
    box.close()
