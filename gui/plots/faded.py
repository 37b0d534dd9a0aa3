"""Earlier runs, drawn as lighter dashed copies of their curves behind the current run.

Each earlier run keeps its number (#1, #2, ... since the session opened), the settings it
trained with and the learning rates it changed to; it is labelled by what differs from the
current run (:func:`gui.plots.labels.run_label`), and tagged with its number at the end of
its loss curve, so the key and the plot name the same run.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

from gui.plots.epoch import EpochCurve, EpochPlot, new_curve
from gui.plots.labels import RunSettings, run_label, stack_offsets
from gui.plots.ranges import (
    GRAD_HEADROOM,
    LOSS_HEADROOM,
    axis_cap,
    diverged,
    first_finite,
    last_plausible,
)
from gui.plots.runs import RunHistory
from gui.plots.style import (
    FADED_RUNS,
    FONT_PT,
    TEST_COLOR,
    TRAIN_COLOR,
    dash_mark,
    faded_color,
    faded_pen,
    layer_colors,
    swatch,
)

TAG_FILL = (255, 255, 255, 190)  # a tag stays readable where it crosses other curves


@dataclass
class RunCurve:
    """The curve of one column of a run's history (a row of RunHistory.display's values)."""

    plot: pg.PlotItem
    item: EpochCurve
    column: int
    color: QColor


def tag_color(age: int) -> QColor:
    """The colour of a run's number, ``age`` runs old: its curve's, a little darker to read."""
    return faded_color(TRAIN_COLOR, age).darker(130)


class FadedRun:
    """A finished run, drawn as lighter dashed copies of its curves, tagged "#number"."""

    def __init__(
        self,
        number: int,
        run: RunHistory,
        plots: tuple[EpochPlot, EpochPlot, EpochPlot],
        window: tuple[int, int] | None,
        settings: RunSettings | None = None,
        lrs: tuple[float, ...] = (),
        label: str = "",
    ) -> None:
        """Draw ``run`` (no longer written to) on the (loss, accuracy, gradient) ``plots``;
        ``settings`` it started with, ``lrs`` it changed to; a fixed ``label``, if given,
        replaces the one computed from the settings."""
        self.number, self.run, self.settings, self.lrs = number, run, settings, lrs
        self.fixed_label = label
        self.label = label
        self.age = 0
        run.compact()
        self.diverged = diverged(run.column("train_loss"))
        self.curves: list[RunCurve] = []
        loss, accuracy, grad = plots
        columns = [
            (loss, "train_loss", TRAIN_COLOR),
            (loss, "test_loss", TEST_COLOR),
            (accuracy, "train_accuracy", TRAIN_COLOR),
            (accuracy, "test_accuracy", TEST_COLOR),
        ]
        for plot, name, color in columns:
            if run.finite_any(name):
                self._add(plot, run.index(name), color)
        for l, color in enumerate(layer_colors(run.layers)):
            self._add(grad, run.grad_index(l), color)
        self._starts = {id(c): first_finite(run.series(c.column)) for c in self.curves}
        self.tag = pg.TextItem(f"#{number}", anchor=(1, 1), fill=pg.mkBrush(TAG_FILL))
        font = QFont()
        font.setPointSize(FONT_PT - 1)
        self.tag.setFont(font)
        self.tag.setZValue(5)
        self.tag_plot = loss.getPlotItem()
        self.tag_plot.addItem(self.tag, ignoreBounds=True)
        self._tag_at: tuple[float, tuple[float, float] | None] | None = None  # (cap, point)
        self.set_age(0)
        self.show(window)

    def _add(self, plot: EpochPlot, column: int, color: QColor | str) -> None:
        item = new_curve(plot.getPlotItem(), faded_pen(color, 0, self.number))
        self.curves.append(RunCurve(plot.getPlotItem(), item, column, QColor(color)))

    @property
    def title(self) -> str:
        """The run as the key names it: "#3 lr 0.3", "#4 batch 1, Adam (diverged)"."""
        text = f"#{self.number} {self.label}".rstrip()
        return text + " (diverged)" if self.diverged else text

    def relabel(self, current: RunSettings | None) -> None:
        """Label the run by what differs from the ``current`` run's settings."""
        if self.fixed_label or self.settings is None or current is None:
            return
        self.label = run_label(self.settings, current, self.lrs)

    def show(self, window: tuple[int, int] | None) -> None:
        """Draw the rows in ``window`` (all if None)."""
        x, values = self.run.display(window)
        for curve in self.curves:
            curve.item.setData(x, values[curve.column])

    def set_age(self, age: int) -> None:
        """Restyle the curves and the tag as ``age`` runs old (0 = the newest)."""
        self.age = age
        for curve in self.curves:
            curve.item.setPen(faded_pen(curve.color, age, self.number))
            curve.item.setZValue(-1 - age)
        self.tag.setColor(tag_color(age))

    def starts(self, plot: EpochPlot) -> list[float]:
        """The first finite value of each of the run's curves on ``plot``."""
        return [self._starts[id(c)] for c in self.curves if c.plot is plot.getPlotItem()]

    def set_cap(self, plot: EpochPlot, cap: float) -> None:
        """Let the run's curves on ``plot`` pull the axis up to ``cap`` at most."""
        for curve in self.curves:
            if curve.plot is plot.getPlotItem():
                curve.item.set_cap(cap)

    def tag_point(self, cap: float) -> tuple[float, float] | None:
        """Where the tag goes (epoch, loss): the last plausible point of the training loss."""
        if self._tag_at is None or self._tag_at[0] != cap:
            loss = self.run.column("train_loss")
            row = last_plausible(loss, cap)
            point = None if row is None else (float(self.run.epochs[row]), float(loss[row]))
            self._tag_at = (cap, point)
        return self._tag_at[1]

    def remove(self) -> None:
        """Take every curve and the tag off their plots."""
        for curve in self.curves:
            curve.plot.removeItem(curve.item)
        self.curves.clear()
        self.tag_plot.removeItem(self.tag)


