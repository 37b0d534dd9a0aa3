"""Starting the GUI: the QApplication, the main window and the session it opens with.

Here, and only here, the app meets the desktop: its name and icon (window, task bar,
desktop file), the handler of unexpected exceptions (gui.crash) and the message when the
training process had to be started again (gui.worker).
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.session.format import SessionError
from core.session.lessons import DEFAULT_LESSON
from gui.crash import CrashHandler, app_data_folder
from gui.files import open_session
from gui.main_window import APP_NAME, MainWindow
from gui.recovery import mark_restored, offer_recovery

SCREENSHOT_SIZE = (1600, 1000)
DESKTOP_FILE = "backprop-lab"  # backprop-lab.desktop: how task bars match windows to entries
ICON = "icons/backprop-lab.png"  # in the resources package


def app_icon() -> QIcon:
    """The app's icon, from the resources shipped with it (a null icon if it is missing)."""
    return QIcon(str(files("resources") / ICON))


def application() -> QApplication:
    """The QApplication (made once), named and with its icon, for the window and task bar."""
    app = QApplication.instance() or QApplication(sys.argv[:1] or ["backprop-lab"])
    QCoreApplication.setOrganizationName("Backprop Lab")
    QCoreApplication.setApplicationName(APP_NAME)  # also where QSettings keeps preferences
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    app.setWindowIcon(app_icon())
    return app


def run_gui(
    session_path: str | None = None,
    screenshot: str | None = None,
    train_epochs: int = 0,
    settings: QSettings | None = None,
) -> int:
    """Open the main window (see open_window: ``session_path`` is read once the window is up,
    in a worker thread); run the app.

    With ``screenshot``, train ``train_epochs`` epochs, render the window at
    1600x1000 into that PNG file and return without entering the event loop.
    Returns the process exit code.
    """
    app = application()
    if screenshot is not None:  # no event loop: the file is read here and now
        try:
            session = open_session(session_path or DEFAULT_LESSON)
        except SessionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return save_screenshot(MainWindow(session, settings), Path(screenshot), train_epochs)
    try:
        window = open_window(session_path, settings)
    except SessionError as exc:  # the built-in lesson itself: a broken installation
        print(f"error: {exc}", file=sys.stderr)
        return 2
    window.worker.restarted.connect(lambda note: tell_restarted(window, note))
    # Only around the event loop: tests and --screenshot keep Python's (or pytest-qt's) hook.
    crashes = CrashHandler(app_data_folder(), window)
    crashes.install()
    try:
        window.show()
        return app.exec()
    finally:
        crashes.uninstall()


def open_window(session_path: str | None, settings: QSettings | None = None) -> MainWindow:
    """The main window on the default lesson (or on work a crash left, if the user takes
    it), then ``session_path`` opened in it like File > Open: read in a worker thread once
    the event loop runs, a problem shown in a message box over the default lesson.  Raises
    SessionError if the default lesson cannot be read."""
    restored = offer_recovery(None)  # work a crash left
    window = MainWindow(restored or open_session(DEFAULT_LESSON), settings)
    if restored is not None:
        mark_restored(window)  # shown unsaved until saved
    elif session_path:
        window.files.open_path(session_path, remember=False)
    return window


def tell_restarted(window: QWidget, note: str) -> None:
    """Say, without blocking the window, that the training process was started again."""
    box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, note, parent=window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def save_screenshot(window: MainWindow, path: Path, train_epochs: int = 0) -> int:
    """Train, render ``window`` at SCREENSHOT_SIZE into the PNG ``path``; an exit code."""
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    if train_epochs:
        window.train_now(train_epochs)
    for _ in range(5):  # let the layouts and pyqtgraph settle
        QApplication.processEvents()
    saved = window.grab().save(str(path), "PNG")
    window.setWindowModified(False)
    window.close()
    if not saved:
        print(f"error: could not write the screenshot {path}; check its folder.", file=sys.stderr)
        return 1
    return 0
