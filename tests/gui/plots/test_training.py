"""The training plots: appending history updates the curves, runs fade, the readout follows
the mouse, and nothing grows but the doubling buffers."""

import tracemalloc

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from gui.plots.epoch import FADED_RUNS, LogAxis
from gui.plots.runs import MAX_BINS, RunHistory
from gui.plots.training import TrainingPlots

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


@pytest.fixture
def plots(show) -> TrainingPlots:
    return show(TrainingPlots(), 450, 600)


def data_items(widget: TrainingPlots) -> list[pg.PlotDataItem]:
    return [
        item
        for plot in widget.plots
        for item in plot.getPlotItem().items
        if isinstance(item, pg.PlotDataItem)
    ]


def curves(widget: TrainingPlots) -> list[pg.PlotDataItem]:
    return [
        widget.train_loss,
        widget.test_loss,
        widget.train_accuracy,
        widget.test_accuracy,
        *widget.grad_curves,
    ]


def test_appending_in_chunks_draws_what_one_append_draws(qtbot, plots) -> None:
    h = history(100)
    whole = TrainingPlots()
    qtbot.addWidget(whole)
    whole.append(h, 0)
    for start, stop in [(0, 1), (1, 7), (7, 7), (7, 60), (60, 100)]:
        plots.append(chunk(h, start, stop), start)
    qtbot.waitUntil(lambda: not plots._redraw_timer.isActive())  # the throttled last redraw

    assert plots.epochs == whole.epochs == 100
    assert len(plots.grad_curves) == LAYERS
    for mine, theirs in zip(curves(plots), curves(whole)):
        x, y = mine.getOriginalDataset()
        np.testing.assert_array_equal(x, np.arange(100.0))
        np.testing.assert_array_equal(x, theirs.getOriginalDataset()[0])
        np.testing.assert_array_equal(y, theirs.getOriginalDataset()[1])
    QApplication.processEvents()  # the linked plots take their x range: no clipping below
    for curve in curves(plots):
        np.testing.assert_array_equal(curve.getData()[0], np.arange(100.0))
    np.testing.assert_array_equal(plots.train_loss.getData()[1], h["train_loss"])
    np.testing.assert_array_equal(
        plots.grad_curves[2].getOriginalDataset()[1][1:], h["grad_norm"][1:, 2]
    )


def test_buffers_grow_by_doubling_only() -> None:
    run = RunHistory(capacity=4)
    h = history(100)
    capacities, reallocations, buffer = [], 0, None
    for row in range(100):
        run.write(chunk(h, row, row + 1), row)
        if run._data is not buffer:
            reallocations += 1
            buffer = run._data
        capacities.append(run.capacity)
    assert sorted(set(capacities)) == [4, 8, 16, 32, 64, 128]
    assert reallocations == 6  # the first buffer, then one per doubling
    np.testing.assert_array_equal(run.column("test_loss"), h["test_loss"])
    np.testing.assert_array_equal(run.epochs, np.arange(100.0))

    big = RunHistory(capacity=4)
    big.write(history(1000), 0)  # one big append doubles straight to the size it needs
    assert big.capacity == 1024


def test_plots_buffers_double_as_rows_arrive(plots) -> None:
    first = plots.current_run.capacity
    h = history(first * 4 + 1)
    seen = set()
    for row in range(0, len(h["train_loss"]), 7):
        plots.append(chunk(h, row, row + 7), row)
        seen.add(plots.current_run.capacity)
    assert seen == {first, 2 * first, 4 * first, 8 * first}


def test_new_run_fades_the_current_curves_and_keeps_three(plots) -> None:
    live = len(data_items(plots))
    plots.append(history(30), 0)
    per_run = 4 + LAYERS
    assert len(data_items(plots)) == live + LAYERS  # the gradient curves appear once

    plots.new_run("lr 0.03")
    assert plots.epochs == 0
    assert len(plots.faded_runs) == 1
    assert len(data_items(plots)) == live + LAYERS + per_run
    faded = plots.faded_runs[0]
    x, y = faded.curves[0].item.getData()
    np.testing.assert_array_equal(y, history(30)["train_loss"])
    assert faded.curves[0].item.opts["pen"].style() == Qt.PenStyle.DashLine
    assert faded.curves[0].item.opts["pen"].color().alpha() < 255
    assert "lr 0.03" in plots.loss_plot.title_text
    assert plots.train_loss.getData()[0] is None or len(plots.train_loss.getData()[0]) == 0

    oldest = faded
    for lr in ["0.1", "0.3", "1"]:
        plots.append(history(20), 0)
        plots.new_run(f"lr {lr}")
    assert [run.label for run in plots.faded_runs] == ["lr 1", "lr 0.3", "lr 0.1"]
    assert len(plots.faded_runs) == FADED_RUNS
    assert len(data_items(plots)) == live + LAYERS + FADED_RUNS * per_run
    assert oldest.curves == []
    assert "lr 0.03" not in plots.loss_plot.title_text
    # older runs fade further
    alphas = [run.curves[0].item.opts["pen"].color().alpha() for run in plots.faded_runs]
    assert alphas == sorted(alphas, reverse=True) and len(set(alphas)) == 3


