"""The explorer: what looks into a run besides the diagram: the history scrubber under
the plots, the docks (View > Predictions, View > Loss landscape) and the Data menu.  The
window makes one, feeds it every session it shows and every snapshot it draws, and lets
the menus fill themselves from it; each dock is made once, hidden until asked for, and
skips the work while hidden."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QToolButton

from core.engine.network import Network
from core.session.explore_setup import ExploreSetup
from core.session.format import Session
from core.snapshot import Snapshot
from gui.data.importer import CsvImporter
from gui.explore.cues import profile_under_cursor
from gui.explore.landscape import LandscapeDock
from gui.explore.predictions import PredictionsDock
from gui.explore.saved import apply_explore, explore_setup
from gui.explore.timeline import HistoryScrubber
from gui.output.drawing import Drawing
from gui.output.slicing import SliceControls


class Explorer(QObject):
    """Owns the exploring docks of ``window`` and their menu entries.  ``parts`` are what
    they act through: the session model, the training worker, lecture mode, the status
    line (each by itself, never the window)."""

    def __init__(self, window: QMainWindow, model, worker, lecture, status) -> None:
        super().__init__(window)
        self.window, self.model, self.worker = window, model, worker
        self.lecture, self.status = lecture, status
        self.docks: list[QDockWidget] = []
        self.history = HistoryScrubber(window)  # the timeline under the plots
        lecture.scrubbed = lambda: self.history.epoch  # a lecture traces the epoch shown
        lecture.resume_at = self.history.resume_at  # and applying it trains on from there
        lecture.left.connect(self.history.back_to_now)
        self.slices = SliceControls()  # in the Data settings, for more than two inputs
        window.panel.data.form.addRow(self.slices)
        self.slices.sliceChanged.connect(self._on_slice)
        self.landscape = LandscapeDock(window, worker)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.landscape)
        self.landscape.hide()
        self.docks.append(self.landscape)
        window.network_view.parameterClicked.connect(self.landscape.choose_parameter)
        self.profile_action = QAction("Loss along the weight under the mouse", self)
        self.profile_action.setShortcut(QKeySequence("Shift+L"))  # L is the loss's log scale
        self.profile_action.triggered.connect(self._profile_here)
        lecture.controller.frameChanged.connect(self._on_lecture_frame)
        self.predictions = PredictionsDock(window, lecture, status)
        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.predictions)
        self.predictions.hide()
        self.docks.append(self.predictions)
        self.importer = CsvImporter(window, model, status)  # Data > Import CSV…
        self.drawing = Drawing(window.output_view, model, worker, status.say)  # Data > Draw (D)
        self.drawing.dataChanged.connect(lambda: self.predictions.set_session(model.session))
        self.drawing.blocked = lambda: lecture.active
        self._toolbar_toggle(window.controls, self.drawing.action)

    @staticmethod
    def _toolbar_toggle(bar: QToolBar, action: QAction) -> None:
        """``action`` as a button of ``bar`` after its training actions (a widget: the
        Training menu lists the bar's actions, and this one is the Data menu's)."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        before = [a for a in bar.actions() if a.isSeparator()][1]  # the speed's
        bar.insertSeparator(before)
        bar.insertWidget(before, button)

    def fill_view(self, menu: QMenu) -> None:
        """The View menu's entries: one toggle per dock."""
        for dock in self.docks:
            menu.addAction(dock.toggleViewAction())
        menu.addAction(self.profile_action)

    def _profile_here(self) -> None:
        """Shift+L: L against the edge or bias under the mouse (or say how to get it)."""
        said = profile_under_cursor(self.window.network_view, self.landscape)
        if said:
            self.status.say(said, 6000)

    def _on_lecture_frame(self, frame) -> None:
        """The update step of a lecture is drawn as a step on the landscape's plane."""
        trace = self.lecture.trace
        if frame is None or trace is None or frame.phase != "update":
            self.landscape.clear_update()
        elif self.landscape.isVisible():
            self.landscape.show_update(trace, self.model.session.fitting_labels())

    def fill_data(self, menu: QMenu) -> None:
        """The Data menu's entries."""
        menu.addAction(self.importer.action)
        menu.addAction(self.drawing.action)

    def shows_live(self, snap: Snapshot) -> bool:
        """Whether the views should show this snapshot of the run now (not while the
        history scrubber shows an earlier epoch)."""
        return self.history.shows_live(snap)

    def set_session(self, session: Session) -> None:
        """A session was shown (opened, restarted, edited so that training starts over)."""
        self.history.reset()
        self.slices.set_dataset(session.dataset, tuple(session.dataset.input_names))
        self.landscape.set_session(session)
        self.predictions.set_session(session)

    def apply_setup(self, session: Session) -> None:
        """A session was opened: lecture mode's and the explorer's saved choices."""
        self.lecture.apply_setup(session.lecture)
        apply_explore(self, session)

    def store(self, session: Session) -> None:
        """Put lecture mode's and the explorer's choices into ``session`` (for saving); the
        explorer's only if they differ from the defaults or the session had some."""
        self.lecture.store(session)
        setup = explore_setup(self, session)
        if session.explore is not None or setup != ExploreSetup():
            session.explore = setup

    def _on_slice(self, cut) -> None:
        """The maps of more than two inputs follow the slice, here and in the process."""
        self.window.output_view.set_session(self.window.session, cut)
        self.worker.set_slice(cut)

    def take(self, snap: Snapshot, network: Network) -> None:
        """The newest snapshot and the network it holds (one copy, shared by the views)."""
        self.landscape.take(snap)
        self.predictions.take(network)
