"""Starting a training process again after it died: what to load, and how its numbers join.

Pure functions (no Qt, no process): :class:`gui.worker.TrainingWorker` keeps the last
"load" command and the newest snapshot; from them these build the load that carries on
where the dead process stopped, and shift the new process's counters (which start at 0)
so that epochs, steps and history rows continue those already shown.
"""

from __future__ import annotations

import copy
import dataclasses

from core.snapshot import Snapshot

# Settings sent after a load that a restarted process must be told again (the stop
# conditions too, but counted from the restart: see gui.worker's _revive).
REPLAYED = ("lr", "config", "speed", "slice", "data", "bug")
GONE = (
    "The training process stopped unexpectedly; the next command (play, step, reset, open) "
    "starts it again from the last state shown."
)
RESTARTED = (
    "The training process had stopped unexpectedly (it may have run out of memory), so it "
    "was started again: training goes on from the last state shown, epoch {epoch}. "
    "The optimiser's memory (momentum, Adam's averages) starts afresh."
)
SCRUB_GONE = (
    "Epochs before {epoch} cannot be shown again: the training process was restarted there."
)
RESTARTED_FRESH = (
    "The training process had stopped unexpectedly (it may have run out of memory), so it "
    "was started again on the session as it was loaded."
)


@dataclasses.dataclass(frozen=True)
class Offset:
    """Where a restarted run starts: the epochs and optimiser steps already behind it."""

    epochs: int = 0
    steps: int = 0


def replayed(replay: list[tuple], message: tuple) -> list[tuple]:
    """``replay`` with ``message`` added; a new "data" (the rows drawn so far, whole) or
    "bug" replaces the one before it, so the list stays as small as the session."""
    if message[0] in ("data", "bug"):
        replay = [m for m in replay if m[0] != message[0]]
    return [*replay, message]


def kept_across_loads(replay: list[tuple]) -> list[tuple]:
    """What of ``replay`` a new load keeps: the bug lab's bug, which outlives sessions."""
    return [m for m in replay if m[0] == "bug"]


def restored_load(load: tuple, latest: Snapshot) -> tuple:
    """The "load" command ``load`` with the weights, biases and learning rate of ``latest``
    (a snapshot of that very session): the network as it was last shown."""
    name, session_dict, *rest = load
    session_dict = copy.deepcopy(session_dict)
    network = session_dict["network"]
    network["weights"] = [w.tolist() for w in latest.weights]
    network["biases"] = [b.tolist() for b in latest.biases]
    session_dict["training"]["learning_rate"] = float(latest.lr)
    return (name, session_dict, *rest)


def stop_epochs(max_epochs: int | None, offset: Offset) -> int | None:
    """The stop condition "at most ``max_epochs`` epochs" for a run ``offset`` epochs in:
    the new process counts from 0, so it stops after the epochs that are left."""
    return None if max_epochs is None else max(0, max_epochs - offset.epochs)


def shifted(snapshot: Snapshot, offset: Offset) -> Snapshot:
    """``snapshot`` of a restarted run, its epoch, steps and history rows counted from the
    start of the first run.  Its history row 0 (the loss of the restored weights) takes the
    place of the last row shown, the one of the epoch it was restored at."""
    if offset == Offset():
        return snapshot
    return dataclasses.replace(
        snapshot,
        epoch=snapshot.epoch + offset.epochs,
        steps=snapshot.steps + offset.steps,
        history_start=snapshot.history_start + offset.epochs,
    )
