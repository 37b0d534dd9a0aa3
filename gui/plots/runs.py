"""One training run's history as the plots hold it: columns that grow by doubling,
and the envelope they are drawn from.

NumPy only (no Qt), so the growth rule and the envelope are tested directly.
Between doublings an append allocates nothing.  A curve of any length is drawn
from at most about ``2 * MAX_BINS`` points: beyond that many rows, each bin of
2^k rows is drawn as its maximum then its minimum (pyqtgraph's "peak"
downsampling), and the bins are kept up to date as rows arrive, so an update
costs the same at epoch 1,000,000 as at epoch 5,000.
"""

from __future__ import annotations

import numpy as np

MAX_BINS = 1024  # ~2,000 points: about what a plot is wide, so pyqtgraph need not thin them


def bin_rows(rows: int) -> int:
    """The smallest power of two b with rows // b <= MAX_BINS (1: draw the rows as they are)."""
    size = 1
    while rows // size > MAX_BINS:
        size *= 2
    return size


class RunHistory:
    """History rows of one run, the epoch of row r being r.

    Stored column-major, one contiguous row per quantity (so each curve's data
    is a contiguous view): the :attr:`COLUMNS`, then |dW^l| for l = 1..layers.
    """

    COLUMNS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")

    def __init__(self, layers: int = 0, capacity: int = 256) -> None:
        if capacity < 1:
            raise ValueError(f"a run history needs room for at least one row, not {capacity}")
        self.initial_capacity = capacity
        self._reset(layers)

    def _reset(self, layers: int) -> None:
        """Empty, for ``layers`` weight matrices, at the initial capacity."""
        self.layers = layers
        self.rows = 0
        self._data = np.full((len(self.COLUMNS) + layers, self.initial_capacity), np.nan)
        self._epochs = np.arange(self.initial_capacity, dtype=float)
        self._bin = 1  # rows per bin of the envelope
        self._binned = 0  # full bins whose max and min are up to date
        self._low = self._high = np.empty((len(self._data), 0))

    @property
    def capacity(self) -> int:
        """Rows the buffers hold before they next double."""
        return self._data.shape[1]

    @property
    def epochs(self) -> np.ndarray:
        """0, 1, ..., rows - 1 (a view)."""
        return self._epochs[: self.rows]

    @classmethod
    def index(cls, name: str) -> int:
        """The row of ``name`` in :meth:`display`'s values."""
        return cls.COLUMNS.index(name)

    @classmethod
    def grad_index(cls, l: int) -> int:
        """The row of |dW^(l+1)| in :meth:`display`'s values."""
        return len(cls.COLUMNS) + l

    def column(self, name: str) -> np.ndarray:
        """One quantity over the rows held (a view; NaN where it does not apply)."""
        return self._data[self.index(name), : self.rows]

    def series(self, index: int) -> np.ndarray:
        """The column at ``index`` of :meth:`display`'s values over the rows held (a view)."""
        return self._data[index, : self.rows]

    def grad_norm(self, l: int) -> np.ndarray:
        """|dW^(l+1)| over the rows held (a view; row 0 is NaN: no step yet)."""
        if not 0 <= l < self.layers:
            raise IndexError(f"layer index {l} is outside 0..{self.layers - 1}")
        return self._data[self.grad_index(l), : self.rows]

    def value(self, name: str, row: int) -> float:
        """One quantity at one row."""
        return float(self._data[self.index(name), row])

    def grad_value(self, l: int, row: int) -> float:
        """|dW^(l+1)| at one row."""
        return float(self._data[self.grad_index(l), row])

    def finite_any(self, name: str, start: int = 0) -> bool:
        """Whether any row from ``start`` on has a finite value of ``name``."""
        return bool(np.isfinite(self._data[self.index(name), start : self.rows]).any())

    def write(self, history: dict[str, np.ndarray], start: int) -> None:
        """Store rows start.. of a history (core.engine.history's columns and "grad_norm" of
        shape (rows, layers)); rows held from ``start`` on are dropped first.

        A different number of layers is accepted only from row 0 (a new network)."""
        if not 0 <= start <= self.rows:
            raise ValueError(
                f"history rows start at {start}, but {self.rows} rows are held: "
                f"rows {self.rows}..{start - 1} are missing; append from row {self.rows} or less"
            )
        n = len(history["train_loss"])
        norms = np.asarray(history["grad_norm"], dtype=float)
        if norms.ndim == 1:  # one weight matrix
            norms = norms[:, np.newaxis]
        if norms.shape[1] != self.layers:
            if start:
                raise ValueError(
                    f"the history has {norms.shape[1]} gradient norms per row but this run has "
                    f"{self.layers} layers; start a new run for a new network"
                )
            self._reset(norms.shape[1])
        self.rows = start
        self._reserve(start + n)
        end = start + n
        for i, name in enumerate(self.COLUMNS):
            self._data[i, start:end] = history.get(name, np.nan)
        self._data[len(self.COLUMNS) :, start:end] = norms.T
        self.rows = end
        self._update_envelope(start)

    def _reserve(self, rows: int) -> None:
        """Double the capacity until ``rows`` fit, keeping the rows held."""
        capacity = self.capacity
        if rows <= capacity:
            return
        while capacity < rows:
            capacity *= 2
        data = np.full((self._data.shape[0], capacity), np.nan)
        data[:, : self.rows] = self._data[:, : self.rows]
        self._data = data
        self._epochs = np.arange(capacity, dtype=float)

    def compact(self) -> None:
        """Give back the spare capacity: for a finished run, which is no longer written to."""
        rows = max(self.rows, 1)
        self._data = self._data[:, :rows].copy()
        self._epochs = self._epochs[:rows].copy()

    # --- the envelope ---

    def _update_envelope(self, start: int) -> None:
        """Bring the max and min of every full bin up to date after rows start.. changed.

        The bin size doubles as the rows double; each doubling recomputes the bins
        once (O(rows)), so an append costs O(new rows + one bin) on average."""
        size = bin_rows(self.rows)
        if size != self._bin:
            self._bin, self._binned = size, 0
        if size == 1:
            return
        if self._low.shape[1] < MAX_BINS:
            self._low = np.full((len(self._data), MAX_BINS), np.nan)
            self._high = np.full((len(self._data), MAX_BINS), np.nan)
        first = min(self._binned, start // size)
        full = self.rows // size
        if full > first:
            self._low[:, first:full], self._high[:, first:full] = self._extremes(
                first * size, full - first, size
            )
        self._binned = full

    def _extremes(self, row: int, bins: int, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Min and max of every column over ``bins`` bins of ``size`` rows from ``row``
        (NaN ignored; NaN for a bin with no finite value)."""
        block = self._data[:, row : row + bins * size].reshape(len(self._data), bins, size)
        return np.fmin.reduce(block, axis=2), np.fmax.reduce(block, axis=2)

    def display(self, window: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """What to draw for rows window[0]..window[1] - 1 (all rows if None): x, and the
        values of every column (a row per column, ordered as :meth:`index` and
        :meth:`grad_index` say), at most ~2 * MAX_BINS points: the rows themselves, or the
        max then the min of each bin of rows at the bin's centre, then the rows after the
        last full bin."""
        if window is None:
            first, last, size = 0, self.rows, self._bin
            bins, low, high = self._binned, self._low, self._high
        else:
            first, last = max(0, min(window[0], self.rows)), max(0, min(window[1], self.rows))
            last = max(first, last)
            size = bin_rows(last - first)
            bins = (last - first) // size
            if size > 1:
                low, high = self._extremes(first, bins, size)
        if size == 1:
            return self._epochs[first:last], self._data[:, first:last]
        tail = first + bins * size
        points = 2 * bins + last - tail
        x = np.empty(points)
        centres = first + size * np.arange(bins) + (size - 1) / 2
        x[0 : 2 * bins : 2] = x[1 : 2 * bins : 2] = centres
        x[2 * bins :] = self._epochs[tail:last]
        values = np.empty((len(self._data), points))
        values[:, 0 : 2 * bins : 2] = high[:, :bins]
        values[:, 1 : 2 * bins : 2] = low[:, :bins]
        values[:, 2 * bins :] = self._data[:, tail:last]
        return x, values
