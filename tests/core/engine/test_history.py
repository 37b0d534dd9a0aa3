"""The per-epoch history: rows grow by doubling; rows a reader has taken can be forgotten."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.history import History


def filled(rows: int, layers: int = 2) -> History:
    history = History(layers, capacity=4)
    for r in range(rows):
        history.append(float(r), np.nan, 0.5, np.nan, 0.0, None if r == 0 else [r, -r][:layers])
    return history


def test_rows_grow_by_doubling_and_read_back() -> None:
    history = filled(11)
    assert history.rows == 11 and history.first == 0
    np.testing.assert_array_equal(history.column("train_loss"), np.arange(11.0))
    assert np.isnan(history.grad_norm[0]).all()
    np.testing.assert_array_equal(history.grad_norm[5], [5, -5])
    assert history.last("train_loss") == 10.0


def test_forgotten_rows_are_gone_but_the_newest_stays_and_counting_goes_on() -> None:
    history = filled(11)
    history.forget(8)
    assert (history.rows, history.first) == (11, 8)
    np.testing.assert_array_equal(history.column("train_loss"), [8.0, 9.0, 10.0])
    np.testing.assert_array_equal(history.rows_since(9)["train_loss"], [9.0, 10.0])
    np.testing.assert_array_equal(history.rows_since(9)["grad_norm"], [[9, -9], [10, -10]])
    with pytest.raises(ValueError, match="forgotten"):
        history.rows_since(7)
    history.forget(1_000)  # never the newest row
    assert history.first == 10 and history.last("train_loss") == 10.0
    history.forget(3)  # nothing before what is held
    assert history.first == 10
    history.append(11.0, np.nan, 0.5, np.nan, 0.0, [11, -11])
    assert history.rows == 12 and history.last("train_loss") == 11.0
    np.testing.assert_array_equal(history.rows_since(10)["train_loss"], [10.0, 11.0])


def test_a_history_forgotten_after_every_read_holds_a_bounded_buffer() -> None:
    history = History(3, capacity=8)
    for r in range(100_000):
        history.append(1.0 / (r + 1), np.nan, np.nan, np.nan, 0.0, [1.0, 2.0, 3.0])
        if r % 5 == 0:
            history.forget(history.rows)
    assert history.rows == 100_000
    assert history._data.shape[0] == 8 and history._norms.shape[0] == 8
    assert history.last("train_loss") == 1.0 / 100_000