def test_new_run_without_rows_fades_nothing_and_clear_drops_all(plots) -> None:
    plots.new_run("empty")
    assert plots.faded_runs == []
    plots.append(history(10), 0)
    plots.new_run()
    assert plots.faded_runs[0].label == "run 1"
    items = len(data_items(plots))
    plots.clear()
    assert plots.faded_runs == []
    assert plots.epochs == 0
    assert len(data_items(plots)) == items - (4 + LAYERS)


def test_nan_rows_and_a_missing_test_split(plots) -> None:
    h = history(20, test=False)
    h["train_loss"][5] = np.nan  # a gap, e.g. a diverged evaluation
    plots.append(h, 0)
    assert plots.epochs == 20
    assert plots.train_loss.opts["connect"] == "finite"
    assert not plots.test_loss.isVisible()
    assert not plots.test_accuracy.isVisible()
    assert "test" not in plots.loss_plot.title_text
    assert "test" not in plots.loss_readout.text()
    assert np.isnan(plots.grad_curves[0].getOriginalDataset()[1][0])
    plots.grab()  # painting NaN gaps raises nothing (warnings are errors here)

    plots.new_run()
    plots.append(history(5), 0)
    assert plots.test_loss.isVisible()
    assert "test" in plots.loss_plot.title_text


def test_log_y_toggles_from_the_check_box_the_api_and_the_plot_menu(qtbot, plots) -> None:
    plots.append(history(40), 0)
    assert not plots.log_y
    with qtbot.waitSignal(plots.log_y_changed) as signal:
        qtbot.mouseClick(plots.log_y_box, Qt.MouseButton.LeftButton)
    assert signal.args == [True]
    assert plots.log_y
    assert plots.train_loss.opts["logMode"] == [False, True]
    np.testing.assert_allclose(plots.train_loss.getData()[1], np.log10(history(40)["train_loss"]))

    plots.set_log_y(False)
    assert not plots.log_y_box.isChecked()
    assert plots.train_loss.opts["logMode"] == [False, False]

    plots.loss_plot.getPlotItem().ctrl.logYCheck.setChecked(True)  # the plot's context menu
    assert plots.log_y_box.isChecked()
    assert plots.grad_plot.getPlotItem().ctrl.logYCheck.isChecked()  # log by default


def test_accuracy_is_hidden_for_regression(plots) -> None:
    plots.append(history(10), 0)
    assert plots.accuracy_plot.isVisible()
    assert "accuracy" in plots.accuracy_readout.text()

    plots.set_classification(False)
    assert not plots.accuracy_plot.isVisible()
    assert not plots.accuracy_readout.isVisible()
    plots.append(chunk(history(12), 10, 12), 10)

    plots.set_classification(True)
    assert plots.accuracy_plot.isVisible()
    assert len(plots.train_accuracy.getOriginalDataset()[1]) == 12  # caught up on showing


def append_rows(widget: TrainingPlots, h: dict, starts) -> None:
    """One-row appends, painting every 100, as the worker's ~60 Hz snapshots would."""
    for i, start in enumerate(starts):
        widget.append(chunk(h, start, start + 1), start)
        if i % 100 == 0:
            QApplication.processEvents()
    QApplication.processEvents()


def bytes_allocated_by(action) -> int:
    """Net bytes still allocated after ``action()`` (tracemalloc must be running)."""
    before = tracemalloc.take_snapshot()
    action()
    return sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))


def test_no_item_leak_and_flat_memory_over_600_appends(plots) -> None:
    h = history(41_100)
    plots.append(chunk(h, 0, 40_000), 0)  # curves are envelopes of MAX_BINS bins
    assert plots.current_run.capacity > 41_100  # no doubling below
    items = len(data_items(plots))
    scene_items = sum(len(plot.scene().items()) for plot in plots.plots)
    tracemalloc.start()
    try:
        append_rows(plots, h, range(40_000, 40_100))  # warm pyqtgraph's caches up
        grown = bytes_allocated_by(lambda: append_rows(plots, h, range(40_100, 40_400)))
        # Replays of the last row keep the size: whatever grows now is a leak.
        leaked = bytes_allocated_by(lambda: append_rows(plots, h, [40_399] * 200))
    finally:
        tracemalloc.stop()
    assert len(data_items(plots)) == items
    assert sum(len(plot.scene().items()) for plot in plots.plots) == scene_items
    assert plots.epochs == 40_400
    # pyqtgraph keeps an LRU cache of 100 view transforms; that is all that may grow
    assert grown < 64_000, f"{grown} bytes more after 300 appended rows"
    assert leaked < 32_000, f"{leaked} bytes more after 200 appends of the same row"


