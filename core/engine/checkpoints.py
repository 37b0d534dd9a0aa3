"""Checkpoints of a run, so that any epoch of it can be shown again exactly (the history
scrubber) and training can go on from there.

A checkpoint is the trainer's whole state between two steps: its parameters, the
optimiser's state, the epoch, the step and the place in the epoch, the settings in force,
the divergence watch, and the history row it stands at.  Training is deterministic (epoch
e's order is drawn from ``default_rng([seed, e])``; one BLAS thread), so the parameters after
epoch k are rebuilt bit for bit by restoring the last checkpoint at or before k and training
on to k.

Every epoch's end is kept while the store fits its budget; past it, the store keeps every
2nd epoch, then every 4th, ... (the stride doubles), so a rebuild trains at most stride - 1
epochs.  A change made between two steps (the learning rate, a setting, an edited weight,
lecture mode's applied step, a restore after divergence, points drawn) is recorded right
after it as a pinned checkpoint, which is never thinned: a rebuild never trains across a
change.  A checkpoint holds the rows trained on (shared, never copied), so an epoch before
points were drawn is rebuilt on the rows it was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.engine.config import TrainingConfig
from core.engine.history import History

if TYPE_CHECKING:
    from core.engine.trainer import Trainer

BUDGET_BYTES = 256 * 2**20
"""The default memory budget of a run's checkpoints."""
OVERHEAD_BYTES = 600
"""What a checkpoint costs besides its arrays (the objects that hold them), estimated."""


@dataclass(frozen=True)
class Checkpoint:
    """The trainer's state after ``steps`` steps: ``epoch`` epochs done and ``pos`` rows
    into the next.  ``finite`` is the last usable parameters; ``row`` is the history's
    newest row (History.newest); ``nbytes`` the memory it holds, about."""

    epoch: int
    steps: int
    pos: int
    params: np.ndarray
    optimizer: dict
    config: TrainingConfig
    status: str
    divergence: object
    usable_epoch: int
    lowest: float
    finite: np.ndarray
    row: np.ndarray
    pinned: bool
    nbytes: int
    data: tuple = ()  # the rows trained on: (x_train, y_train, x_test, y_test), shared
    bug: str | None = None  # the bug lab's bug in force (core.engine.bugs)

    def ends_epoch(self, epoch: int) -> bool:
        """Whether this is the state right after epoch ``epoch``."""
        return self.epoch == epoch and self.pos == 0


def capture(trainer: Trainer, pinned: bool = False) -> Checkpoint:
    """The trainer's state now (copies: training on leaves it unchanged)."""
    t = trainer
    optimizer = t.optimizer.saved()
    params, finite, row = t._flat.copy(), t._finite_copy.copy(), t.history.newest()
    arrays = (params, finite, row, *optimizer["slots"].values())
    return Checkpoint(
        epoch=t.epoch,
        steps=t.steps,
        pos=t._pos,
        params=params,
        optimizer=optimizer,
        config=t.config,
        status=t.status,
        divergence=t.divergence,
        usable_epoch=t.usable_epoch,
        lowest=t._lowest,
        finite=finite,
        row=row,
        pinned=pinned,
        nbytes=OVERHEAD_BYTES + sum(a.nbytes for a in arrays),
        data=_rows(t),
        bug=t.bug,
    )


def restore(trainer: Trainer, point: Checkpoint) -> None:
    """Put ``trainer`` back in the state of ``point``.  Its history then holds only the
    row ``point`` stands at (the window has the earlier ones)."""
    t = trainer
    if point.data and any(a is not b for a, b in zip(point.data, _rows(t))):
        t.set_data(*point.data)  # taken before points were drawn: those rows again
    np.copyto(t._flat, point.params)
    np.copyto(t._finite_copy, point.finite)
    t.optimizer.load(point.optimizer)  # with the learning rate and its other settings
    t.config = point.config  # a run's other settings never change (they start a new run)
    t.bug = point.bug
    t._use_mask(point.config)
    t.epoch, t.steps, t._pos = point.epoch, point.steps, point.pos
    t._order = t.epoch_order(t.epoch + 1) if point.pos else None
    t.status, t.divergence = point.status, point.divergence
    t.usable_epoch, t._lowest = point.usable_epoch, point.lowest
    t._cached_value = None
    history = History(len(t.network.weights))
    history.first = history.rows = point.epoch
    values, norms = point.row[: len(History.FIELDS)], point.row[len(History.FIELDS) :]
    history.append(*values.tolist(), None if np.isnan(norms).all() else norms.tolist())
    t.history = history


