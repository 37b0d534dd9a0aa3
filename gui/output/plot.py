"""The output view's plot: map image, fitted curve and data points on pyqtgraph axes.

Pixels only: :class:`OutputPlot` draws what :class:`gui.output.view.OutputView`
computes (an RGBA map, a curve, point colours) over a plan's extent, and
reports where the mouse is.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Signal, Slot
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QWidget

from gui.output.maps import OutputPlan

POINT_SIZE = 10
SMALL_SET = 20  # a truth table's few points are drawn larger
TRAIN_OUTLINE = (255, 255, 255)
TEST_OUTLINE = (20, 20, 20)
CURVE_COLOR = (30, 30, 30)
CURVE_TRAIN = (8, 119, 189)
CURVE_TEST = (245, 147, 34)
RIM = (0, 0, 0, 110)
MAP_OPACITY = 0.7  # lighter than the points, as Playground's alpha 160


def font(points: int, bold: bool = False) -> QFont:
    """The application font at ``points`` (>= 10 for a projector)."""
    f = QFont()
    f.setPointSize(points)
    f.setBold(bold)
    return f


def point_size(count: int) -> int:
    """Point diameter in pixels: larger for a handful of points (a truth table)."""
    return POINT_SIZE + (4 if count <= SMALL_SET else 0)


class ExtentAxis(pg.AxisItem):
    """An axis that labels only the data's extent, not the margin aspect locking adds."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.extent = (-np.inf, np.inf)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        """pyqtgraph's major and minor ticks, without those outside ``extent``."""
        lo, hi = self.extent
        eps = 1e-9 * max(1.0, hi - lo)
        return [
            (spacing, [v for v in values if lo - eps <= v <= hi + eps])
            for spacing, values in super().tickValues(minVal, maxVal, size)[:2]
        ]


class OutputPlot(pg.PlotWidget):
    """Axes over a plan's extent with an ImageItem, a curve and two scatters (train, test)."""

    hovered = Signal(float, float)  # the mouse position in data coordinates
    pointClicked = Signal(int)  # the training point (row of the training split) clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        axes = {name: ExtentAxis(name) for name in ("bottom", "left")}
        super().__init__(parent, background="w", axisItems=axes)
        self._axes = axes
        # Bilinear scaling of the 100x100 map: smooth boundaries on a big screen.
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self._rect = QRectF()
        plot = self.getPlotItem()
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        for axis in self._axes.values():
            axis.setStyle(tickFont=font(10), tickLength=-6)
            axis.setTextPen(pg.mkPen(40, 40, 40))
            axis.setPen(pg.mkPen(110, 110, 110))
        self.image = pg.ImageItem(axisOrder="row-major")  # row 0 = lowest x2, drawn at the bottom
        self.image.setOpacity(MAP_OPACITY)
        self.image.setZValue(-10)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(CURVE_COLOR, width=3), connect="finite")
        self.curve.setZValue(12)  # the fit reads over the points
        # A soft dark rim under the white outline keeps grey points visible on grey cells.
        self.train_rim = pg.ScatterPlotItem(pxMode=True, pen=None, brush=pg.mkBrush(*RIM))
        self.train_rim.setZValue(9)
        self.train_points = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        self.train_points.setZValue(10)
        self.test_points = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        self.test_points.setZValue(11)
        self.train_points.sigClicked.connect(self._on_points_clicked)
        # The chosen point (lecture mode's traced row): a dark ring around it.
        self.marker = pg.ScatterPlotItem(
            size=POINT_SIZE + 12, pxMode=True, pen=pg.mkPen(20, 20, 20, width=3), brush=None
        )
        self.marker.setZValue(13)
        items = (
            self.image,
            self.curve,
            self.train_rim,
            self.train_points,
            self.test_points,
            self.marker,
        )
        for item in items:
            plot.addItem(item)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def show_plan(self, plan: OutputPlan) -> None:
        """Axes, ranges and visible items for ``plan``; the map and curve start empty."""
        plot = self.getPlotItem()
        x_lo, x_hi, y_lo, y_hi = plan.extent
        style = {"font-size": "11pt", "color": "#282828"}
        held = f"<br><span style='font-size: 9pt'>{escape(plan.held)}</span>" * bool(plan.held)
        plot.setLabel("bottom", escape(plan.axis_names[0]) + held, **style)  # a CSV
        plot.setLabel("left", escape(plan.axis_names[1]), **style)  # file's names, not markup
        is_map = plan.mode == "map"
        plot.setAspectLocked(is_map and (x_hi - x_lo) == (y_hi - y_lo))
        plot.showGrid(x=not is_map, y=not is_map, alpha=0.2)
        # A sliver of padding keeps the end labels (e.g. 6 and -6) inside the widget.
        plot.setRange(xRange=(x_lo, x_hi), yRange=(y_lo, y_hi), padding=0.02)
        self._axes["bottom"].extent = (x_lo, x_hi)
        self._axes["left"].extent = (y_lo, y_hi)
        self._rect = QRectF(x_lo, y_lo, x_hi - x_lo, y_hi - y_lo)
        self.image.setVisible(is_map)
        self.image.clear()
        self.curve.setVisible(plan.mode == "curve")
        self.curve.setData([], [])

    def set_map(self, rgba: np.ndarray) -> None:
        """Show the (r, r, 4) uint8 map: row-major, x1 along a row, x2 up the rows."""
        # The rect goes with the image: ImageItem scales by the image's size in cells.
        self.image.setImage(rgba, autoLevels=False, rect=self._rect)

    def set_curve(self, x: np.ndarray, y: np.ndarray) -> None:
        """Show the fitted curve y(x)."""
        self.curve.setData(x, y)

    def set_points(self, points: np.ndarray | None, colors: np.ndarray | None, test: bool) -> None:
        """Draw training (white outline) or test (dark outline) points; no points: clear.

        ``colors`` is RGBA (n, 4) per point, or None for the curve's fixed colours.
        """
        item = self.test_points if test else self.train_points
        if not test:
            self._set_rim(points)
        if points is None or not len(points):
            item.clear()
            return
        pen = pg.mkPen(*(TEST_OUTLINE if test else TRAIN_OUTLINE), width=2 if test else 1.5)
        if colors is None:
            brush = pg.mkBrush(*(CURVE_TEST if test else CURVE_TRAIN))
        else:
            cache: dict[tuple, object] = {}  # one QBrush per distinct colour
            brush = [cache.setdefault(tuple(c), pg.mkBrush(*c)) for c in colors.tolist()]
        item.setSize(point_size(len(points)))
        item.setData(x=points[:, 0], y=points[:, 1], pen=pen, brush=brush)

    def _set_rim(self, points: np.ndarray | None) -> None:
        if points is None or not len(points):
            self.train_rim.clear()
            return
        self.train_rim.setSize(point_size(len(points)) + 3)
        self.train_rim.setData(x=points[:, 0], y=points[:, 1])

    def mark_point(self, row: int | None) -> None:
        """Ring training point ``row``; None (or a row not drawn): no ring."""
        x, y = self.train_points.getData()
        if row is None or not 0 <= row < len(x):
            self.marker.clear()
        else:
            self.marker.setData(x=[x[row]], y=[y[row]])

    @Slot(object, object, object)
    def _on_points_clicked(self, _item, points, _event) -> None:
        if len(points):
            self.pointClicked.emit(int(points[0].index()))

    @Slot(object)
    def _on_mouse_moved(self, pos: QPointF) -> None:
        point = self.getPlotItem().vb.mapSceneToView(pos)
        self.hovered.emit(point.x(), point.y())
