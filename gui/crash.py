"""The app-wide handler of unexpected exceptions: a dialog, a log file, a usable window.

An exception that escapes a slot, an event handler or a timer reaches ``sys.excepthook``
(PySide6 sends it there); :class:`CrashHandler` takes its place while the window runs
(gui.app.run_gui installs it; the tests leave pytest-qt's own hook in place). It writes the
traceback to a rotating log in the app-data folder, and shows a short message with a "Copy
details" button and the folder where the log and any recovery copy are.  It never quits:
the event loop goes on, so the window stays usable.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

LOG_NAME = "errors.log"
LOG_BYTES = 256 * 1024  # per file; with the backups, the log never passes about 1 MB
LOG_BACKUPS = 3
SUMMARY_CHARS = 300


def app_data_folder() -> Path | None:
    """The app's data folder (QStandardPaths.AppDataLocation: recovery copies, the error
    log), or None if the platform has none.  Needs the application's name set first."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else None


def summary(error: BaseException) -> str:
    """One short line for the dialog: the exception's type and message, cut if long."""
    text = " ".join(str(error).split())
    line = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return line if len(line) <= SUMMARY_CHARS else line[: SUMMARY_CHARS - 1] + "…"


class CrashDialog(QDialog):
    """What went wrong in a line, where the log is, and the traceback a click away."""

    def __init__(
        self, message: str, details: str, folder: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backprop Lab: something went wrong")
        self.details = details
        layout = QVBoxLayout(self)
        intro = QLabel(
            "An unexpected error happened. The window still works; if something "
            "looks wrong, save your session under a new name and restart the app."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.message = self._plain(message)
        layout.addWidget(self.message)
        self.folder = None
        if folder is not None:
            self.folder = self._plain(f"The error log and recovery copies are in: {folder}")
            layout.addWidget(self.folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setToolTip("Copy the full error report (the traceback) to the clipboard")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _plain(text: str) -> QLabel:
        """A label that shows ``text`` as it is (error messages may quote file contents)."""
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def copy_details(self) -> None:
        """Put the full report on the clipboard and say so on the button."""
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied")


class CrashHandler:
    """sys.excepthook while the window runs: log the exception, show it, carry on."""

    def __init__(self, folder: Path | None = None, parent: QWidget | None = None) -> None:
        self.folder = folder
        self.parent = parent  # the window the dialog belongs to (set once it exists)
        self.dialog: CrashDialog | None = None
        self._previous = sys.excepthook

    @property
    def log_path(self) -> Path | None:
        """The log file (rotated into .1, .2, ... when it grows), or None without a folder."""
        return None if self.folder is None else self.folder / LOG_NAME

    def install(self) -> None:
        """Handle every uncaught exception from now on."""
        self._previous = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        """Give the hook back to whoever had it before install()."""
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous

    def handle(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        """Log the exception and show it; Ctrl+C in the terminal still ends the app."""
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, error, trace)
            return
        details = "".join(traceback.format_exception(kind, error, trace))
        logged = self.log(details)
        if self.dialog is not None:
            return  # one dialog at a time: errors in a loop (a paint event) are only logged
        try:
            self.show_dialog(summary(error), details)
        except Exception:  # no dialog possible (no QApplication): the report must not vanish
            if not logged:
                print(details, file=sys.stderr)

    def log(self, details: str) -> bool:
        """Append the report to the rotating log; False if it cannot be written."""
        path = self.log_path
        if path is None:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A handler for each report, closed at once: no file stays open between errors.
            handler = RotatingFileHandler(
                path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
            )
        except OSError:
            return False
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        record = logging.LogRecord("backprop-lab", logging.ERROR, "", 0, details, None, None)
        handler.emit(record)
        handler.close()
        return True

    def show_dialog(self, message: str, details: str) -> None:
        """Show the report without blocking: the event loop, and so the window, go on."""
        self.dialog = CrashDialog(message, details, self.folder, self.parent)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self) -> None:
        """The dialog went: the next error gets one again."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
