"""The history scrubber's side of the training process: the run's checkpoints, the epoch
being shown rebuilt on a trainer of its own, and training resumed from an earlier epoch
(undoably).  See core.engine.checkpoints for why a rebuilt epoch is exact.

Every epoch's end is kept, unless keeping it would cost training more than COST_SHARE of
its time: the tiniest nets (xor_script's epoch takes ~20 µs, a checkpoint ~5) keep one
every few epochs, and a rebuild trains those few again (well under a millisecond)."""

from __future__ import annotations

import copy
import time

from core.engine.checkpoints import Checkpoint, Checkpoints, capture, rebuild, restore, twin
from core.engine.trainer import Trainer

COST_SHARE = 0.05
"""The most of the training process's time that keeping checkpoints may take."""


class Scrubber:
    """Checkpoints of one run (one loaded session); ``budget`` in bytes."""

    def __init__(self, trainer: Trainer, budget: int | None = None) -> None:
        self.checkpoints = Checkpoints() if budget is None else Checkpoints(budget)
        self.checkpoints.record(trainer, pinned=True)
        self.shown: Trainer | None = None  # the epoch being shown is rebuilt here
        self.undo: tuple[Checkpoints, Checkpoint] | None = None  # before the last resume
        self.kept_at, self.cost = time.perf_counter(), 0.0  # the last checkpoint's time

    def epoch_ended(self, trainer: Trainer) -> None:
        """Call after every epoch's last step."""
        start = time.perf_counter()
        if start - self.kept_at >= self.cost / COST_SHARE:
            self.checkpoints.record(trainer)
            self.kept_at = time.perf_counter()
            self.cost = self.kept_at - start

    def changed(self, trainer: Trainer) -> None:
        """Call after every change made between two steps (a setting, a parameter, an
        applied or restored state): later rebuilds start from here."""
        self.checkpoints.record(trainer, pinned=True)

    def show(self, trainer: Trainer, epoch: int) -> Trainer:
        """A trainer in the state right after epoch ``epoch`` of the run ``trainer`` is
        on (0 .. its epoch now); ``trainer`` itself is untouched."""
        self._check(trainer, epoch)
        if self.shown is None:
            self.shown = twin(trainer)
        rebuild(self.shown, self.checkpoints, epoch)
        return self.shown

    def resume(self, trainer: Trainer, epoch: int) -> None:
        """Put ``trainer`` back right after epoch ``epoch``: the later epochs are dropped
        (kept for :meth:`undo_resume`), training goes on from there (on the rows it trains
        on now, points drawn since included)."""
        self._check(trainer, epoch)
        self.undo = (copy.copy(self.checkpoints), capture(trainer, pinned=True))
        self.checkpoints.points = list(self.checkpoints.points)  # the copy keeps the old list
        point = self.checkpoints.nearest(epoch)
        self.checkpoints.forget_after(point)
        rows = (trainer.x_train, trainer.y_train, trainer.x_test, trainer.y_test)
        restore(trainer, point)
        while trainer.epoch < epoch and trainer.status != "diverged":
            trainer.run_epoch()
            self.checkpoints.record(trainer)
        if trainer.x_train is not rows[0] or trainer.y_train is not rows[1]:
            trainer.set_data(*rows)  # the points drawn since stay: training goes on on them
        self.changed(trainer)

    def undo_resume(self, trainer: Trainer) -> None:
        """Back to where the run was before the last resume, its later epochs kept."""
        if self.undo is None:
            raise ValueError("there is no resume to undo")
        self.checkpoints, now = self.undo
        self.undo = None
        restore(trainer, now)
        self.changed(trainer)

    @staticmethod
    def _check(trainer: Trainer, epoch: int) -> None:
        if not 0 <= epoch <= trainer.epoch:
            raise ValueError(f"epoch {epoch} is not in this run: choose 0 to {trainer.epoch}")
