"""Starting the GUI: the QApplication, the main window and the session it opens with."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from gui import DEFAULT_LESSON
from gui.main_window import APP_NAME, MainWindow, SessionLoadError, load_session_file

SCREENSHOT_SIZE = (1600, 1000)


def run_gui(session_path: str | None = None, screenshot: str | None = None) -> int:
    """Open the main window on `session_path` (default: the playground lesson); run the app.

    With `screenshot`, render the window at 1600x1000 into that PNG file and return without
    entering the event loop. Returns the process exit code.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1] or ["backprop-lab"])
    app.setApplicationName(APP_NAME)
    window = open_window(session_path)
    if screenshot is not None:
        return save_screenshot(window, Path(screenshot))
    window.show()
    return app.exec()


def open_window(session_path: str | Path | None = None) -> MainWindow:
    """A MainWindow on the session at `session_path`, showing the load error if there is one.

    Without a path it opens the default lesson, or the empty state while that file is missing.
    """
    window = MainWindow()
    path = DEFAULT_LESSON if session_path is None else Path(session_path)
    if session_path is None and not path.exists():
        return window
    try:
        window.set_session(load_session_file(path))
    except SessionLoadError as exc:
        window.show_load_error(path, str(exc))
    return window


def save_screenshot(window: MainWindow, path: Path) -> int:
    """Render `window` at SCREENSHOT_SIZE into the PNG file `path`; return an exit code."""
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    QApplication.processEvents()
    saved = window.grab().save(str(path), "PNG")
    window.close()
    if not saved:
        print(
            f"error: could not write the screenshot {path}; check that its folder exists.",
            file=sys.stderr,
        )
        return 1
    return 0
