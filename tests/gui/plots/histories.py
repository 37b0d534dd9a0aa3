"""Made-up histories, a clock the tests move by hand, and the shown TrainingPlots fixture."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from gui.plots.training import TrainingPlots
from tests.clock import FakeClock

LAYERS = 3


def history(rows: int, layers: int = LAYERS, start: int = 0, test: bool = True) -> dict:
    """Rows start..start+rows of a made-up history, as
    core.engine.history.History.rows_since gives."""
    epoch = np.arange(start, start + rows, dtype=float)
    norms = np.outer(np.exp(-epoch / 50), 10.0 ** -np.arange(layers, 0, -1))
    if start == 0 and rows:
        norms[0] = np.nan  # no step yet
    return {
        "train_loss": 1.0 / (1.0 + epoch),
        "test_loss": 1.2 / (1.0 + epoch) if test else np.full(rows, np.nan),
        "train_accuracy": 1.0 - 0.5 / (1.0 + epoch),
        "test_accuracy": 1.0 - 0.6 / (1.0 + epoch) if test else np.full(rows, np.nan),
        "penalty": np.full(rows, np.nan),
        "grad_norm": norms,
    }


def chunk(h: dict, start: int, stop: int) -> dict:
    return {name: column[start:stop] for name, column in h.items()}


def data_items(widget: TrainingPlots) -> list[pg.PlotDataItem]:
    return [
        item
        for plot in widget.plots
        for item in plot.getPlotItem().items
        if isinstance(item, pg.PlotDataItem)
    ]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def plots(show, clock) -> TrainingPlots:
    return show(TrainingPlots(clock=clock), 450, 600)
