"""The history scrubber: a timeline of the run under the plots.  Drag it to any epoch and
the diagram, its neurons, the output map, the docks and a cursor on every plot show the
network as it was right after that epoch (rebuilt exactly in the training process: see
core.engine.checkpoints); replay from there, resume training from there (one undo step),
or go back to now.  Scrubbing pauses training; playing, a step or an edit ends it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.snapshot import Snapshot

REPLAY_MS = 33  # a replayed epoch at most this often (30 a second) ...
REPLAY_SECONDS = 10  # ... and a whole run's replay takes about this long


class Timeline(QWidget):
    """The bar: replay, the slider over epochs 0 .. now, where it stands, resume, now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.replay = QToolButton(text="▶", checkable=True)
        self.replay.setToolTip("Replay the run from the epoch shown, as it was trained")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setToolTip(
            "The run's history: drag to any epoch and the diagram, the output and the plots "
            "show the network as it was right after it (arrow keys: one epoch; Page Up/Down: "
            "a tenth; End: now)"
        )
        self.where = QLabel()
        self.where.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.resume = QPushButton("Resume from here")
        self.resume.setToolTip(
            "Train on from the epoch shown: the later epochs are dropped (Edit > Undo brings "
            "them back)"
        )
        self.now = QPushButton("Now")
        self.now.setToolTip("Back to the run as it is now")
        rows = QVBoxLayout(self)
        rows.setContentsMargins(4, 0, 4, 2)
        rows.setSpacing(0)
        rows.addWidget(self.slider)
        row = QHBoxLayout()
        row.addWidget(self.replay)
        row.addWidget(self.where, 1)  # elided rather than widening the column
        for widget in (self.resume, self.now):
            row.addWidget(widget)
        rows.addLayout(row)
        self.show_epoch(None, 0)

    def show_epoch(self, epoch: int | None, last: int) -> None:
        """The slider over 0 .. ``last`` at ``epoch`` (None: now, at ``last``)."""
        self.slider.blockSignals(True)
        self.slider.setRange(0, last)
        self.slider.setPageStep(max(1, last // 10))
        self.slider.setValue(last if epoch is None else epoch)
        self.slider.blockSignals(False)
        scrubbed = epoch is not None
        self.where.setText(
            f"showing epoch {epoch:,} of {last:,}" if scrubbed else f"epochs 0–{last:,}"
        )
        self.resume.setEnabled(scrubbed)
        self.now.setEnabled(scrubbed)
        self.replay.setEnabled(scrubbed)
        if not scrubbed:
            self.replay.setChecked(False)


class HistoryScrubber(QObject):
    """Drives the timeline: asks the training process for the epochs the slider points at
    (one request on its way at a time, the newest wanted next), shows the answers through
    ``window.show_network``, and keeps the plots' cursor there."""

    scrubbingChanged = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window, self.worker, self.plots = window, window.worker, window.plots
        self.bar = Timeline()
        self.plots.layout().addWidget(self.bar)
        self.epoch: int | None = None  # the epoch shown; None: the run as it is now
        self.last = 0  # the run's epoch now
        self.asked: int | None = None  # the epoch on its way from the training process
        self.wanted: int | None = None  # the newest one asked for meanwhile
        self.steps: int | None = None  # the run's steps when scrubbing began
        self.timer = QTimer(self, interval=REPLAY_MS)
        self.timer.timeout.connect(self._replay_tick)
        self.bar.slider.valueChanged.connect(self.go_to)
        self.bar.now.clicked.connect(self.back_to_now)
        self.bar.resume.clicked.connect(self.resume_here)
        self.bar.replay.toggled.connect(lambda on: self.timer.start() if on else self.timer.stop())
        self.worker.scrubbed.connect(self._on_scrubbed)
        self.worker.playingChanged.connect(lambda on: on and self.back_to_now())
        # an edit changes the run now: the views show it (with the edit), not epoch k
        window.model.parameterChanged.connect(lambda *_: self.back_to_now())

    @property
    def scrubbing(self) -> bool:
        """Whether the views show an earlier epoch than the run's now."""
        return self.epoch is not None

    def shows_live(self, snap: Snapshot) -> bool:
        """A snapshot of the run now came: whether the views should show it (not while an
        earlier epoch is shown, unless the run has moved on since: a step, an edit)."""
        self.last = snap.epoch
        if self.epoch is not None and snap.steps != self.steps:
            self._end()
        self.bar.show_epoch(self.epoch, self.last)
        return self.epoch is None

    @Slot(int)
    def go_to(self, epoch: int) -> None:
        """Show the network right after ``epoch`` (the run's now: back to now)."""
        if epoch >= self.last:
            self.back_to_now()
        elif self.asked is None:
            self.asked = epoch
            self.worker.scrub(epoch)
        else:
            self.wanted = epoch

    @Slot()
    def back_to_now(self) -> None:
        """Show the run as it is now again."""
        if self.epoch is None and self.asked is None:
            return
        self._end()
        self.bar.show_epoch(None, self.last)
        if self.worker.latest is not None:
            self._show(self.worker.latest)

    @Slot()
    def resume_here(self) -> None:
        """Train on from the epoch shown, the later epochs dropped (one undo step)."""
        if self.epoch is not None:
            self.resume_at(self.epoch)

    def resume_at(self, epoch: int) -> None:
        """Train on from right after ``epoch``, the later epochs dropped (one undo step)."""
        self.window.model.undo_stack.push(Resume(self, epoch))

    def reset(self) -> None:
        """A new run (a session shown, a restart): nothing to scrub yet."""
        self._end()
        self.last = 0
        self.bar.show_epoch(None, 0)

    def _show(self, snap: Snapshot) -> None:
        """``snap`` in every view, its epoch and losses in the toolbar and the status bar."""
        self.window.show_network(snap)
        self.window.controls.show_epoch(snap.epoch, snap.steps)
        self.window.status.take(snap)
        self.window.status.show(snap, self.worker.playing)

    def _end(self) -> None:
        was = self.epoch is not None
        self.epoch = self.asked = self.wanted = self.steps = None
        self.timer.stop()
        self.plots.pin_epoch(None)
        if was:
            self.scrubbingChanged.emit(False)

    @Slot(object)
    def _on_scrubbed(self, snap: Snapshot) -> None:
        if snap.run != self.worker.loads or self.asked is None:
            return  # an earlier session's, or asked for before going back to now
        self.asked = None
        if self.epoch is None:
            self.steps = self.worker.latest.steps if self.worker.latest else 0
            self.scrubbingChanged.emit(True)
        self.epoch = snap.epoch
        self._show(snap)
        self.plots.pin_epoch(snap.epoch)
        self.bar.show_epoch(snap.epoch, self.last)
        wanted, self.wanted = self.wanted, None
        if wanted is not None and wanted != snap.epoch:
            self.go_to(wanted)

    @Slot()
    def _replay_tick(self) -> None:
        if self.asked is not None or self.epoch is None:
            return  # the last one is still on its way
        step = max(1, round(self.last * REPLAY_MS / 1000 / REPLAY_SECONDS))
        self.go_to(min(self.epoch + step, self.last))


class Resume(QUndoCommand):
    """Resume from ``epoch``: the training process drops the later epochs and the plots
    their rows; undone, both come back."""

    def __init__(self, scrubber: HistoryScrubber, epoch: int) -> None:
        super().__init__(f"Resume from epoch {epoch:,}")
        self.scrubber, self.epoch = scrubber, epoch
        self.loads = scrubber.worker.loads
        self.rows = None

    def redo(self) -> None:
        s = self.scrubber
        if s.worker.loads != self.loads:
            return self.setObsolete(True)  # another run since
        s._end()
        self.rows = s.plots.cut_after(self.epoch)
        s.worker.resume(self.epoch)

    def undo(self) -> None:
        s = self.scrubber
        if s.worker.loads != self.loads or self.rows is None:
            return self.setObsolete(True)
        s._end()
        s.worker.resume(None)
        s.plots.put_back(self.rows)
