"""The explorer: the docks that look into a run besides the diagram (View > Predictions,
View > Loss landscape) and the Data menu's entries.  The window makes one, feeds it every
session it shows and every snapshot it draws, and lets the menus fill themselves from it;
each dock is made once, hidden until asked for, and skips the work while hidden."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from core.engine.network import Network
from core.session.format import Session
from core.snapshot import Snapshot
from gui.data.importer import CsvImporter


class Explorer(QObject):
    """Owns the exploring docks of ``window`` and their menu entries.  ``parts`` are what
    they act through: the session model, the training worker, lecture mode, the status
    line (each by itself, never the window)."""

    def __init__(self, window: QMainWindow, model, worker, lecture, status) -> None:
        super().__init__(window)
        self.window, self.model, self.worker = window, model, worker
        self.lecture, self.status = lecture, status
        self.docks: list[QDockWidget] = []
        self.importer = CsvImporter(window, model, status)  # Data > Import CSV…

    def fill_view(self, menu: QMenu) -> None:
        """The View menu's entries: one toggle per dock."""
        for dock in self.docks:
            menu.addAction(dock.toggleViewAction())

    def fill_data(self, menu: QMenu) -> None:
        """The Data menu's entries."""
        menu.addAction(self.importer.action)

    def set_session(self, session: Session) -> None:
        """A session was shown (opened, restarted, edited so that training starts over)."""

    def take(self, snap: Snapshot, network: Network) -> None:
        """The newest snapshot and the network it holds (one copy, shared by the views)."""
