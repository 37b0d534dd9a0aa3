"""The training plots: appending history updates the curves, the readout follows the mouse,
redraws are throttled by the clock, and nothing grows but the doubling buffers (earlier runs:
test_earlier_runs.py)."""

import math
import tracemalloc

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from gui.plots.epoch import LogAxis
from gui.plots.runs import MAX_BINS, RunHistory
from gui.plots.training import QUIET_SECONDS, REDRAW_SECONDS, TrainingPlots
from tests.gui.plots.histories import LAYERS, chunk, data_items, history

TIMEOUT = 20_000  # ms: for what will happen, however loaded the machine


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
    assert plots.redraw_pending
    plots._redraw_timer.timeout.emit()  # the throttled last redraw, without waiting for it
    assert not plots.redraw_pending

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
    """One-row appends, drawing and painting every 100, as the throttle would at ~60 snapshots
    a second (the test's clock stands still: the draws happen here, not when time passes)."""
    for i, start in enumerate(starts):
        widget.append(chunk(h, start, start + 1), start)
        if i % 100 == 0:
            widget.flush()
            QApplication.processEvents()
    widget.flush()
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
    qtbot.waitUntil(lambda: "epoch 30" in plots.loss_readout.text(), timeout=TIMEOUT)


def test_log_axis_labels_decades_and_2_5_steps() -> None:
    label = LogAxis._label
    assert [label(v) for v in (-5, -2, 0, 1)] == ["1e-5", "0.01", "1", "10"]
    assert label(np.log10(0.05)) == "0.05" and label(np.log10(2e-5)) == "2e-5"
    assert label(np.log10(0.03)) == ""


def drawn(widget: TrainingPlots) -> int:
    return len(widget.train_loss.getOriginalDataset()[0])


def test_bursts_of_rows_are_drawn_at_most_40_times_a_second(plots, clock) -> None:
    h = history(50)
    plots.append(chunk(h, 0, 10), 0)  # the first rows are drawn at once
    assert drawn(plots) == 10 and not plots.redraw_pending
    clock.advance(REDRAW_SECONDS / 2)
    plots.append(chunk(h, 10, 20), 10)
    plots.append(chunk(h, 20, 30), 20)
    assert plots.epochs == 30  # every row is kept at once...
    assert drawn(plots) == 10  # ...and drawn a little later:
    assert plots.redraw_pending  # when the rest of the interval has passed
    assert plots._redraw_timer.interval() == math.ceil(1000 * REDRAW_SECONDS / 2)
    plots._redraw_timer.timeout.emit()  # the interval passed (no waiting for the machine)
    assert drawn(plots) == 30 and not plots.redraw_pending

    clock.advance(REDRAW_SECONDS / 4)  # too soon after that redraw
    plots.append(chunk(h, 30, 40), 30)
    assert drawn(plots) == 30 and plots.redraw_pending
    clock.advance(REDRAW_SECONDS)  # long enough: the next rows are drawn at once, the
    plots.append(chunk(h, 40, 50), 40)  # pending redraw with them
    assert drawn(plots) == 50 and not plots.redraw_pending


def test_rows_that_add_no_visible_pixel_wait_longer_but_the_readout_follows(plots, clock):
    h = history(60_040)
    plots.append(chunk(h, 0, 60_000), 0)
    width = plots.loss_plot.getPlotItem().getViewBox().width()
    assert 2 * 20 * width < 60_000  # 20 epochs are under half a pixel of this plot
    before = plots.train_loss.getOriginalDataset()[1].copy()
    clock.advance(REDRAW_SECONDS * 2)
    plots.append(chunk(h, 60_000, 60_020), 60_000)
    assert plots.redraw_pending  # not at once, although the interval has passed
    quiet_ms = 1000 * (QUIET_SECONDS - 2 * REDRAW_SECONDS)
    assert abs(plots._redraw_timer.interval() - quiet_ms) <= 1
    np.testing.assert_array_equal(plots.train_loss.getOriginalDataset()[1], before)
    assert "epoch 60019" in plots.loss_readout.text()  # the numbers are the newest
    clock.advance(QUIET_SECONDS)
    plots.append(chunk(h, 60_020, 60_040), 60_020)  # drawn once the quiet interval passed
    assert not plots.redraw_pending and plots.epochs == 60_040
