"""Training history: one row per epoch, in arrays that grow by doubling."""

from __future__ import annotations

import numpy as np


class History:
    """Per-epoch records in preallocated arrays that grow by doubling.

    Columns: train_loss, test_loss, train_accuracy, test_accuracy (NaN where
    they do not apply) and grad_norm[:, l] for each weight matrix.
    """

    FIELDS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "penalty")

    def __init__(self, n_layers: int, capacity: int = 1024) -> None:
        self._data = np.full((capacity, len(self.FIELDS)), np.nan)
        self._norms = np.full((capacity, n_layers), np.nan)
        self.rows = 0

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
        r = self.rows
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
        self.rows = r + 1

    def last(self, name: str) -> float:
        """The newest value of one column."""
        return float(self._data[self.rows - 1, self.FIELDS.index(name)])

    def column(self, name: str) -> np.ndarray:
        """A read-only view of one column over the recorded rows."""
        view = self._data[: self.rows, self.FIELDS.index(name)]
        view.flags.writeable = False
        return view

    @property
    def grad_norm(self) -> np.ndarray:
        """|dW^l| at each epoch's last step, shape (rows, layers); row 0 is NaN."""
        view = self._norms[: self.rows]
        view.flags.writeable = False
        return view

    def rows_since(self, start: int) -> dict[str, np.ndarray]:
        """Copies of rows start.. (for snapshots sent to another thread)."""
        out = {name: self._data[start : self.rows, i].copy() for i, name in enumerate(self.FIELDS)}
        out["grad_norm"] = self._norms[start : self.rows].copy()
        return out
