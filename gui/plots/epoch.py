"""The pieces of the training plots: one plot against epoch, its styling, and faded runs.

Colours, fonts and pens live here so :mod:`gui.plots.training` reads as what is shown,
not how.  Every curve tolerates NaN gaps (``connect="finite"``); its data come
as :meth:`gui.plots.runs.RunHistory.display`'s bounded envelope, with
pyqtgraph's peak downsampling and clipping to the view on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont

from gui.plots.runs import RunHistory

TRAIN_COLOR = "#2c3e66"  # dark slate blue
TEST_COLOR = "#e08000"  # orange: the pair stays apart for every common colour-vision deficiency
TEXT_COLOR = "#202020"
AXIS_COLOR = "#606060"
FONT_PT = 10
LABEL_STYLE = {"font-size": "11pt", "color": TEXT_COLOR}
LEFT_AXIS_WIDTH = 62  # fixed, so the three plots line up whatever their tick labels
FADED_RUNS = 3
# A faded run fades further and changes its dash with age (newest first).
FADED_ALPHA = (150, 105, 70)
FADED_DASH = (Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)
LIVE_MARK = "━━"
FADED_MARK = ("- -", "···", "-·-")  # the dash of FADED_DASH, as text for the titles


def layer_colors(layers: int) -> list[QColor]:
    """One colour per weight matrix, first (dark purple) to last (green), from viridis
    (perceptually ordered, colour-blind safe); its pale yellow end is left out."""
    cmap = pg.colormap.get("viridis")
    stops = np.linspace(0.0, 0.82, layers) if layers > 1 else np.zeros(1)
    return [cmap.map(float(t), mode="qcolor") for t in stops]


def faded_pen(color: QColor | str, age: int) -> pg.QtGui.QPen:
    """The pen of a finished run's curve, ``age`` runs ago (0 = the newest)."""
    faded = QColor(color)
    faded.setAlpha(FADED_ALPHA[age])
    pen = pg.mkPen(faded, width=1.5, style=FADED_DASH[age])
    return pen


def swatch(color: QColor | str, mark: str = "&#9632;") -> str:
    """A coloured mark in rich text (a square, or a line like the curve's)."""
    color = QColor(color)
    alpha = color.alphaF()  # rich text has no alpha: blend onto the white background
    rgb = [round(alpha * c + (1 - alpha) * 255) for c in color.getRgb()[:3]]
    return f'<span style="color:#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}">{mark}</span>'


class LogAxis(pg.AxisItem):
    """Log-axis labels a projector can show: decades as 0.01 .. 100 near 1 and as 1e-5
    beyond (pyqtgraph's superscripts are tiny), then 2 and 5 times a decade; the
    labels of the other ticks are left out, as they crowd each other."""

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Tick labels for log10 values (pyqtgraph's, if none is a 1, 2 or 5)."""
        strings = super().logTickStrings(values, scale, spacing)
        if scale != 1:
            return strings
        labels = [self._label(v) for v in values]
        return labels if any(labels) else strings

    @staticmethod
    def _label(log_value: float) -> str:
        exponent = math.floor(log_value + 1e-9)
        mantissa = round(10 ** (log_value - exponent), 6)
        if mantissa not in (1, 2, 5):
            return ""
        if -2 <= exponent <= 2:
            return f"{mantissa * 10.0**exponent:g}"
        return f"{mantissa:g}e{exponent}"


def new_curve(plot: pg.PlotItem, pen: pg.QtGui.QPen) -> pg.PlotDataItem:
    """A curve that tolerates NaN gaps and stays fast over a million points."""
    curve = pg.PlotDataItem(pen=pen, connect="finite")
    plot.addItem(curve)  # this applies the plot's own settings, so ours come after it
    curve.setDownsampling(auto=True, method="peak")
    curve.setClipToView(True)
    return curve


class EpochPlot(pg.PlotWidget):
    """One plot against epoch on a white background, sized for a projector, with a
    vertical cursor line; it reports the epoch under the mouse."""

    hovered = Signal(float)
    exited = Signal()

    def __init__(self, title: str, y_label: str, x_label: str = "") -> None:
        axes = {"left": LogAxis("left"), "bottom": pg.AxisItem("bottom")}
        super().__init__(background="w", axisItems=axes)
        item = self.getPlotItem()
        self.title = title
        self.set_key("")
        item.setDownsampling(auto=True, mode="peak")  # also what the plot's menu shows
        item.setClipToView(True)
        font = QFont()
        font.setPointSize(FONT_PT)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(AXIS_COLOR)
            axis.setTextPen(TEXT_COLOR)
            axis.setTickFont(font)
            axis.enableAutoSIPrefix(False)
        item.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        item.setLabel("left", y_label, **LABEL_STYLE)
        if x_label:
            item.setLabel("bottom", x_label, **LABEL_STYLE)
        else:  # the epochs are read off the bottom plot (the x axes are linked)
            item.getAxis("bottom").setStyle(showValues=False)
        self.cursor = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#909090", width=1, style=Qt.PenStyle.DashLine)
        )
        self.cursor.hide()
        item.addItem(self.cursor, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self.track_mouse)

    def set_key(self, key: str) -> None:
        """The title followed by a key to the curves (rich text)."""
        text = f"<b>{self.title}</b>" + (f" &nbsp; {key}" if key else "")
        self.getPlotItem().setTitle(text, size="11pt", color=TEXT_COLOR)

    @property
    def title_text(self) -> str:
        """The title as shown, key included (rich text)."""
        return self.getPlotItem().titleLabel.text

    @Slot(object)
    def track_mouse(self, scene_pos: QPointF) -> None:
        """Report the epoch under the mouse (a scene position), or that it left the data area."""
        box = self.getPlotItem().getViewBox()
        if box.sceneBoundingRect().contains(scene_pos):
            self.hovered.emit(box.mapSceneToView(scene_pos).x())
        else:
            self.exited.emit()

    def leaveEvent(self, event: QEvent) -> None:
        """The mouse left the widget: the readout returns to the latest epoch."""
        super().leaveEvent(event)
        self.exited.emit()


@dataclass
class RunCurve:
    """The curve of one column of a run's history (a row of RunHistory.display's values)."""

    plot: pg.PlotItem
    item: pg.PlotDataItem
    column: int
    color: QColor


class FadedRun:
    """A finished run, drawn as lighter dashed copies of its curves."""

    def __init__(
        self,
        label: str,
        run: RunHistory,
        plots: tuple[EpochPlot, EpochPlot, EpochPlot],
        window: tuple[int, int] | None,
    ) -> None:
        """Draw ``run`` (no longer written to) on the (loss, accuracy, gradient) ``plots``."""
        self.label = label
        self.run = run
        run.compact()
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
        self.show(window)

    def _add(self, plot: EpochPlot, column: int, color: QColor | str) -> None:
        item = new_curve(plot.getPlotItem(), faded_pen(color, 0))
        item.setZValue(-1)
        self.curves.append(RunCurve(plot.getPlotItem(), item, column, QColor(color)))

    def show(self, window: tuple[int, int] | None) -> None:
        """Draw the rows in ``window`` (all if None)."""
        x, values = self.run.display(window)
        for curve in self.curves:
            curve.item.setData(x, values[curve.column])

    def set_age(self, age: int) -> None:
        """Restyle the curves as ``age`` runs old (0 = the newest)."""
        for curve in self.curves:
            curve.item.setPen(faded_pen(curve.color, age))
            curve.item.setZValue(-1 - age)

    def remove(self) -> None:
        """Take every curve off its plot."""
        for curve in self.curves:
            curve.plot.removeItem(curve.item)
        self.curves.clear()
