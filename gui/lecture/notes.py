"""Speaker notes and the lecturer's view.

Notes are written per frame (keyed by the frame's title, so they survive a new trace of
the same lesson) and saved in the session's lecture set-up.  The lecturer's view is a window
of its own, for the lecturer's screen, never the projected one: the frame now with its
note (editable), and the next frame with its formulas.  With two screens it opens on the
one the main window is not on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.lecture.controller import LectureController
from gui.lecture.equation_panel import terms_html
from gui.lecture.plan import Frame

if TYPE_CHECKING:
    from gui.model import SessionModel

NOTE_POINTS = 14


class LecturerView(QWidget):
    """The window: now (title, note), next (title, formulas)."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host, Qt.WindowType.Window)  # a window of its own, gone with the host
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setWindowTitle("Lecturer's view — Backprop Lab")
        font = QFont()
        font.setPointSize(NOTE_POINTS)
        self.now = QLabel()
        self.now.setTextFormat(Qt.TextFormat.PlainText)  # titles come from the trace
        self.now.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Your notes for this frame: saved with the session")
        self.next = QLabel()
        self.next.setTextFormat(Qt.TextFormat.PlainText)
        self.next.setWordWrap(True)
        self.formulas = QTextBrowser()
        layout = QVBoxLayout(self)
        for widget, stretch in ((self.now, 0), (self.note, 2), (self.next, 0), (self.formulas, 1)):
            widget.setFont(font)
            layout.addWidget(widget, stretch)
        self.resize(720, 640)


class SpeakerNotes(QObject):
    """The notes of the lesson's frames (``notes``: title -> text) and the lecturer's view
    of ``controller``'s frames; an edit marks ``model``'s session unsaved."""

    def __init__(self, controller: LectureController, model: SessionModel, host: QWidget):
        super().__init__(host)
        self.controller, self.model, self.host = controller, model, host
        self.notes: dict[str, str] = {}
        self.view = LecturerView(host)
        host.installEventFilter(self)  # the host closes: so does the lecturer's view
        self.view.note.textChanged.connect(self._on_edit)
        self._showing = False  # filling the editor, not the user typing
        self.action = QAction("Lecturer's &view with speaker notes", host)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.action.setToolTip("Notes per frame and the next frame, in a window of its own")
        self.action.toggled.connect(self.set_shown)
        controller.frameChanged.connect(self.show_frame)

    def take(self, notes: dict[str, str]) -> None:
        """A newly opened session's notes."""
        self.notes = dict(notes)
        self.show_frame(self.controller.frame)

    @Slot(bool)
    def set_shown(self, on: bool) -> None:
        """Open the lecturer's view (on another screen if there is one) or close it."""
        if not on:
            self.view.hide()
            return
        screens = QApplication.screens()
        here = self.host.screen()
        others = [s for s in screens if s is not here]
        if others:
            self.view.move(others[0].availableGeometry().topLeft())
        self.view.show()
        self.show_frame(self.controller.frame)

    @Slot(object)
    def show_frame(self, frame: Frame | None) -> None:
        """The frame now and its note; the next frame and its formulas."""
        view, plan = self.view, self.controller.plan
        self._showing = True
        try:
            if frame is None or plan is None:
                view.now.setText("No lecture: enter lecture mode (Ctrl+L)")
                view.note.setPlainText("")
                view.note.setEnabled(False)
                view.next.setText("")
                view.formulas.setHtml("")
                return
            count = len(plan.frames)
            view.now.setText(f"Now {frame.index + 1} / {count}: {frame.title}")
            view.note.setEnabled(True)
            view.note.setPlainText(self.notes.get(frame.title, ""))
            following = plan.frames[frame.index + 1] if frame.index + 1 < count else None
            if following is None:
                view.next.setText("Next: the end of the step")
                view.formulas.setHtml("")
            else:
                view.next.setText(f"Next {following.index + 1} / {count}: {following.title}")
                view.formulas.setHtml(terms_html("", following.terms, 4))
        finally:
            self._showing = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.host and event.type() == QEvent.Type.Close:
            self.action.setChecked(False)
        return False

    @Slot()
    def _on_edit(self) -> None:
        frame = self.controller.frame
        if self._showing or frame is None:
            return
        text = self.view.note.toPlainText()
        if text:
            self.notes[frame.title] = text
        else:
            self.notes.pop(frame.title, None)
        self.model.undo_stack.resetClean()  # unsaved until saved (the editor undoes typing)
