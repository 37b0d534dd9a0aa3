"""New exercise: a fresh small network and sample from a seed, opened in lecture mode
with the quiz on (core.quiz.exercise draws it; the same seed gives the same exercise)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow

from core.quiz.exercise import new_exercise
from core.session.format import Session
from core.session.lecture_setup import LectureSetup

EXERCISE_KEY = "Ctrl+Shift+E"
MAX_ASKED_SEED = 2**31 - 1  # what the dialog's number box holds


class ExerciseOpener:
    """File > New exercise…: asks for a seed (one drawn at random is proposed), and hands
    the exercise's session to ``show`` (the window's opening of a session); ``quiz`` is
    turned on for it."""

    def __init__(self, host: QMainWindow, show: Callable[[Session], None], quiz, status) -> None:
        self.host, self.show, self.quiz, self.status = host, show, quiz, status
        self.action = QAction("New e&xercise…", host)
        self.action.setShortcut(QKeySequence(EXERCISE_KEY))
        self.action.setProperty("shortcut_group", "File")
        self.action.setToolTip(
            "A fresh small network and sample drawn from a seed, in lecture mode with the "
            "quiz on; the same seed gives the same exercise again"
        )
        self.action.triggered.connect(self.ask_and_open)

    def ask_seed(self) -> int | None:
        """The seed the user chose (a random one proposed), or None if cancelled."""
        seed, ok = QInputDialog.getInt(
            self.host,
            "New exercise",
            "Seed (the same seed gives the same exercise; keep the one proposed for a new one):",
            random.randrange(MAX_ASKED_SEED),
            0,
            MAX_ASKED_SEED,
        )
        return seed if ok else None

    def ask_and_open(self) -> None:
        """Ask for a seed and open its exercise."""
        seed = self.ask_seed()
        if seed is not None:
            self.open(seed)

    def open(self, seed: int) -> Session:
        """Open the exercise of ``seed`` in lecture mode, the quiz on; returns its session."""
        session = new_exercise(seed)
        setup = session.lecture or LectureSetup()
        session.lecture = dataclasses.replace(setup, active=True)
        was = self.quiz.on
        self._check_quietly(True)  # lecture mode starts with the session
        self.show(session)
        if getattr(self.host, "session", session) is not session:  # the user kept the old one
            self._check_quietly(was)
            return session
        self.status.say(
            f"Exercise with seed {seed}: New exercise with seed {seed} gives it again", 12000
        )
        return session

    def _check_quietly(self, on: bool) -> None:
        """Quiz me checked or not, without acting on it now."""
        self.quiz.action.blockSignals(True)
        self.quiz.action.setChecked(on)
        self.quiz.action.blockSignals(False)