def _rows(t: Trainer) -> tuple:
    return (t.x_train, t.y_train, t.x_test, t.y_test)


class Checkpoints:
    """A run's checkpoints in the order they were taken, within ``budget`` bytes (pinned
    ones always kept)."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self.points: list[Checkpoint] = []
        self.stride = 1  # epoch ends are kept at multiples of it
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self.points)

    def record(self, trainer: Trainer, pinned: bool = False) -> None:
        """Keep the trainer's state now: at an epoch's end if the stride keeps that epoch
        (and a later state at that epoch replaces an earlier unpinned one), or pinned."""
        if not pinned and (trainer._pos or trainer.epoch % self.stride):
            return
        last = self.points[-1] if self.points else None
        if last is not None and not last.pinned and last.ends_epoch(trainer.epoch):
            self._drop(len(self.points) - 1)  # the same epoch again (a step, then "epoch")
        point = capture(trainer, pinned)
        self.points.append(point)
        self.nbytes += point.nbytes
        while self.nbytes > self.budget and self._thin():
            pass

    def nearest(self, epoch: int) -> Checkpoint:
        """The checkpoint to rebuild epoch ``epoch`` from: the state right after it if
        kept, else the last one taken before any state past it."""
        candidates = [p for p in self.points if p.epoch < epoch or p.ends_epoch(epoch)]
        if not candidates:
            raise ValueError(f"no checkpoint at or before epoch {epoch}")
        exact = [p for p in candidates if p.ends_epoch(epoch)]
        return exact[-1] if exact else candidates[-1]

    def forget_after(self, point: Checkpoint) -> None:
        """Drop every checkpoint taken after ``point`` (training goes on from it)."""
        keep = next(k for k, p in enumerate(self.points) if p is point) + 1
        for k in range(len(self.points) - 1, keep - 1, -1):
            self._drop(k)

    def epochs(self) -> list[int]:
        """The epochs whose end is kept, ascending."""
        return sorted({p.epoch for p in self.points if p.pos == 0})

    def _thin(self) -> bool:
        """Double the stride and drop the unpinned epoch ends it no longer keeps; False
        when nothing can go (the first and the pinned ones stay)."""
        if all(p.pinned for p in self.points[1:]):
            return False
        self.stride *= 2
        for k in range(len(self.points) - 1, 0, -1):
            p = self.points[k]
            if not p.pinned and p.epoch % self.stride:
                self._drop(k)
        return True

    def _drop(self, k: int) -> None:
        self.nbytes -= self.points.pop(k).nbytes


def rebuild(trainer: Trainer, store: Checkpoints, epoch: int) -> None:
    """Put ``trainer`` in the state right after epoch ``epoch`` of the run ``store``
    recorded: its nearest checkpoint, then the epochs after it trained again."""
    restore(trainer, store.nearest(epoch))
    while trainer.epoch < epoch and trainer.status != "diverged":
        trainer.run_epoch()


def twin(trainer: Trainer) -> Trainer:
    """A trainer of its own on a copy of ``trainer``'s network and the same data (rows
    shared, never written), to rebuild an epoch in without touching the run."""
    from core.engine.trainer import Trainer

    t = trainer
    copied = Trainer(
        t.network.copy(), t._loss_name, t.config, t.x_train, t.y_train, t.x_test, t.y_test
    )
    copied.bug = t.bug
    return copied
