"""The loss landscape drawn: L over a plane as a colour map with contour lines, the current
point, the negative gradient's direction and the trajectory (:class:`SurfacePlot`), and L
along one parameter with its tangent (:class:`ProfilePlot`).  Both draw what the training
process computed (core.explore.jobs.LandscapeResult); nothing here evaluates the network.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView

from core.explore.jobs import LandscapeResult
from core.trace.notation import format_number
from gui.plots.style import TEXT_COLOR, style_axes

LABEL_STYLE = {"font-size": "10pt", "color": TEXT_COLOR}
CONTOURS = 10  # contour lines between the lowest and the highest value shown
CONTOUR_PEN = pg.mkPen((255, 255, 255, 150), width=1)
POINT_COLOR = "#d62728"  # the current point: red, apart from viridis's blues and yellows
TRAJECTORY_PEN = pg.mkPen("#ffffff", width=1.5)
ARROW_COLOR = "#ff7f0e"
STEP_COLOR = "#ae017e"  # lecture mode's update: magenta, apart from the gradient's orange
ARROW_SHARE = 0.3  # the arrow's length: this share of the half-width of the plane
CURVE_PEN = pg.mkPen("#2c3e66", width=2.5)
TANGENT_PEN = pg.mkPen(ARROW_COLOR, width=2, style=Qt.PenStyle.DashLine)


def styled(plot: pg.PlotWidget) -> None:
    """White background, grey axes, the app's type (as the training plots)."""
    item = plot.getPlotItem()
    style_axes(item, 9)
    item.setMenuEnabled(False)
    item.hideButtons()


def shown_values(losses: np.ndarray, log: bool) -> np.ndarray:
    """The values the colours show: L, or log10 L (L <= 0 shown as the smallest positive
    value's log); values that are not finite (an overflow far out) as the largest finite."""
    values = np.array(losses, dtype=float)
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros_like(values)
    values[~finite] = values[finite].max()
    if log:
        positive = values[values > 0]
        floor = positive.min() if positive.size else 1.0
        values = np.log10(np.maximum(values, floor))
    return values


def axis_values(result: LandscapeResult) -> tuple[np.ndarray, np.ndarray]:
    """The grid's x and y values as the axes show them: each parameter's own value (w0 +
    offset) for parameters, the coefficients alpha and beta for random directions."""
    if result.mode == "random":
        return result.alphas, result.betas
    xs = result.values[0] + result.alphas
    ys = result.values[1] + result.betas if result.mode == "parameters" else result.betas
    return xs, ys


class SurfacePlot(pg.PlotWidget):
    """L over the plane: colour map (with its colour bar), contour lines, current point,
    the arrow of -dL/dtheta projected onto the plane (its direction; the length is fixed)
    and the trajectory of the snapshots seen, projected."""

    def __init__(self) -> None:
        super().__init__(background="w")
        styled(self)
        item = self.getPlotItem()
        self.image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False)
        self.colorbar.setImageItem(self.image, insert_in=item)
        self.colorbar.getAxis("right").enableAutoSIPrefix(False)
        self.colorbar.getAxis("right").setTextPen(TEXT_COLOR)
        self.contours: list[pg.IsocurveItem] = []
        self.trajectory = pg.PlotDataItem(
            pen=TRAJECTORY_PEN, symbol="o", symbolSize=3, symbolBrush="w", symbolPen=None
        )
        self.point = pg.ScatterPlotItem(size=11, brush=POINT_COLOR, pen=pg.mkPen("w", width=1.5))
        self.shaft = pg.PlotDataItem(pen=pg.mkPen(ARROW_COLOR, width=3))
        self.head = pg.ArrowItem(headLen=14, tipAngle=40, brush=ARROW_COLOR, pen=None)
        self.step = pg.PlotDataItem(pen=pg.mkPen(STEP_COLOR, width=3), symbol="o", symbolSize=7,
                                    symbolBrush=STEP_COLOR, symbolPen=None)  # fmt: skip
        for part in (self.trajectory, self.shaft, self.head, self.step, self.point):
            item.addItem(part, ignoreBounds=True)
        self.result: LandscapeResult | None = None
        self.offset = np.zeros(2)  # the centre's position on the axes (w0 of each parameter)
        self.tip = np.zeros(2)
        item.getViewBox().sigTransformChanged.connect(self._aim_head)

    def show_result(self, result: LandscapeResult, names: tuple[str, str], log: bool) -> None:
        """Draw ``result`` with its axes named ``names``; colours of log10 L if ``log``."""
        self.result = result
        xs, ys = axis_values(result)
        self.offset = np.array([xs[0] - result.alphas[0], ys[0] - result.betas[0]])
        values = shown_values(result.losses, log)
        lo, hi = float(values.min()), float(values.max())
        hi = hi if hi > lo else lo + 1.0
        self.image.setImage(values, levels=(lo, hi))
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys))
        self.image.setRect(rect)
        self.colorbar.setLevels((lo, hi))
        self._draw_contours(values, lo, hi)
        item = self.getPlotItem()
        item.setLabel("bottom", names[0], **LABEL_STYLE)
        item.setLabel("left", names[1], **LABEL_STYLE)
        self.colorbar.setLabel("right", "log₁₀ L" if log else "L")
        item.setRange(rect=rect, padding=0)
        span = float(result.alphas[-1])
        arrow = np.asarray(result.arrow, dtype=float)
        length = math.hypot(*arrow)
        ok = length > 0 and math.isfinite(length)
        self.tip = arrow / length * ARROW_SHARE * span if ok else np.zeros(2)
        self.shaft.setVisible(ok)
        self.head.setVisible(ok)
        self.set_current(np.zeros(2))

    def _draw_contours(self, values: np.ndarray, lo: float, hi: float) -> None:
        for contour in self.contours:
            contour.setParentItem(None)
            self.scene().removeItem(contour)
        levels = np.linspace(lo, hi, CONTOURS + 2)[1:-1]
        self.contours = []
        for level in levels:
            contour = pg.IsocurveItem(values, float(level), CONTOUR_PEN, axisOrder="row-major")
            contour.setParentItem(self.image)
            contour.setPos(0.5, 0.5)  # a value sits at the centre of its pixel
            self.contours.append(contour)

    def set_current(self, coordinates: np.ndarray) -> None:
        """The current parameters at (alpha, beta) of the plane; the arrow starts there."""
        x, y = self.offset + np.asarray(coordinates, dtype=float)
        self.point.setData([x], [y])
        self.shaft.setData([x, x + self.tip[0]], [y, y + self.tip[1]])
        self._aim_head()

    def set_trajectory(self, coordinates: np.ndarray) -> None:
        """The snapshots seen, as (alpha, beta) rows, oldest first."""
        points = self.offset + np.asarray(coordinates, dtype=float).reshape(-1, 2)
        self.trajectory.setData(points[:, 0], points[:, 1])

    def set_step(self, before: list[float] | None, after: list[float] | None) -> None:
        """Lecture mode's update of the two parameters, from ``before`` to ``after`` (their
        values; None: no step shown)."""
        if before is None:
            self.step.setData([], [])
            return
        self.step.setData([before[0], after[0]], [before[1], after[1]])

    def _aim_head(self) -> None:
        """Put the arrow's head at the shaft's end, pointing along it as drawn on screen
        (the two axes may have different scales)."""
        xs, ys = self.shaft.getData()
        if xs is None or len(xs) < 2:
            return
        box = self.getPlotItem().getViewBox()
        start = box.mapViewToScene(QPointF(xs[0], ys[0]))
        end = box.mapViewToScene(QPointF(xs[1], ys[1]))
        angle = math.degrees(math.atan2(end.y() - start.y(), end.x() - start.x()))
        self.head.setStyle(angle=angle - 180.0)  # ArrowItem's 0 points left
        self.head.setPos(xs[1], ys[1])


