"""A run's history as the plots hold it (gui.plots.runs, NumPy only): past its limit it
holds evenly spaced epochs exactly, while the envelope it is drawn from still sees every
row, so memory stays bounded and no spike is lost."""

from __future__ import annotations

import numpy as np
import pytest

from gui.plots.runs import HELD_BYTES, MAX_BINS, RunHistory, bin_rows
from tests.gui.plots.histories import LAYERS, chunk, history

LIMIT = 2 * MAX_BINS  # the smallest a run may hold: thinning starts early


def noisy(rows: int, seed: int = 0) -> dict:
    """A made-up history with noise, a spike and NaN gaps."""
    h = history(rows)
    rng = np.random.default_rng(seed)
    h["train_loss"] = h["train_loss"] * (1 + 0.5 * rng.random(rows))
    h["train_loss"][rows // 3] = 50.0  # a one-epoch spike
    h["test_loss"][rows // 2 : rows // 2 + 7] = np.nan
    return h


def written(h: dict, chunks: list[int], limit: int | None = LIMIT) -> RunHistory:
    run = RunHistory(capacity=4, limit=limit)
    edges = np.cumsum([0, *chunks])
    for start, stop in zip(edges[:-1], edges[1:]):
        run.write(chunk(h, int(start), int(stop)), int(start))
    return run


def envelope(values: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bins' centres, maxima and minima computed from every row, the long way."""
    size = bin_rows(rows)
    bins = rows // size
    block = values[: bins * size].reshape(bins, size)
    centres = size * np.arange(bins) + (size - 1) / 2
    return centres, np.fmax.reduce(block, axis=1), np.fmin.reduce(block, axis=1)


@pytest.mark.parametrize("chunks", [[100_003], [1, 6, 993, 40_000, 3, 59_000], [97] * 1031])
def test_a_long_run_holds_exact_evenly_spaced_epochs_and_every_rows_envelope(chunks) -> None:
    rows = sum(chunks)
    h = noisy(rows)
    run = written(h, chunks)
    assert run.rows == rows and run.held <= LIMIT and run.capacity <= LIMIT
    assert run.stride > 1
    epochs = run.epochs.astype(int)
    assert epochs[-1] == rows - 1  # the newest is always held
    assert (epochs[:-1] % run.stride == 0).all() and (np.diff(epochs[:-1]) == run.stride).all()
    np.testing.assert_array_equal(run.column("train_loss"), h["train_loss"][epochs])
    np.testing.assert_array_equal(run.grad_norm(2), h["grad_norm"][epochs, 2])

    x, values = run.display()
    centres, high, low = envelope(h["train_loss"], rows)
    bins = len(centres)
    np.testing.assert_array_equal(x[0 : 2 * bins : 2], centres)
    np.testing.assert_array_equal(values[run.index("train_loss"), 0 : 2 * bins : 2], high)
    np.testing.assert_array_equal(values[run.index("train_loss"), 1 : 2 * bins : 2], low)
    assert values[run.index("train_loss")].max() == 50.0  # the spike, though not held
    _, high, low = envelope(h["test_loss"], rows)
    np.testing.assert_array_equal(values[run.index("test_loss"), 1 : 2 * bins : 2], low)
    tail = x[2 * bins :]
    assert tail[0] >= bins * bin_rows(rows) and tail[-1] == rows - 1
    assert len(x) <= 2 * MAX_BINS + LIMIT // run.stride + 1


def test_written_in_chunks_or_at_once_the_same_is_held_and_drawn() -> None:
    h = noisy(50_000)
    once, chunked = written(h, [50_000]), written(h, [7, 993] + [1_000] * 49)
    np.testing.assert_array_equal(once.epochs, chunked.epochs)
    np.testing.assert_array_equal(once.display()[1], chunked.display()[1])
    np.testing.assert_array_equal(
        once.display((1_000, 30_000))[1], chunked.display((1_000, 30_000))[1]
    )


def test_the_readout_reads_the_nearest_epoch_held_and_only_epochs_held() -> None:
    h = noisy(20_000)
    run = written(h, [20_000])
    s = run.stride
    assert run.nearest(3 * s + 0.4 * s) == 3 * s
    assert run.nearest(3 * s + 0.6 * s) == 4 * s
    assert run.nearest(-5) == 0 and run.nearest(10**9) == 19_999
    assert run.value("train_loss", 4 * s) == h["train_loss"][4 * s]
    assert run.grad_value(0, 19_999) == h["grad_norm"][19_999, 0]
    with pytest.raises(KeyError, match="not held"):
        run.value("train_loss", 4 * s + 1)
    assert RunHistory().nearest(3) == -1


def test_replaying_from_an_earlier_epoch_of_a_thinned_run() -> None:
    h = noisy(30_000)
    run = written(h, [30_000])
    stride = run.stride
    replay = chunk(noisy(30_000, seed=1), 21_000, 30_000)
    run.write(replay, 21_000)
    assert run.rows == 30_000 and run.stride == stride
    epochs = run.epochs.astype(int)
    before, after = epochs < 21_000, epochs >= 21_000
    np.testing.assert_array_equal(run.column("train_loss")[before], h["train_loss"][epochs[before]])
    np.testing.assert_array_equal(
        run.column("train_loss")[after], replay["train_loss"][epochs[after] - 21_000]
    )
    size = run._bin
    x, values = run.display()
    kept_bins = 21_000 // size  # these saw every row of the first run, and stay
    _, high, _ = envelope(h["train_loss"], 30_000)
    np.testing.assert_array_equal(values[0, 0 : 2 * kept_bins : 2], high[:kept_bins])
    with pytest.raises(ValueError, match="missing"):
        run.write(chunk(h, 0, 5), 30_001)


def test_a_run_of_millions_of_epochs_stays_within_its_memory() -> None:
    rows, step = 3_000_000, 60_000
    run = RunHistory(LAYERS)
    h = history(step)
    for start in range(0, rows, step):
        part = {k: v.copy() for k, v in h.items()}
        part["grad_norm"] = np.full((step, LAYERS), 0.5)
        run.write(part, start)
    assert run.rows == rows
    assert run._data.nbytes + run._epochs.nbytes <= HELD_BYTES
    assert run.held > HELD_BYTES // (8 * (len(run._data) + 1)) // 2  # and uses most of it
    run.compact()
    assert run._data.nbytes + run._epochs.nbytes <= HELD_BYTES


def test_a_limit_too_small_to_draw_a_run_as_it_is_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        RunHistory(limit=MAX_BINS)
