"""The training worker: the GUI's end of the training process (:mod:`core.runner`).

Training runs in a child process: a trainer in a thread shares the GIL with
the window, and each slows the other down.  :class:`TrainingWorker` lives on
the GUI thread, sends commands down a pipe and, on a timer, drains what comes
back: it merges the snapshots that arrived since the last tick into one (every
history row kept, the newest state on top) and emits that, so views redraw
at most once per tick however fast the trainer runs.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from core.runner import serve
from core.session.format import Session, session_to_dict
from core.snapshot import Snapshot, collect, read_only
from gui import restart  # starting a dead process again
from gui.restart import GONE, Offset

POLL_MS = 10
"""How often the pipe is drained: faster than any screen refresh, cheap when idle."""


class PipeReader:
    """Reads the pipe in a thread of its own, so that a large network's snapshot (tens of
    megabytes, a few hundred milliseconds to read) arrives while the window goes on
    drawing; the GUI thread takes what has arrived on its timer.  ``gone`` is set once the
    other end has closed, after the last message."""

    def __init__(self, conn: Any) -> None:
        self.messages: collections.deque[tuple] = collections.deque()
        self.gone = False
        self.thread = threading.Thread(
            target=self._run, args=(conn,), name="backprop-lab pipe", daemon=True
        )
        self.thread.start()

    def _run(self, conn: Any) -> None:
        try:
            while True:
                self.messages.append(conn.recv())
        except (EOFError, OSError):
            self.gone = True  # the process went away (or this end was closed)

    def take(self) -> list[tuple]:
        """Every message that has arrived, oldest first."""
        return [self.messages.popleft() for _ in range(len(self.messages))]  # one reader


class TrainingWorker(QObject):
    """Drives the training process; emits its snapshots, state and errors on the GUI thread.

    Commands are queued in order and answered asynchronously.  ``playing``
    follows play/pause at once and the process's own stops (max epochs,
    target loss, divergence) when they arrive.

    If the process dies (killed, out of memory), errorOccurred says so, and the next
    command starts a new one on the session last loaded with the newest snapshot's
    weights, epochs and steps counting on; ``restarted`` says what happened.
    """

    snapshotReady = Signal(object)
    stateReady = Signal(dict)
    lectureReady = Signal(dict)  # session dict, optimiser and rows of the step to trace
    errorOccurred = Signal(str)
    playingChanged = Signal(bool)
    restarted = Signal(str)  # the process died and a new one took over: what the user lost
    scrubbed = Signal(object)  # a snapshot of an earlier epoch of the run (see scrub)
    landscapeReady = Signal(object)  # a core.explore.jobs.LandscapeResult
    landscapeProgress = Signal(int, float)  # the request's ident, the fraction done
    landscapeFailed = Signal(int, str)  # the request's ident, what was wrong with it
    gradcheckReady = Signal(object)  # a core.checks.gradcheck.GradcheckReport
    REPLIES = {"state": "stateReady", "lecture": "lectureReady", "scrubbed": "scrubbed"}
    REPLIES |= {"landscape": "landscapeReady", "gradcheck": "gradcheckReady"}
    REPLIES |= {"landscape_progress": "landscapeProgress", "landscape_failed": "landscapeFailed"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: Any = None
        self._conn: Any = None
        self._reader: PipeReader | None = None
        self._inbox: list[tuple] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_tick)
        self._playing = False
        self._latest: Snapshot | None = None
        self._sent = 0  # commands sent since start()
        self._play_command = 0  # the number of the last command that set the play flag
        self._loads = 0  # load commands sent (a snapshot's run says which it follows)
        self._generation = 0  # processes started: the newest snapshot is of which one
        self._latest_generation = 0
        self._died = False  # the process went away unasked: the next command restarts it
        self._last_load: tuple | None = None  # what a restarted process loads
        self._replay: list[tuple] = []  # live settings sent since that load
        self._stop: tuple[int | None, float | None] = (None, None)  # epochs counted from 0
        self._offset = Offset()  # where the last load's run started (after restarts)
        self._offset_run = 0  # the load whose snapshots the offset shifts

    playing = property(lambda self: self._playing, doc="Whether it trains (or was told to).")

    loads = property(
        lambda self: self._loads, doc="Sessions sent so far (a snapshot of a lower run is stale)."
    )

    latest = property(lambda self: self._latest, doc="The newest snapshot emitted (or None).")

    @property
    def process(self) -> multiprocessing.process.BaseProcess | None:
        """The training process of the last start() (None before it)."""
        return self._process

    def is_running(self) -> bool:
        """Whether the training process is up and connected."""
        return self._conn is not None and self._process.is_alive()

    # --- the process ---

    def start(self) -> None:
        """Start the training process (it outlives nothing: daemonic, and it quits when
        the pipe breaks).  Does nothing if it is already running."""
        if self._conn is not None:
            return
        context = multiprocessing.get_context("spawn")
        here, there = context.Pipe()
        process = context.Process(
            target=serve, args=(there,), name="backprop-lab training", daemon=True
        )
        process.start()
        there.close()  # only the child holds that end now, so its death shows here as EOF
        self._process, self._conn, self._reader = process, here, PipeReader(here)
        self._inbox, self._sent, self._play_command, self._loads = [], 0, 0, 0
        self._generation += 1
        self._died = False
        self._timer.start()

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop the training process: "quit", then terminate it if it has not gone within
        ``timeout`` seconds.  Safe to call twice, or before start()."""
        self._timer.stop()
        self._died = False  # asked to stop: no command brings it back
        if self._conn is None:
            return
        conn, process, reader = self._conn, self._process, self._reader
        self._conn = None
        with contextlib.suppress(EOFError, OSError):  # else it has gone already
            conn.send(("quit",))  # the reader drains the pipe: a sending process is not stuck
        process.join(timeout)
        if process.is_alive():
            process.terminate()
            process.join(1.0)
        if process.is_alive():
            process.kill()
            process.join()
        reader.thread.join(1.0)  # the process has gone: the reader has its end of file
        conn.close()
        self._set_playing(False)

    # --- commands ---

    def load(self, session: Session) -> None:
        """Train ``session`` from its current weights (pauses); a snapshot follows.  The
        process may read its CSV file outside its folder only if the user allowed it."""
        folder, allowed = str(session.base_dir()), session.allow_outside
        message = ("load", session_to_dict(session), folder, allowed)
        self._send(message, playing=False)
        self._loads += 1
        self._last_load, self._offset = message, Offset()
        self._replay = restart.kept_across_loads(self._replay)
        t = session.training
        self._stop = (t.epochs, t.target_loss)

    def play(self) -> None:
        """Train continuously until pause, a stop condition or divergence."""
        self._send(("play",), playing=True)

    def pause(self) -> None:
        """Stop training; a snapshot follows if it was playing."""
        self._send(("pause",), playing=False)

    def step(self) -> None:
        """One optimiser step on the next mini-batch (pauses); a snapshot follows."""
        self._send(("step",), playing=False)

    def step_epoch(self) -> None:
        """Train to the end of the current epoch (pauses); a snapshot follows."""
        self._send(("epoch",), playing=False)

    def set_lr(self, lr: float) -> None:
        """A new learning rate from the next step on; the optimiser's state is kept."""
        self._send(("lr", float(lr)))

    def update_config(self, **changes: float | int | None) -> None:
        """Live settings (core.engine.trainer.Trainer.LIVE_SETTINGS) from the next step on."""
        self._send(("config", changes))

    def set_speed(self, steps_per_second: float | None) -> None:
        """Pace training at this many steps per second; None: as fast as possible."""
        self._send(("speed", None if steps_per_second is None else float(steps_per_second)))

    def set_stop(self, max_epochs: int | None, target_loss: float | None) -> None:
        """Stop conditions while playing (None: none); load() resets them to the session's."""
        self._send(("stop_at", max_epochs, target_loss))

    def set_weight(self, l: int, i: int, j: int, value: float) -> None:
        """weights[l][i, j] = value in the live network; a snapshot follows."""
        self._send(("set_weight", l, i, j, float(value)))

    def set_bias(self, l: int, i: int, value: float) -> None:
        """biases[l][i] = value in the live network; a snapshot follows."""
        self._send(("set_bias", l, i, float(value)))

    def restore(self) -> None:
        """Back to the last finite parameters after a divergence (pauses); a snapshot follows."""
        self._send(("restore",), playing=False)

    def apply_update(
        self, weights: list, biases: list, optimizer: object, counted: int = 1
    ) -> None:
        """Make a traced update the trainer's own step (pauses; ``counted`` -1 puts the
        state before a step back); a snapshot follows."""
        self._send(("apply", list(weights), list(biases), optimizer, counted), playing=False)

    def set_data(self, data: dict) -> None:
        """Train on the rows of ``data`` (a session's "data": points drawn), no restart."""
        self._send(("data", data))

    def request_lecture(self, sample: int | None = None, epoch: int | None = None) -> None:
        """Ask for what tracing the next step (or row ``sample``; after ``epoch``) needs."""
        self._send(("lecture", sample, None if epoch is None else epoch - self._offset.epochs))

    def request_landscape(self, request: object) -> None:
        """Start a core.explore.jobs.LandscapeRequest (None: cancel the one under way):
        landscapeProgress, then landscapeReady or landscapeFailed."""
        self._send(("landscape", request))

    def set_slice(self, cut) -> None:
        """Draw the maps of data with more than two inputs over ``cut`` (planes.Slice)."""
        self._send(("slice", cut.axes, cut.held))

    def scrub(self, epoch: int) -> None:
        """Ask for the run right after epoch ``epoch`` (pauses): ``scrubbed`` brings it."""
        if epoch < self._offset.epochs:
            return self.errorOccurred.emit(restart.SCRUB_GONE.format(epoch=self._offset.epochs))
        self._send(("scrub", epoch - self._offset.epochs), playing=False)

    def resume(self, epoch: int | None) -> None:
        """Train on from right after epoch ``epoch``, the later ones dropped (None: undo)."""
        self._send(("resume", None if epoch is None else epoch - self._offset.epochs), False)

    def set_bug(self, name: str | None) -> None:
        """Switch the bug lab's bug ``name`` on (None: off) for this and later sessions,
        from the next step on: the weights stay.  A snapshot follows (when paused)."""
        self._send(("bug", name))

    def request_gradcheck(self) -> None:
        """Check the gradient of the network now (pauses): gradcheckReady brings the report."""
        self._send(("gradcheck",), playing=False)

    def request_state(self) -> None:
        """Ask for the session as it is now (current weights); stateReady follows."""
        self._send(("state",))

    def _send(self, message: tuple, playing: bool | None = None) -> None:
        if self._conn is None and not self._died:
            raise RuntimeError("the training worker is not running: call start() first")
        # The process blocks when the pipe back is full; read it first so that a long
        # message (a session with inline data) never waits on a process that waits on us.
        self._read()
        note = None
        if self._conn is None and message[0] != "load":
            note = self._revive()
        elif self._conn is None:
            self._on_tick()  # what the dead process said last, then a new one for the load
            self.start()
        self._remember(message)
        if self._conn is None:
            return
        try:
            self._conn.send(message)
        except OSError:
            self._lost()
            return
        self._sent += 1
        if playing is not None:
            self._play_command = self._sent
            self._set_playing(playing)
        if note is not None:  # after the command, so a modal dialog holds up nothing
            self.restarted.emit(note)

    def _remember(self, message: tuple) -> None:
        """Keep what a restarted process must be told again after the last load."""
        kind = message[0]
        if kind in restart.REPLAYED:
            self._replay = restart.replayed(self._replay, message)
        if kind == "stop_at":
            self._stop = (message[1], message[2])
        elif kind == "config":
            changes = message[1]
            self._stop = (
                changes.get("epochs", self._stop[0]),
                changes.get("target_loss", self._stop[1]),
            )

    def _revive(self) -> str | None:
        """A new process in place of the dead one: the last load again, with the newest
        snapshot's weights if it is of that load, the live settings since, and the stop
        conditions counted from where it stands.  Returns what to tell the user (None if
        nothing was ever loaded)."""
        self._on_tick()  # deliver what the dead process said before it went
        latest, load = self._latest, self._last_load
        current = (
            latest is not None
            and self._latest_generation == self._generation
            and latest.run == self._loads
        )
        self.start()
        if load is None:
            return None  # nothing was ever loaded: the new process waits for a load
        if current:
            load = restart.restored_load(load, latest)
            self._last_load, self._offset = load, Offset(latest.epoch, latest.steps)
            note = restart.RESTARTED.format(epoch=latest.epoch)
        else:  # it died before showing the load: that load again, from where it started
            note = restart.RESTARTED_FRESH
        stop = ("stop_at", restart.stop_epochs(self._stop[0], self._offset), self._stop[1])
        self._loads, self._offset_run = 1, 1
        try:
            for message in [load, *self._replay, stop]:
                self._conn.send(message)
                self._sent += 1
        except OSError:  # gone again at once: reported, and the next command tries again
            self._lost()
        return note

    # --- receiving ---

    def _read(self) -> None:
        """Move every message the reader has received into the inbox."""
        if self._conn is None or self._reader is None:
            return
        gone = self._reader.gone  # first: every message came before it was set
        self._inbox.extend(self._reader.take())
        if gone:
            self._lost()

    @Slot()
    def _on_tick(self) -> None:
        self._read()
        inbox, self._inbox = self._inbox, []
        snapshots: list[Snapshot] = []
        others: list[tuple] = []
        playing = self._playing
        for message in inbox:
            kind = message[0]
            if kind == "snapshot":
                snapshot = read_only(message[1])
                if snapshot.run == self._offset_run:
                    snapshot = restart.shifted(snapshot, self._offset)
                if snapshot.scrubbed:
                    others.append(("scrubbed", snapshot))  # never the run's latest state
                else:
                    collect(snapshots, snapshot)
            elif kind == "playing" and message[2] >= self._play_command:
                playing = message[1]  # else a later play/pause/step is still on its way
            elif kind in self.REPLIES or kind == "error":
                others.append(message)
        for snapshot in snapshots:
            self._latest, self._latest_generation = snapshot, self._generation
            self.snapshotReady.emit(snapshot)
        for kind, *payload in others:
            getattr(self, self.REPLIES.get(kind, "errorOccurred")).emit(*payload)
        self._set_playing(playing)

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit(playing)

    def _lost(self) -> None:
        """The process has gone without being asked to: report it once."""
        if self._conn is None:
            return
        self._timer.stop()
        self._process.join(1.0)
        self._reader.thread.join(1.0)  # closed only once the reader is off it
        self._conn.close()
        self._conn = None
        self._died = True
        self._inbox.append(("playing", False, self._sent))
        self._inbox.append(("error", GONE))
        QTimer.singleShot(0, self, self._on_tick)
