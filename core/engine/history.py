"""Training history: one row per epoch, in arrays that grow by doubling.

A reader that has taken the rows it needs (the training process, once a snapshot carried
them to the window) lets the history forget them, so a run of any length holds only the
rows not yet sent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


# Overflow to inf or NaN is how divergence shows; it is detected and reported, not warned about.
def quiet() -> np.errstate:
    """A context in which floating-point overflow and NaN pass silently."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


@dataclass(frozen=True)
class Divergence:
    """Where training produced a non-finite loss or parameter."""

    epoch: int
    step: int
    message: str


class History:
    """Per-epoch records in preallocated arrays that grow by doubling.

    Columns: train_loss, test_loss, train_accuracy, test_accuracy (NaN where
    they do not apply) and grad_norm[:, l] for each weight matrix.  ``rows`` counts every
    epoch recorded; the rows ``first``.. are held (all of them unless :meth:`forget` was
    called), and the newest is always held.
    """

    FIELDS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "penalty")

    def __init__(self, n_layers: int, capacity: int = 1024) -> None:
        self._data = np.full((capacity, len(self.FIELDS)), np.nan)
        self._norms = np.full((capacity, n_layers), np.nan)
        self.rows = 0
        self.first = 0  # the epoch of the buffers' row 0

    def append(
        self,
        train_loss: float,
        test_loss: float,
        train_accuracy: float,
        test_accuracy: float,
        penalty: float,
        norms: list[float] | None,
    ) -> None:
        """Add the row for the next epoch (norms None: no step yet)."""
        r = self.rows - self.first
        if r == len(self._data):
            self._data = np.concatenate([self._data, np.full_like(self._data, np.nan)])
            self._norms = np.concatenate([self._norms, np.full_like(self._norms, np.nan)])
        row = self._data[r]
        row[0], row[1], row[2], row[3], row[4] = (
            train_loss,
            test_loss,
            train_accuracy,
            test_accuracy,
            penalty,
        )
        if norms is not None:
            self._norms[r] = norms
        self.rows += 1

    def forget(self, before: int) -> None:
        """Drop the rows before ``before`` (clamped so that the newest row stays held).

        The rows kept move to the front of the buffers, which keep their size: a history
        forgotten after every snapshot never holds more than the rows between two."""
        before = min(max(before, self.first), self.rows - 1)
        if before <= self.first:
            return
        keep = slice(before - self.first, self.rows - self.first)
        kept = self.rows - before
        self._data[:kept] = self._data[keep]
        self._norms[:kept] = self._norms[keep]
        self._data[kept:] = np.nan
        self._norms[kept:] = np.nan
        self.first = before

    def last(self, name: str) -> float:
        """The newest value of one column."""
        return float(self._data[self.rows - 1 - self.first, self.FIELDS.index(name)])

    def newest(self) -> np.ndarray:
        """A copy of the newest row: the FIELDS' values, then grad_norm's."""
        r = self.rows - 1 - self.first
        return np.concatenate([self._data[r], self._norms[r]])

    def column(self, name: str) -> np.ndarray:
        """A read-only view of one column over the rows held (``first``..)."""
        view = self._data[: self.rows - self.first, self.FIELDS.index(name)]
        view.flags.writeable = False
        return view

    @property
    def grad_norm(self) -> np.ndarray:
        """|dW^l| at each epoch's last step over the rows held, shape (rows held, layers);
        epoch 0's row is NaN."""
        view = self._norms[: self.rows - self.first]
        view.flags.writeable = False
        return view

    def rows_since(self, start: int) -> dict[str, np.ndarray]:
        """Copies of rows start.. (for snapshots sent to another process); ``start`` must
        not be before ``first``."""
        if start < self.first:
            raise ValueError(f"history rows before {self.first} were forgotten; asked from {start}")
        held = slice(start - self.first, self.rows - self.first)
        out = {name: self._data[held, i].copy() for i, name in enumerate(self.FIELDS)}
        out["grad_norm"] = self._norms[held].copy()
        return out
