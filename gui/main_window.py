"""The main window: the live training studio.

Playground's reading order: the controls on the left, the network in the
middle, the output map and the plots on the right.  The window composes the
views, the session model (what is edited, with undo) and the training worker
(a child process); it routes requests between them and owns their lifetimes.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from core.data.planes import Maps
from core.engine.network import Network
from core.engine.trainer import trainer_for
from core.session.format import Session
from core.snapshot import (
    Snapshot,
    network_snapshot,
    session_maps,
    snapshot_network,
    take_snapshot,
)
from gui import menus, opening
from gui.banner import DivergenceBanner
from gui.controls.panel import ControlPanel, settings_dock
from gui.controls.toolbar import RunControls
from gui.diagram.edges import suggested_limits
from gui.diagram.neurons import NeuronFill
from gui.diagram.view import NetworkView
from gui.explore.explorer import Explorer
from gui.exports.menu import ExportActions
from gui.files import SessionFiles
from gui.lecture.mode import LectureMode
from gui.lecture.studio import Studio
from gui.menus import APP_NAME
from gui.model import SessionModel
from gui.output.view import OutputView
from gui.plots.labels import settings_of
from gui.plots.training import TrainingPlots
from gui.presentation.presenter import Presentation
from gui.recovery import autosave_for
from gui.status_line import StatusLine
from gui.understand.tutor import Tutor
from gui.worker import TrainingWorker


class MainWindow(QMainWindow):
    """The studio for one session at a time."""

    def __init__(self, session: Session, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.model = SessionModel(session, self)
        self.worker = TrainingWorker(self)
        self.files = SessionFiles(self, self.settings)
        self.latest: Snapshot | None = None
        self._trained = False
        self._build_views()
        self._build_helpers()
        self._connect()
        self.worker.start()
        self.autosave = autosave_for(self)  # recovery copies of unsaved work (gui.recovery)
        self._show_session(restart=True)
        self.plots.set_current(settings_of(session))
        menus.restore_settings(self, self.settings, self.view_actions, self.presentation)
        self.explorer.apply_setup(session)  # lecture mode's saved set-up, the explorer's
        self.status.say_warnings(session.warnings)
        self.network_view.setFocus()  # so Space plays at once, whatever the panel would take

    # --- building ---

    def _build_views(self) -> None:
        self.controls = RunControls(self)
        self.addToolBar(self.controls)
        self.network_view = NetworkView()
        self.neurons = NeuronFill(self.network_view)
        self.banner = DivergenceBanner()
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.network_view, 1)
        self.output_view = OutputView()
        self.plots = TrainingPlots()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.output_view)
        right.addWidget(self.plots)
        right.setSizes([480, 520])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)
        self.panel = ControlPanel()
        self.dock = settings_dock(self.panel, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.status = StatusLine(self.statusBar())

    def _build_helpers(self) -> None:
        """Lecture mode, the exports, presentation and the menus, each given the parts it
        uses."""
        c, view = self.controls, self.network_view
        training = (c.play_action, c.step_action, c.epoch_action, c.reset_action, c.dice_action)
        studio = Studio(self, self.dock, self.splitter.widget(1), training)
        self.lecture = LectureMode(
            self, studio, self.worker, self.model, view, self.output_view.plot, self.status
        )
        self.exports = ExportActions(self, self.model, view, self.lecture, self.files, self.status)
        self.explorer = Explorer(self, self.model, self.worker, self.lecture, self.status)
        self.tutor = Tutor(self, self.model, self.worker, self.lecture, self.status)
        self.presentation = Presentation(  # palettes, "?" overlay, cursor highlight
            self, view, self.output_view, self.lecture, c, lambda: menus.shortcut_groups(self)
        )
        parts = menus.MenuParts(
            files=self.files,
            exports=self.exports.menu,
            explorer=self.explorer,
            tutor=self.tutor,
            undo_stack=self.model.undo_stack,
            training=c,
            view=view,
            output=self.output_view,
            plots=self.plots,
            lecture=self.lecture,
            presentation=self.presentation,
            settings_dock=self.dock,
            scale_colours=self.scale_colours,
        )
        self.view_actions = menus.build_menus(self, parts)

    def _connect(self) -> None:
        c, m, w, v = self.controls, self.model, self.worker, self.network_view
        c.playToggled.connect(lambda on: w.play() if on else w.pause())
        c.stepRequested.connect(w.step)
        c.epochRequested.connect(w.step_epoch)
        c.resetRequested.connect(m.reset_weights)
        c.rerandomiseRequested.connect(self._on_rerandomise)
        c.speedChanged.connect(w.set_speed)
        self.panel.settingChanged.connect(m.set_setting)
        self.panel.regenerateRequested.connect(self._on_regenerate)
        self.panel.newSeedRequested.connect(self._on_rerandomise)
        self.panel.noticed.connect(lambda message: self.status.say(message, 8000))
        v.weightEdited.connect(self.lecture.unless_active(m.set_weight))
        v.biasEdited.connect(self.lecture.unless_active(m.set_bias))
        v.addNeuronRequested.connect(self.lecture.unless_active(m.add_neuron))
        v.removeNeuronRequested.connect(self.lecture.unless_active(m.remove_neuron))
        v.addLayerRequested.connect(self.lecture.unless_active(m.add_layer))
        v.removeLayerRequested.connect(self.lecture.unless_active(m.remove_layer))
        v.activationRequested.connect(self.lecture.unless_active(m.set_activation))
        v.neuronSelected.connect(self.lecture.show_neuron)
        v.parameterClicked.connect(self.lecture.show_parameter)
        v.neuronHovered.connect(self.output_view.show_neuron_map)
        m.changed.connect(self._on_model_changed)
        m.restartNeeded.connect(self._on_restart)
        m.liveChanged.connect(self._on_live)
        m.parameterChanged.connect(self._on_parameter)
        m.parametersInstalled.connect(
            lambda p, counted: w.apply_update(p.weights, p.biases, p.optimizer, counted)
        )
        m.failed.connect(lambda message: self.status.say(message, 8000))
        m.dirtyChanged.connect(self._update_title)
        w.snapshotReady.connect(self._on_snapshot)
        w.playingChanged.connect(self._on_playing)
        w.errorOccurred.connect(lambda message: self.status.say(message, 8000))
        self.banner.restoreRequested.connect(w.restore)
        self.banner.lowerRateRequested.connect(self._on_lower_rate)
        self.banner.resetRequested.connect(m.reset_weights)
        self.files.opened.connect(self._on_opened)
        self.explorer.importer.listen(self.files.csvRequested, self.panel.importRequested)
        self.files.save_action.triggered.connect(self.save)
        self.files.save_as_action.triggered.connect(self.save_as)
        self.files.saved.connect(self._on_saved)
        self.lecture.left.connect(self.redraw)

    # --- the session ---

    @property
    def session(self) -> Session:
        """The session being shown."""
        return self.model.session

    def _show_session(self, restart: bool) -> None:
        self.panel.set_session(self.session)
        self.output_view.set_session(self.session)
        self.explorer.set_session(self.session)
        self.tutor.set_session(self.session)
        self.plots.set_classification(self.session.dataset.kind == "classification")
        self.neurons.forget()  # the new session's neurons at once, not the old ones
        self._draw_network(network_snapshot(self.session.network))
        self._gradient_scale_set = False
        self.network_view.set_scale_limits(
            *suggested_limits(network_snapshot(self.session.network))
        )
        if restart:
            self.worker.load(self.session)
            self.worker.set_speed(self.controls.speed)
        self._update_title()

    @Slot(object)
    def _on_opened(self, session: Session) -> None:
        if self.confirm_discard() and opening.take(self, session):  # else the previous stays
            self.status.say_warnings(session.warnings)

    @Slot()
    def _on_model_changed(self) -> None:
        self.panel.set_session(self.session)

    @Slot(str)
    def _on_restart(self, reason: str) -> None:
        self.plots.new_run(settings_of(self.session))  # labelled by what differs from it
        self.banner.hide()
        self.lecture.leave()
        self.latest = network_snapshot(self.session.network)
        self._trained = False
        self.status.new_run()
        self._show_session(restart=True)

    @Slot(str, object)
    def _on_live(self, field: str, value: object) -> None:
        if field == "learning_rate":
            self.plots.mark_lr_change(value)
            self.worker.set_lr(value)
        elif field in ("epochs", "target_loss"):
            t = self.session.training
            self.worker.set_stop(t.epochs, t.target_loss)
        else:
            self.worker.update_config(**{field: value})

    @Slot(int, int, int, float)
    def _on_parameter(self, l: int, i: int, j: int, value: float) -> None:
        if j < 0:
            self.worker.set_bias(l, i, value)
        else:
            self.worker.set_weight(l, i, j, value)

    # --- training ---

    @Slot(bool)
    def _on_playing(self, playing: bool) -> None:
        self.controls.show_playing(playing)
        self._update_status()

    @Slot()
    def _on_rerandomise(self) -> None:
        self.model.set_setting("network.init.seed", int(time.time() * 1000) % 1_000_000)

    @Slot()
    def _on_regenerate(self) -> None:
        if "builtin" in self.session.data:
            self.model.set_setting("data.seed", int(time.time() * 1000) % 1_000_000)

    @Slot()
    def _on_lower_rate(self) -> None:
        self.model.set_setting("training.learning_rate", self.session.training.learning_rate / 10)

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        if snap.run < self.worker.loads:
            return  # the previous session's, on its way when the new one was sent
        if snap.history and len(snap.history["train_loss"]):
            self.plots.append(snap.history, snap.history_start)
        self.latest = snap
        self._trained = self._trained or snap.steps > 0
        if snap.steps > 0 and not self._gradient_scale_set:  # fixed per run, from its first step
            self._gradient_scale_set = True
            weights = self.network_view.scale_limits[0]
            self.network_view.set_scale_limits(weights, suggested_limits(snap)[1])
        self.model.sync_weights(list(snap.weights), list(snap.biases))
        if self.explorer.shows_live(snap):  # else they show an earlier epoch (the scrubber)
            self.show_network(snap)
        self.plots.show_current(snap.evaluation)
        self.controls.show_epoch(snap.epoch, snap.steps)
        if snap.status == "diverged":
            self.banner.show_divergence(snap.message)
        elif snap.evaluation is not None:  # paused: are the layers still learning?
            self.banner.show_hints(snap.hints)
        self.status.take(snap)
        self._update_status()
        self._update_title()

    def show_network(self, snap: Snapshot) -> None:
        """Show ``snap``'s network: the diagram and its neurons, the output, the docks."""
        network = snapshot_network(snap)  # one copy for every view that computes with it
        self._draw_network(snap, network, snap.maps)
        self.output_view.follow(network, snap.maps)
        self.explorer.take(snap, network)
        self.tutor.take(snap, network)

    def redraw(self) -> None:
        """Draw the diagram from the newest snapshot again (after lecture mode)."""
        self.neurons.again()
        self._draw_network(self.latest or network_snapshot(self.session.network))

    def _draw_network(
        self, snap: Snapshot, network: Network | None = None, maps: Maps | None = None
    ) -> None:
        s = self.session
        if tuple(snap.layers) != tuple(s.network.layers):
            return  # a snapshot of the previous architecture
        self.neurons.take(maps)
        if self.lecture.active:
            return  # lecture mode has the stage
        self.network_view.set_network(snap, s.dataset.input_names, s.fitting_labels())
        self.neurons.fill(lambda: network or snapshot_network(snap), s, maps)

    def train_now(self, epochs: int) -> None:
        """Train ``epochs`` epochs here and now and show the result as a still picture (for
        --screenshot only: the worker's own run is disconnected from the views)."""
        self.worker.snapshotReady.disconnect(self._on_snapshot)
        trainer = trainer_for(self.session)
        trainer.run(epochs=epochs)
        maps = session_maps(self.session, trainer.network)
        self._on_snapshot(
            dataclasses.replace(take_snapshot(trainer), run=self.worker.loads, maps=maps)
        )
        self.scale_colours(None)

    # --- status and title ---

    def _update_status(self) -> None:
        self.status.show(self.latest, self.worker.playing)

    def _update_title(self, *_: object) -> None:
        name = self.session.name or "Untitled"
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(self.model.dirty or self._trained)

    def scale_colours(self, factor: float | None) -> None:
        """Widen (factor > 1) or narrow the current colour scale; None fits it to the values."""
        fitted = suggested_limits(self.latest or network_snapshot(self.session.network))
        if factor is not None and self.network_view.view_mode == "weights":
            self.view_actions["auto_scale"].setChecked(False)  # the user chose a scale
        self.network_view.scale_colours(factor, fitted)

    def on_lecture_mode(self, on: bool) -> None:
        """Lecture mode on (trace the next step and play it) or off, as View > Lecture mode."""
        self.lecture.toggle(on)

    # --- files ---

    @Slot()
    def save(self) -> bool:
        """Save to the session's file (asks for one if it has none), with the lecture set-up."""
        return self.files.save(self.session, prepare=self.explorer.store)

    @Slot()
    def save_as(self) -> bool:
        """Save to a new file, with the lecture set-up."""
        return self.files.save_as(self.session, prepare=self.explorer.store)

    @Slot(object)
    def _on_saved(self, path) -> None:
        self.model.mark_saved(path)
        self._trained = False
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)

    def confirm_discard(self) -> bool:
        """Ask before unsaved changes (edits or training) are lost; False to stay."""
        if not self.isWindowModified():
            return True
        playing = self.worker.playing
        if playing:  # nothing trains behind the question, so what is saved is what was asked
            self.worker.pause()
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            go_on = self.save()
        else:
            go_on = answer == QMessageBox.StandardButton.Discard
        if playing and not go_on:
            self.worker.play()
        return go_on

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel (tests replace this dialog)."""
        b = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, "", b.Save | b.Discard | b.Cancel)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the session's name comes from a file
        box.setText(f"Save the changes to “{self.session.name}”?")
        return QMessageBox.StandardButton(box.exec())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        event.ignore()  # until the work is safe: an exception on the way keeps the window
        if not self.confirm_discard():
            return
        try:
            self.lecture.leave()  # the studio's layout is the one remembered
            menus.save_settings(self, self.settings, self.view_actions, self.presentation)
        finally:
            self.autosave.stop()  # a clean exit leaves no recovery copy
            self.files.loader.shutdown()  # no read answers a closed window
            self.worker.shutdown()
            event.accept()
