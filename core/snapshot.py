"""Snapshots: immutable copies of a trainer's state, safe to hand to another thread.

A GUI draws from the newest snapshot and appends every history row it
carries; it never reads arrays the trainer is still writing.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.checks.health import layer_hints
from core.data.planes import Maps, Slice, plane_maps
from core.engine.network import Network
from core.engine.trainer import Trainer

if TYPE_CHECKING:
    from core.session.format import Session


def _frozen(arrays: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    out = []
    for a in arrays:
        c = np.array(a, dtype=float, copy=True)
        c.flags.writeable = False
        out.append(c)
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The state after ``steps`` optimiser steps (``epoch`` whole epochs).

    ``dW``/``db`` are the data-loss gradients of the last step (zeros before
    the first).  ``history`` holds the history rows ``history_start`` onwards
    (copies: each column name of :class:`core.engine.history.History`, and
    "grad_norm" of shape (rows, layers)).  ``evaluation``, when given, holds the losses
    and accuracies of these very parameters (train_loss, test_loss, train_accuracy,
    test_accuracy; NaN where they do not apply): the history's rows are per epoch, and the
    parameters may have changed since the last one (a step, an edit, an applied update).
    """

    layers: tuple[int, ...]
    activation_names: tuple[str, ...]
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    dW: tuple[np.ndarray, ...]
    db: tuple[np.ndarray, ...]
    epoch: int
    steps: int
    lr: float
    status: str
    message: str
    history_start: int
    history: dict[str, np.ndarray]
    evaluation: dict[str, float] | None = None
    run: int = 0  # sessions loaded before it was sent: a GUI drops those of an earlier one
    hints: tuple[str, ...] = ()  # layers that stopped learning (with ``evaluation``)
    maps: Maps | None = None  # what these parameters compute over the data's plane, if sent
    scrubbed: bool = False  # an earlier epoch of the run, shown again (the run is elsewhere)
    bug: str | None = None  # the bug lab's bug in force (core.engine.bugs), never saved


def evaluation_of(trainer: Trainer) -> dict[str, float]:
    """The data loss L and the accuracy of ``trainer``'s parameters now, on both splits."""
    train_loss, train_accuracy = trainer.evaluate(trainer.x_train, trainer.y_train)
    test_loss, test_accuracy = trainer.evaluate(trainer.x_test, trainer.y_test)
    return {
        "train_loss": train_loss,
        "test_loss": test_loss,
        "train_accuracy": train_accuracy,
        "test_accuracy": test_accuracy,
    }


def take_snapshot(trainer: Trainer, history_start: int = 0, evaluate: bool = False) -> Snapshot:
    """Copy everything a view needs from ``trainer``, with history rows from ``history_start``
    (and, if ``evaluate``, the losses and accuracies of its parameters now)."""
    net = trainer.network
    return Snapshot(
        layers=tuple(net.layers),
        activation_names=tuple(net.activation_names),
        weights=_frozen(net.weights),
        biases=_frozen(net.biases),
        dW=_frozen(trainer.fast.dW),
        db=_frozen(trainer.fast.db),
        epoch=trainer.epoch,
        steps=trainer.steps,
        lr=trainer.lr,
        status=trainer.status,
        message=trainer.divergence.message if trainer.divergence else "",
        history_start=history_start,
        history=trainer.history.rows_since(history_start),
        evaluation=evaluation_of(trainer) if evaluate else None,
        hints=tuple(layer_hints(net, trainer.x_train)) if evaluate else (),
        bug=trainer.bug,
    )


def network_snapshot(network: Network) -> Snapshot:
    """A snapshot of a network before any training: zero gradients, no history."""
    return Snapshot(
        layers=tuple(network.layers),
        activation_names=tuple(network.activation_names),
        weights=_frozen(network.weights),
        biases=_frozen(network.biases),
        dW=_frozen([np.zeros_like(w) for w in network.weights]),
        db=_frozen([np.zeros_like(b) for b in network.biases]),
        epoch=0,
        steps=0,
        lr=math.nan,
        status="ready",
        message="",
        history_start=0,
        history={},
    )


def snapshot_network(snapshot: Snapshot) -> Network:
    """The network a snapshot describes (a new, writable copy)."""
    return Network(list(snapshot.weights), list(snapshot.biases), list(snapshot.activation_names))


def session_maps(session: Session, network: Network, cut: Slice | None = None) -> Maps | None:
    """What ``network`` computes over ``session``'s data plane (core.data.planes.plane_maps;
    ``cut``: the slice of a table of more than two inputs)."""
    builtin = session.data.get("builtin")
    return plane_maps(network, session.dataset, session.features, builtin, cut)


def read_only(snapshot: Snapshot) -> Snapshot:
    """The snapshot with every array read-only again (unpickled arrays are writeable)."""
    arrays = [*snapshot.weights, *snapshot.biases, *snapshot.dW, *snapshot.db]
    for array in arrays + list(snapshot.history.values()):
        array.flags.writeable = False
    return snapshot


def history_rows(snapshot: Snapshot) -> int:
    """How many history rows a snapshot carries."""
    return len(snapshot.history["train_loss"])


def merged(first: Snapshot, later: Snapshot) -> Snapshot:
    """``later``'s state with the history rows of both (``later`` continues ``first``) and
    the newest maps either carries."""
    history = {
        name: np.concatenate([first.history[name], rows]) for name, rows in later.history.items()
    }
    for rows in history.values():
        rows.flags.writeable = False
    maps = later.maps if later.maps is not None else first.maps  # the newest sent
    return dataclasses.replace(later, history_start=first.history_start, history=history, maps=maps)


def collect(snapshots: list[Snapshot], snapshot: Snapshot) -> None:
    """Append ``snapshot`` to ``snapshots``, merged into the last one when it continues its
    history (a window draws one snapshot per tick, every history row kept)."""
    if snapshots:
        last = snapshots[-1]
        if snapshot.history_start == last.history_start + history_rows(last):
            snapshots[-1] = merged(last, snapshot)
            return
    snapshots.append(snapshot)
