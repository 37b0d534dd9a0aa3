"""The tutor: the parts that help a learner understand a backward pass rather than watch
it.  The window makes one, feeds it every session it shows and every snapshot it draws,
and lets the menus fill themselves from it (the same contract as gui.explore.explorer)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMenu

from core.engine.network import Network
from core.session.format import Session
from core.snapshot import Snapshot
from gui.checks.lab import BugLab
from gui.checks.report import GradientCheck
from gui.graph.opening import GraphOpener
from gui.lessons.texts import LessonTexts
from gui.quiz.coach import QuizCoach
from gui.quiz.exercise import ExerciseOpener
from gui.quiz.sheets import WorksheetExport


class Tutor(QObject):
    """Owns the understanding tools of ``window``: what they act through are the session
    model, the training worker, lecture mode and the status line (each by itself)."""

    def __init__(self, window: QMainWindow, model, worker, lecture, status) -> None:
        super().__init__(window)
        self.window, self.model, self.worker = window, model, worker
        self.lecture, self.status = lecture, status
        self.graphs = GraphOpener(window, window.network_view, lecture, status)
        self.quiz = QuizCoach(window, lecture, status)  # Quiz me, New exercise, worksheets
        self.exercises = ExerciseOpener(window, window.files.opened.emit, self.quiz, status)
        self.sheets = WorksheetExport(
            window, lambda: model.session, lambda: lecture.panel.precision, status
        )
        self.lessons = LessonTexts(window, model, lecture)  # the panel, glossary, properties
        self.gradients = GradientCheck(window, worker, window.network_view)
        self.bug_lab = BugLab(window, worker, window.banner)

    def set_session(self, session: Session) -> None:
        """A session was shown (opened, restarted, edited so that training starts over)."""
        self.lessons.set_session(session)
        self.gradients.clear()  # the worst parameter lit was of the network before

    def take(self, snap: Snapshot, network: Network) -> None:
        """The newest snapshot the views show, and its network."""
        self.gradients.take(snap)
        self.bug_lab.take(snap)

    def fill_file(self, menu: QMenu) -> None:
        """The File menu's entries (after Export)."""
        exports = [a.menu() for a in menu.actions() if a.menu() and "Export" in a.menu().title()]
        (exports[-1] if exports else menu).addAction(self.sheets.action)
        menu.addAction(self.exercises.action)
        self.lessons.fill_file(menu)

    def fill_lecture(self, menu: QMenu) -> None:
        """The View menu's lecture entries (after the chain rule)."""
        self.graphs.fill(menu)
        menu.addAction(self.quiz.action)

    def fill_training(self, menu: QMenu) -> None:
        """The Training menu's entries (after the toolbar's)."""
        menu.addSeparator()
        menu.addAction(self.gradients.action)
        menu.addMenu(self.bug_lab.menu)
        menu.addAction(self.bug_lab.open_action)

    def fill_help(self, menu: QMenu) -> None:
        """The Help menu's entries (after the shortcuts)."""
        self.lessons.fill_help(menu)
