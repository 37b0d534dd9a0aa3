"""The training process: a loop that trains a session and answers commands over a pipe.

The GUI runs :func:`serve` in a child process (threads share the GIL, so a
trainer in a thread slows the window down and the window slows the trainer).
Both ends talk in tuples through a ``multiprocessing`` connection.

GUI -> here::

    ("load", session_dict, base_dir or None, allow_outside)
                                               build session and trainer; pauses (a CSV
                                               file outside base_dir only if allowed)
    ("play",) / ("pause",)                     train continuously / stop
    ("step",) / ("epoch",)                     one mini-batch / the rest of the epoch; pauses
    ("lr", value)                              the learning rate, optimiser state kept
    ("config", {name: value})                  Trainer.update_config (live settings)
    ("speed", steps_per_second or None)        None: as fast as possible
    ("stop_at", max_epochs or None, target_loss or None)
    ("set_weight", l, i, j, value) / ("set_bias", l, i, value)
    ("restore",)                               the last finite state after a divergence
    ("data", data_dict)                        train on on these rows (points drawn): the
                                               weights, optimiser, epoch and history kept
    ("state",)                                 the session as it is now
    ("slice", axes, held)                      the plane the maps of > 2 inputs are drawn over
    ("scrub", epoch)                           a snapshot (scrubbed) of the run after that epoch
    ("resume", epoch or None)                  train on from that epoch (None: undo that)
    ("landscape", LandscapeRequest or None)    a loss landscape, in slices (None: cancel)
    ("bug", name or None)                      the bug lab's bug (core.engine.bugs), kept
                                               across loads; the weights and the run stay
    ("gradcheck",)                             the gradient check of the network now (pauses)
    ("quit",)

here -> GUI::

    ("snapshot", Snapshot)      history rows since the previous snapshot, so each row arrives once
    ("playing", flag, count)    the play flag changed after ``count`` commands were handled
    ("state", session_dict)
    ("error", message)
    ("landscape_progress", ident, fraction) / ("landscape", result) / ("landscape_failed", ...)
    ("gradcheck", GradcheckReport)

While playing, the loop trains in chunks of about 8 ms, looks for commands
between chunks and sends a snapshot at most 60 times a second, plus one
whenever it stops.  A snapshot carries the maps of the neurons and of the output
(core.data.planes.plane_maps) whenever it is not playing, and while playing as often
as MAPS_SECONDS and MAPS_SHARE allow, so the window never runs a forward pass to draw.
This module imports only the core: no Qt.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from core.checks.gradcheck import trainer_gradcheck
from core.data.planes import Maps, Slice
from core.engine import bugs
from core.engine.trainer import Trainer, trainer_for
from core.explore.jobs import LandscapeRequest, Landscapes
from core.explore.scrubber import Scrubber
from core.playing import Playing
from core.session.format import Session, SessionError, session_from_dict, session_to_dict
from core.snapshot import session_maps, take_snapshot

MAPS_SECONDS = 1 / 60
"""While playing, the maps go out at most this often ..."""
MAPS_SHARE = 0.25
"""... and take at most this share of the process's time (the largest networks' maps take
long: they come less often, and training goes on)."""
SNAPSHOT_SECONDS = 1 / 60
SNAPSHOT_BYTES_PER_SECOND = 100e6
"""Large networks' snapshots come less often: the window unpickles and draws at most about
this many bytes of parameters and gradients a second (a 10 M-parameter network's snapshot
is 160 MB: one every 1.6 s; Playground's largest net's, 60 times a second)."""
"""The least time between two snapshots while playing."""

USER_ERRORS = (SessionError, ValueError, IndexError, TypeError)
CHANGES = frozenset(("lr", "config", "set_weight", "set_bias", "apply", "restore", "data", "bug"))
"""The commands that change the run between two steps: each leaves a pinned checkpoint."""


def serve(conn: Any) -> None:
    """Train and answer commands on ``conn`` until "quit" or until the other end goes away."""
    try:
        TrainingLoop(conn).run()
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass  # the GUI has gone: nobody is left to report to
    finally:
        conn.close()


class TrainingLoop(Playing):
    """The state of the training process: the session, its trainer, and how to run it.

    ``clock`` (seconds, monotonic) times the chunks, the snapshots and the pacing; the
    tests pass one that they move by hand."""

    def __init__(self, conn: Any, clock: Callable[[], float] = time.perf_counter) -> None:
        self.conn = conn
        self.clock = clock
        self.session: Session | None = None
        self.trainer: Trainer | None = None
        self.playing = False
        self.steps_per_second: float | None = None
        self.max_epochs: int | None = None
        self.target_loss: float | None = None
        self.handled = 0  # commands handled so far: ("playing", flag, handled) is ordered by it
        self.loads = 0  # load commands handled: every snapshot says which session it is of
        self.rows_sent = 0
        self.steps_sent = -1
        self.last_sent = 0.0
        self.maps_due = -math.inf  # while playing, no maps before this time
        self.slice: Slice | None = None  # the maps' plane through more than two inputs
        self.at_epoch_start = True
        self.seconds_per_step: float | None = None
        self.pace_start = 0.0
        self.paced_steps = 0
        self.landscapes = Landscapes(conn.send, clock)
        self.bug: str | None = None  # the bug lab's, for every session loaded (never saved)

    # --- the loop ---

    def run(self) -> None:
        """Alternate between handling every waiting command and one chunk of training."""
        while True:
            timeout = self.train() if self.playing else None
            if timeout is None and self.playing:
                timeout = 0.0
            timeout = self.landscapes.work(timeout)  # a slice of a landscape under way
            if not self.conn.poll(timeout):
                continue
            while True:
                message = self.conn.recv()
                self.handled += 1
                if message[0] == "quit":
                    return
                self.handle(message)
                if not self.conn.poll():
                    break

    def handle(self, message: tuple) -> None:
        """Carry out one command; a wrong one is answered with ("error", why)."""
        name, args = message[0], message[1:]
        action = getattr(self, f"on_{name}", None)
        if action is None:
            self.conn.send(("error", f"the training process does not know the command {name!r}"))
            return
        try:
            if name != "load" and self.trainer is None:
                raise ValueError(f"no session is loaded yet, so {name!r} cannot run")
            action(*args)
            if name in CHANGES:
                self.scrubber.changed(self.trainer)
        except USER_ERRORS as exc:
            self.conn.send(("error", str(exc)))

    def set_playing(
        self, playing: bool, status: str | None = None, snapshot: str | None = None
    ) -> None:
        """Start or stop playing (with a new status, unless it has diverged); tell the GUI
        when the flag changes.  With ``snapshot`` (its message), the state goes out first,
        so a GUI that sees playing stop already has the final state."""
        if status is not None and self.trainer.status != "diverged":
            self.trainer.status = status
        changed = playing != self.playing
        self.playing = playing
        if snapshot is not None:
            self.send_snapshot(snapshot)
        if changed:
            self.conn.send(("playing", playing, self.handled))
        if playing:
            self.restart_pace()

    def send_snapshot(self, message: str = "") -> None:
        """Send the trainer's state with the history rows the GUI has not had yet."""
        trainer = self.trainer  # paused: the parameters may differ from the last epoch's row
        snapshot = take_snapshot(trainer, self.rows_sent, evaluate=not self.playing)
        snapshot = dataclasses.replace(
            snapshot, run=self.loads, message=message or snapshot.message, maps=self.maps_now()
        )
        self.conn.send(("snapshot", snapshot))
        self.rows_sent = trainer.history.rows
        trainer.history.forget(self.rows_sent)  # the window has them: memory stays bounded
        self.steps_sent = trainer.steps
        self.last_sent = self.clock()

    @property
    def snapshot_seconds(self) -> float:
        """The least time between two snapshots while playing, for this network's size."""
        net = self.trainer.network
        parameters = sum(w.size for w in net.weights) + sum(b.size for b in net.biases)
        return max(SNAPSHOT_SECONDS, 16 * parameters / SNAPSHOT_BYTES_PER_SECOND)

    def maps_now(self) -> Maps | None:
        """The maps of the parameters now, unless playing and they went out too recently."""
        now = self.clock()
        if self.playing and now < self.maps_due:
            return None
        maps = session_maps(self.session, self.trainer.network, self.slice)
        spent = self.clock() - now
        self.maps_due = now + max(MAPS_SECONDS, spent / MAPS_SHARE)
        return maps

    # --- commands ---

    def on_load(
        self, session_dict: dict, base_dir: str | None = None, allow_outside: bool = False
    ) -> None:
        """A new session and trainer (the previous ones stay if this one is wrong); its CSV
        file may lie outside ``base_dir`` only if the user allowed it (``allow_outside``)."""
        self.on_pause()  # the old run's last state, so the GUI has it even if this load fails
        self.loads += 1  # from here on, snapshots belong to the session being loaded
        self.landscapes.start(None, self.trainer, "")  # the old network's plane: cancelled
        folder = None if base_dir is None else Path(base_dir)
        session = session_from_dict(session_dict, base_dir=folder, allow_outside=allow_outside)
        trainer = trainer_for(session)
        self.session, self.trainer, self.scrubber = session, trainer, Scrubber(trainer)
        self.slice = None
        self.max_epochs, self.target_loss = session.training.epochs, session.training.target_loss
        self.rows_sent, self.at_epoch_start = 0, True
        why = bugs.problem(self.bug, trainer.network.layers)
        trainer.bug = self.bug = None if why else self.bug
        self.send_snapshot()
        if why:
            self.conn.send(("error", f"The bug lab's bug was switched off: {why}."))

    def on_play(self) -> None:
        self.set_playing(True, "running")
        self.check_stop()

    def on_pause(self) -> None:
        if self.trainer is not None and self.playing:
            self.set_playing(False, "paused", snapshot="")

    def on_step(self) -> None:
        self.set_playing(False, "paused")
        epoch = self.trainer.epoch
        self.trainer.step()
        self.at_epoch_start = self.trainer.epoch != epoch
        if self.at_epoch_start:
            self.scrubber.epoch_ended(self.trainer)
        self.send_snapshot()

    def on_epoch(self) -> None:
        self.set_playing(False, "paused")
        self.trainer.run_epoch()
        self.scrubber.epoch_ended(self.trainer)
        self.at_epoch_start = True
        self.send_snapshot()

    def on_lr(self, value: float) -> None:
        self.trainer.lr = float(value)

    def on_config(self, changes: dict) -> None:
        self.trainer.update_config(**changes)
        self.max_epochs = changes.get("epochs", self.max_epochs)
        self.target_loss = changes.get("target_loss", self.target_loss)

    def on_speed(self, steps_per_second: float | None) -> None:
        if steps_per_second is not None and not steps_per_second > 0:
            raise ValueError(f"the speed must be > 0 steps per second, got {steps_per_second}")
        self.steps_per_second = steps_per_second
        self.restart_pace()

    def on_stop_at(self, max_epochs: int | None, target_loss: float | None) -> None:
        self.max_epochs, self.target_loss = max_epochs, target_loss

    def on_set_weight(self, l: int, i: int, j: int, value: float) -> None:
        self.trainer.network.weights[l][i, j] = finite(value, f"weight [{l}][{i}, {j}]")
        self.trainer.parameters_changed()
        self.send_snapshot()

    def on_set_bias(self, l: int, i: int, value: float) -> None:
        self.trainer.network.biases[l][i] = finite(value, f"bias [{l}][{i}]")
        self.trainer.parameters_changed()
        self.send_snapshot()

    def on_apply(self, weights: list, biases: list, optimizer: object, counted: int = 1) -> None:
        """Lecture mode's "apply": the traced update becomes the trainer's own step (or,
        undone, the parameters and optimiser state before it come back: ``counted`` -1)."""
        self.set_playing(False, "paused")
        self.trainer.apply_update(weights, biases, optimizer, counted)
        self.send_snapshot()

    def on_restore(self) -> None:
        self.set_playing(False)
        self.trainer.restore_last_finite()
        self.at_epoch_start = True
        self.send_snapshot()

    def on_data(self, data: dict) -> None:
        """The session's data is now ``data`` (points drawn on the map): training goes on
        on its rows from the next step, the weights and the run kept."""
        session, old = self.session, self.session.data
        session.data = copy.deepcopy(data)
        try:
            session.reload_dataset()
        except SessionError:
            session.data = old
            raise
        ds = session.dataset
        self.trainer.set_data(ds.x_train, ds.y_train, ds.x_test, ds.y_test)
        self.at_epoch_start = True
        if not self.playing:  # else the next snapshot brings it
            self.send_snapshot()

    def on_state(self) -> None:
        session, trainer = self.session, self.trainer
        session.training = dataclasses.replace(trainer.config, learning_rate=trainer.lr)
        self.conn.send(("state", session_to_dict(session)))

    def on_slice(self, axes: tuple[int, int], held: tuple[float, ...]) -> None:
        """Draw the maps of a table of more than two inputs over this plane."""
        inputs = self.session.dataset.x_train.shape[1]
        if len(held) != inputs:
            raise ValueError(f"a slice holds a value for each of the {inputs} inputs")
        self.slice = Slice(tuple(int(a) for a in axes), tuple(float(v) for v in held))
        if not self.playing:  # else the next snapshot brings the new maps
            self.send_snapshot()

    def on_landscape(self, request: LandscapeRequest | None) -> None:
        self.landscapes.start(request, self.trainer, self.session.loss)

    def on_bug(self, name: str | None) -> None:
        """Switch the bug lab's bug ``name`` on (None: off) from the next step on; the
        weights, the optimiser and the run stay."""
        if why := bugs.problem(name, self.trainer.network.layers):
            raise ValueError(f"The bug lab cannot switch on {name}: {why}.")
        self.bug = self.trainer.bug = name
        if not self.playing:  # else the next snapshot says so
            self.send_snapshot()

    def on_gradcheck(self) -> None:
        """Pause, and check the gradient of the network now (the bug's, if one is on)
        against central differences on the first training rows."""
        self.on_pause()
        self.conn.send(("gradcheck", trainer_gradcheck(self.trainer)))

    def on_scrub(self, epoch: int) -> None:
        """The run as it was right after epoch ``epoch`` (a scrubbed snapshot); the run
        itself stays, paused."""
        self.on_pause()
        shown = self.scrubber.show(self.trainer, int(epoch))
        snapshot = take_snapshot(shown, shown.history.rows, evaluate=True)
        maps = session_maps(self.session, shown.network, self.slice)
        scrubbed = dataclasses.replace(snapshot, run=self.loads, scrubbed=True, maps=maps)
        self.conn.send(("snapshot", scrubbed))

    def on_resume(self, epoch: int | None = None) -> None:
        """Train on from right after epoch ``epoch``, the later epochs dropped (None: back
        to before the last resume)."""
        self.set_playing(False, "paused")
        trainer = self.trainer
        if epoch is None:
            self.scrubber.undo_resume(trainer)
        else:
            self.scrubber.resume(trainer, int(epoch))
        self.rows_sent, self.at_epoch_start = trainer.history.rows, trainer._pos == 0
        self.send_snapshot()

    def on_lecture(self, sample: int | None = None, epoch: int | None = None) -> None:
        """What lecture mode needs to trace the next step exactly: the session now (or as it
        was right after epoch ``epoch``: the history scrubber's), the optimiser's state and
        the rows of the next mini-batch (or training row ``sample``)."""
        trainer = self.trainer if epoch is None else self.scrubber.show(self.trainer, epoch)
        if sample is not None and not 0 <= sample < len(trainer.x_train):
            raise ValueError(f"there is no training row {sample}")
        rows = trainer.next_batch() if sample is None else np.array([sample])
        self.session.training = dataclasses.replace(trainer.config, learning_rate=trainer.lr)
        session = dataclasses.replace(self.session, network=trainer.network)
        payload = {
            "session": session_to_dict(session),
            "optimizer": copy.deepcopy(trainer.optimizer),
            "rows": rows,
            "bug": trainer.bug,  # the trace shows the bug's deltas, gradients and update
            "allow_outside": self.session.allow_outside,  # so the window can build it too
        }
        self.conn.send(("lecture", payload))


def finite(value: float, what: str) -> float:
    """``value`` as a float; a ValueError naming ``what`` if it is not a finite number."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"the {what} must be a finite number, got {value}")
    return number