class ProfilePlot(pg.PlotWidget):
    """L against one parameter's value, with the tangent at the current value (slope
    dL/dw from the backward pass) and the current point."""

    def __init__(self) -> None:
        super().__init__(background="w")
        styled(self)
        item = self.getPlotItem()
        self.curve = item.plot(pen=CURVE_PEN)
        self.tangent = pg.PlotDataItem(pen=TANGENT_PEN)
        self.point = pg.ScatterPlotItem(size=11, brush=POINT_COLOR, pen=pg.mkPen("w", width=1.5))
        item.addItem(self.tangent, ignoreBounds=True)
        item.addItem(self.point, ignoreBounds=True)
        self.legend = item.addLegend(offset=(-10, 10), labelTextColor=TEXT_COLOR)
        self.legend.addItem(self.curve, "L")
        self.legend.addItem(self.tangent, "tangent")
        self.result: LandscapeResult | None = None

    def show_result(self, result: LandscapeResult, name: str) -> None:
        """Draw the profile ``result`` of the parameter called ``name``."""
        self.result = result
        xs = result.values[0] + result.alphas
        losses = shown_values(result.losses[0], log=False)
        self.curve.setData(xs, losses)
        w0, l0, slope = result.values[0], result.centre_loss, result.slope
        self.tangent.setData(
            [xs[0], xs[-1]], [l0 + slope * (xs[0] - w0), l0 + slope * (xs[-1] - w0)]
        )
        self.point.setData([w0], [l0])
        item = self.getPlotItem()
        item.setLabel("bottom", name, **LABEL_STYLE)
        item.setLabel("left", "L", **LABEL_STYLE)
        self.legend.getLabel(self.tangent).setText(
            f"tangent: dL/d{name} = {format_number(slope, 4, 'unicode')}"
        )
        low, high = float(losses.min()), float(losses.max())
        pad = 0.08 * (high - low or 1.0)
        item.setRange(xRange=(xs[0], xs[-1]), yRange=(low - pad, high + pad), padding=0)


def export_plot(widget: pg.PlotWidget, kind: str, path: str) -> str:
    """Write the plot ``widget`` shows to ``path`` as "png" (twice its size on screen) or
    "svg"; returns what went wrong, in one sentence ('' if nothing)."""
    try:
        Path(path).open("wb").close()  # say so now if it cannot be written
        if kind == "png":
            exporter = pyqtgraph.exporters.ImageExporter(widget.getPlotItem())
            exporter.parameters()["width"] = 2 * widget.width()
            exporter.export(str(path))
        else:
            write_svg(widget, path)
    except OSError as exc:
        return f"Could not write {path}: {exc.strerror or exc}; choose another folder or name."
    return ""


def write_svg(widget: QGraphicsView, path: str) -> None:
    """The plot ``widget`` shows as an SVG file: its scene drawn through QSvgGenerator (lines
    and text as vectors, the colour map as an image).  pyqtgraph's own SVG exporter cannot
    read the paths Qt 6 writes."""
    source = QRectF(widget.viewport().rect())
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("Loss landscape")
    generator.setResolution(widget.logicalDpiX())  # as on screen: text in points fits
    painter = QPainter(generator)
    try:
        widget.render(painter, QRectF(0, 0, source.width(), source.height()), source.toRect())
    finally:
        painter.end()
