"""The main window: for now, what the open session is and a way to open another one."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from gui import LESSONS_DIR

if TYPE_CHECKING:
    from core.session import Session

APP_NAME = "Backprop Lab"
NOTE = (
    "The interactive network view arrives with the main-window release; meanwhile train from "
    "the command line: <code>python main.py train SESSION</code>"
)
COLUMN_WIDTH = 880  # Lines of ~80-100 characters at the body size read best.


class SessionLoadError(Exception):
    """A session file could not be opened; the message is one sentence for the user."""


def load_session_file(path: str | Path) -> Session:
    """Load a session with core.session.load_session; every failure becomes a SessionLoadError."""
    try:
        # Imported late, so the window still opens (and says why) if core.session is broken.
        from core.session import SessionError, load_session
    except Exception as exc:
        raise SessionLoadError(
            f"The session loader (core.session) is unavailable: {type(exc).__name__}: {exc}."
        ) from exc
    try:
        return load_session(path)
    except SessionError as exc:
        raise SessionLoadError(str(exc)) from exc
    except OSError as exc:
        raise SessionLoadError(f"Could not read {path}: {exc.strerror or exc}.") from exc
    except Exception as exc:
        traceback.print_exc()
        raise SessionLoadError(
            f"Loading {path} failed with {type(exc).__name__}: {exc} (a bug in Backprop Lab; "
            "please report it with the file)."
        ) from exc


def describe_network(session: Session) -> str:
    """The network of `session` in one line, e.g. "2 → 4 → 2 → 1, tanh / tanh / tanh, loss mse"."""
    layers = " → ".join(str(n) for n in session.network.layers)
    activations = " / ".join(session.network.activation_names)
    return f"{layers}, {activations}, loss {session.loss}"


def _label(point_size: int, *, bold: bool = False, muted: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # session text is data, never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = QFont(label.font())
    font.setPointSize(point_size)
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    if muted:
        # A translucent text colour stays readable on light and dark themes alike.
        palette = label.palette()
        color = palette.color(QPalette.ColorRole.WindowText)
        color.setAlphaF(0.68)
        palette.setColor(QPalette.ColorRole.WindowText, color)
        label.setPalette(palette)
    return label


class MainWindow(QMainWindow):
    """The application window: shows the open session and lets the user open another."""

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session: Session | None = None
        self.name_label = _label(26, bold=True)
        self.description_label = _label(14, muted=True)
        self.network_label = _label(17)
        self.note_label = _label(12, muted=True)
        self.note_label.setTextFormat(Qt.TextFormat.RichText)  # our own text, for the <code>
        self.note_label.setText(NOTE)
        self.setCentralWidget(self._build_page())
        self._build_menus()
        self.resize(1200, 760)
        self.set_session(session)

    def _build_page(self) -> QWidget:
        self.network_section = QWidget()
        section = QVBoxLayout(self.network_section)
        section.setContentsMargins(0, 28, 0, 0)
        section.setSpacing(8)
        caption = _label(10, bold=True, muted=True)
        caption.setText("NETWORK")
        section.addWidget(caption)
        section.addWidget(self.network_label)
        rule = QFrame(frameShape=QFrame.Shape.HLine, frameShadow=QFrame.Shadow.Sunken)

        column = QWidget()
        column.setMaximumWidth(COLUMN_WIDTH)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.name_label)
        layout.addWidget(self.description_label)
        layout.addWidget(self.network_section)
        layout.addSpacing(32)
        layout.addWidget(rule)
        layout.addSpacing(8)
        layout.addWidget(self.note_label)
        layout.addStretch(1)  # spare height goes below the text, never between the lines

        # The column takes the width it can up to COLUMN_WIDTH; the side stretches centre it.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(64, 72, 64, 48)
        outer.addLayout(row)
        outer.addStretch(1)
        return page

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open…", self)
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.triggered.connect(self.choose_and_open_session)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        # close() rather than QApplication.quit(), so that closeEvent can clean up.
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

    def _show_page(self, heading: str, body: str, network: str | None = None) -> None:
        self.name_label.setText(heading)
        self.description_label.setText(body)
        self.description_label.setVisible(bool(body))
        self.network_label.setText(network or "")
        self.network_section.setVisible(network is not None)

    def set_session(self, session: Session | None) -> None:
        """Show `session`, or the empty state when it is None."""
        self.session = session
        if session is None:
            self.setWindowTitle(APP_NAME)
            self._show_page("No session loaded", "Open a session file with File → Open… (Ctrl+O).")
            return
        self.setWindowTitle(f"{APP_NAME} — {session.name}")
        self._show_page(session.name, session.description, describe_network(session))

    def show_load_error(self, path: str | Path, message: str) -> None:
        """Show, in place of a session, why the session at `path` could not be opened."""
        self.session = None
        self.setWindowTitle(APP_NAME)
        self._show_page(f"Could not open {Path(path).name}", message)

    def open_session(self, path: str | Path) -> bool:
        """Load the session at `path` and show it; on failure say why in a message box."""
        try:
            session = load_session_file(path)
        except SessionLoadError as exc:
            QMessageBox.warning(self, "Could not open the session", str(exc))
            return False
        self.set_session(session)
        return True

    @Slot()
    def choose_and_open_session(self) -> None:
        """Ask for a session file (File → Open…) and open it."""
        start = str(LESSONS_DIR) if LESSONS_DIR.is_dir() else ""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open session", start, "Sessions (*.json);;All files (*)"
        )
        if path:
            self.open_session(path)
