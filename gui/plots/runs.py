"""One training run's history as the plots hold it: columns that grow by doubling up to a
bound, and the envelope they are drawn from.

NumPy only (no Qt), so the growth rule and the envelope are tested directly.
Between doublings an append allocates nothing.  A curve of any length is drawn
from at most about ``2 * MAX_BINS`` points: beyond that many rows, each bin of
2^k epochs is drawn as its maximum then its minimum (pyqtgraph's "peak"
downsampling).  The bins are kept up to date from every row as it arrives, so an
update costs the same at epoch 1,000,000 as at epoch 5,000 and no spike is lost.

Memory is bounded too: past about ``HELD_BYTES`` of rows, every second row held is
dropped (the epochs held are then the multiples of 2, 4, 8, ... and always the
newest), so a run of any length holds the exact values of evenly spaced epochs,
and the envelope of all of them.
"""

from __future__ import annotations

import numpy as np

MAX_BINS = 1024  # ~2,000 points: about what a plot is wide, so pyqtgraph need not thin them
HELD_BYTES = 8 << 20  # a run's rows (and their epochs) take at most about this much memory


def bin_rows(rows: int) -> int:
    """The smallest power of two b with rows // b <= MAX_BINS (1: draw the rows as they are)."""
    size = 1
    while rows // size > MAX_BINS:
        size *= 2
    return size