def test_long_runs_are_drawn_from_a_bounded_envelope(plots) -> None:
    rows = 100_000
    h = history(rows)
    h["train_loss"][54_321] = 5.0  # a spike must survive the downsampling
    for start in range(0, rows, 25_000):
        plots.append(chunk(h, start, start + 25_000), start)
    plots.flush()
    x, y = plots.train_loss.getOriginalDataset()
    assert len(x) <= 2 * MAX_BINS + 64
    assert np.nanmax(y) == 5.0 and np.nanmin(y) == h["train_loss"].min()
    assert x[0] < 64 and x[-1] > rows - 64

    whole = RunHistory()
    whole.write(h, 0)
    np.testing.assert_array_equal(whole.display()[1], plots.current_run.display()[1])

    # zoomed in by hand: the rows in view are drawn as they are
    box = plots.loss_plot.getPlotItem().getViewBox()
    box.setXRange(50_000, 50_500, padding=0)
    x, y = plots.train_loss.getOriginalDataset()
    assert x[0] == 50_000 and 50_500 <= x[-1] <= 50_502
    np.testing.assert_array_equal(y, h["train_loss"][x.astype(int)])
    box.enableAutoRange(x=True)  # the "A" button: the whole run again
    QApplication.processEvents()
    assert plots.train_loss.getOriginalDataset()[0][-1] > rows - 64


def test_replay_from_an_earlier_row_truncates_first(plots) -> None:
    plots.append(history(50), 0)
    replay = chunk(history(40), 30, 40)
    replay["train_loss"] = np.full(10, 7.0)
    plots.append(replay, 30)
    plots.flush()
    assert plots.epochs == 40
    x, y = plots.train_loss.getData()
    np.testing.assert_array_equal(x, np.arange(40.0))
    np.testing.assert_array_equal(y[:30], history(30)["train_loss"])
    np.testing.assert_array_equal(y[30:], 7.0)

    with pytest.raises(ValueError, match="missing"):
        plots.append(history(5), 45)


def test_a_new_network_is_accepted_from_row_0_only(plots) -> None:
    plots.append(history(10), 0)
    with pytest.raises(ValueError, match="new run"):
        plots.append(chunk(history(12, layers=5), 10, 12), 10)
    plots.append(history(8, layers=5), 0)
    assert len(plots.grad_curves) == 5
    assert [c.name() for c in plots.grad_curves] == [f"layer {l}" for l in range(1, 6)]
    assert "5" in plots.grad_plot.title_text


def hover(widget: TrainingPlots, plot, epoch: float, y: float) -> None:
    QApplication.processEvents()  # lets the views take their ranges
    box = plot.getPlotItem().getViewBox()
    plot.track_mouse(box.mapViewToScene(QPointF(epoch, y)))


def test_hover_reads_out_the_epoch_under_the_mouse(plots) -> None:
    h = history(60)
    plots.append(h, 0)
    assert "epoch 59" in plots.loss_readout.text()
    assert not plots.loss_plot.cursor.isVisible()

    hover(plots, plots.loss_plot, 12.3, 0.5)
    text = plots.loss_readout.text()
    assert "epoch 12" in text
    assert f"{h['train_loss'][12]:.4g}" in text and f"{h['test_loss'][12]:.4g}" in text
    assert f"{100 * h['test_accuracy'][12]:.1f} %" in plots.accuracy_readout.text()
    assert "7.9e-2" in plots.grad_readout.text()  # layer 3 at epoch 12: 0.1 exp(-12 / 50)
    for plot in plots.plots:
        assert plot.cursor.isVisible() and plot.cursor.value() == 12

    hover(plots, plots.grad_plot, 500.0, 1e-3)  # beyond the data: the last epoch
    assert "epoch 59" in plots.loss_readout.text()

    plots.loss_plot.track_mouse(QPointF(-50, -50))  # outside the data area
    assert not plots.loss_plot.cursor.isVisible()


def test_a_real_mouse_move_over_the_plot_updates_the_readout(qtbot, plots) -> None:
    plots.append(history(60), 0)
    QApplication.processEvents()
    box = plots.accuracy_plot.getPlotItem().getViewBox()
    scene = box.mapViewToScene(QPointF(30, 0.5))
    pos = plots.accuracy_plot.mapFromScene(scene)
    qtbot.mouseMove(plots.accuracy_plot.viewport(), QPoint(pos.x(), pos.y()))
    qtbot.waitUntil(lambda: "epoch 30" in plots.loss_readout.text())


def test_log_axis_labels_decades_and_2_5_steps() -> None:
    label = LogAxis._label
    assert [label(v) for v in (-5, -2, 0, 1)] == ["1e-5", "0.01", "1", "10"]
    assert label(np.log10(0.05)) == "0.05" and label(np.log10(2e-5)) == "2e-5"
    assert label(np.log10(0.03)) == ""


def test_bursts_of_rows_are_drawn_at_most_40_times_a_second(qtbot, plots) -> None:
    h = history(30)
    plots.append(chunk(h, 0, 10), 0)  # the first rows are drawn at once
    assert len(plots.train_loss.getOriginalDataset()[0]) == 10
    plots.append(chunk(h, 10, 20), 10)
    plots.append(chunk(h, 20, 30), 20)
    assert plots.epochs == 30  # every row is kept at once...
    assert len(plots.train_loss.getOriginalDataset()[0]) == 10  # ...and drawn a little later
    qtbot.waitUntil(lambda: len(plots.train_loss.getOriginalDataset()[0]) == 30, timeout=2000)
