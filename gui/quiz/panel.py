"""The quiz's panel above the equations: the question, the answer box, Check and Hint.

It only shows and asks; gui.quiz.coach decides what.  Every text is plain text (a lesson's
labels come from its file).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

COLOURS = {"right": "#1a7f37", "close": "#9a6700", "wrong": "#cf222e", "invalid": "#cf222e"}
COLOURS |= {"info": "#444444"}


def _plain(label: QLabel, wrap: bool = True) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class QuizPanel(QFrame):
    """The question, a line to type the answer, Check, Hint and Show answer; the verdict,
    the hints taken so far and the score."""

    checked = Signal(str)  # the typed text
    hintRequested = Signal()
    answerRequested = Signal()
    nextRequested = Signal()  # Enter with the frame's questions done

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quiz_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = _plain(QLabel("Quiz"), wrap=False)
        self.score = _plain(QLabel(""))
        self.score.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.question = _plain(QLabel(""), wrap=False)
        self.answer = QLineEdit()
        self.answer.setPlaceholderText("your answer, e.g. 0.1385")
        self.answer.setAccessibleName("Your answer")
        self.answer.setToolTip(
            "Type the value to the digits the panel shows (0.1385, -1e-3, .5 or 0,5); "
            "Enter checks it"
        )
        self.answer.returnPressed.connect(self._on_return)
        self.check_button = QPushButton("&Check")
        self.check_button.clicked.connect(self._on_check)
        self.hint_button = QPushButton("&Hint")
        self.hint_button.setToolTip("First the formula, then the formula with the numbers")
        self.hint_button.clicked.connect(self.hintRequested)
        self.show_button = QPushButton("Show &answer")
        self.show_button.setToolTip("The answer, and on to the next question (not scored)")
        self.show_button.clicked.connect(self.answerRequested)
        QShortcut(QKeySequence("Ctrl+H"), self.answer, self.hintRequested.emit)
        self.verdict = _plain(QLabel(""))
        self.hints = _plain(QLabel(""))
        self.hints.setStyleSheet("color:#333")
        for label in (self.verdict, self.hints):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.score, 1)
        ask = QHBoxLayout()
        ask.addWidget(self.question)
        ask.addWidget(self.answer, 1)
        buttons = QHBoxLayout()
        for button in (self.check_button, self.hint_button, self.show_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(ask)
        layout.addLayout(buttons)
        layout.addWidget(self.verdict)
        layout.addWidget(self.hints)
        self.done = False

    def set_point_size(self, points: int) -> None:
        """The question and the answer in ``points``-point type, the rest (heading,
        buttons, verdict, hints) in type about three quarters that size."""
        small = max(self.font().pointSize(), round(points * 0.72))
        for widget in self.findChildren(QWidget):
            font = QFont(widget.font())
            font.setPointSize(points if widget in (self.question, self.answer) else small)
            font.setBold(widget is self.heading)
            widget.setFont(font)

    def ask(self, heading: str, question: str) -> None:
        """Ask ``question`` ('z₁¹ = ?') under ``heading``; the box empty, the hints gone."""
        self.done = False
        self.heading.setText(heading)
        self.question.setText(question)
        self.answer.clear()
        self.answer.setEnabled(True)
        for button in (self.check_button, self.hint_button, self.show_button):
            button.setEnabled(True)
        self.hints.clear()
        self.answer.setFocus()

    def finish(self, heading: str, text: str, after: bool = False) -> None:
        """Nothing more to ask here: ``text`` says so (and the score of the step); ``after``
        an answer: under its verdict."""
        self.done = True
        self.heading.setText(heading)
        self.question.setText("")
        self.answer.clear()
        self.answer.setEnabled(True)  # Enter goes on to the next frame
        for button in (self.check_button, self.hint_button, self.show_button):
            button.setEnabled(False)
        if after and self.verdict.text():
            self.verdict.setText(f"{self.verdict.text()}\n{text}")
        else:
            self.say("info", text)

    def say(self, outcome: str, text: str) -> None:
        """The verdict (right, close, wrong, invalid, info), coloured."""
        self.verdict.setStyleSheet(f"color:{COLOURS.get(outcome, '#444444')}")
        self.verdict.setText(text)

    def add_hint(self, text: str) -> None:
        """One more hint under the others."""
        shown = self.hints.text()
        self.hints.setText(f"{shown}\n{text}" if shown else text)

    def set_score(self, text: str) -> None:
        """The running score, top right."""
        self.score.setText(text)

    @Slot()
    def _on_check(self) -> None:
        self.checked.emit(self.answer.text())

    @Slot()
    def _on_return(self) -> None:
        if self.done:
            self.nextRequested.emit()
        else:
            self._on_check()
