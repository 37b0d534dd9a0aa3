"""One plot against epoch and its curves.

Every curve tolerates NaN gaps (``connect="finite"``); its data come as
:meth:`gui.plots.runs.RunHistory.display`'s bounded envelope, with pyqtgraph's peak
downsampling and clipping to the view on top.  Its auto range follows only the plausible
values (:mod:`gui.plots.ranges`), so a diverged run cannot squash the others flat.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QPen

from core.trace.glossary import tip_html
from gui.plots.ranges import plausible_bounds
from gui.plots.style import LABEL_STYLE, TEXT_COLOR, style_axes

LEFT_AXIS_WIDTH = 62  # fixed, so the three plots line up whatever their tick labels


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


class EpochCurve(pg.PlotDataItem):
    """A curve whose auto range leaves out values above :attr:`cap` (diverged ones)."""

    cap = math.inf  # in data units; the plots set it from their curves' starting values

    def set_cap(self, cap: float) -> None:
        """Follow values up to ``cap`` from now on."""
        if cap != self.cap:
            self.cap = cap
            self.informViewBoundsChanged()

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: tuple[float, float] | None = None
    ) -> tuple[float, float] | tuple[None, None]:
        """The range the view follows: pyqtgraph's for x, the plausible values' for y (in the
        plot's coordinates, so log10 of them on a log axis)."""
        if ax != 1 or not self.curve.isVisible():
            return super().dataBounds(ax, frac, orthoRange)
        x, y = self.curve.getData()
        if x is None or len(x) == 0:
            return None, None
        cap = self.cap
        if self.opts["logMode"][1]:
            cap = math.log10(cap) if cap > 0 else -math.inf
        return plausible_bounds(y, cap, x, orthoRange)


def new_curve(plot: pg.PlotItem, pen: QPen) -> EpochCurve:
    """A curve that tolerates NaN gaps and stays fast over a million points."""
    curve = EpochCurve(pen=pen, connect="finite")
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
        style_axes(item)
        left = item.getAxis("left")
        left.setWidth(LEFT_AXIS_WIDTH)
        item.setLabel("left", y_label, **LABEL_STYLE)
        left.geometryChanged.connect(self._fit_y_label)
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

    @Slot()
    def _fit_y_label(self) -> None:
        """Show the y axis's label only where it fits whole (a short plot at 1280x720 cut
        "accuracy" to "ccuracy"): the plot's title says what it shows anyway."""
        axis = self.getPlotItem().getAxis("left")
        fits = axis.label.boundingRect().width() <= axis.geometry().height()
        if fits != axis.label.isVisible():
            axis.showLabel(fits)

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


def training_plots() -> tuple[EpochPlot, EpochPlot, EpochPlot]:
    """The loss, accuracy and gradient-norm plots, with their tooltips, on one epoch axis."""
    loss, accuracy = EpochPlot("Loss", "loss"), EpochPlot("Accuracy", "accuracy")
    grad = EpochPlot("|dL/dW|", "|dL/dW|", "epoch")
    loss.setToolTip(
        "<p>The loss L of the whole training set and of the test set, as its formula defines"
        " it; dotted lines mark where the learning rate changed.</p>" + tip_html("L")
    )
    accuracy.setToolTip(tip_html("accuracy"))
    grad.setToolTip(tip_html("gradient_norm", "vanishing", "exploding"))
    accuracy.setXLink(loss)
    grad.setXLink(loss)
    accuracy.setYRange(0.0, 1.0, padding=0.04)
    grad.setLogMode(y=True)
    return loss, accuracy, grad