class EarlierRuns:
    """The earlier runs still shown, newest first: at most FADED_RUNS of them."""

    def __init__(self, plots: tuple[EpochPlot, EpochPlot, EpochPlot]) -> None:
        self.plots = plots
        self.runs: list[FadedRun] = []
        self.next_number = 1  # the current run's number
        self.loss_cap = math.inf

    def keep(
        self,
        run: RunHistory,
        window: tuple[int, int] | None,
        settings: RunSettings | None = None,
        lrs: tuple[float, ...] = (),
        label: str = "",
    ) -> FadedRun:
        """Draw ``run`` faded as the newest earlier run (the rest as FadedRun takes them);
        the oldest goes if there are more than FADED_RUNS."""
        faded = FadedRun(self.next_number, run, self.plots, window, settings, lrs, label)
        self.next_number += 1
        self.runs.insert(0, faded)
        for old in self.runs[FADED_RUNS:]:
            old.remove()
        del self.runs[FADED_RUNS:]
        for age, each in enumerate(self.runs):
            each.set_age(age)
        return faded

    def drop(self, renumber: bool = False) -> None:
        """Take every earlier run off the plots; with ``renumber`` the next run is #1 again."""
        for run in self.runs:
            run.remove()
        self.runs.clear()
        if renumber:
            self.next_number = 1

    def set_caps(self, loss_starts: list[float], grad_starts: list[float]) -> tuple[float, float]:
        """The caps of the loss and gradient axes (gui.plots.ranges.axis_cap) from the current
        run's starting values and every earlier run's; the earlier runs' curves take them."""
        loss, _, grad = self.plots
        for run in self.runs:
            loss_starts = loss_starts + run.starts(loss)
            grad_starts = grad_starts + run.starts(grad)
        self.loss_cap = axis_cap(loss_starts, LOSS_HEADROOM)
        grad_cap = axis_cap(grad_starts, GRAD_HEADROOM)
        for run in self.runs:
            run.set_cap(loss, self.loss_cap)
            run.set_cap(grad, grad_cap)
        return self.loss_cap, grad_cap

    def relabel(self, current: RunSettings | None) -> None:
        """Label every run by what differs from the ``current`` run's settings."""
        for run in self.runs:
            run.relabel(current)

    def show(self, window: tuple[int, int] | None) -> None:
        """Draw the rows in ``window`` (all if None) of every run."""
        for run in self.runs:
            run.show(window)

    def key(self) -> str:
        """Rich text naming every run beside its dash, in its colour, newest first."""
        entries = [  # an entry never breaks across lines; the key breaks between entries
            f'<span style="white-space:nowrap"><b>{swatch(tag_color(r.age), dash_mark(r.number))}'
            f"</b> {html.escape(r.title)}</span>"
            for r in self.runs
        ]
        return "Earlier runs: &nbsp;" + " &nbsp;· ".join(entries) if entries else ""

    def place_tags(self, log_y: bool) -> None:
        """Put each run's tag just above the end of its loss curve (the last value the axis
        follows), moved up where tags would cover each other."""
        box = self.plots[0].getPlotItem().getViewBox()
        shown, points = [], []
        for run in self.runs:
            point = run.tag_point(self.loss_cap)
            if point is not None and log_y:
                point = (point[0], math.log10(point[1])) if point[1] > 0 else None
            run.tag.setVisible(point is not None)
            if point is not None:
                run.tag.setPos(*point)
                scene = box.mapViewToScene(pg.Point(*point))
                shown.append(run)
                points.append((scene.x(), scene.y()))
        if not shown:
            return
        size = np.array(
            [(r.tag.boundingRect().width(), r.tag.boundingRect().height()) for r in shown]
        )
        width, height = size.max(axis=0)
        view = box.sceneBoundingRect()
        for run, (x, y), offset in zip(shown, points, stack_offsets(points, width, height)):
            # above and left of the end, but never out of the top or the left of the plot
            anchor_x = min(1.0, (x - view.left()) / width)
            anchor_y = min(1.0 + offset, (y - view.top()) / height)
            run.tag.setAnchor((anchor_x, anchor_y))
