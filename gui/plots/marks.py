"""Where the learning rate changed while the current run trained: a dotted vertical line on
the loss plot at that epoch, labelled with the new rate ("lr 0.3").

A slider drag sends many rates in a second while training moves on; the changes that
follow each other within LR_MERGE_SECONDS are one change: one line, at the epoch where it
began, labelled with the last rate.  A change that returns to the rate before it is no change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt

from gui.plots.style import MARK_COLOR

LR_MERGE_SECONDS = 1.0


@dataclass
class LearningRateChange:
    """One change: at ``epoch``, from ``before`` to ``lr``, drawn as ``line``."""

    epoch: int
    before: float
    lr: float
    at: float  # the clock's time of its latest rate
    line: pg.InfiniteLine


class LearningRateMarks:
    """The learning rates of the current run: the one it started with and its changes."""

    def __init__(self, plot: pg.PlotItem, clock: Callable[[], float]) -> None:
        self.plot = plot
        self.clock = clock
        self.start = math.nan  # unknown until the window says
        self.changes: list[LearningRateChange] = []

    @property
    def lr(self) -> float:
        """The rate the run trains with now (NaN if unknown)."""
        return self.changes[-1].lr if self.changes else self.start

    @property
    def path(self) -> tuple[float, ...]:
        """The rates the run changed to while it trained, in order."""
        return tuple(change.lr for change in self.changes)

    @property
    def epochs(self) -> list[int]:
        """The epochs the lines stand at."""
        return [change.epoch for change in self.changes]

    def restart(self, lr: float) -> None:
        """A run that starts (or has not yet trained) at ``lr``: no lines."""
        self.clear()
        self.start = lr

    def change(self, lr: float, epoch: int) -> None:
        """The rate became ``lr`` at ``epoch``: a new line, or the last one moved on to ``lr``
        if it was changed within LR_MERGE_SECONDS."""
        now = self.clock()
        last = self.changes[-1] if self.changes else None
        if last is not None and (now - last.at < LR_MERGE_SECONDS or last.epoch == epoch):
            last.lr, last.at = lr, now
            if lr == last.before:  # back where it was: nothing changed
                self.plot.removeItem(last.line)
                self.changes.pop()
            else:
                last.line.label.setFormat(f"lr {lr:g}")
            return
        if lr == self.lr:
            return
        line = pg.InfiniteLine(
            pos=epoch,
            angle=90,
            movable=False,
            pen=pg.mkPen(MARK_COLOR, width=1.5, style=Qt.PenStyle.DotLine),
            label=f"lr {lr:g}",
            labelOpts={"position": 0.92, "color": MARK_COLOR, "anchors": [(0, 0.5), (0, 0.5)]},
        )
        line.setZValue(4)
        self.plot.addItem(line, ignoreBounds=True)
        self.changes.append(LearningRateChange(epoch, self.lr, lr, now, line))

    def clear(self) -> None:
        """Take every line off the plot."""
        for change in self.changes:
            self.plot.removeItem(change.line)
        self.changes.clear()
