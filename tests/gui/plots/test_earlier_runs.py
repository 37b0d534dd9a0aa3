"""Earlier runs in the training plots: a run that trained stays faded when the next one starts,
labelled by what it did differently, numbered and tagged; learning-rate changes are marked;
"Clear runs" drops them; a diverged run never squashes the others flat."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.plots.faded import FadedRun
from gui.plots.labels import RunSettings
from gui.plots.marks import LR_MERGE_SECONDS
from gui.plots.style import FADED_RUNS, dash_mark
from gui.plots.training import TrainingPlots
from tests.gui.plots.histories import LAYERS, chunk, data_items, history

BASE = RunSettings(lr=0.03, batch=10, seed=1, optimizer="sgd", layers=(2, 4, 4, 1))
PER_RUN = 4 + LAYERS  # curves of one faded run: loss and accuracy, train and test; each layer


def settings(**change) -> RunSettings:
    return RunSettings(**{**BASE, **change})


def train(widget: TrainingPlots, rows: int = 30, **kwargs) -> None:
    widget.append(history(rows, **kwargs), 0)
    widget.flush()


def test_new_run_fades_the_current_curves_and_keeps_eight(plots) -> None:
    live = len(data_items(plots))
    plots.set_current(settings())
    train(plots)
    assert len(data_items(plots)) == live + LAYERS  # the gradient curves appear once

    plots.new_run(settings(lr=0.3))
    assert plots.epochs == 0
    assert len(plots.faded_runs) == 1
    assert len(data_items(plots)) == live + LAYERS + PER_RUN
    faded = plots.faded_runs[0]
    x, y = faded.curves[0].item.getData()
    np.testing.assert_array_equal(y, history(30)["train_loss"])
    assert faded.curves[0].item.opts["pen"].style() == Qt.PenStyle.DashLine
    assert faded.curves[0].item.opts["pen"].color().alpha() < 255
    assert faded.title == "#1 lr 0.03"  # what it did differently from the run now
    assert "#1 lr 0.03" in plots.readout.runs_key.text()
    assert "earlier runs" in plots.loss_plot.title_text
    assert plots.train_loss.getData()[0] is None or len(plots.train_loss.getData()[0]) == 0

    oldest = faded
    for lr in [0.1, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]:
        train(plots, 20)
        plots.new_run(settings(lr=lr))
    assert len(plots.faded_runs) == FADED_RUNS == 8
    assert [run.number for run in plots.faded_runs] == list(range(9, 1, -1))  # newest first
    assert plots.faded_runs[0].label == "lr 0.8" and plots.faded_runs[-1].label == "lr 0.3"
    assert len(data_items(plots)) == live + LAYERS + FADED_RUNS * PER_RUN
    assert oldest.curves == [] and oldest.tag not in plots.loss_plot.getPlotItem().items
    assert "#1 " not in plots.readout.runs_key.text()
    alphas = [run.curves[0].item.opts["pen"].color().alpha() for run in plots.faded_runs]
    assert alphas == sorted(alphas, reverse=True) and len(set(alphas)) == FADED_RUNS


def test_an_edit_undo_or_redo_before_the_first_epoch_keeps_no_empty_run(plots) -> None:
    plots.set_current(settings())
    train(plots)
    plots.new_run(settings(lr=0.3))
    for lr in (0.03, 0.3, 0.03):  # edits, undos and redos at epoch 0: row 0 only, no step yet
        train(plots, 1)
        plots.new_run(settings(lr=lr))
    plots.new_run(settings(lr=0.1))  # not even row 0
    assert [run.title for run in plots.faded_runs] == ["#1 lr 0.03"]
    train(plots, 2)  # one epoch: that run trained
    plots.new_run(settings(lr=1.0))
    assert [run.number for run in plots.faded_runs] == [2, 1]
    assert [run.label for run in plots.faded_runs] == ["lr 0.1", "lr 0.03"]


def test_changing_the_current_settings_relabels_the_earlier_runs(plots) -> None:
    plots.set_current(settings())
    train(plots)
    plots.new_run(settings(batch=1, optimizer="adam"))
    assert plots.faded_runs[0].label == "batch 10, SGD"
    train(plots)
    plots.new_run(settings(batch=1, optimizer="adam", seed=5))
    assert [run.label for run in plots.faded_runs] == ["seed 1", "batch 10, seed 1, SGD"]
    plots.set_current(settings(seed=5))  # e.g. the window says so after an open
    assert [run.label for run in plots.faded_runs] == ["batch 1, seed 1, Adam", "seed 1"]
    plots.new_run()  # the same settings again: nothing to archive, no new label
    assert [run.label for run in plots.faded_runs] == ["batch 1, seed 1, Adam", "seed 1"]
    assert plots.settings == settings(seed=5)


def test_a_learning_rate_change_is_marked_on_the_loss_plot(plots, clock) -> None:
    plots.set_current(settings())
    plots.mark_lr_change(0.1)  # before any epoch: the run simply starts at 0.1
    assert plots.lr_marks.changes == [] and plots.settings["lr"] == 0.1
    train(plots, 40)
    plots.mark_lr_change(0.3)
    [change] = plots.lr_marks.changes
    assert change.line in plots.loss_plot.getPlotItem().items
    assert change.line.value() == 39 and change.line.label.toPlainText() == "lr 0.3"
    assert plots.settings["lr"] == 0.3

    plots.mark_lr_change(0.5)  # the same slider drag: the mark moves on to the new rate
    assert plots.lr_marks.epochs == [39] and change.line.label.toPlainText() == "lr 0.5"
    plots.mark_lr_change(0.1)  # dragged back where it was: no change at all
    assert plots.lr_marks.changes == [] and change.line not in plots.loss_plot.getPlotItem().items

    plots.mark_lr_change(0.3)
    clock.advance(LR_MERGE_SECONDS)
    plots.append(chunk(history(60), 40, 60), 40)
    plots.mark_lr_change(1.0)  # a second change, later
    assert plots.lr_marks.epochs == [39, 59] and plots.lr_marks.path == (0.3, 1.0)

    lines = [c.line for c in plots.lr_marks.changes]
    plots.new_run(settings(lr=1.0))  # the marks go with the run; its label shows the path
    assert plots.faded_runs[0].label == "lr 0.1→…→1"
    assert all(line not in plots.loss_plot.getPlotItem().items for line in lines)
    assert plots.lr_marks.changes == []


def test_clear_runs_drops_the_earlier_runs_and_keeps_the_current_one(qtbot, plots) -> None:
    action = plots.clear_runs_action
    assert action.toolTip() and not action.isEnabled()
    assert not plots.readout.runs_key.isVisible() and not plots.readout.clear_runs.isVisible()
    live = len(data_items(plots))
    plots.set_current(settings())
    for lr in (0.1, 0.3):
        train(plots)
        plots.new_run(settings(lr=lr))
    train(plots, 25)
    assert action.isEnabled() and plots.readout.clear_runs.isVisible()

    qtbot.mouseClick(plots.readout.clear_runs, Qt.MouseButton.LeftButton)
    assert plots.faded_runs == [] and not action.isEnabled()
    assert plots.epochs == 25 and len(plots.train_loss.getData()[0]) == 25
    assert len(data_items(plots)) == live + LAYERS
    assert not plots.readout.runs_key.isVisible()
    assert "earlier" not in plots.loss_plot.title_text
    assert not [i for i in plots.loss_plot.getPlotItem().items if isinstance(i, pg.TextItem)]

    plots.new_run(settings(lr=0.5))  # numbering goes on: #3 is still the third run
    assert plots.faded_runs[0].number == 3
    plots.clear()  # a new session: numbering starts again
    train(plots)
    plots.new_run(settings())
    assert plots.faded_runs[0].number == 1


def tag_rects(widget: TrainingPlots, runs: list[FadedRun]) -> list:
    QApplication.processEvents()  # the views take their ranges; the tags follow
    return [run.tag.sceneBoundingRect() for run in runs]


def test_the_key_and_the_tags_tell_the_runs_apart(plots) -> None:
    plots.set_current(settings())
    for lr in (0.1, 0.3, 1.0):  # three runs that end at the very same point
        train(plots, 50)
        plots.new_run(settings(lr=lr))
    runs = plots.faded_runs
    key = plots.readout.runs_key.text()
    titles = [run.title for run in runs]
    assert titles == ["#3 lr 0.3", "#2 lr 0.1", "#1 lr 0.03"]
    assert all(title in key for title in titles)
    assert len({dash_mark(run.number) for run in runs}) == 3  # and a dash of its own each

    rects = tag_rects(plots, runs)
    assert [run.tag.toPlainText() for run in runs] == ["#3", "#2", "#1"]
    assert all(run.tag.isVisible() for run in runs)
    for i, a in enumerate(rects):
        assert all(not a.intersects(b) for b in rects[i + 1 :])  # stacked, not piled up
    box = plots.loss_plot.getPlotItem().getViewBox()
    assert all(box.sceneBoundingRect().contains(rect) for rect in rects)  # inside the plot
    end = box.mapViewToScene(pg.Point(49, history(50)["train_loss"][-1]))
    assert min(abs(rect.bottom() - end.y()) for rect in rects) < 2  # the lowest at the end

    plots.set_log_y(True)  # the tags follow the axis
    for rect in tag_rects(plots, runs):
        assert box.sceneBoundingRect().contains(rect)


def test_tags_stay_inside_the_plot_where_runs_end_at_its_edges(plots) -> None:
    plots.set_current(settings())
    stuck = history(40)
    stuck["train_loss"][:] = np.linspace(1.0, 2.0, 40)  # ends at the top of the plot
    plots.append(stuck, 0)
    plots.new_run(settings(lr=0.3))
    train(plots, 2)  # ends at the left edge
    plots.new_run(settings(lr=1.0))
    train(plots, 40)
    inside = plots.loss_plot.getPlotItem().getViewBox().sceneBoundingRect().adjusted(-1, -1, 1, 1)
    assert plots.faded_runs[1].title == "#1 lr 0.03"  # stuck high is not diverged
    for rect in tag_rects(plots, plots.faded_runs):
        assert inside.contains(rect)


def y_range(widget: TrainingPlots, plot: str = "loss_plot") -> list[float]:
    """The y values the plot's auto range follows (its curves' data bounds), after checking
    that the view shows them with no more than the usual padding around."""
    QApplication.processEvents()
    item = getattr(widget, plot).getPlotItem()
    bounds = [c.dataBounds(1) for c in item.items if isinstance(c, pg.PlotDataItem)]
    low = min(b[0] for b in bounds if b[0] is not None)
    high = max(b[1] for b in bounds if b[1] is not None)
    shown_low, shown_high = item.getViewBox().viewRange()[1]
    assert low - 0.2 * (high - low) < shown_low <= low
    assert high <= shown_high < high + 0.2 * (high - low)
    return [low, high]


def test_a_diverged_run_never_squashes_the_healthy_ones_flat(show, clock, plots) -> None:
    healthy = show(TrainingPlots(clock=clock), 450, 600)  # the same run, without the other
    healthy.set_current(settings())
    train(healthy, 60)
    plots.set_current(settings())
    blown = history(60)  # the same for 40 epochs, then up to 6e297, inf and NaN
    blown["train_loss"][40:] = np.geomspace(1.0, 6e297, 20)
    blown["train_loss"][-1] = np.inf
    blown["test_loss"][40:] = np.nan
    blown["grad_norm"][40:] = 1e250
    plots.append(blown, 0)
    plots.flush()
    plots.new_run(settings(lr=10.0))
    train(plots, 60)

    assert plots.faded_runs[0].title == "#1 lr 0.03 (diverged)"
    np.testing.assert_allclose(y_range(plots), y_range(healthy))
    np.testing.assert_allclose(y_range(plots, "grad_plot"), y_range(healthy, "grad_plot"))
    for widget in (plots, healthy):
        widget.set_log_y(True)
    np.testing.assert_allclose(y_range(plots), y_range(healthy))
    assert plots.faded_runs[0].tag.isVisible()  # at the last value the axis follows


def test_the_current_run_diverging_keeps_the_axis_on_its_sane_part(show, clock, plots) -> None:
    healthy = show(TrainingPlots(clock=clock), 450, 600)
    h = history(50)
    train(healthy, 30)
    h["train_loss"][30:] = 1e300
    h["test_loss"][30:] = np.inf
    h["grad_norm"][30:] = 1e280
    plots.append(h, 0)
    plots.flush()
    np.testing.assert_allclose(y_range(plots), y_range(healthy))
    np.testing.assert_allclose(y_range(plots, "grad_plot"), y_range(healthy, "grad_plot"))


def test_a_label_given_as_text_is_kept_as_it_is(plots) -> None:
    train(plots)
    plots.new_run("lr 0.03")  # what the window passes until it passes settings
    assert plots.faded_runs[0].title == "#1 lr 0.03"
    plots.set_current(settings(lr=0.3))
    assert plots.faded_runs[0].title == "#1 lr 0.03"
    train(plots)
    plots.new_run()  # no settings known for that run: its number names it
    assert plots.faded_runs[0].title == "#2 same settings"
    plots.clear()
    train(plots)
    plots.new_run()  # no settings known at all: its number names it
    assert plots.faded_runs[0].title == "#1"
