"""Starting the GUI: the QApplication, the main window and the session it opens with."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from core.session.format import SessionError
from core.session.lessons import DEFAULT_LESSON
from gui.files import open_session
from gui.main_window import APP_NAME, MainWindow

SCREENSHOT_SIZE = (1600, 1000)


def run_gui(
    session_path: str | None = None,
    screenshot: str | None = None,
    train_epochs: int = 0,
    settings: QSettings | None = None,
) -> int:
    """Open the main window on ``session_path`` (default: the Playground lesson); run the app.

    With ``screenshot``, train ``train_epochs`` epochs, render the window at
    1600x1000 into that PNG file and return without entering the event loop.
    Returns the process exit code.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1] or ["backprop-lab"])
    QCoreApplication.setOrganizationName("Backprop Lab")
    QCoreApplication.setApplicationName(APP_NAME)
    try:
        session = open_session(session_path or DEFAULT_LESSON)
    except SessionError as exc:
        if screenshot is not None or session_path is None:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        QMessageBox.warning(None, APP_NAME, f"{exc}\n\nOpening the default lesson instead.")
        session = open_session(DEFAULT_LESSON)
    window = MainWindow(session, settings)
    if screenshot is not None:
        return save_screenshot(window, Path(screenshot), train_epochs)
    window.show()
    return app.exec()


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
