"""What the training worker emits, recorded for the worker tests."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Slot

from gui.worker import TrainingWorker

TIMEOUT = 20_000  # ms: a round trip to the training process on a loaded machine


class Recorder(QObject):
    """Keeps every signal the worker emits, through bound slots as the window will."""

    def __init__(self, worker: TrainingWorker) -> None:
        super().__init__()
        self.worker = worker
        self.snapshots: list = []
        self.states: list[dict] = []
        self.errors: list[str] = []
        self.playing: list[bool] = []
        self.notes: list[str] = []  # the worker's notes on restarting its process
        worker.snapshotReady.connect(self.on_snapshot)
        worker.stateReady.connect(self.on_state)
        worker.errorOccurred.connect(self.on_error)
        worker.playingChanged.connect(self.on_playing)
        worker.restarted.connect(self.on_restarted)

    @Slot(object)
    def on_snapshot(self, snapshot) -> None:
        self.snapshots.append(snapshot)

    @Slot(dict)
    def on_state(self, state: dict) -> None:
        self.states.append(state)

    @Slot(str)
    def on_error(self, message: str) -> None:
        self.errors.append(message)

    @Slot(bool)
    def on_playing(self, playing: bool) -> None:
        self.playing.append(playing)

    @Slot(str)
    def on_restarted(self, note: str) -> None:
        self.notes.append(note)

    def losses(self, start: int = 0) -> np.ndarray:
        """The train_loss rows of snapshots[start:], checking that each continues the last."""
        chunks = self.snapshots[start:]
        for before, after in zip(chunks, chunks[1:]):
            assert after.history_start == before.history_start + len(before.history["train_loss"])
        return np.concatenate([s.history["train_loss"] for s in chunks])

    def nothing_more(self, qtbot) -> dict:
        """Waits for the answer to a state request sent now; the process answers commands
        in order, so a snapshot it sent before that answer has been emitted by then."""
        with qtbot.waitSignal(self.worker.stateReady, timeout=TIMEOUT):
            self.worker.request_state()
        return self.states[-1]
