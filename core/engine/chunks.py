"""Evaluating a large set in chunks, so that the memory of one pass stays bounded.

The loss of a whole set is put back together from its chunks' losses as the loss's
formula defines it: sse is a sum over the rows, mse and bce are means over all
elements, cce a mean over the rows.  The result agrees with one pass over the whole
set to rounding (the tests hold it to 1e-12).
"""

from __future__ import annotations

import math

import numpy as np

from core.engine.fastpath import FastNet, Workspace
from core.engine.network import rows_bytes

EVAL_BYTES = 64 * 2**20  # the arrays of one evaluation pass (see chunk_rows)


class ChunkWorkspaces:
    """The workspaces of evaluation chunks: at most two sizes at a time (full chunks and
    a set's last, shorter one), kept apart from the training batches' workspaces."""

    def __init__(self, fast: FastNet, chunk: int) -> None:
        self.fast = fast
        self.chunk = chunk
        self._by_rows: dict[int, Workspace] = {}

    def get(self, m: int) -> Workspace:
        """A workspace for ``m`` rows (m <= chunk)."""
        if m not in self._by_rows:
            if len(self._by_rows) >= 2:  # drop the other last-chunk size, keep the full one
                del self._by_rows[next(k for k in self._by_rows if k != self.chunk)]
            self._by_rows[m] = self.fast.workspace(m)
        return self._by_rows[m]


def chunk_rows(layers: list[int]) -> int:
    """Rows per evaluation pass: as many as EVAL_BYTES hold, so that a small network
    still sees every set (at most 100,000 rows) in one pass, and a wide one in chunks."""
    return max(1, EVAL_BYTES // rows_bytes(layers, 1))


def right_count(a: np.ndarray, truth: np.ndarray, threshold: float) -> int:
    """How many rows of outputs ``a`` name their true class ``truth``: argmax for several
    outputs, else the output at or above ``threshold`` means the class coded hi."""
    if a.shape[1] > 1:
        return int(np.count_nonzero(a.argmax(axis=1) == truth))
    return int(np.count_nonzero((a >= threshold) == truth))


def evaluate_chunks(
    spaces: ChunkWorkspaces,
    x: np.ndarray,
    y: np.ndarray,
    loss: str,
    truth: np.ndarray | None,
    threshold: float,
) -> tuple[float, float]:
    """The loss L of (x, y) and the accuracy (NaN when ``truth`` is None), chunk by chunk."""
    total, correct, n, chunk = 0.0, 0, len(x), spaces.chunk
    for start in range(0, n, chunk):
        end = min(start + chunk, n)
        ws = spaces.get(end - start)
        a = spaces.fast.forward(ws, x[start:end])
        value = spaces.fast.loss_and_delta(ws, y[start:end], loss)
        total += value if loss == "sse" else value * (end - start)  # means back to sums
        if truth is not None:
            correct += right_count(a, truth[start:end], threshold)
    value = total if loss == "sse" else total / n
    return value, (math.nan if truth is None else correct / n)