def held_limit(columns: int) -> int:
    """How many rows of ``columns`` quantities (and their epochs) fit in HELD_BYTES; never
    fewer than 2 * MAX_BINS, so the rows of a run short enough to draw as it is stay."""
    return max(2 * MAX_BINS, HELD_BYTES // (8 * (columns + 1)))


class RunHistory:
    """History rows of one run, each with its epoch.

    Stored column-major, one contiguous row per quantity (so each curve's data
    is a contiguous view): the :attr:`COLUMNS`, then |dW^l| for l = 1..layers.
    ``rows`` counts the epochs received; the epochs held are those that are multiples
    of ``stride`` (1 until the run outgrows ``limit`` rows), and the newest.
    """

    COLUMNS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")

    def __init__(self, layers: int = 0, capacity: int = 256, limit: int | None = None) -> None:
        if capacity < 1:
            raise ValueError(f"a run history needs room for at least one row, not {capacity}")
        if limit is not None and limit < 2 * MAX_BINS:
            raise ValueError(f"a run history holds at least {2 * MAX_BINS} rows, not {limit}")
        self.initial_capacity = capacity
        self._limit = limit
        self._reset(layers)

    def _reset(self, layers: int) -> None:
        """Empty, for ``layers`` weight matrices, at the initial capacity."""
        self.layers = layers
        columns = len(self.COLUMNS) + layers
        self.limit = self._limit or held_limit(columns)
        self.rows = 0  # epochs received
        self.held = 0  # rows held
        self.stride = 1
        capacity = min(self.initial_capacity, self.limit)
        self._data = np.full((columns, capacity), np.nan)
        self._epochs = np.zeros(capacity)
        self._reset_envelope()

    @property
    def capacity(self) -> int:
        """Rows the buffers hold before they next double."""
        return self._data.shape[1]

    @property
    def epochs(self) -> np.ndarray:
        """The epochs of the rows held (a view): 0, 1, ..., rows - 1 until the run outgrows
        ``limit``."""
        return self._epochs[: self.held]

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
        return self._data[self.index(name), : self.held]

    def series(self, index: int) -> np.ndarray:
        """The column at ``index`` of :meth:`display`'s values over the rows held (a view)."""
        return self._data[index, : self.held]

    def grad_norm(self, l: int) -> np.ndarray:
        """|dW^(l+1)| over the rows held (a view; epoch 0 is NaN: no step yet)."""
        if not 0 <= l < self.layers:
            raise IndexError(f"layer index {l} is outside 0..{self.layers - 1}")
        return self._data[self.grad_index(l), : self.held]

    def nearest(self, epoch: float) -> int:
        """The held epoch nearest to ``epoch`` (the latest if none is held yet: -1)."""
        if self.held == 0:
            return -1
        epochs = self.epochs
        i = int(np.searchsorted(epochs, epoch))
        if i == self.held or (i > 0 and epoch - epochs[i - 1] <= epochs[i] - epoch):
            i -= 1
        return int(epochs[i])

    def _at(self, epoch: int) -> int:
        """The held row of ``epoch`` (which must be held)."""
        i = int(np.searchsorted(self.epochs, epoch))
        if i == self.held or self._epochs[i] != epoch:
            raise KeyError(f"epoch {epoch} is not held (held: multiples of {self.stride})")
        return i

    def value(self, name: str, epoch: int) -> float:
        """One quantity at one held epoch."""
        return float(self._data[self.index(name), self._at(epoch)])

    def grad_value(self, l: int, epoch: int) -> float:
        """|dW^(l+1)| at one held epoch."""
        return float(self._data[self.grad_index(l), self._at(epoch)])

    def finite_any(self, name: str, start: int = 0) -> bool:
        """Whether any row held from epoch ``start`` on has a finite value of ``name``."""
        first = int(np.searchsorted(self.epochs, start))
        return bool(np.isfinite(self._data[self.index(name), first : self.held]).any())

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
        if start < self.rows:
            self._truncate(start)
        if n == 0:
            return
        values = np.empty((len(self._data), n))
        for i, name in enumerate(self.COLUMNS):
            values[i] = history.get(name, np.nan)
        values[len(self.COLUMNS) :] = norms.T
        self._add_to_envelope(values)
        if self.held and self._epochs[self.held - 1] % self.stride:
            self.held -= 1  # the newest was held only for being the newest
        epochs = np.arange(start, start + n)
        keep = self._kept(epochs)
        while self.held + int(keep.sum()) > self.limit:
            self._thin()
            keep = self._kept(epochs)
        self._reserve(self.held + int(keep.sum()))
        end = self.held + int(keep.sum())
        self._data[:, self.held : end] = values[:, keep]
        self._epochs[self.held : end] = epochs[keep]
        self.held, self.rows = end, start + n

    def _kept(self, epochs: np.ndarray) -> np.ndarray:
        """Which of ``epochs`` (the newest last) are held at the current stride."""
        keep = epochs % self.stride == 0
        keep[-1] = True
        return keep

    def _thin(self) -> None:
        """Hold every second row: the multiples of twice the stride (newer rows follow)."""
        self.stride *= 2
        keep = self.epochs.astype(np.int64) % self.stride == 0
        count = int(keep.sum())
        self._data[:, :count] = self._data[:, : self.held][:, keep]
        self._epochs[:count] = self._epochs[: self.held][keep]
        self._data[:, count : self.held] = np.nan
        self.held = count

    def _truncate(self, start: int) -> None:
        """Forget the epochs from ``start`` on."""
        self.held = int(np.searchsorted(self.epochs, start))
        self._data[:, self.held :] = np.nan
        self.rows = start
        if self.stride == 1 and bin_rows(start) < self._bin:  # finer bins, from every row
            self._reset_envelope()
            self._add_to_envelope(self._data[:, : self.held])
        else:  # bins before start stay; the one start cuts, from the rows held
            self._binned = min(self._binned, start // self._bin)
            first = int(np.searchsorted(self.epochs, self._binned * self._bin))
            self._part_low, self._part_high = self._reduce(self._data[:, first : self.held])
            self._env_rows = start

    def _reserve(self, rows: int) -> None:
        """Double the capacity (up to ``limit``) until ``rows`` fit, keeping the rows held."""
        capacity = self.capacity
        if rows <= capacity:
            return
        while capacity < rows:
            capacity *= 2
        capacity = min(capacity, self.limit)
        data = np.full((self._data.shape[0], capacity), np.nan)
        data[:, : self.held] = self._data[:, : self.held]
        epochs = np.zeros(capacity)
        epochs[: self.held] = self._epochs[: self.held]
        self._data, self._epochs = data, epochs

    def compact(self) -> None:
        """Give back the spare capacity: for a finished run, which is no longer written to."""
        held = max(self.held, 1)
        self._data = self._data[:, :held].copy()
        self._epochs = self._epochs[:held].copy()

    # --- the envelope ---

    def _reset_envelope(self) -> None:
        columns = len(self._data)
        self._bin = 1  # epochs per bin
        self._binned = 0  # full bins
        self._env_rows = 0  # epochs the envelope has seen
        self._low = np.full((columns, MAX_BINS), np.nan)
        self._high = np.full((columns, MAX_BINS), np.nan)
        self._part_low = np.full(columns, np.nan)  # the epochs after the last full bin
        self._part_high = np.full(columns, np.nan)

    @staticmethod
    def _reduce(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Min and max along the last axis, NaN ignored (NaN where nothing is finite)."""
        if block.shape[-1] == 0:
            return np.full(block.shape[:-1], np.nan), np.full(block.shape[:-1], np.nan)
        return np.fmin.reduce(block, axis=-1), np.fmax.reduce(block, axis=-1)

    def _add_to_envelope(self, values: np.ndarray) -> None:
        """Bring the bins up to date with the next epochs' rows ``values`` (columns x rows):
        merge bins in pairs until the epochs fit in MAX_BINS bins, then fill the bins."""
        end = self._env_rows + values.shape[1]
        while end // self._bin > MAX_BINS:
            self._merge_pairs()
        size, n, done = self._bin, values.shape[1], 0
        open_rows = self._env_rows - self._binned * size  # rows in the open bin
        if open_rows:  # fill the open bin first
            done = min(size - open_rows, n)
            self._widen_open_bin(values[:, :done])
            if open_rows + done == size:
                self._close_bin()
        full = (n - done) // size
        if full:
            block = values[:, done : done + full * size].reshape(len(values), full, size)
            low, high = self._reduce(block)
            self._low[:, self._binned : self._binned + full] = low
            self._high[:, self._binned : self._binned + full] = high
            self._binned += full
            done += full * size
        self._widen_open_bin(values[:, done:])
        self._env_rows = end

    def _widen_open_bin(self, values: np.ndarray) -> None:
        """Take the rows ``values`` (columns x rows) into the open bin's min and max."""
        low, high = self._reduce(values)
        self._part_low = np.fmin(self._part_low, low)
        self._part_high = np.fmax(self._part_high, high)

    def _close_bin(self) -> None:
        """The open bin is full: it becomes the next full bin."""
        self._low[:, self._binned] = self._part_low
        self._high[:, self._binned] = self._part_high
        self._binned += 1
        self._part_low = np.full(len(self._data), np.nan)
        self._part_high = np.full(len(self._data), np.nan)

    def _merge_pairs(self) -> None:
        """Double the bin size: each pair of full bins becomes one; an odd last one joins the
        open bin."""
        pairs, odd = divmod(self._binned, 2)
        if odd:
            self._part_low = np.fmin(self._part_low, self._low[:, self._binned - 1])
            self._part_high = np.fmax(self._part_high, self._high[:, self._binned - 1])
        for bins, reduce in ((self._low, np.fmin), (self._high, np.fmax)):
            merged = reduce(bins[:, 0 : 2 * pairs : 2], bins[:, 1 : 2 * pairs : 2])
            bins[:, :pairs] = merged
            bins[:, pairs:] = np.nan
        self._binned, self._bin = pairs, 2 * self._bin

    def display(self, window: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """What to draw for epochs window[0]..window[1] - 1 (all if None): x, and the values
        of every column (a row per column, ordered as :meth:`index` and :meth:`grad_index`
        say), at most ~2 * MAX_BINS points: the rows held themselves, or the max then the
        min of each bin at the bin's centre, then the rows held after the last full bin."""
        if window is None:
            if self._bin == 1:
                return self.epochs, self._data[:, : self.held]
            size, bins, low, high = self._bin, self._binned, self._low, self._high
            centres = size * np.arange(bins) + (size - 1) / 2
            tail = int(np.searchsorted(self.epochs, bins * size))
            return self._interleave(centres, low[:, :bins], high[:, :bins], tail, self.held)
        first = int(np.searchsorted(self.epochs, max(0, window[0])))
        last = max(first, int(np.searchsorted(self.epochs, window[1])))
        size = bin_rows(last - first)
        if size == 1:
            return self._epochs[first:last], self._data[:, first:last]
        bins = (last - first) // size
        tail = first + bins * size
        block = self._data[:, first:tail].reshape(len(self._data), bins, size)
        low, high = self._reduce(block)
        edges = self._epochs[first:tail].reshape(bins, size)
        centres = (edges[:, 0] + edges[:, -1]) / 2
        return self._interleave(centres, low, high, tail, last)

    def _interleave(
        self, centres: np.ndarray, low: np.ndarray, high: np.ndarray, tail: int, last: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each bin's max then min at its centre, then the held rows tail..last - 1."""
        bins = len(centres)
        points = 2 * bins + last - tail
        x = np.empty(points)
        x[0 : 2 * bins : 2] = x[1 : 2 * bins : 2] = centres
        x[2 * bins :] = self._epochs[tail:last]
        values = np.empty((len(self._data), points))
        values[:, 0 : 2 * bins : 2] = high
        values[:, 1 : 2 * bins : 2] = low
        values[:, 2 * bins :] = self._data[:, tail:last]
        return x, values
