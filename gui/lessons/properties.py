"""File > Lesson properties: the session's name, description, what to look at and what to
try, edited in a dialog and applied as one undoable step of the session model.

These are not training settings: nothing restarts.  The lengths are bounded
(core.session.guide), and a text too long is named in one sentence under the fields
while the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.session.format import Session
from core.session.guide import LessonGuide, too_long

Texts = dict[str, str]  # "name", "description", "look", "try"
KEYS = ("name", "description", "look", "try")


def texts_of(session: Session) -> Texts:
    """The session's four texts."""
    guide = session.guide or LessonGuide()
    return {
        "name": session.name,
        "description": session.description,
        "look": guide.look,
        "try": guide.try_,
    }


def put_texts(session: Session, texts: Texts) -> None:
    """Give ``session`` these texts (an empty look and try leave no guide to save)."""
    session.name, session.description = texts["name"], texts["description"]
    session.guide = LessonGuide(texts["look"], texts["try"])


def problem(texts: Texts) -> str | None:
    """What keeps ``texts`` from being the lesson's, in one sentence; None if nothing."""
    if not texts["name"].strip():
        return "The lesson needs a name; type one."
    for key in KEYS:
        reason = too_long(key, texts[key])
        if reason:
            return reason
    return None


class TextsEdit(QUndoCommand):
    """One edit of the lesson's texts; ``shown()`` is called after each redo and undo."""

    def __init__(self, model, before: Texts, after: Texts, shown: Callable[[], None]) -> None:
        super().__init__("Edit the lesson's properties")
        self.model, self.before, self.after, self.shown = model, before, after, shown

    def redo(self) -> None:
        put_texts(self.model.session, self.after)
        self.shown()

    def undo(self) -> None:
        put_texts(self.model.session, self.before)
        self.shown()


class PropertiesDialog(QDialog):
    """The four texts in fields; OK keeps the dialog open while one is not allowed."""

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lesson properties")
        self.name = QLineEdit(texts["name"])
        self.description = self._field(texts["description"], "What the lesson shows")
        self.look = self._field(texts["look"], "What to look at while it trains, and what it shows")
        self.try_ = self._field(texts["try"], "What to change next, and what happens then")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        form.addRow("&Look at", self.look)
        form.addRow("&Try", self.try_)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a00000;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("Shown when the lesson opens and under Help > About this lesson.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 520)

    @staticmethod
    def _field(text: str, tip: str) -> QPlainTextEdit:
        field = QPlainTextEdit(text)
        field.setPlaceholderText(tip)
        field.setToolTip(tip)
        field.setTabChangesFocus(True)  # Tab moves on, as in the other fields
        return field

    def texts(self) -> Texts:
        """The texts as typed."""
        return {
            "name": self.name.text(),
            "description": self.description.toPlainText(),
            "look": self.look.toPlainText(),
            "try": self.try_.toPlainText(),
        }

    def accept(self) -> None:
        """Close with the texts, unless one is not allowed: then say which and stay."""
        reason = problem(self.texts())
        if reason:
            self.error.setText(reason)
            self.error.show()
            return
        super().accept()
